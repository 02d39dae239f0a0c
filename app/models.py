"""Every model, imported so that ``Base.metadata`` knows the whole schema (Alembic, tests)."""

from app.accounts.models import CorporateProfile, PersonalProfile, User
from app.admin.models import AccountRequest
from app.agencies.models import Agency, AgencyCandidate, AgencyItem, AgencyItemDetail
from app.applications.models import Application, ApplicationEvent, ApplicationMaterial, Notice
from app.audit.models import AuditEvent
from app.auth.models import (
    AuthSession,
    FaceSession,
    MachineClient,
    RecoveryCode,
    RefreshToken,
    SecondFactor,
    SignInTicket,
)
from app.catalog.models import OnlineForm, ServiceItem, ServiceItemLevel
from app.certificates.models import (
    Certificate,
    CertificateCorrection,
    CertificateScan,
    CorrectionMaterial,
    DisplaySigningKey,
)
from app.core.db import Base
from app.dataset.models import DatasetDraft, DatasetVersion
from app.core.idempotency import IdempotencyRecord
from app.core.read_cache import CacheVersion
from app.core.throttle import ThrottleCounter
from app.evaluations.models import Evaluation, FollowUp
from app.help.models import HelpArticle
from app.integrations.wechat.token_cache import IntegrationToken
from app.materials.models import Material
from app.messages.models import Message
from app.outbox.models import OutboxEvent
from app.privacy.models import Consent
from app.reference.models import Country, FuelSupplier, Port, RegulationItem
from app.ships.models import Ship
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

__all__ = [
    "DatasetDraft",
    "DatasetVersion",
    "AccountRequest",
    "Agency",
    "AgencyCandidate",
    "AgencyItem",
    "AgencyItemDetail",
    "Application",
    "ApplicationEvent",
    "ApplicationMaterial",
    "AuditEvent",
    "AuthSession",
    "Base",
    "CacheVersion",
    "Certificate",
    "CertificateCorrection",
    "CertificateScan",
    "Consent",
    "CorporateProfile",
    "CorrectionMaterial",
    "Country",
    "DisplaySigningKey",
    "Evaluation",
    "FaceSession",
    "FollowUp",
    "FuelSupplier",
    "HelpArticle",
    "IdempotencyRecord",
    "IntegrationToken",
    "MachineClient",
    "Material",
    "Message",
    "Notice",
    "OnlineForm",
    "OutboxEvent",
    "PersonalProfile",
    "Port",
    "RecoveryCode",
    "RefreshToken",
    "RegulationItem",
    "SecondFactor",
    "ServiceItem",
    "ServiceItemLevel",
    "Ship",
    "SignInTicket",
    "ThrottleCounter",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscription",
]
