"""Passwords are stored as argon2id at the shipped cost; the suite alone hashes cheaply."""

import re

from app.core import security
from tests.support.passwords import SHIPPED


def test_passwords_are_stored_as_argon2id_with_64_mib_three_passes_and_four_lanes():
    stored = SHIPPED.hash("Demo@12345")

    assert re.fullmatch(r"\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}", stored)
    assert SHIPPED.verify("Demo@12345", stored)
    assert not SHIPPED.verify("Demo@12346", stored)


async def test_the_suite_hashes_with_the_same_scheme_at_the_smallest_cost():
    # If the app stopped hashing through the context the suite swaps, every sign-in in the
    # suite would cost the shipped fifth of a second again (and the suite its time budget).
    stored = await security.hash_password("Demo@12345")

    assert stored.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert await security.verify_password("Demo@12345", stored)
    assert not await security.verify_password("Demo@12346", stored)
    # A hash stored at the shipped cost still checks out: the parameters travel with the hash.
    assert await security.verify_password("Demo@12345", SHIPPED.hash("Demo@12345"))
