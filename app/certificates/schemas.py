import base64
import binascii
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from app.agencies.schemas import AgencyRef
from app.core.schemas import (
    CONTROL_CHARACTER_CLASS,
    CONTROL_CHARACTERS,
    CONTROL_CHARACTERS_MESSAGE,
    ID_PATTERN,
    NON_BLANK,
    NOT_NULL,
    AppModel,
    Coded,
    LocalDateTime,
    RequestModel,
    Text,
    Visible,
    WrittenDate,
    required_when,
    stripped_pattern,
    text_pattern,
)
from app.certificates.types import PUSHABLE_TYPES, TYPES
from app.core.identifiers import CreditCode, IdCardNumber
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
        description="`valid` 有效、`expiring` 即将到期（90 天内）、`expired` 已过期、`suspended` 已暂扣、"
        "`revoked` 已注销（登记系统推送的状态即时生效）"
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
    photo: str | None = Field(
        default=None, description="持证人照片（登记系统推送的，`data:image/jpeg;base64,…` 形式的 data URI）"
    )


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
    status: Coded = Field(
        description="`valid` 有效、`expiring` 即将到期、`expired` 已过期、`suspended` 已暂扣、`revoked` 已注销"
    )
    fields: list[CertificateField] = Field(
        description="核验所需的项目：职务、等级、航区、适用限制等；不含出生日期等个人信息及体检、培训记录"
    )
    photo: str | None = Field(
        default=None, description="持证人照片（登记系统推送的，data URI），供与出示人核对"
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


# ---- Pushed by the authority's registry (app.certificates.registry) ----

REGISTRY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
RegistryId = Annotated[
    str,
    StringConstraints(pattern=REGISTRY_ID_PATTERN),
    Field(description="登记系统自己的证照标识（字母、数字、`.` `_` `:` `-`，至多 64 位）", examples=["COC-2026-000123"]),
]
SourceVersion = Annotated[int, Field(ge=1, le=2**63 - 1)]
PushableTypeCode = Literal[tuple(kind.value for kind in PUSHABLE_TYPES)]  # type: ignore[valid-type]
PushStatus = Literal["valid", "suspended", "revoked", "expired"]
PUSH_FIELDS = "certificate_fields"  # error type of a field set that does not fit the type
PHOTO_FORMAT = "photo_format"  # error type of a photo whose bytes are no JPEG or PNG
MAX_PHOTO_BYTES = 200 * 1024
_BASE64 = r"^[A-Za-z0-9+/]*={0,2}$"
_CONTROL_CHARACTERS = re.compile(f"[{CONTROL_CHARACTER_CLASS}]")
_PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
PushFieldValue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), Text]


class PushedHolder(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                required_when(
                    "kind",
                    ["person"],
                    {"required": ["id_number"], "properties": {"id_number": NOT_NULL, "credit_code": {"type": "null"}}},
                ),
                required_when(
                    "kind",
                    ["organisation"],
                    {"required": ["credit_code"], "properties": {"credit_code": NOT_NULL, "id_number": {"type": "null"}}},
                ),
            ]
        }
    )

    kind: Literal["person", "organisation"] = Field(description="`person` 个人、`organisation` 单位")
    name: HolderName = Field(description="证照上印制的持证人姓名或单位名称")
    id_number: IdCardNumber | None = Field(default=None, description="个人的公民身份号码（个人必填）")
    credit_code: CreditCode | None = Field(default=None, description="单位的统一社会信用代码（单位必填）")

    @model_validator(mode="after")
    def _identified(self) -> "PushedHolder":
        if self.kind == "person" and (self.id_number is None or self.credit_code is not None):
            raise PydanticCustomError("holder_identifier", "个人持证人须提供身份证号码，不能提供统一社会信用代码")
        if self.kind == "organisation" and (self.credit_code is None or self.id_number is not None):
            raise PydanticCustomError("holder_identifier", "单位持证人须提供统一社会信用代码，不能提供身份证号码")
        return self


