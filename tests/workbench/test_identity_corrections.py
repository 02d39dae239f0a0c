"""办件详情's 申请人 card, the 纠错待办 screens and keyboard use of the workbench, in Chromium.

Staff open a person's application and see the name and ID number in full (and the view is in the
audit trail); a company's application shows the company, its 统一社会信用代码 and the 经办人. A
seafarer (through the API) asks for a certificate to be corrected with a photo as evidence;
staff find it under 纠错待办, preview the photo, 予以更正, and the seafarer sees the outcome;
staff of another agency never see it. Staff also work the queue by keyboard alone: Tab to a row,
Enter opens it, Tab to 受理, Enter opens the dialog with the focus inside, Esc closes it.
"""

import re
import time

import httpx
import pyotp
import pytest
from playwright.sync_api import expect

from app.demo import DEMO_CORPORATE, DEMO_TOTP_SECRET
from tests.support import files
from tests.support.people import FACE_CONSENT, STRONG_PASSWORD, citizen
from tests.workbench.support import (
    INITIAL_PASSWORD,
    NEW_PASSWORD,
    SKIP_WITHOUT_BROWSER,
    Watched,
    first_sign_in,
    shoot,
    submitted_by_the_company,
)

pytestmark = SKIP_WITHOUT_BROWSER

COC = "SEAFARER_COC_SEA"  # a 船员证照 the registry holds for every new seafarer, issued in 上海


@pytest.fixture(scope="module")
def reviewers(staff_account):
    return staff_account("idc-staff-sh", "SH"), staff_account("idc-staff-tj", "TJ")


@pytest.fixture(scope="module")
def shanghai(server, browser, reviewers):
    """One tab of 上海海事局's reviewer for the module (a first sign-in happens once)."""
    tab = Watched(browser, server)
    first_sign_in(tab.page, server, "idc-staff-sh")
    yield tab
    tab.close()
    assert tab.problems == [], tab.problems


def _api(server: str) -> httpx.Client:
    return httpx.Client(base_url=f"{server}/api/v1", timeout=30)


def _registered_person(server: str) -> tuple[dict, dict]:
    """个人注册 through the API (face verified by the development fake): the person, their header."""
    person = citizen()
    with _api(server) as api:
        face = api.post(
            "/auth/face/sessions",
            json={**{k: person[k] for k in ("name", "id_number")}, "purpose": "register",
                  "method": "reflective", "consent": FACE_CONSENT},
        )
        assert face.status_code == 201, face.text
        registered = api.post(
            "/auth/register/personal",
            json={**person, "password": STRONG_PASSWORD,
                  "face_session_id": face.json()["face_session_id"], "verify_result": "fake:pass"},
        )
        assert registered.status_code == 201, registered.text
    return person, {"Authorization": f"Bearer {registered.json()['access_token']}"}


def _upload(api: httpx.Client, headers: dict, name: str, content: bytes, kind: str) -> str:
    uploaded = api.post("/me/materials", files={"file": (name, content, kind)}, headers=headers)
    assert uploaded.status_code == 201, uploaded.text
    return uploaded.json()["id"]


def _submitted_by_the_person(server: str, headers: dict) -> dict:
    """The person applies for TH-001 (禁航区和安全作业区) with a PDF in each required slot."""
    with _api(server) as api:
        item = next(i for i in api.get("/online-items").json() if i["item_code"] == "TH-001")
        draft = {
            "item_code": "TH-001",
            "agency_code": "SH",
            "form": item["example"],
            "materials": [
                {"slot": s["slot"], "material_id": _upload(api, headers, f"{s['slot']}.pdf", files.pdf(),
                                                           "application/pdf")}
                for s in item["material_slots"] if s["required"]
            ],
            "contact_name": "周海涛",
            "contact_phone": "13900001111",
        }
        created = api.post("/applications", json=draft, headers=headers)
        assert created.status_code == 201, created.text
        submitted = api.post(f"/applications/{created.json()['id']}/submit", headers=headers)
        assert submitted.status_code == 200, submitted.text
        return submitted.json()


def _identity_views(server: str, application_id: str) -> list[dict]:
    """application.personal_data_view rows of the application, as the audit administrator reads them."""
    with _api(server) as api:
        ticket = api.post("/auth/login/password", json={"username": "demo-auditor", "password": "Demo@12345"})
        assert ticket.status_code == 200, ticket.text
        totp = pyotp.TOTP(DEMO_TOTP_SECRET)
        for later in (0, 30, 60):  # a code is refused when used twice: take the next one
            signed = api.post(
                "/auth/login/second-factor",
                json={"ticket": ticket.json()["ticket"], "code": totp.at(time.time() + later)},
            )
            if signed.status_code == 200:
                break
        assert signed.status_code == 200, signed.text
        events = api.get(
            "/audit/events",
            params={"event": "application.personal_data_view", "object_id": application_id},
            headers={"Authorization": f"Bearer {signed.json()['access_token']}"},
        )
        assert events.status_code == 200, events.text
        return events.json()["items"]


