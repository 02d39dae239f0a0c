from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from app.accounts.schemas import BindingTicket, FaceProof, Password, PersonName, UserRead
from app.auth.face import FaceMethod, FacePurpose
from app.core.identifiers import IdCardNumber
from app.core.schemas import AppModel, LocalDateTime, RequestModel
from app.privacy.schemas import ConsentGiven

WeChatCode = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")]


class WeChatLogin(RequestModel):
    code: WeChatCode = Field(description="`wx.login` 返回的 code")


class FaceSessionRequest(RequestModel):
    purpose: FacePurpose
    name: PersonName = Field(examples=["张三"])
    id_number: IdCardNumber = Field(examples=["11010519491231002X"])
    method: FaceMethod = Field(description="`reflective` 反光识别 / `read_digits` 读数识别")
    consent: ConsentGiven | None = Field(
        default=None,
        description="单独同意：`{purpose: face_verification, version}`，缺少时拒绝开始人脸识别",
    )


class FaceSessionStarted(AppModel):
    face_session_id: str
    check_alive_type: int = Field(description="传给 `wx.startFacialRecognitionVerify` 的 checkAliveType")
    expires_at: LocalDateTime


class PersonalLogin(FaceProof):
    binding_ticket: BindingTicket | None = None


class PasswordLogin(RequestModel):
    username: Annotated[
        str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=64)
    ]
    password: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    binding_ticket: BindingTicket | None = None


class TokenRefresh(RequestModel):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=2048)]


class PasswordReset(FaceProof):
    new_password: Password


class Tokens(AppModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="访问令牌有效秒数", examples=[900])
    user: UserRead


class WeChatSession(AppModel):
    """Bound: the tokens of the account. Not bound: a ticket for the next login or registration."""

    bound: bool
    binding_ticket: str | None = Field(default=None, description="未绑定时返回，登录或注册时传入以绑定微信")
    access_token: str | None = None
    refresh_token: str | None = None
    token_type: Literal["bearer"] | None = None
    expires_in: int | None = None
    user: UserRead | None = None
