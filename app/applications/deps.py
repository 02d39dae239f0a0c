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
