from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from app.accounts.schemas import PersonName, Username
from app.agencies.schemas import AgencyRef
from app.core.auth import ADMIN_ROLES, OPERATOR_CREATED_ROLES, Scope
from app.core.enums import LabelledEnum
from app.core.schemas import (
    ID_PATTERN,
    NOT_NULL,
    AppModel,
    Coded,
    LocalDateTime,
    RequestModel,
    Text,
    Visible,
    required_when,
)

# The roles a security administrator gives to the accounts they create.
OperatorRole = LabelledEnum(
    "OperatorRole", {role.name: (role.value, role.label) for role in OPERATOR_CREATED_ROLES}
)

AgencyCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32), Text]


class OperatorAccountCreate(RequestModel):
    # Officers and staff belong to an agency (app.accounts.service.create_operator_account).
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                required_when(
                    "role",
                    ["officer", "staff"],
                    {"required": ["agency_code"], "properties": {"agency_code": NOT_NULL}},
                )
            ]
        }
    )

    role: OperatorRole
    username: Username = Field(examples=["li.si"])
    name: PersonName = Field(description="显示名称（姓名）", examples=["李四"])
    agency_code: AgencyCode | None = Field(
        default=None, description="所属海事机构（执法人员、受理审批人员必填）", examples=["SH"]
    )


class OperatorAccountRead(AppModel):
    """An operator-created account as the security administrator sees it (no secrets)."""

    id: str
    username: str
    display_name: str
    role: Coded
    agency: AgencyRef | None = None
    second_factor_enrolled: bool
    locked_until: LocalDateTime | None = Field(
        description="因登录失败次数过多，某一来源地址暂停登录该账号的最晚截止时间；无则为 null"
    )
    disabled: bool
    password_changed_at: LocalDateTime | None
    created_at: LocalDateTime


class OperatorAccountCreated(OperatorAccountRead):
    initial_password: str = Field(
        description="一次性初始密码，仅显示这一次：请当面交给账号持有人。持有人首次登录时须先设置新密码"
        "（`auth.password_expired`），再自行绑定身份验证器；创建人不会知道其长期密码与验证器密钥。",
        examples=["k7Qm-Tx3z-Pa4r-w9Ne"],
    )


# --- 双人复核: administrator accounts -------------------------------------------------------

AdministratorRole = LabelledEnum(
    "AdministratorRole", {role.name: (role.value, role.label) for role in ADMIN_ROLES}
)
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200), Text]


class AccountRequestAction(StrEnum):
    create_account = "create_account"
    unlock = "unlock"
    reset_second_factor = "reset_second_factor"
    disable = "disable"
    enable = "enable"


ACTION_LABELS = {
    AccountRequestAction.create_account: "创建管理员账号",
    AccountRequestAction.unlock: "解除锁定",
    AccountRequestAction.reset_second_factor: "重置第二因素",
    AccountRequestAction.disable: "停用账号",
    AccountRequestAction.enable: "启用账号",
}


class AccountRequestStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    expired = "expired"


STATUS_LABELS = {
    AccountRequestStatus.pending: "待复核",
    AccountRequestStatus.approved: "已批准并执行",
    AccountRequestStatus.rejected: "已驳回",
    AccountRequestStatus.expired: "已过期",
}


class AccountRequestCreate(RequestModel):
    """A request on an administrator account: ``create_account`` names the new account (role,
    username, name); the other actions name an existing one (``account_id``)
    (app.admin.dual_control._check_fields)."""

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                required_when(
                    "action",
                    [AccountRequestAction.create_account.value],
                    {
                        "required": ["role", "username", "name"],
                        "properties": {
                            "role": NOT_NULL,
                            "username": NOT_NULL,
                            "name": NOT_NULL,
                            "account_id": {"type": "null"},
                        },
                    },
                ),
                required_when(
                    "action",
                    [action.value for action in AccountRequestAction][1:],
                    {
                        "required": ["account_id"],
                        "properties": {
                            "account_id": NOT_NULL,
                            "role": {"type": "null"},
                            "username": {"type": "null"},
                            "name": {"type": "null"},
                        },
                    },
                ),
            ]
        }
    )

    action: AccountRequestAction = Field(
        description="`create_account` 创建、`unlock` 解除锁定、`reset_second_factor` 重置第二因素、"
        "`disable` 停用、`enable` 启用"
    )
    account_id: str | None = Field(
        default=None, pattern=ID_PATTERN, description="管理员账号 id：解锁、重置、停用、启用时必填，创建时不填"
    )
    role: AdministratorRole | None = Field(default=None, description="新账号的角色：创建时必填")
    username: Username | None = Field(default=None, description="新账号的用户名：创建时必填", examples=["wang.wu"])
    name: PersonName | None = Field(default=None, description="新账号的显示名称（姓名）：创建时必填", examples=["王五"])
    reason: Reason = Field(description="申请事由", examples=["新任审计管理员"])


