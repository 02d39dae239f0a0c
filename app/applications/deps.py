"""Dependencies shared by the applicant and staff routes, among them the application already
loaded and checked: ``application: OwnedApplication`` (the applicant's own) or
``application: StaffApplication`` (submitted to the staff member's agency or one below it)."""

import re
from typing import Annotated

from fastapi import Depends, Header, Path

from app.applications import service
from app.applications.models import Application, Notice
from app.applications.service import Desk
from app.auth.deps import Applicant, Staff
from app.core.db import SessionDep
from app.core.deps import PiiDep, SettingsDep
from app.core.errors import InvalidInput
from app.core.schemas import ID_PATTERN
from app.integrations.deps import WeChatDep
from app.materials.models import Material

ApplicationId = Annotated[str, Path(pattern=ID_PATTERN)]
# An application's `version`, as a plain or (weak) entity tag. No whitespace around: a header
# value has none (the server strips it, clients refuse to send it).
IF_MATCH_PATTERN = r'^(?:W/)?"?[0-9]{1,9}"?$'


async def _desk(session: SessionDep, settings: SettingsDep, pii: PiiDep, wechat: WeChatDep) -> Desk:
    return Desk(session, settings, pii, wechat)


async def _expected_version(
    # Optional, but documented as a string only: a header has no null (a client generated from
    # `anyOf: [string, null]` may send the text "null").
    if_match: Annotated[
        str,
        Header(
            alias="If-Match",
            max_length=40,
            pattern=IF_MATCH_PATTERN,
            description="办件的 `version`（取自上次读取的结果）",
        ),
    ] = None,
) -> int | None:
    if if_match is None:
        return None
    match = re.fullmatch(r'(?:W/)?"?([0-9]{1,9})"?', if_match.strip(" \t"))
    if match is None:
        raise InvalidInput([(("header", "If-Match"), "版本号格式不正确，请使用上次读取办件时的版本号", "invalid_version")])
    return int(match.group(1))


DeskDep = Annotated[Desk, Depends(_desk)]
ExpectedVersion = Annotated[int | None, Depends(_expected_version)]


async def _owned_application(
    principal: Applicant, session: SessionDep, application_id: ApplicationId
) -> Application:
    """The applicant's own application; anyone else's does not exist (404)."""
    return await service.owned_application(session, principal.user_id, application_id)


async def _staff_application(
    principal: Staff, session: SessionDep, application_id: ApplicationId
) -> Application:
    """A submitted application addressed to the staff member's agency or one below it; any
    other (a draft, another agency's) does not exist for them (404)."""
    return await service.staff_application(session, principal, application_id)


OwnedApplication = Annotated[Application, Depends(_owned_application)]
StaffApplication = Annotated[Application, Depends(_staff_application)]

NoticeId = Annotated[str, Path(pattern=ID_PATTERN)]
MaterialId = Annotated[str, Path(pattern=ID_PATTERN)]


async def _owned_application_notice(
    session: SessionDep, application: OwnedApplication, notice_id: NoticeId
) -> Notice:
    """A notice of the applicant's own application; any other notice does not exist (404)."""
    return await service.notice_of(session, application, notice_id)


async def _staff_application_notice(
    session: SessionDep, application: StaffApplication, notice_id: NoticeId
) -> Notice:
    return await service.notice_of(session, application, notice_id)


async def _staff_application_material(
    session: SessionDep, application: StaffApplication, material_id: MaterialId
) -> Material:
    """A material attached to the application (even if its owner removed it from 我的材料)."""
    return await service.attached_material(session, application, material_id)


# The route names the application too (``application: OwnedApplication``): it is loaded once.
OwnedApplicationNotice = Annotated[Notice, Depends(_owned_application_notice)]
StaffApplicationNotice = Annotated[Notice, Depends(_staff_application_notice)]
StaffApplicationMaterial = Annotated[Material, Depends(_staff_application_material)]
