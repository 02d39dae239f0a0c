from typing import Annotated

from pydantic import Field, StringConstraints

from app.accounts.schemas import Password, PersonName, Username
from app.agencies.schemas import AgencyRef
from app.core.auth import OPERATOR_CREATED_ROLES
from app.core.enums import LabelledEnum
from app.core.schemas import AppModel, Coded, LocalDateTime, RequestModel

# The roles a security administrator gives to the accounts they create.
OperatorRole = LabelledEnum(
    "OperatorRole", {role.name: (role.value, role.label) for role in OPERATOR_CREATED_ROLES}
)

AgencyCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


class OperatorAccountCreate(RequestModel):
    role: OperatorRole
    username: Username = Field(examples=["li.si"])
    name: PersonName = Field(description="显示名称（姓名）", examples=["李四"])
    password: Password = Field(description="初始密码；首次登录时须绑定身份验证器")
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
