"""One live app (the embedded default, as `make run`) and one Chromium for every browser test of
the workbench. Each test module creates and signs in its own staff accounts: a first sign-in
needs a fresh account, and a TOTP code is refused when used twice."""

import os
import shutil
from collections.abc import Callable

import pytest

from tests.support.servers import start_api, stop
from tests.workbench.support import CHROMIUM, SCREENS, create_operator, create_staff


@pytest.fixture(scope="package")
def server_environment(tmp_path_factory) -> dict[str, str]:
    return {
        "DATA_DIR": str(tmp_path_factory.mktemp("workbench") / "var"),
        "AUTH_REQUESTS_PER_MINUTE": "1000",
    }


@pytest.fixture(scope="package")
def server(server_environment):
    saved = os.environ.pop("DATABASE_URL", None)  # the embedded default, as `make run`
    try:
        process, base = start_api(server_environment)
    finally:
        if saved is not None:
            os.environ["DATABASE_URL"] = saved
    try:
        yield base
    finally:
        stop(process)


@pytest.fixture(scope="package")
def staff_account(server, server_environment) -> Callable[[str, str], str]:
    """The operator creates a staff account of an agency on the running server's host."""

    def create(username: str, agency: str) -> str:
        create_staff(username, agency, {**server_environment, "DATABASE_URL": ""})
        return username

    return create


@pytest.fixture(scope="package")
def sysadmin_account(server, server_environment) -> Callable[[str], str]:
    """The operator creates a system administrator (系统管理员) on the running server's host."""

    def create(username: str) -> str:
        create_operator(username, "sysadmin", {**server_environment, "DATABASE_URL": ""})
        return username

    return create


# Per module: the sync Playwright driver holds an event loop open on this thread, and the
# package's async tests (test_serving.py) cannot run while it does.
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (only where the browser runs)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def screens():
    shutil.rmtree(SCREENS, ignore_errors=True)
    SCREENS.mkdir(parents=True)
    return SCREENS
