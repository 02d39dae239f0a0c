"""The 回访整改 task already loaded and checked: ``follow_up: StaffFollowUp`` is one of an agency
in the staff member's subtree (any other is a 404), and its expected version from ``If-Match``."""

import re
from typing import Annotated

from fastapi import Depends, Header, Path

from app.agencies.service import agency_subtree
from app.applications.deps import IF_MATCH_PATTERN
from app.auth.deps import Staff
from app.core.db import SessionDep
from app.core.errors import InvalidInput
from app.core.schemas import ID_PATTERN
from app.evaluations import follow_ups
from app.evaluations.models import FollowUp

FollowUpId = Annotated[str, Path(pattern=ID_PATTERN)]


async def _staff_follow_up(principal: Staff, session: SessionDep, follow_up_id: FollowUpId) -> FollowUp:
    return await follow_ups.staff_follow_up(
        session, await agency_subtree(session, principal.agency_code), follow_up_id
    )


async def _expected_version(
    if_match: Annotated[
        str,
        Header(
            alias="If-Match",
            max_length=40,
            pattern=IF_MATCH_PATTERN,
            description="回访整改任务的 `version`（取自上次读取的结果）",
        ),
    ] = None,
) -> int | None:
    if if_match is None:
        return None
    match = re.fullmatch(r'(?:W/)?"?([0-9]{1,9})"?', if_match.strip(" \t"))
    if match is None:
        raise InvalidInput([(("header", "If-Match"), "版本号格式不正确，请使用上次读取时的版本号", "invalid_version")])
    return int(match.group(1))


StaffFollowUp = Annotated[FollowUp, Depends(_staff_follow_up)]
FollowUpExpectedVersion = Annotated[int | None, Depends(_expected_version)]
