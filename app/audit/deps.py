"""Dependencies of the audit trail: the auditor's gate, the query's filters, and a trail bound
to the caller for routes that record what they show or hand out."""

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Security
from pydantic import AwareDatetime, BeforeValidator, WithJsonSchema
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.audit.schemas import EventFilter
from app.auth.deps import CurrentPrincipal
from app.core.auth import Forbidden, Principal, Role
from app.core.db import SessionDep
from app.core.deps import ClientIp
from app.core.errors import InvalidInput
from app.core.schemas import ID_PATTERN


class AuditLogForbidden(Forbidden):
    keep_changes = True  # the refused attempt to read the trail stays in it
    audited = True  # as audit.query, not again as access.refused


async def _auditor(principal: CurrentPrincipal, session: SessionDep, ip: ClientIp) -> Principal:
    """Only the audit administrator (三员分立) reads the trail; every other attempt is recorded."""
    if principal.role is not Role.auditor:
        audit.record(session, "audit.query", "forbidden", actor_id=principal.user_id, ip=ip)
        raise AuditLogForbidden()
    return principal


# Security, not Depends: the role is published in the operation's security requirement.
Auditor = Annotated[Principal, Security(_auditor, scopes=[Role.auditor.value])]

_NAME = r"^[a-z0-9_.]{1,48}$"
# How a time of the trail starts; the JSON Schema says it too, besides `format: date-time`.
_ISO_DATE_TIME_START = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}"
_ISO_DATE_TIME = re.compile(_ISO_DATE_TIME_START)


def _iso_8601(value: object) -> object:
    # Pydantic would also read "0.5" as seconds since 1970; the contract says ISO 8601.
    if isinstance(value, str) and not _ISO_DATE_TIME.match(value):
        raise ValueError("请使用带时区的 ISO 8601 时间，如 2026-11-27T08:00:00+08:00")
    return value


QueryDateTime = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_8601),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": _ISO_DATE_TIME_START}),
]


async def _filters(
    event: Annotated[
        str | None,
        Query(
            pattern=_NAME,
            description="事件名称；以 `.` 结尾时按前缀匹配，如 `auth.` 为全部登录注册事件",
            examples=["auth.login_password", "application."],
        ),
    ] = None,
    actor_id: Annotated[str | None, Query(pattern=ID_PATTERN, description="操作人账号 ID")] = None,
    object_type: Annotated[
        str | None, Query(pattern=r"^[a-z_]{1,32}$", description="对象类型", examples=["application"])
    ] = None,
    object_id: Annotated[
        str | None, Query(pattern=r"^[A-Za-z0-9_.:-]{1,64}$", description="对象 ID（或编号、代码）")
    ] = None,
    outcome: Annotated[
        str | None, Query(pattern=r"^[a-z_]{1,16}$", description="结果", examples=["failure"])
    ] = None,
    since: Annotated[QueryDateTime | None, Query(description="起始时间（含），带时区的 ISO 8601")] = None,
    until: Annotated[QueryDateTime | None, Query(description="截止时间（不含），带时区的 ISO 8601")] = None,
) -> EventFilter:
    if since is not None and until is not None and since >= until:
        raise InvalidInput([(("query", "until"), "截止时间应晚于起始时间", "invalid_range")])
    return EventFilter(event, actor_id, object_type, object_id, outcome, since, until)


EventFilterDep = Annotated[EventFilter, Depends(_filters)]


@dataclass(frozen=True)
class AuditTrail:
    """The trail as seen from one signed-in request: the caller and their address are known."""

    session: AsyncSession
    actor_id: str
    ip: str

    def record(
        self,
        event: str,
        outcome: str = "success",
        *,
        object_type: str | None = None,
        object_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        audit.record(
            self.session,
            event,
            outcome,
            actor_id=self.actor_id,
            ip=self.ip,
            object_type=object_type,
            object_id=object_id,
            detail=detail,
        )


async def _trail(session: SessionDep, principal: CurrentPrincipal, ip: ClientIp) -> AuditTrail:
    return AuditTrail(session, principal.user_id, ip)


AuditTrailDep = Annotated[AuditTrail, Depends(_trail)]
