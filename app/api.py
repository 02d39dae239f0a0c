"""The composition root: every domain router under the contract's base path, and the wiring
through which lower packages reach the domains above them (``wire_domains``)."""

from fastapi import FastAPI

from app.admin.agency_candidates_router import router as agency_candidates_router
from app.admin.audit_router import router as audit_router
from app.admin.clients_router import router as clients_router
from app.admin.dataset_router import router as dataset_router
from app.admin.router import requests_router, security_router, system_router
from app.agencies.router import router as agencies_router
from app.applications import privacy as applications_privacy
from app.applications.backoffice_router import router as backoffice_applications_router
from app.applications.public_router import router as progress_router
from app.applications.router import router as applications_router
from app.applications.staff_router import router as staff_applications_router
from app.auth import events
from app.auth.router import router as auth_router
from app.catalog.router import router as catalog_router
from app.certificates import hooks as certificates_hooks
from app.certificates import privacy as certificates_privacy
from app.certificates.registry_router import router as registry_router
from app.certificates.router import router as certificates_router
from app.core.config import REQUEST_BODY_MAX_BYTES
from app.core.errors import COMMON_ERROR_RESPONSES
from app.evaluations import privacy as evaluations_privacy
from app.evaluations.router import router as evaluations_router
from app.evaluations.staff_router import router as follow_ups_router
from app.help.router import router as help_router
from app.materials import privacy as materials_privacy
from app.materials.router import router as materials_router
from app.me.privacy_router import public_router as privacy_public_router
from app.me.privacy_router import router as privacy_router
from app.me.router import router as me_router
from app.messages import hooks as messages_hooks
from app.messages import privacy as messages_privacy
from app.messages.router import notifications_router
from app.messages.router import router as messages_router
from app.privacy import registry as privacy_registry
from app.reference.router import router as reference_router
from app.ships import privacy as ships_privacy
from app.ships.router import router as ships_router
from app.statistics.router import router as statistics_router
from app.webhooks.webhooks_router import router as webhooks_router

API_PREFIX = "/api/v1"

# FastAPI tries the included routers one after another (each one passed costs a request about
# 7 µs), so they come in the order requests arrive: what every applicant's and staff member's
# screen calls first, administration last. No path of one router matches another's,
# so the order changes nothing else. Cached public reads are answered before routing.
DOMAIN_ROUTERS = (
    applications_router,
    staff_applications_router,
    me_router,
    messages_router,
    materials_router,
    certificates_router,
    evaluations_router,
    follow_ups_router,
    auth_router,
    catalog_router,
    agencies_router,
    reference_router,
    help_router,
    ships_router,
    notifications_router,
    progress_router,
    statistics_router,
    backoffice_applications_router,
    registry_router,
    webhooks_router,
    privacy_public_router,
    privacy_router,
    security_router,
    requests_router,
    system_router,
    clients_router,
    agency_candidates_router,
    dataset_router,
    audit_router,
)


def include_api(app: FastAPI) -> None:
    """Every domain router under the contract's base path, each straight on the app: a router of
    routers would cost every request a walk over all of them (FastAPI checks whether any changed)."""
    for router in DOMAIN_ROUTERS:
        app.include_router(
            router,
            prefix=API_PREFIX,
            responses=COMMON_ERROR_RESPONSES,
            # JSON bodies are small; the upload route sets its own, larger limit (app.materials.router).
            max_body_size=REQUEST_BODY_MAX_BYTES,
        )


def wire_domains() -> None:
    """Subscribe the domains to what the packages below them announce or gather. Once per
    process (``create_app`` and the CLI call it); calling it again changes nothing."""
    events.subscribe(
        person_registered=[certificates_hooks.person_registered],
        wechat_bound=[messages_hooks.wechat_bound],
        company_registered=[certificates_hooks.company_registered],
    )
    privacy_registry.register(
        # The archive's sections, in the order they are gathered (after the profile).
        exporters={
            "ships": ships_privacy.export_ships,
            "applications": applications_privacy.export_applications,
            "materials": materials_privacy.export_materials,
            "certificates": certificates_privacy.export_certificates,
            "corrections": certificates_privacy.export_corrections,
            "messages": messages_privacy.export_messages,
            "evaluations": evaluations_privacy.export_evaluations,
        },
        # Drafts before materials: a material attached only to a deleted draft is then unused.
        erasers=[
            applications_privacy.erase_drafts,
            materials_privacy.erase_materials,
            messages_privacy.erase_messages,
            ships_privacy.erase_ships,
        ],
        deletion_checks=[applications_privacy.refuse_while_in_progress],
    )
