"""Sign-in flows of manual §3.2: WeChat binding, 刷脸登录, password login, registration,
忘记密码, refresh and logout."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as accounts
from app.accounts.models import User
from app.accounts.schemas import CorporateRegistration, FaceProof, PersonalRegistration
from app.audit import service as audit
from app.auth import events, face, lockout, repository, tokens
from app.auth import second_factor as factors
from app.auth.face import FacePurpose
from app.auth.models import SignInTicket
from app.auth.schemas import (
    EnrolledTokens,
    EnrolmentOffer,
    PasswordReset,
    SecondFactorStep,
    Tokens,
    WeChatSession,
)
from app.auth.second_factor import TicketPurpose
from app.core.auth import SECOND_FACTOR_ROLES, Role, TokenInvalid
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import AppError, ExternalServiceUnavailable, InvalidInput
from app.core.pii import PersonalDataCipher
from app.core.qr import qr_svg
from app.core.schemas import china_time
from app.core.security import verify_password
from app.core.throttle import RateLimited
from app.integrations.certificate_registry.base import CertificateRegistry
from app.integrations.face.base import FaceVerifier
from app.integrations.wechat import base as wechat_errors
from app.integrations.wechat.base import WeChatClient, WeChatError
from app.privacy import consents


class InvalidCredentials(AppError):
    status = 401
    code = "auth.invalid_credentials"
    title = "用户名或密码错误"
    keep_changes = True  # the failure counts towards the lockout


class AccountLocked(AppError):
    """Too many failures for this username from this address (whether or not the account exists)."""

    status = 423
    code = "auth.locked"
    title = "登录失败次数过多，请稍后再试"
    keep_changes = True


class AccountDisabled(AppError):
    status = 403
    code = "auth.account_disabled"
    title = "账号已停用，请联系安全管理员"
    keep_changes = True  # the attempt stays in the audit trail


class PasswordExpired(AppError):
    status = 403
    code = "auth.password_expired"
    title = "密码已过期，请设置新密码"
    keep_changes = True  # the change ticket issued with the refusal


class WeChatCodeInvalid(AppError):
    status = 401
    code = "auth.wechat_code_invalid"
    title = "微信登录凭证无效，请重新进入小程序"
    keep_changes = True  # the failed sign-in stays in the audit trail


class WeChatUserBlocked(AppError):
    status = 403
    code = "auth.wechat_user_blocked"
    title = "该微信账号存在风险，暂时无法登录"
    keep_changes = True  # the failed sign-in stays in the audit trail


class OperatorNotMatched(AppError):
    """忘记密码 of a corporate or ship account: the username is unknown, or the verified face is not
    the registered operator's. One answer for both, so the reset tells nobody which usernames exist."""

    status = 401
    code = "auth.operator_mismatch"
    title = "用户名或经办人身份不符"
    keep_changes = True  # the face session stays spent, the attempt stays in the audit trail


class WeChatAlreadyBound(AppError):
    status = 409
    code = "auth.wechat_already_bound"
    title = "该微信已绑定其他账号"
    keep_changes = True  # the face session stays spent


class AuthContext:
    """What every sign-in flow needs from the request."""

    def __init__(self, session: AsyncSession, settings: Settings, pii: PersonalDataCipher, ip: str) -> None:
        self.session = session
        self.settings = settings
        self.pii = pii
        self.ip = ip

    async def signed_in(
        self,
        user: User,
        binding_ticket: str | None,
        event: str,
        *,
        wechat_openid: str | None = None,
        detail: dict | None = None,
    ) -> Tokens:
        openid = wechat_openid or self.binding_openid(binding_ticket)
        if openid:
            await self._bind_wechat(user, openid)
        audit.record(
            self.session,
            event,
            "success",
            actor_id=user.id,
            ip=self.ip,
            object_type="user",
            object_id=user.id,
            detail=detail,
        )
        issued = await tokens.start_session(self.session, self.settings, user)
        return Tokens(
            access_token=issued.access_token,
            refresh_token=issued.refresh_token,
            expires_in=issued.expires_in,
            user=await accounts.profile(self.session, self.pii, user),
        )

    def binding_openid(self, binding_ticket: str | None) -> str | None:
        """The WeChat identity a sign-in binds, or None. A stale or invalid ticket (the mini program
        kept one past its 10 minutes) never blocks the sign-in: the account signs in without
        binding, and ``user.wechat_bound`` in the answer says so."""
        if not binding_ticket:
            return None
        try:
            return tokens.read_token(self.settings, binding_ticket, "binding")["sub"]
        except TokenInvalid:
            audit.record(self.session, "auth.wechat_bind", "ticket_invalid", ip=self.ip)
            return None

    async def _bind_wechat(self, user: User, openid: str) -> None:
        if user.wechat_openid == openid:
            return
        holder = await repository.wechat_holder(self.session, openid)
        if holder is not None or user.wechat_openid is not None:
            raise WeChatAlreadyBound(
                "该微信已绑定其他账号" if holder else "该账号已绑定其他微信，请使用原微信登录"
            )
        user.wechat_openid = openid
        wechat_bound(self.session, user, self.ip)

    async def verified_person(self, verifier: FaceVerifier, proof: FaceProof, purpose: FacePurpose):
        return await face.consume(
            self.session,
            self.pii,
            verifier,
            face_session_id=proof.face_session_id,
            verify_result=proof.verify_result,
            purpose=purpose,
            ip=self.ip,
        )


