from pydantic import Field

from app.accounts.schemas import FaceProof
from app.core.schemas import AppModel, Coded, LocalDateTime, RequestModel
from app.privacy.texts import ConsentPurpose


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


class DeletionRequest(FaceProof):
    """注销账号: proven by a face verification of purpose `account_deletion` of the account holder
    (a corporate account's registered operator)."""
