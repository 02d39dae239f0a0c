"""Machine clients (系统对接) the tests act as, registered straight in the database.

``tests/auth/test_machine_clients.py`` registers them as an administrator does and takes tokens
at ``POST /oauth/token``; everything else only needs a client with some scopes and its token.
"""

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.auth.clients import issue_access_token, secret_hash
from app.auth.models import MachineClient
from app.core.auth import Role, Scope
from app.core.config import Settings


async def registered_client(
    session: AsyncSession,
    settings: Settings,
    *,
    scopes: Iterable[Scope],
    agency_code: str | None = "SH",
    name: str = "上海海事局业务系统",
    allowed_sources: Iterable[str] = (),
    secret: str | None = None,
) -> tuple[MachineClient, dict[str, str]]:
    """A client of ``agency_code`` holding ``scopes`` (and ``secret``, to take tokens at
    ``POST /oauth/token`` with), and the ``Authorization`` header of a token for all of them."""
    scopes = list(scopes)
    user = User(role=Role.integration, display_name=name, agency_code=agency_code)
    session.add(user)
    await session.flush()
    client = MachineClient(
        user_id=user.id,
        owner="测试",
        scopes=[scope.value for scope in scopes],
        allowed_sources=list(allowed_sources),
        secret_hash=secret_hash(secret) if secret else None,
        rate_limit_per_minute=600,
        credentials_version=1,
    )
    session.add(client)
    await session.flush()
    return client, {"Authorization": f"Bearer {issue_access_token(settings, client, scopes)}"}
