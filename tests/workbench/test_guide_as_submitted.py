"""办事指南 as an application was submitted under it, in the workbench (issue 19's "Done when").

demo-corp applies for 通航水域岸线安全使用许可; the system administrator then adds a 受理条件 and a
设定依据 to the item in 数据维护 and publishes. Staff of 上海海事局 opening that application find, in
its folded 办事指南（提交时第 N 版） panel, the conditions the applicant was shown — not the new
one — and a 不予许可 offers the legal basis of that version; an application submitted after the
publish shows the new version with the new condition. Screenshot:
workbench/screens/guide-01-提交时的办事指南.png.
"""

import re
import time

import httpx
from playwright.sync_api import expect

from tests.workbench.support import (
    DRAFT_EDIT_MS,
    SKIP_WITHOUT_BROWSER,
    Watched,
    first_sign_in,
    shoot,
    submitted_by_the_company,
)
from tests.workbench.test_upkeep import choose

pytestmark = SKIP_WITHOUT_BROWSER

ITEM = "TH-002"
NEW_CONDITION = "作业单位已制定水上水下作业通航安全保障方案并经专家评审"
NEW_BASIS = "《中华人民共和国海上交通安全法》第四十八条（本次新增）"


def test_staff_see_the_guide_an_application_was_submitted_under(
    server, browser, screens, sysadmin_account, staff_account
):
    before = submitted_by_the_company(server)

    # The system administrator adds a condition and a legal basis to the item, and publishes.
    admin = sysadmin_account("wb-guide-sysadmin")
    tab = Watched(browser, server)
    page = tab.page
    try:
        first_sign_in(page, server, admin, lands_at="/workbench/upkeep/agencies")
        page.get_by_role("link", name="事项维护").click()
        choose(page, "pick-item", ITEM, typed=ITEM)
        conditions = page.locator("[data-test=item-conditions] textarea")
        expect(conditions).not_to_have_value("")
        old_conditions = [line for line in conditions.input_value().splitlines() if line.strip()]
        conditions.fill("\n".join([*old_conditions, NEW_CONDITION]))
        basis = page.locator("[data-test=item-legal-basis] textarea")
        old_basis = [line for line in basis.input_value().splitlines() if line.strip()]
        basis.fill("\n".join([*old_basis, NEW_BASIS]))
        page.locator("[data-test=save-item]").click()
        expect(page.locator("[data-test=saved]")).to_be_visible(timeout=DRAFT_EDIT_MS)
        page.get_by_role("link", name="发布与版本").click()
        expect(page.locator("[data-test=draft] [data-test=diff-items]")).to_contain_text(NEW_CONDITION)
        page.locator("[data-test=publish]").click()
        page.locator("[data-test=publish-note] textarea").fill("通航水域岸线安全使用许可增加受理条件")
        page.locator(".publish-dialog").get_by_role("button", name="确认发布").click()
        expect(page.locator("[data-test=notice]")).to_contain_text("已发布第")
        notice = page.locator("[data-test=notice]").inner_text()
        newest = int(re.search(r"已发布第 (\d+) 版", notice).group(1))
        assert not tab.problems, tab.problems
    finally:
        tab.close()

    # Once the public guide shows the change, a second application is submitted under it (how soon
    # is test_upkeep.py's to say; here only that it does).
    with httpx.Client(base_url=f"{server}/api/v1", timeout=30) as api:
        deadline = time.monotonic() + 30
        while NEW_CONDITION not in api.get(f"/catalog/items/{ITEM}").json()["guide"]["acceptance_conditions"]:
            assert time.monotonic() < deadline, "the published condition is not public within 30 s"
            time.sleep(0.25)
    after = submitted_by_the_company(server)

    reviewer = staff_account("wb-guide-staff", "SH")
    tab = Watched(browser, server)
    page = tab.page
    try:
        first_sign_in(page, server, reviewer)
        page.goto(f"{server}/workbench/applications/{before['id']}")
        title = page.locator("[data-test=guide-title]")
        expect(title).to_have_text(re.compile(r"办事指南（提交时第 \d+ 版）"))
        submitted_under = int(re.search(r"第 (\d+) 版", title.inner_text()).group(1))
        assert submitted_under < newest
        listed = page.locator("[data-test=guide-conditions]")
        expect(listed).to_be_hidden()  # folded until staff open it
        title.click()
        expect(listed).to_contain_text(old_conditions[0])
        expect(listed).not_to_contain_text(NEW_CONDITION)
        expect(page.locator("[data-test=guide-legal-basis]")).not_to_contain_text(NEW_BASIS)
        body = page.locator("[data-test=guide-body]")
        for label in (
            "申请材料", "设定依据", "法定办结时限", "承诺办结时限", "收费标准", "受理地点和时间", "咨询电话",
        ):
            expect(body).to_contain_text(label)
        shoot(page, screens, "guide-01-提交时的办事指南")

        # A 不予许可 offers the legal basis of that version, not the one published since.
        page.get_by_role("button", name="受理", exact=True).click()
        page.get_by_role("button", name="确认受理").click()
        page.locator("[data-test=status]", has_text="已受理").wait_for()
        page.get_by_role("button", name="不予许可").click()
        page.locator("[data-test=legal-basis] input").click()
        offered = page.locator(".t-popup:visible")
        expect(offered).to_contain_text(old_basis[0][:12])
        expect(offered).not_to_contain_text(NEW_BASIS)
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")

        page.goto(f"{server}/workbench/applications/{after['id']}")
        expect(title).to_have_text(f"办事指南（提交时第 {newest} 版）")
        title.click()
        expect(listed).to_contain_text(NEW_CONDITION)
        expect(page.locator("[data-test=guide-legal-basis]")).to_contain_text(NEW_BASIS)
        assert not tab.problems, tab.problems
    finally:
        tab.close()
