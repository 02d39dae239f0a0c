"""A whole review with 要求补正 item by item: staff tick two material slots of a submitted
application, each with its reason, and send the 补正 request; the company (through the API) sees
both items with their reasons, replaces those two materials and submits again; staff find it back
in 待受理, accept it and approve it with the licence's content; the 决定书 says it and the
company's 我的证照 holds the licence. The dialog is worked from the keyboard too (Tab, Space, Esc).
Screens: workbench/screens/supplement-*.
"""

import httpx
from playwright.sync_api import expect

from app.applications.documents import zh_date
from tests.support import files
from tests.support.documents import pdf_text
from tests.workbench.support import (
    LICENCE_MATTER,
    SKIP_WITHOUT_BROWSER,
    Watched,
    a_year_from_today,
    approve_with_a_licence,
    first_sign_in,
    shoot,
    submitted_by_the_company,
)

pytestmark = SKIP_WITHOUT_BROWSER

QUALIFICATION = ("designer_qualification", "设计单位资质认证文书", "资质证书已过有效期，请上传有效期内的证书")
ASSESSMENT = ("safety_assessment_report", "已通过评审的通航安全评估报告", "缺少专家评审意见页")


def replace_and_resubmit(base: str, application: dict, slots: list[str]) -> dict:
    """What the company does on its phone: new files for the named slots, then 提交 again."""
    headers = application["headers"]
    with httpx.Client(base_url=f"{base}/api/v1", timeout=30) as api:
        current = api.get(f"/applications/{application['id']}", headers=headers).json()
        materials = []
        for attached in current["materials"]:
            material_id = attached["material"]["id"]
            if attached["slot"] in slots:
                uploaded = api.post(
                    "/me/materials",
                    files={"file": (f"{attached['slot_name'][:16]}（补正）.pdf", files.pdf(), "application/pdf")},
                    headers=headers,
                )
                assert uploaded.status_code == 201, uploaded.text
                material_id = uploaded.json()["id"]
            materials.append({"slot": attached["slot"], "material_id": material_id})
        saved = api.put(
            f"/applications/{application['id']}",
            json={"agency_code": current["agency"]["code"], "form": current["form"], "materials": materials},
            headers={**headers, "If-Match": str(current["version"])},
        )
        assert saved.status_code == 200, saved.text
        submitted = api.post(
            f"/applications/{application['id']}/submit",
            headers={**headers, "If-Match": str(saved.json()["version"])},
        )
        assert submitted.status_code == 200, submitted.text
        return submitted.json()