def _fields_schema() -> dict[str, Any]:
    """Per type: exactly its field keys, the required ones required, choices as enums."""
    rules = []
    for kind in PUSHABLE_TYPES:
        properties: dict[str, Any] = {}
        for spec in TYPES[kind].fields:
            # As the validation reads a value: stripped of surrounding whitespace first.
            rule: dict[str, Any] = {
                "type": "string",
                "minLength": 1,
                "maxLength": 200,
                "pattern": text_pattern(strip=True, min_length=1),
            }
            if spec.choices:
                rule["pattern"] = stripped_pattern("|".join(re.escape(choice) for choice in spec.choices))
            elif spec.kind == "date":
                rule["pattern"] = stripped_pattern(DATE_FIELD_PATTERN)
            properties[spec.key] = rule
        rules.append(
            required_when(
                "type_code",
                [kind.value],
                {
                    "properties": {
                        "fields": {
                            "type": "object",
                            "properties": properties,
                            "required": [spec.key for spec in TYPES[kind].fields if not spec.optional],
                            "additionalProperties": False,
                        }
                    }
                },
            )
        )
    return {"allOf": rules}


DATE_FIELD_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


_FIELDS_BY_KEY = {kind: {spec.key: spec for spec in TYPES[kind].fields} for kind in PUSHABLE_TYPES}
# By type code: the type, and per field key its spec, its choices as a set and whether it is a
# date (a bulk load checks the fields of thousands of lines a second).
_FIELD_RULES = {
    kind.value: (
        kind,
        {
            spec.key: (spec, frozenset(spec.choices) if spec.choices else None, spec.kind == "date")
            for spec in TYPES[kind].fields
        },
    )
    for kind in PUSHABLE_TYPES
}
_DATE_FIELD = re.compile(DATE_FIELD_PATTERN)


def _is_date(value: str) -> bool:
    try:
        return bool(_DATE_FIELD.fullmatch(value)) and date.fromisoformat(value) is not None
    except ValueError:
        return False


