"""数据维护 in Debian's Chromium against the app as `make run` serves it (issue 19's "Done when").

A system administrator created by the operator signs in to the workbench with a second factor as
staff do, and finds 数据维护 (机构维护, 事项维护, 选项表, 发布与版本) and nothing of the staff queue. They
add 吴淞口海事处 under 吴淞海事局 with its address, phone and office hours and assign it 通航水域岸线
安全使用许可 (a first try at the wrong 层级 is refused beside the form with the server's message),
change the item's promised time limit and a port, preview the draft's changes and publish them.
Within seconds the public API offers the new office and the item's guide, asked for that office,
shows its address and phone; staff of the office (created by the operator as staff always are)
find an application submitted to it in their queue, and see nothing of 数据维护. Screenshots go to
workbench/screens/upkeep-*.png.
"""

import re
import time
from datetime import datetime, timedelta, timezone

import httpx
from playwright.sync_api import expect

from tests.workbench.support import (
    DRAFT_EDIT_MS,
    SKIP_WITHOUT_BROWSER,
    Watched,
    first_sign_in,
    pick_date,
    shoot,
    submitted_by_the_company,
)

pytestmark = SKIP_WITHOUT_BROWSER

OFFICE = "SH-WS-WSK"
OFFICE_NAME = "吴淞口海事处"
ADDRESS = "上海市宝山区淞浦路188号吴淞口海事处政务窗口"
PHONE = "021-56781234"
HOURS = "工作日 8:30-12:00，13:30-17:00"
ITEM = "TH-002"
BEIJING = timezone(timedelta(hours=8))


def choose(page, test_id: str, option: str, typed: str | None = None) -> None:
    """A TDesign select: opened, narrowed by typing (when filterable), the option clicked."""
    field = page.locator(f"[data-test={test_id}]")
    field.click()
    if typed:
        field.locator("input").first.fill(typed)
    page.locator(".t-popup:visible .t-select-option", has_text=option).first.click()
    page.keyboard.press("Escape")  # a multiple select stays open after a pick


def public_api(base: str) -> httpx.Client:
    return httpx.Client(base_url=f"{base}/api/v1", timeout=30)