class AccountRequestApproval(RequestModel):
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), Text] = Field(
        default="", description="复核意见", examples=["已当面核实"]
    )


class AccountRequestRejection(RequestModel):
    comment: Reason = Field(description="驳回理由", examples=["未经单位书面批准"])


class AccountRequestRead(AppModel):
    """A request on an administrator account and what became of it (no secrets)."""

    id: str
    action: Coded
    status: Coded = Field(description="`pending` 待复核、`approved` 已批准并执行、`rejected` 已驳回、`expired` 已过期")
    account_id: str | None = Field(description="所涉账号 id；创建申请在批准后才有")
    role: Coded
    username: str | None = Field(description="创建申请的用户名")
    display_name: str | None = Field(description="创建申请的显示名称")
    reason: str
    requested_by: str = Field(description="申请人（安全管理员）账号 id")
    created_at: LocalDateTime
    expires_at: LocalDateTime = Field(description="逾期未复核即失效")
    decided_by: str | None = Field(description="复核人（系统管理员或审计管理员）账号 id")
    decided_at: LocalDateTime | None
    decision_comment: str | None


class AccountRequestIssued(AccountRequestRead):
    initial_password_part: str | None = Field(
        default=None,
        description="创建管理员账号时的一次性初始密码的一半，仅显示这一次：提出申请时返回前半部分，"
        "批准时返回后半部分，各由申请人和复核人当面交给账号持有人。初始密码为“前半部分-后半部分”，"
        "首次登录时须设置新密码并自行绑定身份验证器。",
        examples=["k7Qm-Tx3z"],
    )


class ReadCacheRefreshed(AppModel):
    datasets: list[str] = Field(description="已刷新的公共数据集", examples=[["agencies", "catalog"]])


class AdapterInUse(AppModel):
    name: str = Field(examples=["wechat"])
    implementation: str = Field(examples=["fake"])


class SystemStatus(AppModel):
    """What runs, without any secret."""

    environment: str = Field(examples=["production"])
    database: str = Field(description="数据库类型", examples=["postgresql"])
    migration_revision: str | None = Field(description="数据库当前迁移版本")
    migration_head: str | None = Field(description="代码中的最新迁移版本")
    migrations_current: bool
    adapters: list[AdapterInUse]
    demo_data: bool
    read_cache_versions: dict[str, int] = Field(description="公共数据集的缓存版本")


# --- 系统管理员: machine clients (系统对接) ------------------------------------------------------

_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4_CIDR = rf"{_OCTET}(\.{_OCTET}){{3}}/(3[0-2]|[12]?[0-9])"
_IPV6_CIDR = r"[0-9A-Fa-f:]*:[0-9A-Fa-f:]*/(12[0-8]|1[01][0-9]|[1-9]?[0-9])"
# IPv4 fully; an IPv6 network's spelling (where the ``::`` go) is checked by the service (``network``).
CIDR_PATTERN = rf"^({_IPV4_CIDR}|{_IPV6_CIDR})$"
Network = Annotated[str, StringConstraints(pattern=CIDR_PATTERN, max_length=43)]
ClientName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), Visible]
ClientUnit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128), Visible]
Base64Url = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$", max_length=1024)]
KeyId = Annotated[str, StringConstraints(min_length=1, max_length=128), Text]
_PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
Scopes = Annotated[list[Scope], Field(min_length=1, max_length=16, description="授予的权限范围")]
Networks = Annotated[
    list[Network],
    Field(max_length=32, description="允许调用的来源网段（CIDR），为空表示不限", examples=[["10.8.0.0/16"]]),
]
RateLimit = Annotated[int, Field(ge=1, le=100_000, description="每分钟调用次数上限")]


class ClientPublicJwk(RequestModel):
    """One public key (RFC 7517) for private_key_jwt: ES256 (P-256) or RS256 (≥ 2048 bits)."""

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                required_when(
                    "kty",
                    ["EC"],
                    {"required": ["crv", "x", "y"], "properties": dict.fromkeys(("crv", "x", "y"), NOT_NULL)},
                ),
                required_when(
                    "kty", ["RSA"], {"required": ["n", "e"], "properties": dict.fromkeys(("n", "e"), NOT_NULL)}
                ),
            ]
        }
    )

    kty: Literal["EC", "RSA"]
    kid: KeyId | None = None
    use: Literal["sig"] | None = None
    alg: Literal["ES256", "RS256"] | None = None
    crv: Literal["P-256"] | None = None
    x: Base64Url | None = None
    y: Base64Url | None = None
    n: Base64Url | None = None
    e: Base64Url | None = None

    @model_validator(mode="before")
    @classmethod
    def _public_only(cls, value: Any) -> Any:
        if isinstance(value, dict):
            private = [member for member in _PRIVATE_MEMBERS if member in value]
            if private:
                raise ValueError(f"只能登记公钥：密钥含有私钥参数 {'、'.join(private)}")
        return value