def test_staff_see_who_applied_a_person_in_full_and_a_company_with_its_operator(server, screens, shanghai):
    page = shanghai.page
    person, headers = _registered_person(server)
    personal = _submitted_by_the_person(server, headers)

    page.goto(f"{server}/workbench/applications/{personal['id']}")
    card = page.locator("[data-test=applicant]")
    expect(card.locator("[data-test=account-type]")).to_have_text("个人用户")
    expect(card.locator("[data-test=applicant-name]")).to_have_text(person["name"])
    expect(card.locator("[data-test=applicant-id-number]")).to_have_text(person["id_number"])
    expect(card).to_contain_text("13900001111")  # then the contact, unmasked
    shoot(page, screens, "identity-01-个人申请人")
    (view, *_) = _identity_views(server, personal["id"])
    assert view["detail"] == {"shown": ["identity", "contact"], "account_type": "personal"}
    assert person["id_number"] not in str(view)

    company = submitted_by_the_company(server)
    page.goto(f"{server}/workbench/applications/{company['id']}")
    card = page.locator("[data-test=applicant]")
    expect(card.locator("[data-test=account-type]")).to_have_text("法人用户")
    expect(card.locator("[data-test=applicant-company]")).to_have_text(DEMO_CORPORATE.company_name)
    expect(card.locator("[data-test=applicant-credit-code]")).to_have_text(DEMO_CORPORATE.credit_code)
    expect(card.locator("[data-test=applicant-operator]")).to_have_text(DEMO_CORPORATE.operator_name)
    expect(card.locator("[data-test=applicant-operator-id]")).to_have_text(DEMO_CORPORATE.operator_id_number)
    shoot(page, screens, "identity-02-法人申请人")


def test_a_correction_is_previewed_and_granted_and_the_holder_sees_it(server, browser, screens, shanghai):
    _, holder = _registered_person(server)
    with _api(server) as api:
        (card,) = api.get("/me/certificates", params={"type": COC}, headers=holder).json()["items"]
        proof = _upload(api, holder, "考试成绩单.png", files.png(), "image/png")
        asked = api.post(
            f"/me/certificates/{card['id']}/corrections",
            json={"field": "navigation_area", "proposed_value": "沿海航区",
                  "reason": "考试航区为沿海航区，证书误印为无限航区", "material_ids": [proof]},
            headers=holder,
        )
        assert asked.status_code == 201, asked.text
    correction = asked.json()
    page = shanghai.page

    # 纠错待办 from the menu: first come, first served; this one among the 待处理.
    page.goto(f"{server}/workbench/applications")
    page.get_by_role("menuitem", name="纠错待办").or_(page.locator(".t-menu__item", has_text="纠错待办")).first.click()
    page.wait_for_url(re.compile(r"/workbench/corrections"))
    row = page.get_by_role("row").filter(has_text=card["number"])
    expect(row).to_contain_text("待处理")
    expect(row).to_contain_text("沿海航区")
    shoot(page, screens, "corrections-01-纠错待办")
    row.click()

    # 纠错详情: what the holder says is wrong, the evidence previewed inline.
    page.wait_for_url(re.compile(rf"/workbench/corrections/{correction['id']}"))
    expect(page.locator("[data-test=correction-status]")).to_have_text("待处理")
    expect(page.locator("[data-test=current-value]")).to_have_text("无限航区")
    expect(page.locator("[data-test=proposed-value]")).to_have_text("沿海航区")
    expect(page.locator("[data-test=reason]")).to_have_text("考试航区为沿海航区，证书误印为无限航区")
    shoot(page, screens, "corrections-02-纠错详情")
    page.get_by_role("row").filter(has_text="考试成绩单.png").get_by_text("预览").click()
    image = page.locator("[data-test=preview] img")
    image.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=image.element_handle())
    shoot(page, screens, "corrections-03-证明材料预览", whole_page=False)
    page.keyboard.press("Escape")
    image.wait_for(state="detached")

    # 不予更正 needs a reason (asked, then cancelled); 予以更正 is confirmed, then done.
    page.get_by_role("button", name="不予更正").click()
    page.get_by_role("button", name="确认不予更正").click()
    expect(page.get_by_text("请填写不予更正的原因")).to_be_visible()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="予以更正", exact=True).click()
    page.get_by_placeholder("如：经核实予以更正").fill("经核对考试记录，予以更正")
    shoot(page, screens, "corrections-04-确认予以更正", whole_page=False)
    page.get_by_role("button", name="确认予以更正").click()
    expect(page.locator("[data-test=correction-status]")).to_have_text("已更正")
    expect(page.locator("[data-test=outcome]")).to_contain_text("经核对考试记录，予以更正")
    assert page.get_by_role("button", name="予以更正", exact=True).count() == 0
    shoot(page, screens, "corrections-05-已更正")

    # The holder sees the outcome in 我的纠错, and the certificate carries the new value.
    with _api(server) as api:
        (mine,) = api.get("/me/corrections", headers=holder).json()["items"]
        fields = {f["key"]: f["value"] for f in api.get(f"/me/certificates/{card['id']}", headers=holder).json()["fields"]}
    assert (mine["status"]["label"], mine["old_value"], mine["comment"]) == ("已更正", "无限航区", "经核对考试记录，予以更正")
    assert fields["navigation_area"] == "沿海航区"

    # 天津海事局's reviewer: not in their 纠错待办, and its address shows nothing.
    tab = Watched(browser, server)
    other = tab.page
    first_sign_in(other, server, "idc-staff-tj")
    other.goto(f"{server}/workbench/corrections?status=all")
    other.locator(".t-tabs__nav-item.t-is-active", has_text="全部").wait_for()
    expect(other.get_by_role("row").filter(has_text=card["number"])).to_have_count(0)
    other.goto(f"{server}/workbench/corrections/{correction['id']}")
    expect(other.get_by_text("纠错申请不存在，或证照不是本机构及下级机构签发的")).to_be_visible()
    tab.close()
    assert tab.problems == [], tab.problems