def test_a_sysadmin_adds_an_office_and_publishes_it(server, browser, screens, sysadmin_account, staff_account):
    admin = sysadmin_account("wb-sysadmin")
    tab = Watched(browser, server)
    page = tab.page
    try:
        first_sign_in(page, server, admin, lands_at="/workbench/upkeep/agencies")
        menu = page.locator("[data-test=upkeep-menu]")
        for entry in ("数据维护", "机构维护", "事项维护", "选项表", "发布与版本"):
            expect(menu).to_contain_text(entry)
        expect(page.locator("[data-test=staff-menu]")).to_have_count(0)
        expect(page.get_by_text("办件队列")).to_have_count(0)
        expect(page.locator("[data-test=agency-tree]")).to_contain_text("中华人民共和国海事局")
        shoot(page, screens, "upkeep-01-机构维护")

        # 吴淞海事局, found by name; its form shows what the file holds.
        choose(page, "find-agency", "吴淞海事局（SH-WS）", typed="吴淞")
        expect(page.locator("[data-test=agency-name] input")).to_have_value("吴淞海事局")
        page.locator("[data-test=add-child]").click()
        expect(page.locator("[data-test=agency-code] input")).to_have_value("SH-WS-")
        page.locator("[data-test=agency-code] input").fill(OFFICE)
        page.locator("[data-test=agency-name] input").fill(OFFICE_NAME)
        page.locator("[data-test=agency-short-name] input").fill("吴淞口")
        page.locator("[data-test=agency-address] input").fill(ADDRESS)
        page.locator("[data-test=agency-phone] input").fill(PHONE)
        page.locator("[data-test=agency-hours] input").fill(HOURS)
        page.get_by_text("指定事项", exact=True).click()
        choose(page, "agency-items", ITEM, typed=ITEM)

        # At a level not below its parent's: the server refuses, and says why beside the form.
        choose(page, "agency-level", "直属海事局")
        page.locator("[data-test=save-agency]").click()
        refusal = page.locator("[data-test=save-error]")
        expect(refusal).to_contain_text("层级")
        shoot(page, screens, "upkeep-02-新增海事处被拒绝")

        choose(page, "agency-level", "海事处")
        page.locator("[data-test=save-agency]").click()
        expect(page.locator("[data-test=saved]")).to_contain_text(OFFICE_NAME, timeout=DRAFT_EDIT_MS)
        expect(page.locator("[data-test=agency-tree]")).to_contain_text(OFFICE_NAME)
        expect(page.locator("[data-test=agency-code] input")).to_be_disabled()
        shoot(page, screens, "upkeep-03-新增海事处")

        # 事项维护: the guide's promised time limit.
        page.get_by_role("link", name="事项维护").click()
        choose(page, "pick-item", f"{ITEM} 通航水域岸线安全使用许可", typed=ITEM)
        promised = page.locator("[data-test=item-promised] input")
        expect(promised).not_to_have_value("")
        promised.fill("10个工作日")
        page.locator("[data-test=save-item]").click()
        expect(page.locator("[data-test=saved]")).to_be_visible(timeout=DRAFT_EDIT_MS)
        shoot(page, screens, "upkeep-04-事项维护")

        # 选项表: a port's region.
        page.get_by_role("link", name="选项表").click()
        page.locator(".t-tabs__nav-item", has_text="港口").click()
        page.locator("[data-test=pick-list-filter] input").fill("CNSHA")
        row = page.locator("tr", has_text="CNSHA").first
        row.get_by_role("button", name="编辑").click()
        region = page.locator(".row-dialog [data-test=field-region] input")
        region.fill("上海市（含洋山港区）")
        shoot(page, screens, "upkeep-05-选项表编辑", whole_page=False)
        page.locator(".row-dialog").get_by_role("button", name="保存到草稿").click()
        expect(page.locator("[data-test=notice]")).to_contain_text("已保存")
        shoot(page, screens, "upkeep-06-选项表")

        # 发布与版本: the draft's changes per file, then published with a note.
        page.get_by_role("link", name="发布与版本").click()
        diff = page.locator("[data-test=draft] [data-test=diff]")
        expect(diff.locator("[data-test=diff-agencies]")).to_contain_text(OFFICE_NAME)
        expect(diff.locator("[data-test=diff-agencies]")).to_contain_text(ADDRESS)
        expect(diff.locator("[data-test=diff-items]")).to_contain_text("10个工作日")
        expect(diff.locator("[data-test=diff-ports]")).to_contain_text("上海市（含洋山港区）")
        shoot(page, screens, "upkeep-07-草稿改动")
        page.locator("[data-test=publish]").click()
        page.locator("[data-test=publish-note] textarea").fill("新增吴淞口海事处")
        shoot(page, screens, "upkeep-08-发布确认", whole_page=False)
        page.locator(".publish-dialog").get_by_role("button", name="确认发布").click()
        published_at = time.monotonic()
        expect(page.locator("[data-test=notice]")).to_contain_text("已发布第")
        expect(page.locator("[data-test=diff-empty]")).to_be_visible()
        versions = page.locator("[data-test=versions]")
        expect(versions).to_contain_text("新增吴淞口海事处")
        shoot(page, screens, "upkeep-09-版本")
        newest = int(re.search(r"已发布第 (\d+) 版", page.locator("[data-test=notice]").inner_text()).group(1))
        page.locator(f"[data-test=compare-{newest}]").click()
        expect(page.locator(".t-dialog:visible [data-test=diff-agencies]")).to_contain_text(OFFICE_NAME)
        shoot(page, screens, "upkeep-10-版本对比", whole_page=False)
        page.keyboard.press("Escape")

        # A screen of the staff is not the system administrator's.
        page.goto(f"{server}/workbench/applications")
        expect(page.locator("[data-test=forbidden]")).to_contain_text("无权访问")
        shoot(page, screens, "upkeep-11-系统管理员无权访问办件队列")
        assert not tab.problems, tab.problems
    finally:
        tab.close()

    # Within seconds the public sees it: in the agency tree and in the guide asked for it.
    with public_api(server) as api:
        offered = False
        while not offered and time.monotonic() - published_at < 10:
            codes = _codes(api.get("/agencies").json())
            offered = OFFICE in codes
            if not offered:
                time.sleep(0.25)
        assert offered, "the published office is not offered within 10 s"
        guide = api.get(f"/catalog/items/{ITEM}", params={"agency": OFFICE})
        assert guide.status_code == 200, guide.text
        assert ADDRESS in guide.json()["guide"]["location_and_hours"]
        assert HOURS in guide.json()["guide"]["location_and_hours"]
        assert PHONE in guide.json()["guide"]["consult_phone"]
        assert guide.json()["guide"]["promised_time_limit"] == "10个工作日"
        # The picker offers it for the item it was assigned, and for no other.
        assert _handling(api.get(f"/catalog/items/{ITEM}/agencies").json()) >= {OFFICE}
        assert OFFICE not in _handling(api.get("/catalog/items/TH-001/agencies").json())

    # Staff of the new office receive its applications, and see nothing of 数据维护.
    application = submitted_by_the_company(server, agency=OFFICE)
    reviewer = staff_account("wb-staff-wsk", OFFICE)
    tab = Watched(browser, server)
    page = tab.page
    try:
        first_sign_in(page, server, reviewer)
        expect(page.locator("[data-test=upkeep-menu]")).to_have_count(0)
        expect(page.get_by_text("机构维护")).to_have_count(0)
        expect(page.locator("tr", has_text=application["number"])).to_be_visible()
        expect(page.get_by_text(OFFICE_NAME).first).to_be_visible()
        shoot(page, screens, "upkeep-12-海事处受理员办件队列")
        page.goto(f"{server}/workbench/upkeep/agencies")
        expect(page.locator("[data-test=forbidden]")).to_contain_text("无权访问")
        shoot(page, screens, "upkeep-13-受理员无权访问数据维护")
        assert not tab.problems, tab.problems
    finally:
        tab.close()


