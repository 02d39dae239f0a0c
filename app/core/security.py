"""Passwords and signed tokens. The only module that imports passlib and python-jose,
so either can be replaced without touching the rest of the code."""

import asyncio
from typing import Any

from jose import JWTError, jwt
from passlib.context import CryptContext

# argon2id only: bcrypt would drag in passlib's broken bcrypt-5 self-test.
_passwords = CryptContext(schemes=["argon2"], deprecated="auto")
# Verified against when the account does not exist, so both cases take as long.
_DUMMY_HASH = _passwords.hash("timing-equaliser-not-a-password")


class InvalidToken(Exception):
    """Signature, algorithm, audience, issuer or expiry did not check out."""


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_passwords.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant work whether or not there is a hash to check against."""
    if password_hash is None:
        await asyncio.to_thread(_passwords.verify, password, _DUMMY_HASH)
        return False
    return await asyncio.to_thread(_passwords.verify, password, password_hash)


def sign_token(
    claims: dict[str, Any], key: str, algorithm: str, headers: dict[str, Any] | None = None
) -> str:
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)


def verify_token(
    token: str, key: str | dict[str, Any], *, algorithms: list[str], audience: str, issuer: str
) -> dict[str, Any]:
    try:
        return jwt.decode(token, key, algorithms=algorithms, audience=audience, issuer=issuer)
    except (JWTError, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from error
