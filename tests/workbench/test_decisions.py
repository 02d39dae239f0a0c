"""准予 and 不予许可 in the workbench: staff write the decision's content (for a 许可: 许可事项,
有效期限, 附加条件; for a 不予许可: the reason and its 法律依据 picked from the guide or typed in),
preview the document the decision will issue, and only then confirm. The company then finds the
licence, valid until its last day, in 我的证照, and the 不予许可决定书 tells its remedies."""


import httpx

from app.applications.documents import zh_date
from tests.support.documents import pdf_text
from tests.workbench.support import (
    LICENCE_MATTER,
    SKIP_WITHOUT_BROWSER,
    Watched,
    a_year_from_today,
    approve_with_a_licence,
    as_the_company,
    first_sign_in,
    shoot,
    submitted_by_the_company,
)

pytestmark = SKIP_WITHOUT_BROWSER

STAFF = "dec-staff-sh"


def _accept(page):
    page.get_by_role("button", name="受理", exact=True).click()
    page.get_by_role("button", name="确认受理").click()
    page.locator("[data-test=status]", has_text="已受理").wait_for()


def _company_api(server, application):
    return httpx.Client(base_url=f"{server}/api/v1", headers=application["headers"], timeout=30)


def test_approving_a_licence_after_previewing_it_puts_it_into_my_certificates(server, browser, screens, staff_account):
    staff_account(STAFF, "SH")
    application = submitted_by_the_company(server)
    valid_from, valid_until = a_year_from_today()
    tab = Watched(browser, server)
    page = tab.page
    first_sign_in(page, server, STAFF)
    page.goto(f"{server}/workbench/applications/{application['id']}")
    _accept(page)

    approve_with_a_licence(page, valid_from, valid_until, screens, prefix="decisions-")

    # The 决定书 as issued says what the preview showed; the company sees it and its wallet.
    seen = as_the_company(server, application)
    assert seen["status"]["code"] == "approved"
    notice = seen["notices"][-1]
    with _company_api(server, application) as api:
        content = api.get(f"/applications/{application['id']}/notices/{notice['id']}").json()["content"]
        assert content["licence"] == {
            "matter": LICENCE_MATTER,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "conditions": "作业期间须派警戒船现场维护通航秩序",
        }
        pdf = api.get(
            f"/applications/{application['id']}/notices/{notice['id']}", headers={"Accept": "application/pdf"}
        )
        text = pdf_text(pdf.content)
        assert LICENCE_MATTER in text and f"自{zh_date(valid_from)}至{zh_date(valid_until)}" in text
        wallet = api.get("/me/certificates", params={"type": "RESULT_DOCUMENT", "limit": 100}).json()["items"]
        card = next(c for c in wallet if c["number"] == notice["number"])
        assert card["expires_on"] == valid_until and card["status"]["label"] == "有效"
        fields = {f["label"]: f["value"] for f in api.get(f"/me/certificates/{card['id']}").json()["fields"]}
        assert fields["许可事项"] == LICENCE_MATTER

    tab.close()
    assert tab.problems == [], tab.problems


def test_declining_with_legal_basis_from_the_guide_and_typed_in(server, browser, screens, staff_account):
    staff_account(STAFF + "-2", "SH")
    application = submitted_by_the_company(server)
    tab = Watched(browser, server)
    page = tab.page
    first_sign_in(page, server, STAFF + "-2")
    page.goto(f"{server}/workbench/applications/{application['id']}")
    _accept(page)

    page.get_by_role("button", name="不予许可").click()
    confirm = page.get_by_role("button", name="确认不予许可")
    page.get_by_placeholder("说明不予许可的理由").fill("作业水域与主航道安全距离不足")
    # 法律依据: one picked from the guide's list, one typed in and added with Enter.
    basis = page.locator("[data-test=legal-basis] input")
    basis.click()
    page.get_by_role("listitem").filter(has_text="《中华人民共和国海事行政许可条件规定》").first.click()
    basis.fill("《中华人民共和国航道法》第二十八条")
    basis.press("Enter")
    page.keyboard.press("Escape")  # closes the list, not the dialog
    assert confirm.is_visible() and confirm.is_disabled()
    shoot(page, screens, "decisions-03-不予许可", whole_page=False)
    # The preview by keyboard: focus the button, Enter; Esc closes the preview, not the decision.
    page.locator("[data-test=preview-decision]").focus()
    page.keyboard.press("Enter")
    frame = page.locator("[data-test=preview] iframe")
    frame.wait_for()
    page.wait_for_timeout(2500)  # Chromium's PDF viewer draws the page (no event tells when)
    shoot(page, screens, "decisions-04-预览不予许可决定书", whole_page=False)
    page.keyboard.press("Escape")
    frame.wait_for(state="detached")
    confirm.click()
    page.locator("[data-test=status]", has_text="不予许可").wait_for()
    shoot(page, screens, "decisions-05-已不予许可")

    seen = as_the_company(server, application)
    assert seen["status"]["code"] == "declined"
    notice = seen["notices"][-1]
    with _company_api(server, application) as api:
        denial = api.get(f"/applications/{application['id']}/notices/{notice['id']}").json()["content"]["denial"]
    assert denial["reason"] == "作业水域与主航道安全距离不足"
    picked, typed = denial["legal_basis"]
    assert picked.startswith("《中华人民共和国海事行政许可条件规定》") and typed == "《中华人民共和国航道法》第二十八条"
    assert "行政复议" in denial["remedies"] and "行政诉讼" in denial["remedies"]

    tab.close()
    assert tab.problems == [], tab.problems
