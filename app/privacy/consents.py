"""Separate consents: face verification (per face session) and identity documents (per account)."""

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.db import utcnow
from app.core.errors import AppError, NotFound
from app.core.schemas import Coded
from app.privacy.models import Consent
from app.privacy.schemas import ConsentGiven, ConsentRead, ConsentTextRead
from app.privacy.texts import TEXTS, ConsentPurpose


class ConsentRequired(AppError):
    status = 403
    code = "consent.required"
    title = "请先阅读并同意个人信息处理规则"


class ConsentNotGiven(NotFound):
    code = "consent.not_found"
    title = "未找到有效的同意记录"


def texts() -> list[ConsentTextRead]:
    return [text_read(purpose) for purpose in ConsentPurpose]


def text_read(purpose: ConsentPurpose) -> ConsentTextRead:
    text = TEXTS[purpose]
    return ConsentTextRead(
        purpose=Coded.of(purpose),
        version=text.version,
        title=text.title,
        text=text.text,
    )


def _check(given: ConsentGiven | None, purpose: ConsentPurpose) -> str:
    """The current version of ``purpose``'s text, if ``given`` agrees to exactly that."""
    text = TEXTS[purpose]
    if given is None or given.purpose != purpose:
        raise ConsentRequired(f"请先阅读并同意《{text.title}》", extensions={"purpose": purpose})
    if given.version != text.version:
        raise ConsentRequired(f"《{text.title}》已更新，请重新阅读并同意", extensions={"purpose": purpose})
    return text.version


def face_consent_version(given: ConsentGiven | None) -> str:
    """The text version a face session is opened under; refused before anything is stored."""
    return _check(given, ConsentPurpose.face_verification)


def record_for_face_session(session: AsyncSession, face_session_id: str, version: str, ip: str) -> None:
    """The caller may have no account yet: the consent belongs to the face session."""
    session.add(
        Consent(
            face_session_id=face_session_id,
            purpose=ConsentPurpose.face_verification,
            policy_version=version,
            ip=ip,
        )
    )


async def give(session: AsyncSession, user_id: str, given: ConsentGiven, ip: str) -> Consent:
    version = _check(given, given.purpose)
    current = await in_force(session, user_id, given.purpose)
    if current is not None:
        return current
    consent = Consent(user_id=user_id, purpose=given.purpose, policy_version=version, ip=ip)
    session.add(consent)
    await session.flush()
    audit.record(
        session,
        "privacy.consent",
        "given",
        actor_id=user_id,
        ip=ip,
        object_type="consent",
        object_id=consent.id,
        detail={"purpose": given.purpose, "version": version},
    )
    return consent


async def in_force(session: AsyncSession, user_id: str, purpose: ConsentPurpose) -> Consent | None:
    """The account's consent to the current text of ``purpose``, unless withdrawn."""
    return await session.scalar(
        select(Consent).where(
            Consent.user_id == user_id,
            Consent.purpose == purpose,
            Consent.policy_version == TEXTS[purpose].version,
            Consent.withdrawn_at.is_(None),
        )
    )


async def require(session: AsyncSession, user_id: str, purpose: ConsentPurpose) -> None:
    if await in_force(session, user_id, purpose) is None:
        title = TEXTS[purpose].title
        raise ConsentRequired(f"请先阅读并同意《{title}》", extensions={"purpose": purpose})


async def withdraw(session: AsyncSession, user_id: str, purpose: ConsentPurpose, ip: str) -> None:
    """Stops future processing; what was done under the consent stays lawful and recorded."""
    active = list(
        await session.scalars(
            select(Consent).where(
                Consent.user_id == user_id, Consent.purpose == purpose, Consent.withdrawn_at.is_(None)
            )
        )
    )
    if not active:
        raise ConsentNotGiven()
    now = utcnow()
    for consent in active:
        consent.withdrawn_at = now
    audit.record(
        session,
        "privacy.consent",
        "withdrawn",
        actor_id=user_id,
        ip=ip,
        object_type="consent",
        object_id=active[0].id,
        detail={"purpose": purpose},
    )


async def of_user(session: AsyncSession, user_id: str) -> list[ConsentRead]:
    rows = await session.scalars(
        select(Consent).where(Consent.user_id == user_id).order_by(Consent.given_at.desc(), Consent.id.desc())
    )
    return [consent_read(row) for row in rows]


def consent_read(consent: Consent) -> ConsentRead:
    purpose = ConsentPurpose(consent.purpose)
    return ConsentRead(
        id=consent.id,
        purpose=Coded.of(purpose),
        policy_version=consent.policy_version,
        given_at=consent.given_at,
        withdrawn_at=consent.withdrawn_at,
        in_force=consent.withdrawn_at is None and consent.policy_version == TEXTS[purpose].version,
    )


async def link_face_consent(session: AsyncSession, face_session_id: str, user_id: str) -> None:
    """Once a face session has identified the account, its consent is part of that account's record."""
    await session.execute(
        update(Consent)
        .where(Consent.face_session_id == face_session_id, Consent.user_id.is_(None))
        .values(user_id=user_id)
    )
