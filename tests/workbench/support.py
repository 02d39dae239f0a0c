"""What the workbench's browser tests share: the watched tab, first sign-in, an application
submitted through the API, and the operator's way of creating a staff account."""

import io
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import httpx
import pyotp
import pytest

from app import cli
from app.core import security
from app.core.config import get_settings
from tests.support import files
from tests.support.passwords import SHIPPED
from tests.support.servers import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
# A draft edit checks the whole dataset with the file loaders (about a second on the idle
# machine, several under the suite's load): the default five seconds are too short to wait for it.
DRAFT_EDIT_MS = 30_000
BUILT = REPO_ROOT / "app" / "workbench" / "static" / "index.html"
SCREENS = REPO_ROOT / "workbench" / "screens"
INITIAL_PASSWORD = "Initial#2026wb"
NEW_PASSWORD = "Reviewer#2026wb"
IDLE_TIMEOUT_S = 900  # the default SESSION_IDLE_TIMEOUT

SKIP_WITHOUT_BROWSER = pytest.mark.skipif(
    not BUILT.exists() or not os.access(CHROMIUM, os.X_OK),
    reason="run `make test` (it builds the workbench) on a machine with Debian's chromium",
)


def create_staff(username: str, agency: str, environment: dict) -> None:
    create_operator(username, "staff", environment, agency=agency, display_name=f"受理员{agency}")


def create_operator(
    username: str, role: str, environment: dict, *, agency: str | None = None, display_name: str = "系统管理员"
) -> None:
    """As the operator does on the host (`python -m app.cli create-user … --password-stdin`): a
    staff or administrator account with a one-time initial password, hashed at the shipped cost
    like every password the server itself stores.

    The command's own ``main`` runs here rather than in a new interpreter (which would spend
    seconds importing the app for each account); tests/admin/test_dual_control.py runs it as a
    process. It runs in a thread of its own: the sync Playwright driver holds this thread's
    event loop."""
    saved_environment = {name: os.environ.get(name) for name in environment}
    saved_stdin, cheap = sys.stdin, security._passwords
    for name, value in environment.items():
        if value:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)
    get_settings.cache_clear()
    sys.stdin, security._passwords = io.StringIO(INITIAL_PASSWORD + "\n"), SHIPPED
    try:
        with ThreadPoolExecutor(max_workers=1) as thread:
            thread.submit(
                cli.main,
                ["create-user", "--role", role, "--username", username, "--name", display_name,
                 *(["--agency", agency] if agency else []), "--password-stdin"],
            ).result()
    finally:
        sys.stdin, security._passwords = saved_stdin, cheap
        for name, value in saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()