async def wechat_session(context: AuthContext, wechat: WeChatClient, code: str) -> WeChatSession:
    try:
        identity = await wechat.code_to_session(code)
    except WeChatError as error:
        audit.record(
            context.session, "auth.login_wechat", "failure", ip=context.ip, detail={"errcode": error.errcode}
        )
        raise _wechat_problem(error) from error
    user = await repository.user_by_wechat(context.session, identity.openid)
    if user is None or Role(user.role) in SECOND_FACTOR_ROLES:
        # Privileged accounts never sign in by WeChat alone: password and second factor first.
        return WeChatSession(
            bound=False, binding_ticket=tokens.binding_ticket(context.settings, identity.openid)
        )
    signed_in = await context.signed_in(user, None, "auth.login_wechat")
    return WeChatSession(bound=True, **signed_in.model_dump(exclude={"user"}), user=signed_in.user)


def _wechat_problem(error: WeChatError) -> AppError:
    if error.errcode == wechat_errors.CODE_INVALID:
        return WeChatCodeInvalid()
    if error.errcode == wechat_errors.USER_BLOCKED:
        return WeChatUserBlocked()
    if error.errcode == wechat_errors.FREQUENCY_LIMITED:
        return RateLimited("微信登录过于频繁，请稍后再试", headers={"Retry-After": "60"})
    return ExternalServiceUnavailable("微信服务暂时不可用，请稍后重试")


async def register_personal(
    context: AuthContext,
    verifier: FaceVerifier,
    registry: CertificateRegistry,
    registration: PersonalRegistration,
) -> Tokens:
    person = await context.verified_person(verifier, registration, FacePurpose.register)
    if (person.name, person.id_number) != (registration.name, registration.id_number):
        raise face.FaceMismatch("人脸识别的身份与注册信息不一致")
    user = await accounts.register_personal(
        context.session, context.pii, person, phone=registration.phone, password=registration.password
    )
    await consents.link_face_consent(context.session, registration.face_session_id, user.id)
    # A seafarer finds the certificates the authority holds for them in 我的证照 at once
    # (app.certificates subscribes: app.auth.events).
    await events.person_registered(events.PersonRegistered(context.session, user, person, registry))
    return await context.signed_in(user, registration.binding_ticket, "auth.register")


async def register_corporate(context: AuthContext, registration: CorporateRegistration) -> Tokens:
    user = await accounts.register_corporate(context.session, context.pii, registration)
    # The certificates the authority's registry pushed for its credit code become its own.
    await events.company_registered(events.CompanyRegistered(context.session, user))
    return await context.signed_in(user, registration.binding_ticket, "auth.register")


async def login_personal(
    context: AuthContext, verifier: FaceVerifier, proof: FaceProof, binding_ticket: str | None
) -> Tokens:
    person = await context.verified_person(verifier, proof, FacePurpose.login)
    try:
        user = await accounts.personal_account(context.session, context.pii, person)
    except accounts.AccountNotFound:
        # A face that passed but belongs to no account (the error keeps this record).
        audit.record(context.session, "auth.login_face", "no_account", ip=context.ip)
        raise
    await consents.link_face_consent(context.session, proof.face_session_id, user.id)
    return await context.signed_in(user, binding_ticket, "auth.login_face")


