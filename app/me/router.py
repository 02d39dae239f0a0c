"""用户信息 (manual §3.3.3): the profile, 修改密码, 修改手机号码 and 解除微信绑定."""

from fastapi import APIRouter, Response, status

from app.accounts import service as accounts
from app.accounts.schemas import PasswordChange, PhoneChange, UserRead
from app.auth import face, service
from app.auth.deps import Context, CurrentPrincipal, CurrentUser
from app.core.auth import SIGNED_IN_ERRORS
from app.core.db import SessionDep
from app.core.deps import PiiDep
from app.core.errors import error_responses
from app.integrations.deps import FaceDep

router = APIRouter(prefix="/me", tags=["me"])


@router.get(
    "",
    summary="当前用户信息（敏感信息已脱敏）",
    response_model=UserRead,
    responses=error_responses(*SIGNED_IN_ERRORS, validation=False),
)
async def get_me(user: CurrentUser, session: SessionDep, pii: PiiDep) -> UserRead:
    return await accounts.profile(session, pii, user)


@router.put(
    "/password",
    summary="修改密码（需人脸识别）",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*SIGNED_IN_ERRORS, face.FaceSessionInvalid, face.FaceMismatch),
)
async def change_password(
    body: PasswordChange, user: CurrentUser, context: Context, verifier: FaceDep
) -> Response:
    await service.change_password(context, verifier, user, body, body.new_password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/phone",
    summary="修改手机号码（需人脸识别）",
    response_model=UserRead,
    responses=error_responses(*SIGNED_IN_ERRORS, face.FaceSessionInvalid, face.FaceMismatch),
)
async def change_phone(body: PhoneChange, user: CurrentUser, context: Context, verifier: FaceDep) -> UserRead:
    await service.change_phone(context, verifier, user, body, body.new_phone)
    return await accounts.profile(context.session, context.pii, user)


@router.delete(
    "/wechat-binding",
    summary="解除微信绑定",
    description="解除本账号与微信的绑定（`GET /me` 的 `wechat_bound`），此后须以密码或刷脸登录；"
    "本设备之外已登录的设备须重新登录。未绑定时同样返回 204。修改或找回密码时绑定也会解除。",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*SIGNED_IN_ERRORS, validation=False),
)
async def unbind_wechat(user: CurrentUser, principal: CurrentPrincipal, context: Context) -> Response:
    await service.unbind_wechat(context, user, principal.session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
