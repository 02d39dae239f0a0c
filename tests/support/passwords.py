"""Password hashing at test cost.

The shipped argon2id parameters cost about a fifth of a second of CPU per hash and per check, on
purpose; the suite signs in, registers and guesses passwords thousands of times, so in the test
process the same scheme (argon2id, same library, same code paths) runs with the smallest
parameters. The API servers the suite starts as processes (fuzzing, the mini program's end-to-end
run, the killed-server faults) keep the shipped cost, and tests/auth/test_password_hashing.py
holds the shipped parameters to what they are.
"""

from passlib.context import CryptContext

from app.core import security

# What app.core.security ships, kept before the suite swaps it.
SHIPPED = security._passwords

CHEAP = CryptContext(
    schemes=["argon2"], deprecated="auto", argon2__rounds=1, argon2__memory_cost=8, argon2__parallelism=1
)


def hash_passwords_cheaply() -> None:
    """From now on this process hashes and checks passwords at test cost (argon2id, m=8,t=1,p=1)."""
    security._passwords = CHEAP
    security._DUMMY_HASH = CHEAP.hash("timing-equaliser-not-a-password")