async def login_password(
    context: AuthContext, username: str, password: str, binding_ticket: str | None
) -> Tokens | SecondFactorStep:
    session = context.session
    user = await repository.user_by_username(session, username)
    await _refuse_held(context, username, user, "auth.login_password")
    if not await verify_password(password, user.password_hash if user else None):
        audit.record(
            session, "auth.login_password", "failure", actor_id=user.id if user else None, ip=context.ip
        )
        await _count_failure(context, username, user)
        raise InvalidCredentials()
    _refuse_disabled(context, user)
    if Role(user.role) not in SECOND_FACTOR_ROLES:
        await lockout.succeeded(session, username, context.ip)
        return await context.signed_in(user, binding_ticket, "auth.login_password")
    # The failure count is cleared only once the second factor is right too, so that
    # re-entering the password does not give unlimited guesses at the code.
    openid = context.binding_openid(binding_ticket)
    if password_expired(context.settings, user):
        audit.record(session, "auth.login_password", _expired_outcome(user), actor_id=user.id, ip=context.ip)
        issued = await factors.issue_ticket(
            session, context.settings, user, TicketPurpose.password_change, wechat_openid=openid
        )
        raise PasswordExpired(
            _expired_detail(user),
            extensions={"ticket": issued.ticket, "expires_at": china_time(issued.expires_at).isoformat()},
        )
    audit.record(session, "auth.login_password", "second_factor", actor_id=user.id, ip=context.ip)
    return await _second_factor_step(context, user, openid)


def password_expired(settings: Settings, user: User) -> bool:
    changed = user.password_changed_at
    return changed is None or utcnow() - changed > settings.password_max_age


# An account an administrator created has never had a password of its holder's own
# (password_changed_at is None): its one-time initial password is replaced at the first sign-in.


def _holds_initial_password(user: User) -> bool:
    return user.password_changed_at is None


def _expired_outcome(user: User) -> str:
    return "initial_password" if _holds_initial_password(user) else "password_expired"


def _expired_detail(user: User) -> str:
    if _holds_initial_password(user):
        return "首次登录，请将一次性初始密码更换为自己设置的密码后继续登录"
    return "密码已超过有效期，请设置新密码后继续登录"


def _password_change_event(user: User) -> str:
    return "auth.initial_password_change" if _holds_initial_password(user) else "auth.password_expired_change"


async def _second_factor_step(context: AuthContext, user: User, openid: str | None) -> SecondFactorStep:
    issued = await factors.issue_ticket(
        context.session, context.settings, user, TicketPurpose.second_factor, wechat_openid=openid
    )
    enrolled = await factors.factor_of(context.session, user.id) is not None
    return SecondFactorStep(ticket=issued.ticket, expires_at=issued.expires_at, enrolled=enrolled)


def _refuse_disabled(context: AuthContext, user: User) -> None:
    if user.disabled_at is not None:
        audit.record(context.session, "auth.login_password", "disabled", actor_id=user.id, ip=context.ip)
        raise AccountDisabled()


async def _ticket_holder(context: AuthContext, ticket: str, purpose: str) -> tuple[SignInTicket, User]:
    """The open ticket and its account, refused while the account is locked or disabled."""
    stored, user = await factors.open_ticket(context.session, ticket, purpose)
    await _refuse_held(context, user.username, user, "auth.second_factor")
    _refuse_disabled(context, user)
    return stored, user


async def _wrong_code(context: AuthContext, user: User, event: str) -> factors.SecondFactorInvalid:
    audit.record(context.session, event, "failure", actor_id=user.id, ip=context.ip)
    await _count_failure(context, user.username, user)
    return factors.SecondFactorInvalid()


async def _completed(
    context: AuthContext, user: User, ticket: SignInTicket, event: str, method: str
) -> Tokens:
    factors.consume(ticket)
    await lockout.succeeded(context.session, user.username, context.ip)
    return await context.signed_in(
        user, None, event, wechat_openid=ticket.wechat_openid, detail={"method": method}
    )


async def login_second_factor(context: AuthContext, ticket: str, code: str) -> Tokens:
    stored, user = await _ticket_holder(context, ticket, TicketPurpose.second_factor)
    factor = await factors.factor_of(context.session, user.id)
    if factor is None:
        raise factors.SecondFactorNotEnrolled()
    if factors.is_totp(code):
        method = "totp"
        try:
            accepted = factors.check_totp(context.pii, factor, code)
        except factors.SecondFactorReplayed:
            audit.record(context.session, "auth.second_factor", "replayed", actor_id=user.id, ip=context.ip)
            raise
    else:
        method = "recovery_code"
        accepted = await factors.use_recovery_code(context.session, user.id, code)
    if not accepted:
        raise await _wrong_code(context, user, "auth.second_factor")
    return await _completed(context, user, stored, "auth.login_second_factor", method)


