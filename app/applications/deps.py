"""Dependencies shared by the applicant and staff routes."""

import re
from typing import Annotated

from fastapi import Depends, Header, Path

from app.applications.service import Desk
from app.core.db import SessionDep
from app.core.deps import PiiDep, SettingsDep, WeChatDep
from app.core.errors import InvalidInput
from app.core.schemas import ID_PATTERN

ApplicationId = Annotated[str, Path(pattern=ID_PATTERN)]
# An application's `version`, as a plain or (weak) entity tag.
IF_MATCH_PATTERN = r'^[ \t]*(?:W/)?"?[0-9]{1,9}"?[ \t]*$'


async def _desk(session: SessionDep, settings: SettingsDep, pii: PiiDep, wechat: WeChatDep) -> Desk:
    return Desk(session, settings, pii, wechat)


async def _expected_version(
    if_match: Annotated[
        str | None,
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
    match = re.fullmatch(r'[ \t]*(?:W/)?"?([0-9]{1,9})"?[ \t]*', if_match)
    if match is None:
        raise InvalidInput([(("header", "If-Match"), "If-Match 应为办件的版本号", "invalid_version")])
    return int(match.group(1))


DeskDep = Annotated[Desk, Depends(_desk)]
ExpectedVersion = Annotated[int | None, Depends(_expected_version)]
