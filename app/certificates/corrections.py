"""证照纠错 (manual §3.3.4) and 我的纠错: a holder asks for one field of a 船员证照 to be changed;
staff of the issuing agency or above accept (the change is applied and the old value kept) or
reject it with a reason, and the holder gets a message either way."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.service import agency_ref, agency_subtree
from app.audit import service as audit
from app.certificates import repository, service
from app.certificates.models import Certificate, CertificateCorrection, CorrectionStatus
from app.certificates.schemas import (
    CertificateRef,
    CorrectionCreate,
    CorrectionDecision,
    CorrectionRead,
    StaffCorrectionRead,
)
from app.core.auth import Principal
from app.core.db import utcnow
from app.core.errors import AppError, InvalidInput, NotFound
from app.core.pagination import page_of
from app.core.schemas import Coded
from app.materials.models import Material
from app.materials.service import MaterialNotFound, material_read, owned_material
from app.messages.service import post_message


class CorrectionNotFound(NotFound):
    code = "correction.not_found"
    title = "未找到该纠错申请"


class CertificateNotCorrectable(AppError):
    status = 409
    code = "certificate.not_correctable"
    title = "该证照不支持纠错"


class CorrectionPending(AppError):
    status = 409
    code = "correction.pending_exists"
    title = "该项目已有待处理的纠错申请"


class CorrectionDecided(AppError):
    status = 409
    code = "correction.already_decided"
    title = "该纠错申请已处理"


async def _supporting_materials(
    session: AsyncSession, holder_id: str, material_ids: list[str]
) -> list[Material]:
    materials, errors = [], []
    for index, material_id in enumerate(material_ids):
        try:
            materials.append(await owned_material(session, holder_id, material_id))
        except MaterialNotFound:
            errors.append(
                (("body", "material_ids", index), "材料不存在，请从“我的材料”中选择", "unknown_material")
            )
    if errors:
        raise InvalidInput(errors)
    return list({material.id: material for material in materials}.values())


def _read(correction: CertificateCorrection) -> CorrectionRead:
    certificate = correction.certificate
    kind, spec = service.type_of(certificate)
    return CorrectionRead(
        id=correction.id,
        certificate=CertificateRef(
            id=certificate.id, type=Coded.of(kind), title=certificate.title, number=certificate.number
        ),
        field=Coded(code=correction.field, label=spec.field(correction.field).label),
        proposed_value=correction.proposed_value,
        reason=correction.reason,
        status=Coded.of(CorrectionStatus(correction.status)),
        old_value=correction.old_value,
        comment=correction.decision_comment,
        materials=[material_read(material) for material in correction.materials],
        created_at=correction.created_at,
        decided_at=correction.decided_at,
    )


def staff_read(correction: CertificateCorrection) -> StaffCorrectionRead:
    certificate = correction.certificate
    return StaffCorrectionRead(
        **_read(correction).model_dump(),
        holder_name=service.holder_shown(certificate),
        agency=agency_ref(certificate.agency),
        current_value=certificate.fields.get(correction.field),
    )


async def request_correction(
    session: AsyncSession, certificate: Certificate, request: CorrectionCreate
) -> CorrectionRead:
    """证照纠错 of a certificate in the caller's wallet (app.certificates.deps.OwnedCertificate)."""
    holder_id = certificate.holder_id
    if "correct" not in service.allowed_actions(certificate, service.status_of(certificate, service.today())):
        raise CertificateNotCorrectable("只有未注销的船员证照可以纠错")
    _, spec = service.type_of(certificate)
    field = next((f for f in spec.correctable_fields if f.key == request.field), None)
    if field is None:
        allowed = "、".join(f"{f.key}（{f.label}）" for f in spec.correctable_fields)
        raise InvalidInput([(("body", "field"), f"该证照可纠错的项目为：{allowed}", "not_correctable")])
    if field.choices and request.proposed_value not in field.choices:
        raise InvalidInput(
            [
                (
                    ("body", "proposed_value"),
                    f"{field.label}应为：{'、'.join(field.choices)}之一",
                    "not_a_choice",
                )
            ]
        )
    if certificate.fields.get(field.key) == request.proposed_value:
        raise InvalidInput(
            [(("body", "proposed_value"), f"与证照上的{field.label}相同，无需纠错", "unchanged")]
        )
    if await repository.pending_correction_exists(session, certificate.id, field.key):
        raise CorrectionPending(f"“{field.label}”已有待处理的纠错申请，请等待处理结果")
    materials = await _supporting_materials(session, holder_id, request.material_ids)
    correction = CertificateCorrection(
        materials=materials,
        requester_id=holder_id,
        field=field.key,
        proposed_value=request.proposed_value,
        reason=request.reason,
        status=CorrectionStatus.pending,
        created_at=utcnow(),
    )
    correction.certificate = certificate
    session.add(correction)
    await session.flush()
    return _read(correction)


