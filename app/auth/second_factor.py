"""The second factor of privileged accounts (等保 level 3): TOTP (RFC 6238) with single-use
recovery codes, and the short-lived tickets that carry a sign-in from one step to the next.

The only module that imports pyotp. Secrets are stored encrypted with the PII cipher; tickets and
recovery codes only as digests. Each TOTP time step works once per account (replay guard).
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.auth import repository
from app.auth.models import RecoveryCode, SecondFactor, SignInTicket
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import AppError
from app.core.pii import PersonalDataCipher

ISSUER = "海事一网通办"
SECRET_PURPOSE = "second_factors.secret"
PENDING_PURPOSE = "sign_in_tickets.pending_secret"
RECOVERY_CODES = 10
# Codes of the previous and the next 30-second step are accepted too (clock drift).
DRIFT_STEPS = 1
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


class TicketPurpose:
    second_factor = "second_factor"
    password_change = "password_change"


class SignInTicketInvalid(AppError):
    status = 401
    code = "auth.ticket_invalid"
    title = "登录步骤已失效，请重新输入用户名和密码"


class SecondFactorInvalid(AppError):
    status = 401
    code = "auth.second_factor_invalid"
    title = "动态验证码错误"
    keep_changes = True  # counts towards the lockout like a wrong password


class SecondFactorReplayed(AppError):
    status = 401
    code = "auth.second_factor_replayed"
    title = "该动态验证码已使用过，请等待身份验证器显示新的验证码"
    keep_changes = True  # the attempt stays in the audit trail


class SecondFactorNotEnrolled(AppError):
    status = 409
    code = "auth.second_factor_not_enrolled"
    title = "尚未绑定身份验证器，请先完成绑定"


class SecondFactorAlreadyEnrolled(AppError):
    status = 409
    code = "auth.second_factor_enrolled"
    title = "该账号已绑定身份验证器"


class EnrolmentNotStarted(AppError):
    status = 409
    code = "auth.enrolment_not_started"
    title = "请先获取身份验证器密钥"


@dataclass(frozen=True)
class IssuedTicket:
    ticket: str
    expires_at: datetime


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# --- tickets -------------------------------------------------------------------------------


async def issue_ticket(
    session: AsyncSession, settings: Settings, user: User, purpose: str, *, wechat_openid: str | None = None
) -> IssuedTicket:
    ticket = secrets.token_urlsafe(32)
    expires_at = utcnow() + settings.second_factor_ticket_ttl
    await repository.add(
        session,
        SignInTicket(
            digest=_digest(ticket),
            user_id=user.id,
            purpose=purpose,
            expires_at=expires_at,
            wechat_openid=wechat_openid,
        ),
    )
    return IssuedTicket(ticket, expires_at)


async def open_ticket(session: AsyncSession, ticket: str, purpose: str) -> tuple[SignInTicket, User]:
    """The unspent, unexpired ticket of ``purpose`` and its account, locked for this request."""
    stored = await repository.ticket(session, _digest(ticket))
    if stored is None or stored.purpose != purpose or stored.consumed_at is not None:
        raise SignInTicketInvalid()
    if stored.expires_at <= utcnow():
        raise SignInTicketInvalid("登录步骤已超时，请重新输入用户名和密码")
    user = await repository.user(session, stored.user_id, for_update=True)
    if user is None:
        raise SignInTicketInvalid()
    return stored, user


def consume(ticket: SignInTicket) -> None:
    ticket.consumed_at = utcnow()


# --- TOTP ----------------------------------------------------------------------------------


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, issuer=ISSUER)


def provisioning_uri(secret: str, account_name: str) -> str:
    return _totp(secret).provisioning_uri(name=account_name, issuer_name=ISSUER)


def matched_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code is ``code`` (within the allowed drift), or None."""
    totp = _totp(secret)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def is_totp(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


async def factor_of(session: AsyncSession, user_id: str) -> SecondFactor | None:
    return await repository.second_factor(session, user_id)


def check_totp(pii: PersonalDataCipher, factor: SecondFactor, code: str) -> bool:
    """True for a fresh valid code (and remembers its step); raises on a replayed one."""
    step = matched_step(pii.decrypt(factor.secret_encrypted, purpose=SECRET_PURPOSE), code, utcnow())
    if step is None:
        return False
    if factor.last_used_step is not None and step <= factor.last_used_step:
        raise SecondFactorReplayed()
    factor.last_used_step = step
    return True


# --- enrolment -----------------------------------------------------------------------------


def offer_secret(pii: PersonalDataCipher, ticket: SignInTicket) -> str:
    """A new secret for the account of ``ticket``, kept (encrypted) on the ticket until confirmed."""
    secret = pyotp.random_base32()
    ticket.pending_secret_encrypted = pii.encrypt(secret, purpose=PENDING_PURPOSE)
    return secret


def pending_secret(pii: PersonalDataCipher, ticket: SignInTicket) -> str:
    if ticket.pending_secret_encrypted is None:
        raise EnrolmentNotStarted()
    return pii.decrypt(ticket.pending_secret_encrypted, purpose=PENDING_PURPOSE)


async def enrol(
    session: AsyncSession, pii: PersonalDataCipher, user: User, secret: str, *, used_step: int | None = None
) -> list[str]:
    """Stores the secret and returns new recovery codes (shown once, stored as digests)."""
    factor = SecondFactor(
        user_id=user.id,
        secret_encrypted=pii.encrypt(secret, purpose=SECRET_PURPOSE),
        last_used_step=used_step,
    )
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    recovery = [RecoveryCode(user_id=user.id, digest=_recovery_digest(user.id, code)) for code in codes]
    await repository.add(session, factor, *recovery)
    return codes


async def reset(session: AsyncSession, user_id: str) -> bool:
    """Removes the second factor and its recovery codes; the next sign-in enrols again."""
    return await repository.delete_second_factor(session, user_id)


# --- recovery codes ------------------------------------------------------------------------


def _recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _normalise(code: str) -> str:
    raw = code.replace("-", "").replace(" ", "").upper()
    return f"{raw[:5]}-{raw[5:]}"


def _recovery_digest(user_id: str, code: str) -> str:
    return _digest(f"{user_id}\x00{_normalise(code)}")


async def use_recovery_code(session: AsyncSession, user_id: str, code: str) -> bool:
    """Spends a recovery code; False when it is unknown or already used."""
    return await repository.spend_recovery_code(session, user_id, _recovery_digest(user_id, code), utcnow())
