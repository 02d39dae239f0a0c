"""Dependencies shared by the applicant, staff and back-office routes, among them the application
already loaded and checked: ``application: OwnedApplication`` (the applicant's own),
``application: StaffApplication`` (submitted to the staff member's agency or one below it) or
``application: ReadableApplication`` / ``DecidableApplication`` (the same, for a machine client of
the authority's back office, by the client's agency), and the queue's filters (``QueueQueryDep``)."""

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Literal

from fastapi import Depends, Header, Path, Query, Request

from app.applications import deadlines, service
from app.applications.models import Application, Notice
from app.applications.service import Desk, QueueFilter, QueueQuery
from app.applications.state_machine import Status
from app.audit.deps import QueryDateTime
from app.auth.deps import Applicant, ApplicationsDecider, ApplicationsReader, Staff
from app.core.db import ReadRow, SessionDep
from app.core.deps import SettingsDep, pii_of, settings_of
from app.core.errors import InvalidInput
from app.core.schemas import CHINA_TIME, CODE_PATTERN, ID_PATTERN, INVISIBLE_CHARACTER_CLASS, WrittenDate
from app.integrations.deps import adapters_of
from app.materials.models import Material

ApplicationId = Annotated[str, Path(pattern=ID_PATTERN)]
# An application's `version`, as a plain or (weak) entity tag. No whitespace around: a header
# value has none (the server strips it, clients refuse to send it).
IF_MATCH_PATTERN = r'^(?:W/)?"?[0-9]{1,9}"?$'


async def _desk(request: Request, session: SessionDep) -> Desk:
    # Read at once, not as four dependencies of its own: every applicant and staff route has a desk.
    return Desk(session, settings_of(request), pii_of(request), adapters_of(request).wechat)


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


async def _owned_application_row(
    principal: Applicant, session: SessionDep, application_id: ApplicationId
) -> ReadRow:
    return await service.owned_application_row(session, principal.user_id, application_id)


async def _staff_application(
    principal: Staff, session: SessionDep, application_id: ApplicationId
) -> Application:
    """A submitted application addressed to the staff member's agency or one below it; any
    other (a draft, another agency's) does not exist for them (404)."""
    return await service.staff_application(session, principal, application_id)


async def _readable_application(
    principal: ApplicationsReader, session: SessionDep, application_id: ApplicationId
) -> Application:
    """For a back-office client: as for staff, by the client's agency (its ``users.agency_code``)."""
    return await service.staff_application(session, principal, application_id)


async def _decidable_application(
    principal: ApplicationsDecider, session: SessionDep, application_id: ApplicationId
) -> Application:
    return await service.staff_application(session, principal, application_id)


OwnedApplication = Annotated[Application, Depends(_owned_application)]
# The same as a plain row, for routes that only show it: no ORM object to build, and on PostgreSQL
# read on the driver (``read_rows``).
OwnedApplicationRow = Annotated[ReadRow, Depends(_owned_application_row)]
StaffApplication = Annotated[Application, Depends(_staff_application)]
# The back office's: loaded by a client holding `applications:read` (or `applications:decide`,
# for a decision: a client may decide without listing).
ReadableApplication = Annotated[Application, Depends(_readable_application)]
DecidableApplication = Annotated[Application, Depends(_decidable_application)]

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


async def _readable_application_notice(
    session: SessionDep, application: ReadableApplication, notice_id: NoticeId
) -> Notice:
    return await service.notice_of(session, application, notice_id)


async def _readable_application_material(
    session: SessionDep, application: ReadableApplication, material_id: MaterialId
) -> Material:
    return await service.attached_material(session, application, material_id)


# The route names the application too (``application: OwnedApplication``): it is loaded once.
OwnedApplicationNotice = Annotated[Notice, Depends(_owned_application_notice)]
StaffApplicationNotice = Annotated[Notice, Depends(_staff_application_notice)]
StaffApplicationMaterial = Annotated[Material, Depends(_staff_application_material)]
ReadableApplicationNotice = Annotated[Notice, Depends(_readable_application_notice)]
ReadableApplicationMaterial = Annotated[Material, Depends(_readable_application_material)]


# 受理队列: what staff (and the back office) narrow their agency subtree's applications to.