class ClientJwks(RequestModel):
    keys: list[ClientPublicJwk] = Field(min_length=1, max_length=10, description="公钥（JWKS）")


class ClientCreate(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                required_when("secret", [False], {"required": ["jwks"], "properties": {"jwks": NOT_NULL}})
            ]
        }
    )

    name: ClientName = Field(examples=["上海海事局证照库"])
    # The unit answerable for the system (MachineClient.owner): no ownership link, so not "owner".
    responsible_unit: ClientUnit = Field(description="负责该系统的单位", examples=["上海海事局信息中心"])
    agency_code: AgencyCode = Field(description="所服务的海事机构（含其下级机构）", examples=["SH"])
    scopes: Scopes
    allowed_sources: Networks = []
    rate_limit_per_minute: RateLimit = 600
    secret: bool = Field(
        default=True, description="是否生成客户端密钥（仅在响应中显示一次）；为 false 时须提供 jwks"
    )
    jwks: ClientJwks | None = Field(default=None, description="private_key_jwt 所用公钥")


class ClientUpdate(RequestModel):
    name: ClientName
    responsible_unit: ClientUnit
    scopes: Scopes
    allowed_sources: Networks = []
    rate_limit_per_minute: RateLimit = 600


class ClientRead(AppModel):
    """A machine client as the system administrator sees it: never a secret."""

    id: str = Field(description="客户端标识（client_id）")
    name: str
    responsible_unit: str
    agency: AgencyRef | None
    scopes: list[Coded]
    allowed_sources: list[str]
    rate_limit_per_minute: int
    has_secret: bool = Field(description="是否可以客户端密钥认证")
    key_ids: list[str | None] = Field(description="已登记公钥（private_key_jwt）的 kid")
    credentials_version: int
    created_at: LocalDateTime
    rotated_at: LocalDateTime | None
    revoked_at: LocalDateTime | None


class ClientCredentials(ClientRead):
    client_id: str = Field(description="客户端标识，同 id")
    client_secret: str | None = Field(
        description="客户端密钥，仅显示这一次，服务端只保存其摘要；未生成密钥时为 null",
        examples=["Jm1v0lQ9p0Y4b6n8yH2kW3xZ5cV7aS1dF3gH5jK7lQ0"],
    )


# --- 待确认的海事机构 (low-confidence units from public sources) --------------------------------

def _candidate_text(max_length: int):
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length), Visible
    ]


CandidateName = _candidate_text(64)
CandidateShortName = _candidate_text(32)
CandidateAddress = _candidate_text(200)
CandidatePhone = _candidate_text(64)


class AgencyCandidateParent(AppModel):
    code: str = Field(description="拟定上级机构代码", examples=["CJ-CQ"])
    name: str | None = Field(description="来源所述上级机构（可能含推定说明）", examples=["重庆海事局"])
    confirmed: bool = Field(
        description="拟定上级是否已是公开的海事机构；为 false 时须先确认上级或在确认时另行指定"
    )


class AgencyCandidateRead(AppModel):
    """A unit named by public sources with low confidence, not public until confirmed."""

    code: str = Field(examples=["CJ-CQ-WZ"])
    name: str = Field(examples=["重庆万州海事处"])
    short_name: str = Field(examples=["万州"])
    level: Coded = Field(description="机构层级")
    parent: AgencyCandidateParent
    address: str | None
    phone: str | None
    sources: list[str] = Field(description="提及该机构的公开来源（网址或来源说明）")
    confidence: Coded = Field(description="来源可信度：`high` 高、`medium` 中、`low` 低")
    note: str | None = Field(description="整理来源时的说明")
    status: Coded = Field(
        description="`pending` 待确认、`confirmed` 已确认（已成为公开机构）、`dismissed` 已驳回"
    )
    decided_by: str | None = Field(description="确认或驳回的系统管理员账号 id")
    decided_at: LocalDateTime | None


class AgencyCandidateConfirmation(RequestModel):
    """Corrections made while confirming; what is left out is taken from the candidate."""

    name: CandidateName | None = Field(default=None, description="更正后的全称", examples=["重庆万州海事处"])
    short_name: CandidateShortName | None = Field(default=None, description="更正后的简称", examples=["万州"])
    parent_code: AgencyCode | None = Field(
        default=None, description="更正后的上级机构代码（须为公开的海事机构）", examples=["CJ-CQ"]
    )
    address: CandidateAddress | None = Field(default=None, examples=["重庆市万州区沿江大道"])
    phone: CandidatePhone | None = Field(default=None, examples=["023-58000000"])