def test_a_sysadmin_drafts_local_details_and_a_closing_then_discards_them(server, browser, screens, sysadmin_account):
    """浦东海事局's own 受理地点 for one item and 崇明海事局 closed from today: both drafted, both in the
    diff, then the draft discarded and the tree as it was."""
    admin = sysadmin_account("wb-sysadmin-2")
    tab = Watched(browser, server)
    page = tab.page
    try:
        first_sign_in(page, server, admin, lands_at="/workbench/upkeep/agencies")
        choose(page, "find-agency", "浦东海事局（SH-PD）", typed="浦东")
        choose(page, "add-detail", "TH-001", typed="TH-001")
        page.locator("[data-test=detail-TH-001] [data-test=detail-place] input").fill("浦东新区海事大厦一楼3号窗口")
        page.locator("[data-test=save-agency]").click()
        expect(page.locator("[data-test=saved]")).to_be_visible(timeout=DRAFT_EDIT_MS)
        expect(page.locator("[data-test=detail-TH-001] [data-test=detail-place] input")).to_have_value(
            "浦东新区海事大厦一楼3号窗口"
        )
        shoot(page, screens, "upkeep-14-事项本地办事信息")

        choose(page, "find-agency", "崇明海事局（SH-CM）", typed="崇明")
        page.locator("[data-test=agency-closing]").click()
        page.locator("[data-test=save-agency]").click()
        expect(page.locator("[data-test=save-error]")).to_contain_text("撤销生效日期")  # not without a date
        today = page.evaluate("new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)")
        pick_date(page, "agency-closed-on", today)
        page.locator("[data-test=save-agency]").click()
        expect(page.locator("[data-test=saved]")).to_be_visible(timeout=DRAFT_EDIT_MS)
        expect(_tree_node(page, "SH-CM")).to_contain_text("已撤销")
        shoot(page, screens, "upkeep-15-撤销机构")

        page.get_by_role("link", name="发布与版本").click()
        agencies = page.locator("[data-test=draft] [data-test=diff-agencies]")
        expect(agencies).to_contain_text("浦东新区海事大厦一楼3号窗口")
        expect(agencies).to_contain_text(today)
        page.locator("[data-test=discard]").click()
        shoot(page, screens, "upkeep-16-放弃草稿", whole_page=False)
        page.get_by_role("button", name="确认放弃").click()
        expect(page.locator("[data-test=notice]")).to_contain_text("已放弃草稿")
        expect(page.locator("[data-test=diff-empty]")).to_be_visible()

        page.get_by_role("link", name="机构维护").click()
        # By keyboard: a unit of the tree takes the focus, Enter opens it, Space unfolds it.
        shanghai = _tree_node(page, "SH").locator("[tabindex='0']")
        shanghai.focus()
        shanghai.press("Enter")
        expect(page.locator("[data-test=agency-name] input")).to_have_value("上海海事局")
        shanghai.press("Space")
        expect(_tree_node(page, "SH-CM")).to_be_visible()
        _tree_node(page, "SH-CM").locator("[tabindex='0']").press("Enter")
        expect(page.locator("[data-test=agency-closing] input")).not_to_be_checked()
        expect(_tree_node(page, "SH-CM")).to_have_text("崇明海事局")
        assert not tab.problems, tab.problems
    finally:
        tab.close()


