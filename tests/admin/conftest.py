"""The three administrators (三员: system, security, audit), each signed in."""

import pytest

from tests.support.people import bearer, password_login


@pytest.fixture
async def admins(api) -> dict[str, dict]:
    return {
        role: bearer(await password_login(api, f"demo-{role}"))
        for role in ("sysadmin", "secadmin", "auditor")
    }