class CertificatePushBody(RequestModel):
    """One certificate as the authority's registry issued or changed it."""

    model_config = ConfigDict(json_schema_extra=_fields_schema())

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        """RequestModel's check (same name: it replaces it), with a quick path for flat text, which
        is all a push holds: a bulk load validates thousands of them a second."""
        try:
            text = value if isinstance(value, str) else "".join(value) + "".join(value.values())
        except (TypeError, AttributeError):
            return super()._no_control_characters(value)  # nested or not text: the general walk
        if _CONTROL_CHARACTERS.search(text):
            raise PydanticCustomError(CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE)
        return value

    source_version: SourceVersion = Field(
        description="登记系统中该证照的版本号，随每次变更递增；低于已存版本的推送不会覆盖", examples=[1]
    )
    type_code: PushableTypeCode = Field(description="证照类型（参考数据 certificate_types）")  # type: ignore[valid-type]
    number: CertificateNumber = Field(description="证书编号", examples=["JSH1122025123456"])
    status: PushStatus = Field(description="`valid` 有效、`suspended` 暂扣、`revoked` 注销、`expired` 过期")
    agency_code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,16}$")] = Field(
        description="签发机关代码（须为已有机构）", examples=["SH"]
    )
    holder: PushedHolder
    issued_on: WrittenDate = Field(description="签发日期")
    expires_on: WrittenDate | None = Field(default=None, description="有效期至（含当日）；不填表示长期有效")
    fields: dict[Annotated[str, StringConstraints(min_length=1, max_length=32)], PushFieldValue] = Field(
        description="该证照类型的字段，键须恰为该类型的字段（见 types.py），不得多也不得少必填项"
    )
    photo: Annotated[str, StringConstraints(max_length=(MAX_PHOTO_BYTES + 2) // 3 * 4, pattern=_BASE64)] | None = Field(
        default=None, description="持证人照片：Base64 编码的 JPEG 或 PNG，解码后不超过 200 KB（按文件内容判断格式）"
    )

    @field_validator("fields")
    @classmethod
    def _fit_the_type(cls, fields: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        code = info.data.get("type_code")
        if code is None:
            return fields  # the type itself was refused
        kind, rules = _FIELD_RULES[code]
        specs = _FIELDS_BY_KEY[kind]
        for key, value in fields.items():
            rule = rules.get(key)
            if rule is None:
                raise PydanticCustomError(PUSH_FIELDS, "「{key}」不是{label}的字段", {"key": key, "label": kind.label})
            spec, choices, is_date = rule
            if choices is not None and value not in choices:
                raise PydanticCustomError(
                    PUSH_FIELDS,
                    "字段「{key}」（{name}）的取值「{value}」不在可选范围内",
                    {"key": key, "name": spec.label, "value": value},
                )
            if is_date and not _is_date(value):
                raise PydanticCustomError(
                    PUSH_FIELDS, "字段「{key}」（{name}）应为 2026-12-07 格式的日期", {"key": key, "name": spec.label}
                )
        if len(fields) < len(specs):
            for spec in specs.values():
                if not spec.optional and spec.key not in fields:
                    raise PydanticCustomError(
                        PUSH_FIELDS, "{label}缺少字段「{key}」（{name}）", {"key": spec.key, "label": kind.label, "name": spec.label}
                    )
        return fields

    @field_validator("photo")
    @classmethod
    def _jpeg_or_png(cls, photo: str | None) -> str | None:
        if photo is None:
            return None
        try:
            data = base64.b64decode(photo, validate=True)
        except (binascii.Error, ValueError):
            raise PydanticCustomError(PHOTO_FORMAT, "照片不是有效的 Base64 编码") from None
        if len(data) > MAX_PHOTO_BYTES:
            raise PydanticCustomError(PHOTO_FORMAT, "照片不能超过 200 KB")
        if not data.startswith(_PHOTO_SIGNATURES):
            raise PydanticCustomError(PHOTO_FORMAT, "照片须为 JPEG 或 PNG 图片")
        return photo

    @model_validator(mode="after")
    def _expires_after_issue(self) -> "CertificatePushBody":
        if self.expires_on is not None and self.expires_on < self.issued_on:
            raise PydanticCustomError("invalid_range", "有效期至不能早于签发日期")
        return self

    def photo_bytes(self) -> bytes | None:
        return base64.b64decode(self.photo) if self.photo is not None else None


class CertificatePush(CertificatePushBody):
    """A push with the registry's id: a line of the bulk load, or a PUT with its path's id."""

    registry_id: RegistryId


class _PlainPushedHolder(PushedHolder):
    @field_validator("-", mode="before", check_fields=False)  # replaces the check; applies to no field
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        return value


class PlainCertificatePush(CertificatePush):
    """``CertificatePush`` for a line already known to hold no control character anywhere (no
    ``\\`` escape and no DEL byte in its JSON: a raw byte below 0x20 inside a string is no JSON at
    all): every rule but that check, which would pass for each of its fields. The bulk load
    validates such lines with it (a tenth of a line's validation); any other line with
    ``CertificatePush`` itself, so a refusal reads the same either way."""

    @field_validator("-", mode="before", check_fields=False)
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        return value

    holder: _PlainPushedHolder


class PushResult(AppModel):
    registry_id: str
    certificate_id: str
    source_version: int = Field(description="现存的版本号（推送被忽略时为已存的较新版本）")
    applied: bool = Field(description="现存内容是否为本次推送的内容；较旧版本的推送为 false")
    holder_matched: bool = Field(description="持证人是否已注册并已归入其“我的证照”")
    status: PushStatus = Field(description="现存状态")


class PushedHolderRead(AppModel):
    kind: Literal["person", "organisation"]
    name: str = Field(description="证照上印制的持证人姓名或单位名称")
    matched: bool = Field(description="持证人是否已注册")


class PushedCertificate(AppModel):
    """What is stored of a pushed certificate, for reconciliation (no ID numbers)."""

    registry_id: str
    certificate_id: str
    source_version: int
    type_code: str
    number: str
    status: PushStatus
    agency_code: str
    holder: PushedHolderRead
    issued_on: date
    expires_on: date | None
    fields: dict[str, str]
    has_photo: bool
    updated_at: datetime | None