async def my_corrections(
    session: AsyncSession, requester_id: str, *, cursor: str | None, limit: int
) -> tuple[list[CorrectionRead], str | None]:
    rows = await repository.requester_corrections(session, requester_id, cursor=cursor, limit=limit)
    page, next_cursor = page_of(rows, limit, repository.NEWEST_CORRECTION_FIRST)
    return [_read(correction) for correction in page], next_cursor


async def correction_queue(
    session: AsyncSession,
    staff: Principal,
    *,
    status: CorrectionStatus | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[StaffCorrectionRead], str | None]:
    rows = await repository.correction_queue(
        session,
        await agency_subtree(session, staff.agency_code),
        status=status,
        cursor=cursor,
        limit=limit,
    )
    page, next_cursor = page_of(rows, limit, repository.OLDEST_CORRECTION_FIRST)
    return [staff_read(correction) for correction in page], next_cursor


async def staff_correction(
    session: AsyncSession, staff: Principal, correction_id: str, *, for_update: bool = False
) -> CertificateCorrection:
    """A correction of a certificate issued within the staff member's agency subtree."""
    correction = await repository.correction(session, correction_id, for_update=for_update)
    if correction is None or correction.certificate.agency_code not in await agency_subtree(
        session, staff.agency_code
    ):
        raise CorrectionNotFound()
    return correction


def supporting_material(correction: CertificateCorrection, material_id: str) -> Material:
    for material in correction.materials:
        if material.id == material_id:
            return material
    raise MaterialNotFound()


async def decide(
    session: AsyncSession,
    staff: Principal,
    correction: CertificateCorrection,
    decision: CorrectionDecision,
    *,
    ip: str,
) -> StaffCorrectionRead:
    """予以更正/不予更正 of a correction loaded under lock (app.certificates.deps.StaffCorrectionForUpdate)."""
    if correction.status != CorrectionStatus.pending:
        raise CorrectionDecided()
    if decision.action == "reject" and not decision.comment:
        raise InvalidInput([(("body", "comment"), "不予更正时请填写原因", "missing")])
    certificate = correction.certificate
    label = service.type_of(certificate)[1].field(correction.field).label
    subject = f"您对《{certificate.title}》（{certificate.number}）“{label}”的纠错申请"
    if decision.action == "accept":
        # Locked, so that two accepted corrections of one certificate both land.
        certificate = await repository.certificate(session, certificate.id, for_update=True)
        correction.old_value = certificate.fields.get(correction.field)
        certificate.fields = {**certificate.fields, correction.field: correction.proposed_value}
        correction.status = CorrectionStatus.accepted
        title, body = "证照纠错已更正", f"{subject}已处理，{label}已更正为“{correction.proposed_value}”。"
    else:
        correction.status = CorrectionStatus.rejected
        title, body = "证照纠错未予更正", f"{subject}未予更正。原因：{decision.comment}"
    correction.decided_by, correction.decided_at = staff.user_id, utcnow()
    correction.decision_comment = decision.comment or None
    post_message(
        session,
        correction.requester_id,
        category="correction",
        title=title,
        body=body,
        subject_type="certificate_correction",
        subject_id=correction.id,
    )
    audit.record(
        session,
        "certificate.correction_decision",
        correction.status,
        actor_id=staff.user_id,
        ip=ip,
        object_type="certificate_correction",
        object_id=correction.id,
    )
    return staff_read(correction)
