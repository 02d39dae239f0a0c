"""登录注册 (manual §3.2) and the face verification sessions it relies on."""

from fastapi import APIRouter, Response, status

from app.accounts.schemas import CorporateRegistration, PersonalRegistration
from app.accounts.service import AccountExists, AccountNotFound
from app.auth import face, service
from app.auth import second_factor as factors
from app.auth.deps import AuthThrottle, Context, CurrentPrincipal
from app.auth.schemas import (
    EnrolledTokens,
    EnrolmentConfirm,
    EnrolmentOffer,
    EnrolmentStart,
    ExpiredPasswordChange,
    FaceSessionRequest,
    FaceSessionStarted,
    PasswordLogin,
    PasswordReset,
    PersonalLogin,
    SecondFactorLogin,
    SecondFactorStep,
    TokenRefresh,
    Tokens,
    WeChatLogin,
    WeChatSession,
)
from app.auth.tokens import RefreshTokenReused
from app.core.auth import NotAuthenticated, SessionIdle, TokenInvalid
from app.core.errors import ExternalServiceUnavailable, error_responses
from app.core.throttle import RateLimited
from app.integrations.deps import CertificateRegistryDep, FaceDep, WeChatDep
from app.privacy.consents import ConsentRequired

router = APIRouter(prefix="/auth", tags=["auth"])


FACE_ERRORS = (face.FaceSessionInvalid, face.FaceMismatch)
# What any step after the password can answer.
STEP_ERRORS = (factors.SignInTicketInvalid, service.AccountLocked, service.AccountDisabled, RateLimited)


@router.post(
    "/wechat/session",
    summary="微信登录（wx.login）",
    description="已绑定账号时直接返回令牌；未绑定时返回 `binding_ticket`，"
    "在随后的登录或注册请求中传入即可绑定。执法人员、受理审批人员和管理员不能仅凭微信登录："
    "其账号同样返回 `bound: false` 与 `binding_ticket`，须以密码和第二因素登录。",
    response_model=WeChatSession,
    dependencies=[AuthThrottle],
    responses=error_responses(
        service.WeChatCodeInvalid, service.WeChatUserBlocked, RateLimited, ExternalServiceUnavailable
    ),
)
async def wechat_session(body: WeChatLogin, context: Context, wechat: WeChatDep) -> WeChatSession:
    return await service.wechat_session(context, wechat, body.code)


@router.post(
    "/face/sessions",
    summary="开始人脸识别",
    description="为指定姓名与身份证号码开启一次人脸识别（5 分钟内有效、仅可使用一次），"
    "返回值用于调用 `wx.startFacialRecognitionVerify`。须在 `consent` 中单独同意当前版本的"
    "《人脸识别个人信息处理规则》（`GET /privacy/consent-texts`），否则返回 403 `consent.required`，"
    "且不保存任何信息。",
    status_code=status.HTTP_201_CREATED,
    response_model=FaceSessionStarted,
    dependencies=[AuthThrottle],
    responses=error_responses(ConsentRequired, RateLimited),
)
async def start_face_session(body: FaceSessionRequest, context: Context) -> FaceSessionStarted:
    started = await face.open_face_session(
        context.session,
        context.settings,
        context.pii,
        purpose=body.purpose,
        name=body.name,
        id_number=body.id_number,
        method=body.method,
        consent=body.consent,
        ip=context.ip,
    )
    return FaceSessionStarted(
        face_session_id=started.id,
        check_alive_type=face.CHECK_ALIVE_TYPE[body.method],
        expires_at=started.expires_at,
    )


@router.post(
    "/register/personal",
    summary="个人注册（需人脸识别）",
    status_code=status.HTTP_201_CREATED,
    response_model=Tokens,
    dependencies=[AuthThrottle],
    responses=error_responses(*FACE_ERRORS, AccountExists, service.WeChatAlreadyBound, RateLimited),
)
async def register_personal(
    body: PersonalRegistration, context: Context, verifier: FaceDep, registry: CertificateRegistryDep
) -> Tokens:
    return await service.register_personal(context, verifier, registry, body)


@router.post(
    "/register/corporate",
    summary="法人注册",
    status_code=status.HTTP_201_CREATED,
    response_model=Tokens,
    dependencies=[AuthThrottle],
    responses=error_responses(AccountExists, service.WeChatAlreadyBound, RateLimited),
)
async def register_corporate(body: CorporateRegistration, context: Context) -> Tokens:
    return await service.register_corporate(context, body)


@router.post(
    "/login/personal",
    summary="个人刷脸登录",
    response_model=Tokens,
    dependencies=[AuthThrottle],
    responses=error_responses(*FACE_ERRORS, AccountNotFound, service.WeChatAlreadyBound, RateLimited),
)
async def login_personal(body: PersonalLogin, context: Context, verifier: FaceDep) -> Tokens:
    return await service.login_personal(context, verifier, body, body.binding_ticket)


