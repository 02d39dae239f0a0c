"""The archive of 导出我的数据: every domain's rows of the account, typed by the domain's schema."""

from pydantic import Field

from app.accounts.schemas import UserRead
from app.applications.schemas import ApplicationRead
from app.certificates.schemas import CertificateDetail, CorrectionRead
from app.core.schemas import AppModel, LocalDateTime
from app.evaluations.schemas import EvaluationRead
from app.materials.schemas import MaterialRead
from app.messages.schemas import MessageRead
from app.privacy.schemas import AccountEventRecord, ConsentRead
from app.ships.schemas import ShipRead


class DataExport(AppModel):
    """导出我的数据: everything held about the signed-in account (PIPL art. 45)."""

    exported_at: LocalDateTime
    format_version: int = 1
    profile: UserRead = Field(description="本人信息，不脱敏")
    ships: list[ShipRead]
    applications: list[ApplicationRead]
    materials: list[MaterialRead] = Field(description="材料元数据（文件内容可在“我的材料”中查看）")
    certificates: list[CertificateDetail]
    corrections: list[CorrectionRead]
    messages: list[MessageRead]
    evaluations: list[EvaluationRead]
    consents: list[ConsentRead]
    account_events: list[AccountEventRecord] = Field(description="登录、注册、修改密码等账号安全记录")
