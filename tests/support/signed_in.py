"""The users the tests sign in as, defined once and shared as fixtures (``tests/conftest.py``).

Each fixture is the ``Authorization`` header of a user signed in for this test only, except
``seafarer``, a new personal user with certificates in the registry.
"""

import pytest

from tests.support.applying import login
from tests.support.audit import auditor
from tests.support.certificates import new_seafarer
from tests.support.people import bearer, register_citizen


@pytest.fixture
async def corp(api) -> dict:
    """The demo company (demo-corp), which applies online and reports for the examples' ships."""
    return await login(api, "demo-corp")


@pytest.fixture
async def staff(api) -> dict:
    """Staff of 上海海事局 (demo-staff-sh), who review the applications of its subtree."""
    return await login(api, "demo-staff-sh")


@pytest.fixture
async def citizen(api) -> dict:
    """A person who has just registered a personal account (个人注册)."""
    _, tokens = await register_citizen(api)
    return bearer(tokens)


@pytest.fixture
async def reader(api) -> dict:
    """The audit administrator (demo-auditor), who reads the audit trail."""
    return await auditor(api)


@pytest.fixture
async def seafarer(api):
    """A new personal user whose crew certificates the registry holds."""
    return await new_seafarer(api)