async def start_enrolment(context: AuthContext, ticket: str) -> EnrolmentOffer:
    stored, user = await _ticket_holder(context, ticket, TicketPurpose.second_factor)
    if await factors.factor_of(context.session, user.id) is not None:
        raise factors.SecondFactorAlreadyEnrolled()
    secret = factors.offer_secret(context.pii, stored)
    uri = factors.provisioning_uri(secret, user.username)
    return EnrolmentOffer(
        secret=secret,
        otpauth_uri=uri,
        qr_svg=qr_svg(uri),
        issuer=factors.ISSUER,
        account_name=user.username,
    )


async def confirm_enrolment(context: AuthContext, ticket: str, code: str) -> EnrolledTokens:
    stored, user = await _ticket_holder(context, ticket, TicketPurpose.second_factor)
    if await factors.factor_of(context.session, user.id) is not None:
        raise factors.SecondFactorAlreadyEnrolled()
    secret = factors.pending_secret(context.pii, stored)
    step = factors.matched_step(secret, code, utcnow())
    if step is None:
        raise await _wrong_code(context, user, "auth.second_factor_enrol")
    recovery_codes = await factors.enrol(context.session, context.pii, user, secret, used_step=step)
    audit.record(
        context.session,
        "auth.second_factor_enrol",
        "success",
        actor_id=user.id,
        ip=context.ip,
        object_type="user",
        object_id=user.id,
    )
    signed_in = await _completed(context, user, stored, "auth.login_second_factor", "enrolment")
    return EnrolledTokens(**dict(signed_in), recovery_codes=recovery_codes)


async def change_expired_password(context: AuthContext, ticket: str, new_password: str) -> SecondFactorStep:
    stored, user = await _ticket_holder(context, ticket, TicketPurpose.password_change)
    if await verify_password(new_password, user.password_hash):
        raise InvalidInput([(("body", "new_password"), "新密码不能与原密码相同", "password_reused")])
    await _replace_password(context, user, new_password, _password_change_event(user))
    factors.consume(stored)
    return await _second_factor_step(context, user, stored.wechat_openid)


async def _refuse_held(context: AuthContext, username: str, user: User | None, event: str) -> None:
    """Refuse a username held for this address (app/auth/lockout.py) before any password check,
    so that a held existing account and a held unknown name answer alike, in the same time."""
    until = await lockout.held_until(context.session, username, context.ip)
    if until is not None:
        audit.record(context.session, event, "locked", actor_id=user.id if user else None, ip=context.ip)
        raise _locked(until)


async def _count_failure(context: AuthContext, username: str, user: User | None) -> None:
    until = await lockout.count_failure(context.session, context.settings, username, context.ip)
    if until is not None:
        audit.record(
            context.session, "auth.lockout", "locked", actor_id=user.id if user else None, ip=context.ip
        )
        raise _locked(until)


def _locked(until: datetime) -> AccountLocked:
    local = china_time(until)
    return AccountLocked(
        f"登录失败次数过多，请于 {local:%H:%M} 后再试",
        extensions={"locked_until": local.isoformat()},
    )


async def refresh(context: AuthContext, refresh_token: str) -> Tokens:
    user, issued = await tokens.rotate(context.session, context.settings, refresh_token, ip=context.ip)
    return Tokens(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
        user=await accounts.profile(context.session, context.pii, user),
    )


async def logout(context: AuthContext, user_id: str, session_id: str) -> None:
    await tokens.revoke_session(context.session, session_id, "logout")
    audit.record(context.session, "auth.logout", "success", actor_id=user_id, ip=context.ip)


async def reset_password(
    context: AuthContext, verifier: FaceVerifier, proof: PasswordReset, new_password: str
) -> None:
    if proof.username is not None:
        return await reset_corporate_password(context, verifier, proof.username, proof, new_password)
    person = await context.verified_person(verifier, proof, FacePurpose.reset_password)
    user = await accounts.personal_account(context.session, context.pii, person)
    await consents.link_face_consent(context.session, proof.face_session_id, user.id)
    await _replace_password(context, user, new_password, "auth.password_reset")


