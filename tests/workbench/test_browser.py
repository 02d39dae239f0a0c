"""受理审批工作台 in Debian's Chromium against the app as `make run` serves it.

A staff member created by the operator signs in for the first time (sets a new password, binds an
authenticator from the QR code, keeps the recovery codes), finds the application a company has
just submitted through the API, opens a material, accepts and approves it; the company sees the
result through the API; staff of another agency never see it; the idle warning comes before the
session ends; signing in again works with a recovery code. The page runs under the app's CSP and
asks nothing of any other origin. Screenshots of each screen go to workbench/screens/.
"""

import os
import re
import shutil
import subprocess
from urllib.parse import urlsplit

import httpx
import pyotp
import pytest
from playwright.sync_api import expect

from tests.support import files
from tests.support.servers import REPO_ROOT, VENV_BIN, start_api, stop

CHROMIUM = "/usr/bin/chromium"
BUILT = REPO_ROOT / "app" / "workbench" / "static" / "index.html"
SCREENS = REPO_ROOT / "workbench" / "screens"
INITIAL_PASSWORD = "Initial#2026wb"
NEW_PASSWORD = "Reviewer#2026wb"
IDLE_TIMEOUT_S = 900  # the default SESSION_IDLE_TIMEOUT

pytestmark = pytest.mark.skipif(
    not BUILT.exists() or not os.access(CHROMIUM, os.X_OK),
    reason="run `make test` (it builds the workbench) on a machine with Debian's chromium",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("workbench") / "var"
    environment = {
        "DATA_DIR": str(data_dir),
        "AUTH_REQUESTS_PER_MINUTE": "1000",
    }
    saved = os.environ.pop("DATABASE_URL", None)  # the embedded default, as `make run`
    try:
        process, base = start_api(environment)
    finally:
        if saved is not None:
            os.environ["DATABASE_URL"] = saved
    try:
        for username, agency in (("wb-staff-sh", "SH"), ("wb-staff-tj", "TJ")):
            _create_staff(username, agency, {**environment, "DATABASE_URL": ""})
        yield base
    finally:
        stop(process)


def _create_staff(username: str, agency: str, environment: dict) -> None:
    """As the operator does on the host: a staff account with a one-time initial password."""
    env = {k: v for k, v in {**os.environ, **environment}.items() if v}
    result = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "app.cli", "create-user", "--role", "staff", "--username", username,
         "--name", f"受理员{agency}", "--agency", agency, "--password-stdin"],
        input=INITIAL_PASSWORD, text=True, capture_output=True, cwd=REPO_ROOT, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (only where the browser runs)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def screens():
    shutil.rmtree(SCREENS, ignore_errors=True)
    SCREENS.mkdir(parents=True)
    return SCREENS


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


def _shoot(page, screens, name: str, *, whole_page: bool = True) -> None:
    """A screen as staff see it: the whole page, or (with a dialog open) the window."""
    page.wait_for_timeout(300)  # dialogs and messages finish their transitions
    page.screenshot(path=str(screens / f"{name}.png"), full_page=whole_page)


def _first_sign_in(page, base: str, username: str, screens=None) -> list[str]:
    """Initial password → new password → bind an authenticator from the QR → recovery codes."""
    page.goto(f"{base}/workbench/")
    page.get_by_placeholder("请输入用户名").fill(username)
    page.get_by_placeholder("请输入密码").fill(INITIAL_PASSWORD)
    if screens:
        _shoot(page, screens, "01-登录")
    page.get_by_role("button", name="登录").click()

    page.get_by_placeholder("请输入新密码").fill(NEW_PASSWORD)
    page.get_by_placeholder("请再次输入新密码").fill(NEW_PASSWORD)
    if screens:
        _shoot(page, screens, "02-首次登录设置新密码")
    page.get_by_role("button", name="设置新密码并继续").click()

    qr = page.get_by_alt_text("身份验证器二维码")
    qr.wait_for()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code did not render"
    secret = page.locator("[data-test=totp-secret]").inner_text().strip()
    page.get_by_placeholder("6 位数字").fill(pyotp.TOTP(secret).now())
    if screens:
        _shoot(page, screens, "03-绑定身份验证器")
    page.get_by_role("button", name="确认绑定并登录").click()

    codes = page.locator("[data-test=recovery-codes] li")
    codes.first.wait_for()
    recovery = [code.strip() for code in codes.all_inner_texts()]
    assert len(recovery) == 10
    if screens:
        _shoot(page, screens, "04-恢复码")
    enter = page.get_by_role("button", name="进入工作台")
    assert enter.is_disabled()  # not before the codes are kept
    page.get_by_text("我已妥善保存恢复码").click()
    enter.click()
    page.wait_for_url(re.compile(r"/workbench/applications"))
    return recovery


def _submitted_by_the_company(base: str) -> dict:
    """demo-corp applies for TH-002 through the API: an image and PDFs as its materials."""
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
            "agency_code": "SH",
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


def _as_the_company(base: str, application: dict) -> dict:
    with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as api:
        return api.get(f"/applications/{application['id']}", headers=application["headers"]).json()


