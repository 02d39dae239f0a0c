"""回访整改 in the workbench, in Debian's Chromium against the app as `make run` serves it.

A company rates a finished application 非常不满意 through the API; the task shows in the menu's
badge and the 回访整改 list; a staff member of the agency opens it (whom to call), records the
回访 and then the 整改 result, each confirmed in a dialog, by keyboard where staff would; the
company then reads the outcome in 我的评价 through the API. Screenshots of each screen go to
workbench/screens/ as follow-up-*.png.
"""

import re
import time

import httpx
import pyotp
import pytest
from playwright.sync_api import expect

from app.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.support import files
from tests.workbench.support import SKIP_WITHOUT_BROWSER, Watched, first_sign_in, shoot

pytestmark = SKIP_WITHOUT_BROWSER

COMPLAINT = "补正要求前后两次不一致，多跑了一趟"
FIXED = "已对窗口人员开展一次性告知培训，并在办事指南中补充材料示例"


def _signed_in(api: httpx.Client, username: str) -> dict:
    """A demo account's token; staff complete the second factor with the demo secret (the next
    code when this one was just used by another sign-in)."""
    body = api.post("/auth/login/password", json={"username": username, "password": DEMO_PASSWORD}).json()
    if body.get("second_factor_required"):
        totp = pyotp.TOTP(DEMO_TOTP_SECRET)
        for code in (totp.now(), totp.at(time.time() + 30)):
            answer = api.post("/auth/login/second-factor", json={"ticket": body["ticket"], "code": code})
            if answer.status_code == 200:
                break
        assert answer.status_code == 200, answer.text
        body = answer.json()
    return {"Authorization": f"Bearer {body['access_token']}"}


def rated_one_star_by_the_company(base: str) -> dict:
    """demo-corp reports a non-compliant bunkering (WF-002) to 上海海事局; its staff accept and
    finish it through the API; the company rates it 非常不满意 with its reason."""
    with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as api:
        corp = _signed_in(api, "demo-corp")
        staff = _signed_in(api, "demo-staff-sh")
        item = next(i for i in api.get("/online-items").json() if i["item_code"] == "WF-002")
        materials = []
        for slot in (s for s in item["material_slots"] if s["required"]):
            uploaded = api.post(
                "/me/materials", files={"file": (f"{slot['name'][:20]}.pdf", files.pdf(), "application/pdf")}, headers=corp
            )
            assert uploaded.status_code == 201, uploaded.text
            materials.append({"slot": slot["slot"], "material_id": uploaded.json()["id"]})
        draft = {
            "item_code": "WF-002",
            "agency_code": "SH",
            "form": item["example"],
            "materials": materials,
            "contact_name": "王海明",
            "contact_phone": "13800138000",
        }
        created = api.post("/applications", json=draft, headers=corp)
        assert created.status_code == 201, created.text
        application = api.post(f"/applications/{created.json()['id']}/submit", headers=corp).json()
        for action in ("accept", "approve"):
            decided = api.post(
                f"/staff/applications/{application['id']}/decisions",
                json={"action": action, "comment": "同意"},
                headers=staff,
            )
            assert decided.status_code == 200, decided.text
        rated = api.post(
            f"/applications/{application['id']}/evaluation",
            json={"rating": 1, "tags": ["办理时间长"], "comment": COMPLAINT},
            headers=corp,
        )
        assert rated.status_code == 201, rated.text
        return {**application, "headers": corp}


def my_evaluation(base: str, application: dict) -> dict:
    with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as api:
        items = api.get("/me/evaluations", params={"limit": 100}, headers=application["headers"]).json()["items"]
        return next(e for e in items if e["application_id"] == application["id"])


@pytest.fixture(scope="module")
def follow_up_staff(staff_account):
    return staff_account("fu-staff-sh", "SH")


def test_staff_call_back_and_put_right_a_one_star_rating(server, browser, screens, follow_up_staff):
    application = rated_one_star_by_the_company(server)
    tab = Watched(browser, server)
    page = tab.page
    first_sign_in(page, server, follow_up_staff)

    # The menu says how many are open; 回访整改 lists them, open ones first.
    menu = page.locator(".t-menu__item", has_text="回访整改")
    expect(menu.locator("[data-test=follow-up-badge]")).to_be_visible()
    menu.click()
    page.wait_for_url(re.compile(r"/workbench/follow-ups"))
    row = page.get_by_role("row").filter(has_text=application["number"])
    row.wait_for()
    expect(row).to_contain_text("非常不满意")
    expect(row).to_contain_text("待回访")
    expect(row).to_contain_text("剩 15 个工作日")
    shoot(page, screens, "follow-up-01-回访整改列表")

    # By keyboard: the number is a link; Enter opens the task.
    link = row.get_by_role("link", name=application["number"])
    link.focus()
    page.keyboard.press("Enter")
    page.locator("[data-test=state]", has_text="待回访").wait_for()
    expect(page.locator("[data-test=phone]")).to_have_text("13800138000")
    expect(page.get_by_text(COMPLAINT).first).to_be_visible()
    shoot(page, screens, "follow-up-02-回访整改详情")

    # 登记回访: the dialog closes with Esc and changes nothing; then it is filled and confirmed.
    record = page.get_by_role("button", name="登记回访")
    record.focus()
    page.keyboard.press("Enter")
    confirm = page.get_by_role("button", name="确认登记回访")
    expect(confirm).to_be_visible()
    page.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    record.click()
    page.locator("[data-test=applicant-said] textarea").fill("补正材料清单两次告知不一致")
    page.locator("[data-test=finding] textarea").fill("情况属实，一次性告知不到位")
    shoot(page, screens, "follow-up-03-登记回访", whole_page=False)
    page.get_by_role("button", name="确认登记回访").click()
    page.locator("[data-test=state]", has_text="待整改").wait_for()
    expect(page.locator("[data-test=visit]")).to_contain_text("电话")
    assert page.get_by_role("button", name="登记回访").count() == 0

    # 登记整改结果: what was changed (the applicant will read it), confirmed.
    page.get_by_role("button", name="登记整改结果").click()
    page.locator("[data-test=rectification] textarea").fill(FIXED)
    shoot(page, screens, "follow-up-04-登记整改结果", whole_page=False)
    page.get_by_role("button", name="确认登记整改结果").click()
    page.locator("[data-test=state]", has_text="已完成").wait_for()
    expect(page.locator("[data-test=result]")).to_contain_text(FIXED)
    assert page.get_by_role("button", name="登记整改结果").count() == 0
    shoot(page, screens, "follow-up-05-已完成")

    # The list now shows it done; the company reads the outcome in 我的评价.
    page.locator(".t-menu__item", has_text="回访整改").click()
    page.locator(".t-tabs__nav-item", has_text="已完成").click()
    page.wait_for_url(re.compile(r"tab=closed"))
    expect(page.get_by_role("row").filter(has_text=application["number"])).to_contain_text("已完成")
    shoot(page, screens, "follow-up-06-已完成列表")
    outcome = my_evaluation(server, application)["follow_up"]
    assert outcome["state"]["label"] == "已完成" and outcome["rectification"] == FIXED
    assert tab.problems == []
    tab.close()
