"""登录注册 (manual §3.2) and the face verification sessions it relies on."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.accounts.schemas import CorporateRegistration, PersonalRegistration
from app.accounts.service import AccountExists, AccountNotFound
from app.auth import face, service
from app.auth.deps import AuthThrottle, CurrentPrincipal
from app.auth.schemas import (
    FaceSessionRequest,
    FaceSessionStarted,
    PasswordLogin,
    PasswordReset,
    PersonalLogin,
    TokenRefresh,
    Tokens,
    WeChatLogin,
    WeChatSession,
)
from app.auth.service import AuthContext
from app.auth.tokens import RefreshTokenReused
from app.core.auth import NotAuthenticated, TokenInvalid
from app.core.db import SessionDep
from app.core.deps import CertificateRegistryDep, ClientIp, FaceDep, PiiDep, SettingsDep, WeChatDep
from app.core.errors import ExternalServiceUnavailable, error_responses
from app.core.throttle import RateLimited
from app.privacy.consents import ConsentRequired

router = APIRouter(prefix="/auth", tags=["登录注册"])


async def _context(session: SessionDep, settings: SettingsDep, pii: PiiDep, ip: ClientIp) -> AuthContext:
    return AuthContext(session, settings, pii, ip)


Context = Annotated[AuthContext, Depends(_context)]
FACE_ERRORS = (face.FaceSessionInvalid, face.FaceMismatch)


@router.post(
    "/wechat/session",
    summary="微信登录（wx.login）",
    description="已绑定账号时直接返回令牌；未绑定时返回 `binding_ticket`，"
    "在随后的登录或注册请求中传入即可绑定。",
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
    summary="法人/船舶用户登录（执法人员、受理审批人员、管理员同此）",
    response_model=Tokens,
    dependencies=[AuthThrottle],
    responses=error_responses(
        service.InvalidCredentials, service.AccountLocked, service.WeChatAlreadyBound, RateLimited
    ),
)
async def login_password(body: PasswordLogin, context: Context) -> Tokens:
    return await service.login_password(context, body.username, body.password, body.binding_ticket)


@router.post(
    "/token/refresh",
    summary="刷新令牌（刷新令牌仅可使用一次）",
    response_model=Tokens,
    responses=error_responses(TokenInvalid, RefreshTokenReused),
)
async def refresh(body: TokenRefresh, context: Context) -> Tokens:
    return await service.refresh(context, body.refresh_token)


@router.post(
    "/logout",
    summary="退出登录",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(NotAuthenticated, TokenInvalid, validation=False),
)
async def logout(principal: CurrentPrincipal, context: Context) -> Response:
    await service.logout(context, principal.user_id, principal.session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/password/reset",
    summary="忘记密码（人脸识别后设置新密码）",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[AuthThrottle],
    responses=error_responses(*FACE_ERRORS, AccountNotFound, RateLimited),
)
async def reset_password(body: PasswordReset, context: Context, verifier: FaceDep) -> Response:
    await service.reset_password(context, verifier, body, body.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