def test_a_change_scheduled_for_tomorrow_waits_until_cancelled(server, browser, screens, sysadmin_account):
    """A fuel supplier's phone published for 08:00 tomorrow is 待生效 (the public still sees the old
    one) until the system administrator cancels it."""
    admin = sysadmin_account("wb-sysadmin-3")
    tomorrow = (datetime.now(BEIJING) + timedelta(days=1)).date().isoformat()
    note = "中国船舶燃料电话更新（明日生效）"
    tab = Watched(browser, server)
    page = tab.page
    try:
        first_sign_in(page, server, admin, lands_at="/workbench/upkeep/agencies")
        page.get_by_role("link", name="选项表").click()
        # A port added to the draft and deleted again leaves nothing to publish of the ports.
        page.locator(".t-tabs__nav-item", has_text="港口").click()
        page.locator("[data-test=add-row]").click()
        for field, value in (("id", "CNWSK"), ("name_zh", "吴淞口"), ("name_en", "Wusongkou"), ("country", "CN"),
                             ("kind", "sea"), ("region", "上海市")):
            page.locator(f".row-dialog [data-test=field-{field}] input").fill(value)
        page.locator(".row-dialog").get_by_role("button", name="保存到草稿").click()
        expect(page.locator("[data-test=notice]")).to_contain_text("已保存“吴淞口”")
        page.locator("[data-test=pick-list-filter] input").fill("CNWSK")
        page.locator("tr", has_text="CNWSK").get_by_role("button", name="删除").click()
        page.get_by_role("button", name="确认删除").click()
        expect(page.locator("[data-test=notice]")).to_contain_text("已从草稿删除“吴淞口”")
        expect(page.locator("tr", has_text="CNWSK")).to_have_count(0)

        page.locator(".t-tabs__nav-item", has_text="燃油供应商").click()
        page.locator("[data-test=pick-list-filter] input").fill("FS001")
        page.locator("tr", has_text="FS001").first.get_by_role("button", name="编辑").click()
        page.locator(".row-dialog [data-test=field-phone] input").fill("010-68001234")
        page.locator(".row-dialog").get_by_role("button", name="保存到草稿").click()
        expect(page.locator("[data-test=notice]")).to_contain_text("已保存")

        page.get_by_role("link", name="发布与版本").click()
        expect(page.locator("[data-test=diff-fuel_suppliers]")).to_contain_text("010-68001234")
        expect(page.locator("[data-test=diff-ports]")).to_have_count(0)
        page.locator("[data-test=publish]").click()
        page.locator("[data-test=publish-note] textarea").fill(note)
        when = page.locator("[data-test=publish-effective] input")
        when.click()
        when.fill(f"{tomorrow} 08:00")
        when.press("Enter")
        page.locator(".publish-dialog .t-dialog__header").click()  # the calendar closes
        expect(when).to_have_value(f"{tomorrow} 08:00")
        shoot(page, screens, "upkeep-17-定时发布", whole_page=False)
        page.locator(".publish-dialog").get_by_role("button", name="确认发布").click()
        expect(page.locator("[data-test=notice]")).to_contain_text(f"于 {tomorrow} 08:00 生效")
        row = page.locator("[data-test=versions] tr", has_text=note)
        expect(row).to_contain_text("待生效")
        shoot(page, screens, "upkeep-18-待生效版本")
        with public_api(server) as api:
            answer = api.get("/reference/fuel-suppliers", params={"limit": 100})
            assert answer.status_code == 200, answer.text
            suppliers = answer.json()["items"]
            assert "010-68001234" not in {supplier.get("phone") for supplier in suppliers}

        row.get_by_role("button", name="取消发布").click()
        expect(row).to_contain_text("已取消")
        assert not tab.problems, tab.problems
    finally:
        tab.close()


def _tree_node(page, code: str):
    """A unit's node in the tree (not the copy the tree's transition is removing)."""
    return page.locator(f"[data-test=agency-tree] .t-tree__item[data-value={code}]:not(.t-tree__item--leave-active)")


def _handling(tree) -> set[str]:
    """The units of /catalog/items/{code}/agencies that take the item (not just the way to them)."""
    found: set[str] = set()
    stack = list(tree)
    while stack:
        node = stack.pop()
        if node.get("handles_item"):
            found.add(node["code"])
        stack.extend(node.get("children") or [])
    return found


def _codes(tree) -> set[str]:
    """Every code in /agencies' answer (a tree or a list)."""
    found: set[str] = set()
    stack = list(tree if isinstance(tree, list) else tree.get("items", []))
    while stack:
        node = stack.pop()
        found.add(node["code"])
        stack.extend(node.get("children") or [])
    return found
