"""The ES256 keys that sign 亮证 tokens.

Keys live in the database, so every worker signs with the same key and an operator rotates
it for all of them at once (``python -m app.cli rotate-display-key``). Exactly one key is
active; the first is created when it is first needed. Rotation retires the active key, erases
its private half and creates a new one. A retired key stays in the JWKS until every token it
signed has expired, so QR codes shown just before a rotation still verify, offline too.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.certificates import repository
from app.certificates.models import DisplaySigningKey
from app.core.db import utcnow
from app.core.pii import PersonalDataCipher
from app.core.security import generate_es256_key

TOKEN_TTL = timedelta(minutes=2)
# Beyond the token lifetime: a token signed while the rotation committed, and officers'
# device clocks running a little behind.
RETIRED_KEY_PUBLISHED_FOR = TOKEN_TTL + timedelta(minutes=1)
PRIVATE_KEY = "display_signing_keys.private_key"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: str


def _new_key(pii: PersonalDataCipher) -> DisplaySigningKey:
    pem, public_jwk = generate_es256_key()
    return DisplaySigningKey(
        kid=public_jwk["kid"],
        active=True,
        private_key_encrypted=pii.encrypt(pem, purpose=PRIVATE_KEY),
        public_jwk=public_jwk,
        created_at=utcnow(),
    )


async def _active(session: AsyncSession, pii: PersonalDataCipher) -> DisplaySigningKey:
    key = await repository.active_signing_key(session)
    if key is not None:
        return key
    # Two workers may both find no key; the unique ``active`` column lets only one insert.
    try:
        async with session.begin_nested():
            key = _new_key(pii)
            session.add(key)
    except IntegrityError:
        key = await repository.active_signing_key(session)
    return key


async def active_key(session: AsyncSession, pii: PersonalDataCipher) -> SigningKey:
    key = await _active(session, pii)
    return SigningKey(key.kid, pii.decrypt(key.private_key_encrypted, purpose=PRIVATE_KEY))


async def published_keys(session: AsyncSession, pii: PersonalDataCipher) -> list[DisplaySigningKey]:
    """The JWKS: the active key (created if there is none yet) and the retired keys whose
    tokens may still be valid."""
    await _active(session, pii)
    return await repository.published_signing_keys(session, utcnow() - RETIRED_KEY_PUBLISHED_FOR)


async def published_key(session: AsyncSession, kid: str) -> DisplaySigningKey | None:
    keys = await repository.published_signing_keys(session, utcnow() - RETIRED_KEY_PUBLISHED_FOR)
    return next((key for key in keys if key.kid == kid), None)


async def rotate(session: AsyncSession, pii: PersonalDataCipher) -> tuple[str | None, str]:
    """Retires the active key (if any) and activates a new one: ``(retired kid, new kid)``."""
    retired = await repository.active_signing_key(session, for_update=True)
    if retired is not None:
        retired.active, retired.retired_at, retired.private_key_encrypted = None, utcnow(), None
        await session.flush()
    key = _new_key(pii)
    session.add(key)
    await session.flush()
    return (retired.kid if retired else None), key.kid