class Watched:
    """A browser tab that records what the page must never do: break the CSP, throw, or reach
    any origin other than the app's."""

    def __init__(self, browser, base: str):
        self.context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        self.context.clock.install()  # the idle clock can then be moved forward
        self.page = self.context.new_page()
        self.problems: list[str] = []
        origin = urlsplit(base).netloc

        def guard(route):
            if urlsplit(route.request.url).netloc not in (origin, ""):
                self.problems.append(f"request to another origin: {route.request.url}")
                route.abort()
            else:
                route.continue_()

        self.page.route(re.compile(r"^https?://"), guard)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on(
            "console",
            lambda message: self.problems.append(f"console: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None,
        )

    def close(self):
        self.context.close()


def shoot(page, screens, name: str, *, whole_page: bool = True) -> None:
    """A screen as staff see it: the whole page, or (with a dialog open) the window."""
    page.wait_for_timeout(300)  # dialogs and messages finish their transitions
    page.screenshot(path=str(screens / f"{name}.png"), full_page=whole_page)


def first_sign_in(
    page, base: str, username: str, screens=None, lands_at: str = "/workbench/applications", prefix: str = ""
) -> list[str]:
    """Initial password → new password → bind an authenticator from the QR → recovery codes."""
    page.goto(f"{base}/workbench/")
    page.get_by_placeholder("请输入用户名").fill(username)
    page.get_by_placeholder("请输入密码").fill(INITIAL_PASSWORD)
    if screens:
        shoot(page, screens, f"{prefix}01-登录")
    page.get_by_role("button", name="登录").click()

    page.get_by_placeholder("请输入新密码").fill(NEW_PASSWORD)
    page.get_by_placeholder("请再次输入新密码").fill(NEW_PASSWORD)
    if screens:
        shoot(page, screens, f"{prefix}02-首次登录设置新密码")
    page.get_by_role("button", name="设置新密码并继续").click()

    qr = page.get_by_alt_text("身份验证器二维码")
    qr.wait_for()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code did not render"
    secret = page.locator("[data-test=totp-secret]").inner_text().strip()
    page.get_by_placeholder("6 位数字").fill(pyotp.TOTP(secret).now())
    if screens:
        shoot(page, screens, f"{prefix}03-绑定身份验证器")
    page.get_by_role("button", name="确认绑定并登录").click()

    codes = page.locator("[data-test=recovery-codes] li")
    codes.first.wait_for()
    recovery = [code.strip() for code in codes.all_inner_texts()]
    assert len(recovery) == 10
    if screens:
        shoot(page, screens, f"{prefix}04-恢复码")
    enter = page.get_by_role("button", name="进入工作台")
    assert enter.is_disabled()  # not before the codes are kept
    page.get_by_text("我已妥善保存恢复码").click()
    enter.click()
    page.wait_for_url(re.compile(re.escape(lands_at)))
    return recovery


def submitted_by_the_company(base: str, agency: str = "SH") -> dict:
    """demo-corp applies for TH-002 to ``agency`` through the API: an image and PDFs as its
    materials."""
    with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as api:
        tokens = api.post("/auth/login/password", json={"username": "demo-corp", "password": "Demo@12345"})
        headers = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
        item = next(i for i in api.get("/online-items").json() if i["item_code"] == "TH-002")
        materials = []
        for index, slot in enumerate(s for s in item["material_slots"] if s["required"]):
            name, content, kind = (
                (f"{slot['name'][:20]}.png", files.png(), "image/png")
                if index == 0
                else (f"{slot['name'][:20]}.pdf", files.pdf(), "application/pdf")
            )
            uploaded = api.post("/me/materials", files={"file": (name, content, kind)}, headers=headers)
            assert uploaded.status_code == 201, uploaded.text
            materials.append({"slot": slot["slot"], "material_id": uploaded.json()["id"]})
        draft = {
            "item_code": "TH-002",
            "agency_code": agency,
            "form": item["example"],
            "materials": materials,
            "contact_name": "王海明",
            "contact_phone": "13800138000",
        }
        created = api.post("/applications", json=draft, headers=headers)
        assert created.status_code == 201, created.text
        submitted = api.post(f"/applications/{created.json()['id']}/submit", headers=headers)
        assert submitted.status_code == 200, submitted.text
        return {**submitted.json(), "headers": headers}


def as_the_company(base: str, application: dict) -> dict:
    with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as api:
        return api.get(f"/applications/{application['id']}", headers=application["headers"]).json()


LICENCE_MATTER = "准予在吴淞口锚地以北水域划定安全作业区，用于码头前沿疏浚作业"


def pick_date(page, test_id: str, day: str) -> None:
    """A TDesign date picker, by keyboard: type the date once its calendar is open, Enter."""
    field = page.locator(f"[data-test={test_id}] input")
    field.click()
    page.locator(".t-date-picker__panel:visible").wait_for()
    page.wait_for_timeout(300)  # the calendar's opening resets what the field shows
    field.fill(day)
    field.press("Enter")
    page.locator(".t-date-picker__panel:visible").wait_for(state="hidden")
    assert field.input_value() == day


def approve_with_a_licence(page, valid_from: str, valid_until: str, screens=None, prefix: str = "") -> None:
    """准予 a 许可: 许可事项 and 有效期限 filled, the document previewed (and closed), then 确认."""
    page.get_by_role("button", name="准予（办结）").click()
    confirm = page.get_by_role("button", name="确认准予（办结）")
    assert confirm.is_disabled()  # not before the document was previewed
    page.locator("[data-test=licence-matter] textarea").fill(LICENCE_MATTER)
    pick_date(page, "licence-from", valid_from)
    pick_date(page, "licence-until", valid_until)
    page.locator("[data-test=licence-conditions] textarea").fill("作业期间须派警戒船现场维护通航秩序")
    if screens:
        shoot(page, screens, f"{prefix}01-准予许可内容", whole_page=False)
    page.locator("[data-test=preview-decision]").click()
    frame = page.locator("[data-test=preview] iframe")
    frame.wait_for()
    if screens:
        page.wait_for_timeout(2500)  # Chromium's PDF viewer draws the page (no event tells when)
        shoot(page, screens, f"{prefix}02-预览决定书", whole_page=False)
    page.keyboard.press("Escape")
    frame.wait_for(state="detached")
    confirm.click()
    page.locator("[data-test=status]", has_text="已办结").wait_for()


def a_year_from_today() -> tuple[str, str]:
    """有效期限 of a year from today (Beijing), as the date pickers take it."""
    start = datetime.now(timezone(timedelta(hours=8))).date()
    return start.isoformat(), (start + timedelta(days=364)).isoformat()
