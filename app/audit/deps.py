"""The audit query's filters. The auditor's gate (``Auditor``) and the trail bound to the caller
(``AuditTrailDep``) need the signed-in principal, so they are in ``app.auth.deps``: ``app.audit``
sits below ``app.auth``, which records every sign-in in the trail."""

import re
from typing import Annotated

from fastapi import Depends, Query
from pydantic import AwareDatetime, BeforeValidator, WithJsonSchema

from app.audit.schemas import EventFilter
from app.core.errors import InvalidInput
from app.core.schemas import ID_PATTERN


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