def test_a_whole_review_in_the_browser(server, browser, screens):
    application = _submitted_by_the_company(server)
    tab = Watched(browser, server)
    page = tab.page

    recovery = _first_sign_in(page, server, "wb-staff-sh", screens)

    # 办件队列: 待受理 by default; narrowed to the number the company was given.
    page.locator(".t-tabs__nav-item.t-is-active", has_text="待受理").wait_for()
    page.get_by_placeholder("HS 开头的 16 位编号").fill(application["number"])
    page.get_by_role("button", name="查询").click()
    row = page.get_by_role("row").filter(has_text=application["number"])
    row.wait_for()
    expect(row).to_contain_text("待受理")
    expect(page.get_by_role("row")).to_have_count(2)  # the header and this application only
    _shoot(page, screens, "05-办件队列")
    row.get_by_text(application["number"]).click()

    # 办件详情: the form with its labels, the contact, the materials; an image opens inline.
    page.locator("[data-test=number]").wait_for()
    assert page.locator("[data-test=status]").inner_text() == "待受理"
    assert page.get_by_text("王海明").first.is_visible() and page.get_by_text("13800138000").is_visible()
    _shoot(page, screens, "06-办件详情")
    page.get_by_role("row").filter(has_text=".png").get_by_text("预览").click()
    image = page.locator("[data-test=preview] img")
    image.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=image.element_handle())
    _shoot(page, screens, "07-材料预览", whole_page=False)
    page.keyboard.press("Escape")
    image.wait_for(state="detached")

    # 受理, then 准予: each asks for confirmation; the buttons are the server's allowed_actions.
    page.get_by_role("button", name="受理", exact=True).click()
    page.get_by_placeholder("如：材料齐全，予以受理").fill("材料齐全，予以受理")
    _shoot(page, screens, "08-确认受理", whole_page=False)
    page.get_by_role("button", name="确认受理").click()
    page.locator("[data-test=status]", has_text="已受理").wait_for()
    assert page.get_by_role("button", name="受理", exact=True).count() == 0
    page.get_by_role("button", name="准予（办结）").click()
    page.get_by_role("button", name="确认准予（办结）").click()
    page.locator("[data-test=status]", has_text="已办结").wait_for()
    assert page.get_by_role("button", name="准予（办结）").count() == 0
    _shoot(page, screens, "09-已办结")

    # The decision document, as issued, opens inline as a PDF.
    page.get_by_role("row").filter(has_text="决定书").get_by_text("查看").click()
    frame = page.locator("[data-test=preview] iframe")
    frame.wait_for()
    assert frame.get_attribute("src").startswith("blob:")
    page.wait_for_timeout(2500)  # Chromium's PDF viewer draws the page (no event tells when)
    _shoot(page, screens, "10-查看决定书", whole_page=False)
    page.keyboard.press("Escape")
    frame.wait_for(state="detached")

    seen = _as_the_company(server, application)
    assert seen["status"]["code"] == "approved"
    assert [entry["action"]["label"] for entry in seen["timeline"]][-2:] == ["受理", "办结"]
    assert len(seen["notices"]) >= 2

    # 要求补正 on another application: two material slots, each named for the applicant.
    second = _submitted_by_the_company(server)
    page.goto(f"{server}/workbench/applications/{second['id']}")
    page.get_by_role("button", name="要求补正").click()
    page.get_by_text("设计单位资质认证文书").last.click()
    page.get_by_text("已通过评审的通航安全评估报告").last.click()
    page.get_by_placeholder("说明需要补正的内容和要求").fill("资质证书已过有效期；评估报告缺评审意见页")
    _shoot(page, screens, "11-要求补正", whole_page=False)
    page.get_by_role("button", name="确认要求补正").click()
    page.locator("[data-test=status]", has_text="待补正").wait_for()
    asked = _as_the_company(server, second)
    assert asked["status"]["code"] == "supplement_required"
    assert {"edit", "submit"} <= set(asked["allowed_actions"])
    assert asked["timeline"][-1]["comment"].startswith("资质证书已过有效期")

    # Idle: the warning comes first and 继续工作 keeps the session; silence ends it.
    allowance = IDLE_TIMEOUT_S - 60
    page.clock.fast_forward((allowance - 100) * 1000)
    countdown = page.locator("[data-test=idle-countdown]")
    countdown.wait_for()
    assert 0 < int(countdown.inner_text()) <= 120
    _shoot(page, screens, "12-即将自动退出", whole_page=False)
    page.get_by_role("button", name="继续工作").click()
    countdown.wait_for(state="hidden")
    page.clock.fast_forward((allowance + 5) * 1000)
    page.wait_for_url(re.compile(r"/workbench/login"))
    assert page.get_by_text("由于长时间未操作，已安全退出").is_visible()

    tab.close()
    assert tab.problems == [], tab.problems

    # Signing in again: the phone is not at hand, a recovery code stands in for the code.
    tab = Watched(browser, server)
    page = tab.page
    page.goto(f"{server}/workbench/")
    page.get_by_placeholder("请输入用户名").fill("wb-staff-sh")
    page.get_by_placeholder("请输入密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("手机不在身边？使用恢复码").click()
    page.get_by_placeholder("如 ABCDE-FGHJK").fill(recovery[0])
    page.get_by_role("button", name="验证并登录").click()
    page.wait_for_url(re.compile(r"/workbench/applications"))
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r"/workbench/login"))
    assert page.get_by_text("已退出登录").is_visible()
    tab.close()
    assert tab.problems == [], tab.problems


def test_staff_of_another_agency_never_see_it(server, browser):
    application = _submitted_by_the_company(server)
    tab = Watched(browser, server)
    page = tab.page
    _first_sign_in(page, server, "wb-staff-tj")

    page.locator(".t-tabs__nav-item", has_text="全部").click()
    page.get_by_placeholder("HS 开头的 16 位编号").fill(application["number"])
    page.get_by_role("button", name="查询").click()
    page.get_by_text("没有符合条件的办件").wait_for()
    page.goto(f"{server}/workbench/applications/{application['id']}")
    page.get_by_text("办件不存在，或不属于本机构及下级机构").wait_for()

    tab.close()
    assert tab.problems == [], tab.problems
