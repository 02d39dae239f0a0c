from pydantic import Field

from app.accounts.schemas import FaceProof, UserRead
from app.applications.schemas import ApplicationRead
from app.certificates.schemas import CertificateDetail, CorrectionRead
from app.core.schemas import AppModel, Coded, LocalDateTime, RequestModel
from app.evaluations.schemas import EvaluationRead
from app.materials.schemas import MaterialRead
from app.messages.schemas import MessageRead
from app.privacy.texts import ConsentPurpose
from app.ships.schemas import ShipRead


class ConsentTextRead(AppModel):
    purpose: Coded
    version: str = Field(description="同意时需回传的文本版本", examples=["2026-11"])
    title: str
    text: str


class ConsentGiven(RequestModel):
    """The user read the text of ``purpose`` in ``version`` and tapped 同意."""

    purpose: ConsentPurpose
    version: str = Field(
        max_length=16, description="`GET /privacy/consent-texts` 返回的版本", examples=["2026-11"]
    )


class ConsentRead(AppModel):
    id: str
    purpose: Coded
    policy_version: str
    given_at: LocalDateTime
    withdrawn_at: LocalDateTime | None
    in_force: bool = Field(description="未撤回且为当前版本的同意")


class AccountEventRecord(AppModel):
    """One line of my sign-in and account-security history."""

    occurred_at: LocalDateTime
    event: Coded
    outcome: str
    ip: str | None


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


class DeletionRequest(FaceProof):
    """注销账号: proven by a face verification of purpose `account_deletion` of the account holder
    (a corporate account's registered operator)."""