@router.post(
    "/login/password",
    summary="法人/船舶用户登录（执法人员、受理审批人员、管理员同此，需第二因素）",
    description="法人/船舶用户密码正确即返回令牌。执法人员、受理审批人员和三类管理员密码正确后返回 "
    "`second_factor_required` 与一次性 `ticket`（5 分钟内有效）：已绑定身份验证器时调用 "
    "`POST /auth/login/second-factor`，未绑定时先 `POST /auth/second-factor/enrolment` 再确认绑定。"
    "其密码超过有效期（默认 90 天），或仍是管理员创建账号时给出的一次性初始密码（首次登录）时，返回 403 "
    "`auth.password_expired`，附带用于 `POST /auth/password/expired` 的 `ticket`。",
    response_model=Tokens | SecondFactorStep,
    dependencies=[AuthThrottle],
    responses=error_responses(
        service.InvalidCredentials,
        service.AccountLocked,
        service.AccountDisabled,
        service.PasswordExpired,
        service.WeChatAlreadyBound,
        RateLimited,
    ),
)
async def login_password(body: PasswordLogin, context: Context) -> Tokens | SecondFactorStep:
    return await service.login_password(context, body.username, body.password, body.binding_ticket)


@router.post(
    "/login/second-factor",
    summary="第二因素登录（动态验证码或恢复码）",
    description="提交身份验证器的 6 位动态验证码（每个验证码仅可使用一次）或一个恢复码。"
    "验证码错误与密码错误合并计数，达到上限即锁定账号。",
    response_model=Tokens,
    dependencies=[AuthThrottle],
    responses=error_responses(
        *STEP_ERRORS,
        factors.SecondFactorInvalid,
        factors.SecondFactorReplayed,
        factors.SecondFactorNotEnrolled,
        service.WeChatAlreadyBound,
    ),
)
async def login_second_factor(body: SecondFactorLogin, context: Context) -> Tokens:
    return await service.login_second_factor(context, body.ticket, body.code)


@router.post(
    "/second-factor/enrolment",
    summary="绑定身份验证器：获取密钥",
    description="未绑定身份验证器的账号在密码登录后获取新的 TOTP 密钥与 `otpauth://` 地址"
    "（可显示为二维码），再以动态验证码确认绑定。",
    response_model=EnrolmentOffer,
    dependencies=[AuthThrottle],
    responses=error_responses(*STEP_ERRORS, factors.SecondFactorAlreadyEnrolled),
)
async def start_second_factor_enrolment(body: EnrolmentStart, context: Context) -> EnrolmentOffer:
    return await service.start_enrolment(context, body.ticket)


@router.post(
    "/second-factor/enrolment/confirm",
    summary="绑定身份验证器：确认并登录",
    description="动态验证码正确即完成绑定并登录，同时返回 10 个一次性恢复码（仅显示这一次）。",
    response_model=EnrolledTokens,
    dependencies=[AuthThrottle],
    responses=error_responses(
        *STEP_ERRORS,
        factors.SecondFactorInvalid,
        factors.SecondFactorAlreadyEnrolled,
        factors.EnrolmentNotStarted,
        service.WeChatAlreadyBound,
    ),
)
async def confirm_second_factor_enrolment(body: EnrolmentConfirm, context: Context) -> EnrolledTokens:
    return await service.confirm_enrolment(context, body.ticket, body.code)


@router.post(
    "/password/expired",
    summary="密码过期：设置新密码后继续登录",
    description="以 `auth.password_expired` 返回的 `ticket` 设置新密码（不得与原密码相同），"
    "随后进入第二因素登录步骤。",
    response_model=SecondFactorStep,
    dependencies=[AuthThrottle],
    responses=error_responses(*STEP_ERRORS),
)
async def change_expired_password(body: ExpiredPasswordChange, context: Context) -> SecondFactorStep:
    return await service.change_expired_password(context, body.ticket, body.new_password)


@router.post(
    "/token/refresh",
    summary="刷新令牌（刷新令牌仅可使用一次）",
    response_model=Tokens,
    responses=error_responses(TokenInvalid, RefreshTokenReused, SessionIdle),
)
async def refresh_token(body: TokenRefresh, context: Context) -> Tokens:
    return await service.refresh(context, body.refresh_token)


@router.post(
    "/logout",
    summary="退出登录",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(NotAuthenticated, TokenInvalid, SessionIdle, validation=False),
)
async def logout(principal: CurrentPrincipal, context: Context) -> Response:
    await service.logout(context, principal.user_id, principal.session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/password/reset",
    summary="忘记密码（人脸识别后设置新密码）",
    description="个人用户：以本人人脸识别（`purpose: reset_password`）证明身份，不传 `username`。"
    "法人/船舶用户：传入 `username`，并由该账号登记的经办人本人完成人脸识别；用户名不存在与经办人"
    "不符的答复相同（401 `auth.operator_mismatch`）。设置新密码后，所有已登录设备须重新登录，"
    "微信绑定同时解除。",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[AuthThrottle],
    responses=error_responses(*FACE_ERRORS, AccountNotFound, service.OperatorNotMatched, RateLimited),
)
async def reset_password(body: PasswordReset, context: Context, verifier: FaceDep) -> Response:
    await service.reset_password(context, verifier, body, body.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
