from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from app.accounts.schemas import BindingTicket, FaceProof, Password, PersonName, UserRead, Username
from app.auth.face import FaceMethod, FacePurpose
from app.core.identifiers import IdCardNumber
from app.core.schemas import AppModel, LocalDateTime, RequestModel, Text
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
        str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=64), Text
    ]
    password: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    binding_ticket: BindingTicket | None = None


class TokenRefresh(RequestModel):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=2048)]


class PasswordReset(FaceProof):
    """忘记密码. 个人用户: the face of the account's person. 法人/船舶用户: ``username`` and the face
    of the operator (经办人) registered for that account."""

    new_password: Password
    username: Username | None = Field(
        default=None,
        description="法人/船舶用户的用户名；此时人脸识别须为该账号登记的经办人本人。个人用户不传",
        examples=["shipping-co"],
    )


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


SignInTicketValue = Annotated[str, StringConstraints(min_length=16, max_length=128)]
# A 6-digit code of the authenticator app, or a recovery code (ABCDE-FGHJK, dash optional).
SecondFactorCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^(?:[0-9]{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$"),
    Text,
]


class SecondFactorStep(AppModel):
    """The password was right; a privileged account continues with its second factor."""

    second_factor_required: Literal[True] = True
    ticket: str = Field(description="本次登录的后续步骤凭证，5 分钟内有效、仅可使用一次")
    expires_at: LocalDateTime
    enrolled: bool = Field(
        description="是否已绑定身份验证器：已绑定时提交动态验证码；未绑定时先获取密钥并确认绑定"
    )


class SecondFactorLogin(RequestModel):
    ticket: SignInTicketValue
    code: SecondFactorCode = Field(
        description="身份验证器显示的 6 位动态验证码，或一个恢复码", examples=["123456"]
    )


class EnrolmentStart(RequestModel):
    ticket: SignInTicketValue


class EnrolmentOffer(AppModel):
    secret: str = Field(description="TOTP 密钥（Base32），可手动输入身份验证器")
    otpauth_uri: str = Field(description="`otpauth://` 地址，可生成二维码供身份验证器扫描")
    qr_svg: str = Field(description="`otpauth_uri` 的二维码（SVG），供身份验证器扫描")
    issuer: str
    account_name: str


class EnrolmentConfirm(RequestModel):
    ticket: SignInTicketValue
    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{6}$"), Text] = Field(
        description="身份验证器显示的 6 位动态验证码", examples=["123456"]
    )


class EnrolledTokens(Tokens):
    recovery_codes: list[str] = Field(
        description="10 个恢复码，每个仅可使用一次；只显示这一次，请妥善保存",
        examples=[["ABCDE-FGHJK"]],
    )


class ExpiredPasswordChange(RequestModel):
    ticket: SignInTicketValue = Field(description="`auth.password_expired` 错误中返回的 `ticket`")
    new_password: Password


class ClientTokenIssued(AppModel):
    """RFC 6749 §5.1: a machine client's access token."""

    access_token: str = Field(description="访问令牌，调用接口时以 `Authorization: Bearer …` 提交")
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="有效期（秒）", examples=[600])
    scope: str = Field(description="实际授予的权限范围（以空格分隔）", examples=["certificates:write"])