def _tab_until(page, test: str, *, limit: int = 80) -> None:
    """Presses Tab until ``test`` (a JS predicate on document.activeElement) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {test})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached: {test}")


def test_the_queue_detail_and_decision_dialog_work_by_keyboard_alone(server, screens, shanghai):
    application = submitted_by_the_company(server)
    page = shanghai.page
    page.goto(f"{server}/workbench/applications?number={application['number']}")
    page.locator(f"tr[data-row-id='{application['id']}']").wait_for()
    page.locator("body").focus()

    # The status tabs take the focus and Enter picks one.
    _tab_until(page, "el.classList.contains('t-tabs__nav-item') && el.innerText.trim() === '全部'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"status=all"))
    page.locator(f"tr[data-row-id='{application['id']}']").wait_for()

    # Tab reaches the row (past the filters and buttons), with a visible focus ring.
    _tab_until(page, f"el.dataset && el.dataset.rowId === '{application['id']}'")
    ring = page.evaluate("getComputedStyle(document.activeElement.querySelector('td')).boxShadow")
    assert "inset" in ring or "rgb" in ring, ring
    shoot(page, screens, "keyboard-01-队列行获得焦点", whole_page=False)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/workbench/applications/{application['id']}"))
    page.locator("[data-test=number]").wait_for()

    # Tab to 受理, Enter opens its dialog with the focus in the comment; Esc closes it and the
    # focus goes back to 受理.
    _tab_until(page, "el.tagName === 'BUTTON' && el.innerText.trim() === '受理'")
    page.keyboard.press("Enter")
    dialog = page.locator(".decision-dialog")
    expect(dialog).to_be_visible()
    page.wait_for_function("document.activeElement && document.activeElement.closest('.decision-dialog') !== null")
    page.keyboard.type("材料齐全")
    expect(page.get_by_placeholder("如：材料齐全，予以受理")).to_have_value("材料齐全")
    shoot(page, screens, "keyboard-02-受理对话框", whole_page=False)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.wait_for_function("document.activeElement && document.activeElement.innerText.trim() === '受理'")
    expect(page.locator("[data-test=status]")).to_have_text("待受理")  # nothing was decided


def test_signing_in_works_by_keyboard(server, browser, staff_account):
    """登录: type, Tab, Enter; the first sign-in's steps follow the same way."""
    staff_account("idc-staff-kb", "SH")
    tab = Watched(browser, server)
    page = tab.page
    page.goto(f"{server}/workbench/")
    page.get_by_placeholder("请输入用户名").wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.placeholder === '请输入用户名'")
    page.keyboard.type("idc-staff-kb")
    page.keyboard.press("Tab")
    page.keyboard.type(INITIAL_PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_placeholder("请输入新密码").wait_for()
    _tab_until(page, "el.placeholder === '请输入新密码'", limit=10)
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_alt_text("身份验证器二维码")).to_be_visible()
    tab.close()
    assert tab.problems == [], tab.problems