async def change_password(
    context: AuthContext, verifier: FaceVerifier, user: User, proof: FaceProof, new_password: str
) -> None:
    await face_of_account_holder(context, verifier, user, proof, FacePurpose.change_password)
    await _replace_password(context, user, new_password, "auth.password_change")


async def change_phone(
    context: AuthContext, verifier: FaceVerifier, user: User, proof: FaceProof, new_phone: str
) -> None:
    await face_of_account_holder(context, verifier, user, proof, FacePurpose.change_phone)
    accounts.set_phone(user, context.pii, new_phone)
    audit.record(context.session, "auth.phone_change", "success", actor_id=user.id, ip=context.ip)


async def face_of_account_holder(
    context: AuthContext, verifier: FaceVerifier, user: User, proof: FaceProof, purpose: FacePurpose
) -> None:
    """The face proves the person of the account: the citizen, or a corporate account's operator."""
    holder = await accounts.identity_of(context.session, context.pii, user)
    person = await context.verified_person(verifier, proof, purpose)
    if holder is None or (person.name, person.id_number) != (holder.name, holder.id_number):
        raise face.FaceMismatch("人脸识别的身份与当前账号不一致")
    await consents.link_face_consent(context.session, proof.face_session_id, user.id)


async def _replace_password(context: AuthContext, user: User, new_password: str, event: str) -> None:
    await accounts.set_password(user, new_password, context.pii)
    # Every device signed in with the old password has to sign in again.
    await tokens.revoke_all_sessions(context.session, user.id, "password_change")
    audit.record(context.session, event, "success", actor_id=user.id, ip=context.ip)
    await _password_replaced(context, user, event)


# 微信绑定 (issue 14 point 4): the account is told of every new binding, sees it in 用户信息
# (``wechat_bound``) and can remove it; a new password removes it too, so that whoever once
# knew the old password cannot keep signing in through their own WeChat.


def wechat_bound(session: AsyncSession, user: User, ip: str) -> None:
    """A WeChat identity was just bound to ``user``: record it and tell the account."""
    audit.record(
        session, "auth.wechat_bind", "success", actor_id=user.id, ip=ip, object_type="user", object_id=user.id
    )
    events.wechat_bound(events.WeChatBound(session, user))  # app.messages tells the account


async def remove_wechat_binding(
    context: AuthContext, user: User, *, reason: str, keep_session_id: str | None = None
) -> bool:
    """Unbind the account's WeChat identity; True if there was one. Removed by the user
    (解除微信绑定), every other signed-in device signs in again: one may be the WeChat's."""
    if user.wechat_openid is None:
        return False
    user.wechat_openid = None
    if keep_session_id is not None:
        await tokens.revoke_other_sessions(context.session, user.id, keep_session_id, "wechat_unbind")
    audit.record(
        context.session,
        "auth.wechat_unbind",
        "success",
        actor_id=user.id,
        ip=context.ip,
        object_type="user",
        object_id=user.id,
        detail={"reason": reason},
    )
    return True


async def unbind_wechat(context: AuthContext, user: User, session_id: str) -> None:
    """用户信息 → 解除微信绑定 (idempotent: nothing bound is fine)."""
    await remove_wechat_binding(context, user, reason="user", keep_session_id=session_id)


async def _password_replaced(context: AuthContext, user: User, event: str) -> None:
    """After any new password: the WeChat binding goes, and so do the sign-in failures counted
    against the account from every address (the owner may have been locked out by them)."""
    await remove_wechat_binding(context, user, reason=event)
    await lockout.forget_account(context.session, user.username)


async def reset_corporate_password(
    context: AuthContext, verifier: FaceVerifier, username: str, proof: FaceProof, new_password: str
) -> None:
    """忘记密码 of a 法人/船舶 account (issue 13 defect 10): the registered operator (经办人)
    verifies their face, and the person must be the one on the account's corporate profile."""
    person = await context.verified_person(verifier, proof, FacePurpose.reset_password)
    found = await repository.corporate_by_operator(
        context.session, username, context.pii.blind_index(person.id_number, purpose=accounts.OPERATOR_ID)
    )
    if found is None or found[1].operator_name != person.name:
        audit.record(context.session, "auth.password_reset", "not_matched", ip=context.ip)
        raise OperatorNotMatched()
    user = found[0]
    await consents.link_face_consent(context.session, proof.face_session_id, user.id)
    await _replace_password(context, user, new_password, "auth.password_reset")
