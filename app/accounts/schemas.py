from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from app.agencies.schemas import AgencyRef
from app.core.identifiers import CreditCode, IdCardNumber, MobilePhone
from app.core.schemas import ID_PATTERN, AppModel, Coded, LocalDateTime, RequestModel, Text, Visible

PersonName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=2,
        max_length=30,
        # Letters, spaces between them and the middle dot of transliterated names (at least two).
        pattern=r"^[\u3400-\u9fff\u00b7A-Za-z][\u3400-\u9fff\u00b7A-Za-z ]*[\u3400-\u9fff\u00b7A-Za-z]$",
    ),
    Visible,
]
Password = Annotated[str, StringConstraints(min_length=8, max_length=128)]
Username = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-zA-Z][a-zA-Z0-9_.-]{3,31}$"),
    Text,
]
CompanyName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100), Visible]
FaceSessionId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
VerifyResult = Annotated[str, StringConstraints(min_length=1, max_length=512)]
BindingTicket = Annotated[str, StringConstraints(min_length=1, max_length=2048)]


class FaceProof(RequestModel):
    face_session_id: FaceSessionId = Field(description="`POST /auth/face/sessions` 返回的会话号")
    verify_result: VerifyResult = Field(
        description="`wx.startFacialRecognitionVerify` 返回的 verifyResult", examples=["fake:pass"]
    )


class PersonalRegistration(FaceProof):
    name: PersonName = Field(examples=["张三"])
    id_number: IdCardNumber = Field(examples=["11010519491231002X"])
    phone: MobilePhone = Field(examples=["13812345678"])
    password: Password
    binding_ticket: BindingTicket | None = None


class CorporateRegistration(RequestModel):
    company_name: CompanyName = Field(examples=["上海示例航运有限公司"])
    credit_code: CreditCode = Field(examples=["91310115MA1K3Y8Q5Q"])
    kind: Literal["company", "ship"] = Field(description="`company` 法人用户 / `ship` 船舶用户")
    operator_name: PersonName = Field(description="经办人姓名", examples=["李四"])
    operator_id_number: IdCardNumber = Field(description="经办人身份证号码")
    contact_phone: MobilePhone
    username: Username = Field(examples=["shipping-co"])
    password: Password
    binding_ticket: BindingTicket | None = None


class PasswordChange(FaceProof):
    new_password: Password


class PhoneChange(FaceProof):
    new_phone: MobilePhone


class PersonalInfo(AppModel):
    name: str = Field(description="姓名（已脱敏）", examples=["张*"])
    id_number: str = Field(description="身份证号码（已脱敏）", examples=["1****************X"])


class CorporateInfo(AppModel):
    company_name: str
    credit_code: str
    kind: Coded
    operator_name: str = Field(description="经办人姓名（已脱敏）")
    operator_id_number: str = Field(description="经办人身份证号码（已脱敏）")


class UserRead(AppModel):
    id: str
    role: Coded
    display_name: str = Field(description="显示名称（个人姓名已脱敏）")
    username: str | None
    phone: str | None = Field(description="手机号码（已脱敏）", examples=["138****5678"])
    personal: PersonalInfo | None = None
    corporate: CorporateInfo | None = None
    agency: AgencyRef | None = Field(default=None, description="所属海事机构（执法人员、受理审批人员）")
    wechat_bound: bool = Field(description="是否已绑定微信；可通过 `DELETE /me/wechat-binding` 解除")
    created_at: LocalDateTime