# A name as typed: no control characters (PostgreSQL refuses NUL), nothing invisible.
_TYPED_NAME = rf"^[^\x00-\x1f\x7f{INVISIBLE_CHARACTER_CLASS}]*$"


async def _queue_query(
    settings: SettingsDep,
    status_filter: Annotated[
        Status | None, Query(alias="status", description="按状态筛选，如 submitted")
    ] = None,
    item_code: Annotated[
        str | None, Query(pattern=CODE_PATTERN, description="按事项筛选（事项编码）", examples=["TH-002"])
    ] = None,
    agency_code: Annotated[
        str | None,
        Query(pattern=CODE_PATTERN, description="只看该机构及其下级机构（须在本人机构范围内）", examples=["SH"]),
    ] = None,
    number: Annotated[
        str | None, Query(pattern=r"^HS[0-9]{14}$", description="按申请编号查找", examples=["HS20261127042817"])
    ] = None,
    applicant: Annotated[
        str | None,
        Query(
            min_length=1, max_length=64, pattern=_TYPED_NAME, description="按申请联系人姓名查找（完全一致）"
        ),
    ] = None,
    submitted_from: Annotated[
        WrittenDate | None, Query(description="提交日期起（含，北京时间）", examples=["2026-12-01"])
    ] = None,
    submitted_to: Annotated[
        WrittenDate | None, Query(description="提交日期止（含，北京时间）", examples=["2026-12-31"])
    ] = None,
    due: Annotated[
        Literal["overdue", "due_soon"] | None,
        Query(
            description="按办结时限筛选（仅计时中的办件）：overdue 已超期；due_soon 即将到期"
            "（今日起剩余工作日不超过预警天数 DEADLINE_WARNING_WORKING_DAYS，默认 3）"
        ),
    ] = None,
    sort: Annotated[
        Literal["newest", "deadline"],
        Query(
            description="排序：newest 最新在前（默认）；deadline 承诺办结日期最早在前，"
            "暂停计时、已办结及无办结时限的排在最后"
        ),
    ] = "newest",
) -> QueueQuery:
    return QueueQuery(
        status=status_filter,
        agency_code=agency_code,
        filter=QueueFilter(
            item_code=item_code,
            number=number,
            contact_name=applicant,
            submitted_from=_china_midnight(submitted_from),
            submitted_before=_china_midnight(submitted_to, days_later=1),
            **_due_window(due, settings.deadline_warning_working_days),
        ),
        sort=sort,
    )


def _due_window(due: str | None, warning_days: int) -> dict[str, date]:
    """超期: due before today; 即将到期: due from today on, at most ``warning_days`` working days left."""
    today = deadlines.today()
    if due == "overdue":
        return {"due_before": today}
    if due == "due_soon":
        return {"due_from": today, "due_before": deadlines.soon_before(today, warning_days)}
    return {}


def _china_midnight(day: date | None, *, days_later: int = 0) -> datetime | None:
    """The start of ``day`` (plus ``days_later``) in Beijing time, in UTC: dates staff pick are
    Beijing dates. None past the calendar's ends (0001-01-01, 9999-12-31): no bound there."""
    if day is None:
        return None
    try:
        return datetime.combine(day + timedelta(days=days_later), time(), CHINA_TIME).astimezone(UTC)
    except OverflowError:
        return None


QueueQueryDep = Annotated[QueueQuery, Depends(_queue_query)]


async def _back_office_queue_query(
    query: QueueQueryDep,
    updated_since: Annotated[
        QueryDateTime | None,
        Query(
            description="只列出该时间（含）以后有变化的办件，带时区的 ISO 8601；给出时按更新时间先后排列"
            "（最早更新的在前，`sort` 不适用）。轮询时以上次所得最后一件的 `updated_at` 为下次的起点，"
            "按 `id` 与 `version` 去重",
            examples=["2026-12-07T08:00:00+08:00"],
        ),
    ] = None,
) -> QueueQuery:
    if updated_since is None:
        return query
    return replace(query, filter=replace(query.filter, updated_since=updated_since), sort="changes")


# The back office's queue: the staff queue's filters, and what changed since it last looked.
BackOfficeQueueQuery = Annotated[QueueQuery, Depends(_back_office_queue_query)]