def test_staff_ask_for_two_materials_get_them_and_approve_the_licence_the_company_then_holds(
    server, browser, screens, staff_account
):
    staff_account("wb-supplement-sh", "SH")
    application = submitted_by_the_company(server)
    tab = Watched(browser, server)
    page = tab.page
    first_sign_in(page, server, "wb-supplement-sh")

    page.goto(f"{server}/workbench/applications/{application['id']}")
    page.locator("[data-test=number]").wait_for()

    # The dialog opens from the keyboard and Esc closes it without sending anything.
    button = page.get_by_role("button", name="要求补正")
    button.focus()
    page.keyboard.press("Enter")
    picker = page.locator("[data-test=supplement-picker]")
    picker.wait_for()
    page.keyboard.press("Escape")
    picker.wait_for(state="detached")

    button.click()
    picker.wait_for()
    # Every slot and every field of the item is offered, by its name.
    expect(picker).to_contain_text("已通过评审的通航安全评估报告")
    expect(picker).to_contain_text("岸线长度（米）")
    # Nothing ticked yet: 确认 says what is missing and sends nothing.
    page.get_by_placeholder("说明需要补正的内容和要求").fill("请按以下两项补正后重新提交")
    page.get_by_role("button", name="确认要求补正").click()
    expect(page.get_by_text("请勾选需补正的材料或申请表字段")).to_be_visible()

    # One slot ticked with the mouse, the other from the keyboard (Tab to it, Space).
    picker.get_by_text(QUALIFICATION[1]).click()
    page.get_by_label(f"{QUALIFICATION[1]}的补正原因").fill(QUALIFICATION[2])
    assessment = picker.locator(f"[data-test='supplement-material:{ASSESSMENT[0]}'] input")
    assessment.focus()
    page.keyboard.press("Space")
    expect(assessment).to_be_checked()
    # A ticked item without a reason is refused in the dialog, the item named.
    page.get_by_role("button", name="确认要求补正").click()
    expect(page.get_by_text(f"请填写“{ASSESSMENT[1]}”需补正的原因")).to_be_visible()
    assessment.focus()
    page.keyboard.press("Tab")  # the reason comes right after its checkbox
    page.keyboard.type(ASSESSMENT[2])
    expect(page.get_by_label(f"{ASSESSMENT[1]}的补正原因")).to_have_value(ASSESSMENT[2])
    shoot(page, screens, "supplement-01-要求补正", whole_page=False)
    page.get_by_role("button", name="确认要求补正").click()

    page.locator("[data-test=status]", has_text="待补正").wait_for()
    asked = page.locator("[data-test=supplement-request]")
    expect(asked).to_contain_text(QUALIFICATION[2])
    expect(asked).to_contain_text(ASSESSMENT[2])
    shoot(page, screens, "supplement-02-待补正详情")

    # The company sees both items, each with its reason, in the order the item lists its slots.
    with httpx.Client(base_url=f"{server}/api/v1", timeout=30) as api:
        seen = api.get(f"/applications/{application['id']}", headers=application["headers"]).json()
    assert seen["status"]["code"] == "supplement_required"
    items = seen["supplement_request"]["items"]
    assert [(i["target"], i["key"], i["label"], i["reason"]) for i in items] == [
        ("material", ASSESSMENT[0], ASSESSMENT[1], ASSESSMENT[2]),
        ("material", QUALIFICATION[0], QUALIFICATION[1], QUALIFICATION[2]),
    ]
    assert seen["supplement_request"]["comment"] == "请按以下两项补正后重新提交"

    resubmitted = replace_and_resubmit(server, application, [QUALIFICATION[0], ASSESSMENT[0]])
    assert resubmitted["status"]["code"] == "submitted"
    assert resubmitted["supplement_request"] is None

    # Back in staff's 待受理 queue, with the replaced files attached.
    page.goto(f"{server}/workbench/applications")
    page.locator(".t-tabs__nav-item.t-is-active", has_text="待受理").wait_for()
    page.get_by_placeholder("HS 开头的 16 位编号").fill(application["number"])
    page.get_by_role("button", name="查询").click()
    row = page.get_by_role("row").filter(has_text=application["number"])
    expect(row).to_contain_text("待受理")
    shoot(page, screens, "supplement-03-补正后回到待受理")
    row.get_by_text(application["number"]).click()
    page.locator("[data-test=status]", has_text="待受理").wait_for()
    expect(page.get_by_role("row").filter(has_text="（补正）")).to_have_count(2)
    assert page.locator("[data-test=supplement-request]").count() == 0

    # 受理, then 准予 with the licence's content, the 决定书 previewed before it is issued.
    page.get_by_role("button", name="受理", exact=True).click()
    page.get_by_role("button", name="确认受理").click()
    page.locator("[data-test=status]", has_text="已受理").wait_for()
    valid_from, valid_until = a_year_from_today()
    approve_with_a_licence(page, valid_from, valid_until)
    shoot(page, screens, "supplement-04-补正后准予")

    # The company's 决定书 says what was decided, and 我的证照 holds the licence until its last day.
    with httpx.Client(base_url=f"{server}/api/v1", timeout=30, headers=application["headers"]) as api:
        decided = api.get(f"/applications/{application['id']}").json()
        notice = next(n for n in decided["notices"] if n["kind"]["code"] == "decision")
        pdf = api.get(
            f"/applications/{application['id']}/notices/{notice['id']}", headers={"Accept": "application/pdf"}
        )
        text = pdf_text(pdf.content)
        assert LICENCE_MATTER in text and f"自{zh_date(valid_from)}至{zh_date(valid_until)}" in text
        wallet = api.get("/me/certificates", params={"type": "RESULT_DOCUMENT", "limit": 100}).json()["items"]
    card = next(c for c in wallet if c["number"] == notice["number"])
    assert card["expires_on"] == valid_until and card["status"]["label"] == "有效"

    tab.close()
    assert tab.problems == [], tab.problems
