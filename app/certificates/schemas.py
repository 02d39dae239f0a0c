from datetime import date
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from app.agencies.schemas import AgencyRef
from app.core.schemas import (
    ID_PATTERN,
    NON_BLANK,
    AppModel,
    Coded,
    LocalDateTime,
    RequestModel,
    Text,
    Visible,
    required_when,
)
from app.materials.schemas import MaterialRead

CertificateAction = Literal["display", "correct"]
CorrectionAction = Literal["accept", "reject"]
CertificateNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=32), Text
]
HolderName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128), Visible]
DisplayTokenText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4096), Text
]
FieldKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32), Text]
FieldValue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Text]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500), Text]


class CertificateCard(AppModel):
    """What a certificate shows in a list or on the personal-centre carousel."""

    id: str
    type: Coded = Field(description="证照类型")
    title: str = Field(examples=["中华人民共和国海船船员适任证书"])
    number: str = Field(description="证书编号", examples=["JSH1122025123456"])
    holder_name: str = Field(description="持证人（个人姓名已脱敏）", examples=["张*"])
    agency: AgencyRef = Field(description="签发机关")
    issued_on: date = Field(description="签发日期")
    expires_on: date | None = Field(description="有效期至（含当日）；null 表示长期有效")
    status: Coded = Field(
        description="`valid` 有效、`expiring` 即将到期（90 天内）、`expired` 已过期、`revoked` 已注销"
    )
    allowed_actions: list[CertificateAction] = Field(
        description="`display` 亮证、`correct` 证照纠错（仅船员证照）"
    )


class CertificateField(AppModel):
    key: str = Field(examples=["capacity"])
    label: str = Field(examples=["职务"])
    value: str = Field(examples=["大副"])


class CorrectableField(AppModel):
    key: str = Field(examples=["capacity"])
    label: str = Field(examples=["职务"])
    choices: list[str] | None = Field(description="可选值；null 表示可自由填写")


class ScanRecord(AppModel):
    scanned_at: LocalDateTime
    agency: AgencyRef | None = Field(description="扫码执法人员所属海事机构")
    result: Coded


class CertificateDetail(CertificateCard):
    fields: list[CertificateField] = Field(description="证照类型特有的项目，如职务、等级、航区、适用限制")
    correctable_fields: list[CorrectableField] = Field(description="可申请纠错的项目")
    item_code: str | None = Field(description="签发该文书的事项（办件结果文书）")
    application_id: str | None = Field(description="签发该文书的办件（办件结果文书）")
    scans: list[ScanRecord] = Field(description="最近的扫码核验记录，最新在前")


class DisplayToken(AppModel):
    token: str = Field(description="ES256 签名的 JWS（紧凑格式），可用 `/.well-known/jwks.json` 离线验证")
    key_id: str = Field(description="签名密钥（JWS 头中的 `kid`）")
    expires_at: LocalDateTime
    expires_in: int = Field(description="有效秒数", examples=[120])
    qr_svg: str = Field(description="承载 `token` 的二维码（SVG）")


class ScanRequest(RequestModel):
    token: DisplayTokenText = Field(description="亮证二维码中的 token")


class ScannedCertificate(AppModel):
    """What an officer checking a document needs, and nothing else: who holds it (the full name,
    to compare with the person in front of them), what it is, what it entitles to (capacity,
    grade, area, limits), who issued it, until when, and whether it still holds. No ID number,
    birth date or other personal details, and no health, training or service records."""

    type: Coded = Field(description="证照类型")
    title: str
    number: str = Field(description="证书编号")
    holder_name: str = Field(description="持证人姓名（全名，供与出示人核对）", examples=["张三"])
    agency: AgencyRef = Field(description="签发机关")
    issued_on: date = Field(description="签发日期")
    expires_on: date | None = Field(description="有效期至（含当日）；null 表示长期有效")
    status: Coded = Field(description="`valid` 有效、`expiring` 即将到期、`expired` 已过期、`revoked` 已注销")
    fields: list[CertificateField] = Field(
        description="核验所需的项目：职务、等级、航区、适用限制等；不含出生日期等个人信息及体检、培训记录"
    )
    scanned_at: LocalDateTime


class CertificateLookup(RequestModel):
    certificate_no: CertificateNumber = Field(description="证书编号")
    holder_name: HolderName = Field(description="持证人姓名（或单位名称）", examples=["张三"])


class CertificateLookupResult(AppModel):
    type: Coded
    title: str
    number: str
    holder_name: str = Field(description="持证人（个人姓名已脱敏）")
    agency: AgencyRef = Field(description="签发机关")
    issued_on: date
    expires_on: date | None
    status: Coded


class CorrectionCreate(RequestModel):
    field: FieldKey = Field(description="要纠错的项目，取证照详情中 `correctable_fields` 的 `key`")
    proposed_value: FieldValue = Field(description="正确的内容")
    reason: Reason = Field(description="纠错原因")
    material_ids: list[Annotated[str, StringConstraints(pattern=ID_PATTERN)]] = Field(
        default_factory=list, max_length=10, description="证明材料（取自“我的材料”，可选）"
    )


class CertificateRef(AppModel):
    id: str
    type: Coded
    title: str
    number: str


class CorrectionRead(AppModel):
    id: str
    certificate: CertificateRef
    field: Coded = Field(description="纠错项目")
    proposed_value: str = Field(description="申请更正为的内容")
    reason: str
    status: Coded = Field(description="`pending` 待处理、`accepted` 已更正、`rejected` 不予更正")
    old_value: str | None = Field(description="更正前的内容（已更正时）")
    comment: str | None = Field(description="处理意见")
    materials: list[MaterialRead] = Field(description="证明材料")
    created_at: LocalDateTime
    decided_at: LocalDateTime | None


class StaffCorrectionRead(CorrectionRead):
    holder_name: str = Field(description="持证人（已脱敏）")
    agency: AgencyRef = Field(description="证照签发机关")
    current_value: str | None = Field(description="证照上该项目现在的内容")


class CorrectionDecision(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                required_when("action", ["reject"], {"required": ["comment"], "properties": {"comment": NON_BLANK}})
            ]
        }
    )

    action: CorrectionAction = Field(description="`accept` 予以更正、`reject` 不予更正")
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Text] | None = Field(
        default=None, description="处理意见；不予更正时必填"
    )


class PublicJwk(AppModel):
    kty: Literal["EC"]
    crv: Literal["P-256"]
    x: str
    y: str
    alg: Literal["ES256"]
    use: Literal["sig"]
    kid: str


class JwkSet(AppModel):
    keys: list[PublicJwk] = Field(description="验证亮证二维码的公钥（当前密钥及仍在过渡期内的已停用密钥）")
