"""Face sessions: opened for one person and purpose, consumed by exactly one verify_result."""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.identity import VerifiedPerson
from app.audit import service as audit
from app.auth import repository
from app.auth.models import FaceSession
from app.core.config import Settings
from app.core.db import utcnow
from app.core.enums import LabelledEnum
from app.core.errors import AppError
from app.core.pii import PersonalDataCipher
from app.integrations.face.base import FacePerson, FaceResultUnusable, FaceVerifier
from app.privacy import consents
from app.privacy.schemas import ConsentGiven

ID_NUMBER = "face_sessions.id_number"
FORGET_BATCH = 1000


class FacePurpose(LabelledEnum):
    login = "login", "刷脸登录"
    register = "register", "个人注册"
    reset_password = "reset_password", "找回密码"
    change_password = "change_password", "修改密码"
    change_phone = "change_phone", "修改手机号码"
    account_deletion = "account_deletion", "注销账号"


class FaceMethod(LabelledEnum):
    reflective = "reflective", "反光识别"
    read_digits = "read_digits", "读数识别"


# wx.startFacialRecognitionVerify checkAliveType: 0 read digits, 2 flash (falls back to digits).
CHECK_ALIVE_TYPE = {FaceMethod.read_digits: 0, FaceMethod.reflective: 2}


class FaceSessionInvalid(AppError):
    status = 401
    code = "auth.face_session_invalid"
    title = "人脸识别已失效，请重新识别"
    keep_changes = True


class FaceMismatch(AppError):
    status = 401
    code = "auth.face_mismatch"
    title = "人脸识别未通过"
    keep_changes = True


async def open_face_session(
    session: AsyncSession,
    settings: Settings,
    pii: PersonalDataCipher,
    *,
    purpose: FacePurpose,
    name: str,
    id_number: str,
    method: FaceMethod,
    consent: ConsentGiven | None,
    ip: str,
) -> FaceSession:
    """Opened only with the person's separate consent to face verification, recorded with it."""
    version = consents.face_consent_version(consent)
    face_session = FaceSession(
        purpose=purpose,
        method=method,
        name=name,
        id_number_encrypted=pii.encrypt(id_number, purpose=ID_NUMBER),
        expires_at=utcnow() + settings.face_session_ttl,
    )
    await repository.add(session, face_session)
    consents.record_for_face_session(session, face_session.id, version, ip)
    return face_session


async def consume(
    session: AsyncSession,
    pii: PersonalDataCipher,
    verifier: FaceVerifier,
    *,
    face_session_id: str,
    verify_result: str,
    purpose: FacePurpose,
    ip: str,
) -> VerifiedPerson:
    """The person this face session was opened for, once ``verify_result`` proves it was them.

    The session is spent whatever the outcome, and no verify_result is ever accepted twice.
    """
    face_session = await repository.face_session(session, face_session_id)
    if (
        face_session is None
        or face_session.purpose != purpose
        or face_session.consumed_at is not None
        or face_session.expires_at <= utcnow()
    ):
        raise FaceSessionInvalid()
    face_session.consumed_at = utcnow()
    await session.flush()
    person = VerifiedPerson(
        face_session.name, pii.decrypt(face_session.id_number_encrypted, purpose=ID_NUMBER)
    )
    # Data minimisation: a spent session keeps its purpose, times and outcome, not whose it was.
    face_session.name, face_session.id_number_encrypted = "", b""
    try:
        verdict = await verifier.verify(
            verify_result, FacePerson(person.name, person.id_number), face_session_id=face_session.id
        )
    except FaceResultUnusable as error:
        _audit(session, face_session_id, purpose, "unusable", ip)
        raise FaceSessionInvalid("人脸识别结果无效，请重新识别") from error
    try:
        # A savepoint: a replayed result must not undo the consumption flushed above.
        async with session.begin_nested():
            face_session.replay_key = verdict.replay_key
    except IntegrityError as error:
        _audit(session, face_session_id, purpose, "replayed", ip)
        raise FaceSessionInvalid("该人脸识别结果已使用，请重新识别") from error
    if not verdict.passed:
        _audit(session, face_session_id, purpose, "failed", ip)
        raise FaceMismatch()
    _audit(session, face_session_id, purpose, "passed", ip)
    return person


async def forget_expired_persons(session: AsyncSession) -> int:
    """Erase whose face sessions were that expired unused; how many (at most a batch a call).

    A consumed session is erased when it is used (``consume``); one never used keeps the
    name and ID number only until it expires. The row stays: the consent given for it
    refers to it. Reading first keeps the usual round, with nothing to erase, from taking
    SQLite's write lock."""
    expired = await repository.expired_unforgotten_face_sessions(session, utcnow(), FORGET_BATCH)
    if expired:
        await repository.forget_face_persons(session, expired)
    return len(expired)


def _audit(session: AsyncSession, face_session_id: str, purpose: str, outcome: str, ip: str) -> None:
    audit.record(
        session,
        "auth.face_verification",
        outcome,
        ip=ip,
        object_type="face_session",
        object_id=face_session_id,
        detail={"purpose": purpose},
    )
