"""Responses shared by the applicant, staff and back-office routes: an application with its
ETag, the application shown in full (audited), a notice, a material, a decision's preview."""

from fastapi import Response
from fastapi.responses import JSONResponse

from app.applications import presenter, service
from app.applications.models import Application, Notice
from app.applications.notices import NoticeKind, rendered
from app.applications.schemas import Decision, NoticeRead
from app.applications.service import Desk
from app.applications.state_machine import Actor, Transition
from app.auth.deps import AuditTrail
from app.core.db import ReadRow
from app.core.schemas import Coded
from app.integrations.storage.base import ObjectStorage
from app.materials.models import Material
from app.materials.responses import material_content

PREVIEW_PDF = {
    200: {
        "description": "该决定将出具的文书（PDF）",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}


async def application_body(desk: Desk, application: Application | ReadRow, viewer: Actor) -> dict:
    read = await presenter.detail(
        desk.session,
        desk.pii,
        application,
        viewer=viewer,
        deadline_warning=desk.settings.deadline_warning_working_days if viewer is Actor.staff else None,
    )
    return read.model_dump(mode="json")


def application_response(body: dict, status_code: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status_code, headers={"ETag": f'"{body["version"]}"'})


async def notice_response(notice: Notice, accept: str | None) -> Response:
    if accept and "application/pdf" in accept:
        return Response(
            await rendered(notice.content),
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="{notice.id}.pdf"',
                "X-Content-Type-Options": "nosniff",
            },
        )
    read = NoticeRead(
        id=notice.id,
        kind=Coded.of(NoticeKind(notice.kind)),
        number=notice.number,
        issued_at=notice.issued_at,
        content=notice.content,
    )
    return JSONResponse(read.model_dump(mode="json"))


async def notice_download(
    trail: AuditTrail, application: Application, notice: Notice, accept: str | None
) -> Response:
    """A notice names the applicant: every copy handed out, as PDF or JSON, is recorded."""
    response = await notice_response(notice, accept)
    trail.record(
        "application.notice_download",
        object_type="application",
        object_id=application.id,
        detail={"notice_id": notice.id, "kind": notice.kind, "format": response.media_type.split("/")[-1]},
    )
    return response


async def shown_in_full(desk: Desk, trail: AuditTrail, application: Application) -> JSONResponse:
    """The application with the applicant's identity and unmasked contact details: every such
    view is recorded, with what was shown (never the values themselves)."""
    body = await application_body(desk, application, Actor.staff)
    identity = await presenter.applicant_identity(desk.session, desk.pii, application)
    body["applicant"] = identity.model_dump(mode="json") if identity else None
    trail.record(
        "application.personal_data_view",
        object_type="application",
        object_id=application.id,
        detail={
            "shown": ["identity", "contact"] if identity else ["contact"],
            "account_type": identity.account_type.code if identity else None,
        },
    )
    return application_response(body)


def record_decision(trail: AuditTrail, application: Application, step: Transition, body: Decision) -> None:
    trail.record(
        "application.decision",
        object_type="application",
        object_id=application.id,
        detail={
            "action": step.action.value,
            "from_status": step.source.value,
            "to_status": step.target.value,
            # Which content the decision carried, never the content itself (names, places …).
            **({"content": keys} if (keys := _content_keys(body)) else {}),
        },
    )


def _content_keys(body: Decision) -> list[str]:
    return [key for key in ("licence", "filing_number", "denial") if getattr(body, key) is not None]


async def decision_preview(
    desk: Desk, trail: AuditTrail, application: Application, body: Decision, expected: int | None
) -> Response:
    pdf = await service.preview_decision(desk, application, body, expected)
    # The document names the applicant: seeing it is a view of personal data, like the detail.
    trail.record(
        "application.decision_preview",
        object_type="application",
        object_id=application.id,
        detail={"action": body.action},
    )
    return Response(pdf, media_type="application/pdf", headers={"Cache-Control": "no-store"})


async def material_download(
    storage: ObjectStorage, trail: AuditTrail, application: Application, material: Material
) -> Response:
    trail.record(
        "application.material_download",
        object_type="application",
        object_id=application.id,
        detail={"material_id": material.id},
    )
    return await material_content(storage, material)
