"""受理审批工作台 in Debian's Chromium against the app as `make run` serves it.

A staff member created by the operator signs in for the first time (sets a new password, binds an
authenticator from the QR code, keeps the recovery codes), finds the application a company has
just submitted through the API, opens a material, accepts and approves it; the company sees the
result through the API; staff of another agency never see it; the idle warning comes before the
session ends; signing in again works with a recovery code. The page runs under the app's CSP and
asks nothing of any other origin. Screenshots of each screen go to workbench/screens/.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.workbench.support import (
    IDLE_TIMEOUT_S,
    NEW_PASSWORD,
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


@pytest.fixture(scope="module")
def reviewers(staff_account):
    return staff_account("wb-staff-sh", "SH"), staff_account("wb-staff-tj", "TJ")


def test_a_whole_review_in_the_browser(server, browser, screens, reviewers):
    application = submitted_by_the_company(server)
    tab = Watched(browser, server)
    page = tab.page

    recovery = first_sign_in(page, server, "wb-staff-sh", screens)

    # 办件队列: 待受理 by default; narrowed to the number the company was given.
    page.locator(".t-tabs__nav-item.t-is-active", has_text="待受理").wait_for()
    page.get_by_placeholder("HS 开头的 16 位编号").fill(application["number"])
    page.get_by_role("button", name="查询").click()
    row = page.get_by_role("row").filter(has_text=application["number"])
    row.wait_for()
    expect(row).to_contain_text("待受理")
    expect(page.get_by_role("row")).to_have_count(2)  # the header and this application only
    shoot(page, screens, "05-办件队列")
    row.get_by_text(application["number"]).click()

    # 办件详情: the form with its labels, the contact, the materials; an image opens inline.
    page.locator("[data-test=number]").wait_for()
    assert page.locator("[data-test=status]").inner_text() == "待受理"
    assert page.get_by_text("王海明").first.is_visible() and page.get_by_text("13800138000").is_visible()
    shoot(page, screens, "06-办件详情")
    page.get_by_role("row").filter(has_text=".png").get_by_text("预览").click()
    image = page.locator("[data-test=preview] img")
    image.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=image.element_handle())
    shoot(page, screens, "07-材料预览", whole_page=False)
    page.keyboard.press("Escape")
    image.wait_for(state="detached")

    # 受理, then 准予: each asks for confirmation; the buttons are the server's allowed_actions.
    page.get_by_role("button", name="受理", exact=True).click()
    page.get_by_placeholder("如：材料齐全，予以受理").fill("材料齐全，予以受理")
    shoot(page, screens, "08-确认受理", whole_page=False)
    page.get_by_role("button", name="确认受理").click()
    page.locator("[data-test=status]", has_text="已受理").wait_for()
    assert page.get_by_role("button", name="受理", exact=True).count() == 0
    approve_with_a_licence(page, *a_year_from_today())
    assert page.get_by_role("button", name="准予（办结）").count() == 0
    shoot(page, screens, "09-已办结")

    # The decision document, as issued, opens inline as a PDF.
    page.get_by_role("row").filter(has_text="决定书").get_by_text("查看").click()
    frame = page.locator("[data-test=preview] iframe")
    frame.wait_for()
    assert frame.get_attribute("src").startswith("blob:")
    page.wait_for_timeout(2500)  # Chromium's PDF viewer draws the page (no event tells when)
    shoot(page, screens, "10-查看决定书", whole_page=False)
    page.keyboard.press("Escape")
    frame.wait_for(state="detached")

    seen = as_the_company(server, application)
    assert seen["status"]["code"] == "approved"
    assert [entry["action"]["label"] for entry in seen["timeline"]][-2:] == ["受理", "办结"]
    assert len(seen["notices"]) >= 2

    # 要求补正 on another application: two material slots, each named for the applicant.
    second = submitted_by_the_company(server)
    page.goto(f"{server}/workbench/applications/{second['id']}")
    page.get_by_role("button", name="要求补正").click()
    page.get_by_text("设计单位资质认证文书").last.click()
    page.get_by_label("设计单位资质认证文书的补正原因").fill("资质证书已过有效期")
    page.get_by_text("已通过评审的通航安全评估报告").last.click()
    page.get_by_label("已通过评审的通航安全评估报告的补正原因").fill("评估报告缺评审意见页")
    page.get_by_placeholder("说明需要补正的内容和要求").fill("资质证书已过有效期；评估报告缺评审意见页")
    shoot(page, screens, "11-要求补正", whole_page=False)
    page.get_by_role("button", name="确认要求补正").click()
    page.locator("[data-test=status]", has_text="待补正").wait_for()
    asked = as_the_company(server, second)
    assert asked["status"]["code"] == "supplement_required"
    assert {"edit", "submit"} <= set(asked["allowed_actions"])
    assert asked["timeline"][-1]["comment"].startswith("资质证书已过有效期")

    # Idle: the warning comes first and 继续工作 keeps the session; silence ends it.
    allowance = IDLE_TIMEOUT_S - 60
    page.clock.fast_forward((allowance - 100) * 1000)
    countdown = page.locator("[data-test=idle-countdown]")
    countdown.wait_for()
    assert 0 < int(countdown.inner_text()) <= 120
    shoot(page, screens, "12-即将自动退出", whole_page=False)
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


def test_staff_of_another_agency_never_see_it(server, browser, reviewers):
    application = submitted_by_the_company(server)
    tab = Watched(browser, server)
    page = tab.page
    first_sign_in(page, server, "wb-staff-tj")

    page.locator(".t-tabs__nav-item", has_text="全部").click()
    page.get_by_placeholder("HS 开头的 16 位编号").fill(application["number"])
    page.get_by_role("button", name="查询").click()
    page.get_by_text("没有符合条件的办件").wait_for()
    page.goto(f"{server}/workbench/applications/{application['id']}")
    page.get_by_text("办件不存在，或不属于本机构及下级机构").wait_for()

    tab.close()
    assert tab.problems == [], tab.problems
