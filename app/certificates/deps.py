"""Certificates and corrections already loaded and checked: ``certificate: OwnedCertificate``
(in the caller's wallet), ``correction: StaffCorrection`` (of a certificate issued within the
staff member's agency subtree), ``StaffCorrectionForUpdate`` (the same, row locked, to decide)
and ``StaffCorrectionMaterial`` (a supporting material of such a correction)."""

from typing import Annotated

from fastapi import Depends, Path

from app.auth.deps import CertificateRegistryClient, CurrentPrincipal, Staff
from app.certificates import corrections, registry, service
from app.certificates.models import Certificate, CertificateCorrection
from app.core.db import SessionDep
from app.certificates.schemas import REGISTRY_ID_PATTERN
from app.core.schemas import ID_PATTERN
from app.materials.models import Material

CertificateId = Annotated[str, Path(pattern=ID_PATTERN)]
CorrectionId = Annotated[str, Path(pattern=ID_PATTERN)]
MaterialId = Annotated[str, Path(pattern=ID_PATTERN)]
RegistryId = Annotated[
    str,
    Path(pattern=REGISTRY_ID_PATTERN, description="登记系统自己的证照标识（字母、数字、`.` `_` `:` `-`，至多 64 位）"),
]


async def _owned_certificate(
    principal: CurrentPrincipal, session: SessionDep, certificate_id: CertificateId
) -> Certificate:
    """The certificate if it is the caller's; anyone else's is indistinguishable from a missing one."""
    return await service.owned_certificate(session, principal.user_id, certificate_id)


async def _staff_correction(
    staff: Staff, session: SessionDep, correction_id: CorrectionId
) -> CertificateCorrection:
    return await corrections.staff_correction(session, staff, correction_id)


async def _staff_correction_for_update(
    staff: Staff, session: SessionDep, correction_id: CorrectionId
) -> CertificateCorrection:
    # Locked as it is read, so that two staff members deciding at once see each other's decision.
    return await corrections.staff_correction(session, staff, correction_id, for_update=True)


StaffCorrection = Annotated[CertificateCorrection, Depends(_staff_correction)]


async def _staff_correction_material(correction: StaffCorrection, material_id: MaterialId) -> Material:
    return corrections.supporting_material(correction, material_id)


OwnedCertificate = Annotated[Certificate, Depends(_owned_certificate)]
StaffCorrectionForUpdate = Annotated[CertificateCorrection, Depends(_staff_correction_for_update)]
# The route names the correction too (``correction: StaffCorrection``): it is loaded once.
StaffCorrectionMaterial = Annotated[Material, Depends(_staff_correction_material)]


async def _pushed_certificate(
    client: CertificateRegistryClient, session: SessionDep, registry_id: RegistryId
) -> Certificate:
    """A certificate the authority's registry pushed, by the registry's id (any registry client
    may read any: the registry is the authority's own)."""
    return await registry.pushed_row(session, registry_id)


PushedCertificateRow = Annotated[Certificate, Depends(_pushed_certificate)]
