"""Responses shared by the applicant and staff routes: an application with its ETag, a notice."""

from fastapi import Response
from fastapi.responses import JSONResponse

from app.applications import presenter
from app.applications.models import Application, Notice
from app.applications.notices import NoticeKind, rendered
from app.applications.schemas import NoticeRead
from app.applications.service import Desk
from app.applications.state_machine import Actor
from app.auth.deps import AuditTrail


async def application_body(desk: Desk, application: Application, viewer: Actor) -> dict:
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
        kind=presenter.coded(NoticeKind(notice.kind)),
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
