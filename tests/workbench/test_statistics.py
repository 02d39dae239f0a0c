"""统计分析 in Debian's Chromium: a staff member of 上海海事局 opens the screen from the menu and
sees this year's KPI cards (收件、受理、办结、按时办结率、平均办理工作日、好评率), the monthly chart
drawn (SVG, under the app's CSP) and the table by item; a period with nothing in it says 暂无数据.

The work counted is done through the API first: demo-corp submits three applications to 上海,
demo-staff-sh accepts one and turns one away (不予受理), and the company rates that one ★5."""

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.support.people import totp_code
from tests.workbench.support import SKIP_WITHOUT_BROWSER, Watched, first_sign_in, shoot, submitted_by_the_company

pytestmark = SKIP_WITHOUT_BROWSER

PERCENT = re.compile(r"^\d{1,3}\.\d%$")


def _demo_staff_sh(api: httpx.Client) -> dict:
    """demo-staff-sh signs in through the API with the demo authenticator (README)."""
    ticket = api.post("/auth/login/password", json={"username": "demo-staff-sh", "password": "Demo@12345"})
    assert ticket.status_code == 200, ticket.text
    for steps_ahead in (0, 1):  # a code works once: a second sign-in within 30 s takes the next
        tokens = api.post(
            "/auth/login/second-factor",
            json={"ticket": ticket.json()["ticket"], "code": totp_code(steps_ahead=steps_ahead)},
        )
        if tokens.status_code == 200:
            return {"Authorization": f"Bearer {tokens.json()['access_token']}"}
    raise AssertionError(tokens.text)


@pytest.fixture(scope="module")
def work_of_the_year(server, staff_account):
    applications = [submitted_by_the_company(server) for _ in range(3)]
    with httpx.Client(base_url=f"{server}/api/v1", timeout=30) as api:
        staff = _demo_staff_sh(api)
        accepted = api.post(
            f"/staff/applications/{applications[0]['id']}/decisions", json={"action": "accept"}, headers=staff
        )
        assert accepted.status_code == 200, accepted.text
        rejected = api.post(
            f"/staff/applications/{applications[1]['id']}/decisions",
            json={"action": "reject", "comment": "不属于本机构管辖"},
            headers=staff,
        )
        assert rejected.status_code == 200, rejected.text
        rated = api.post(
            f"/applications/{applications[1]['id']}/evaluation", json={"rating": 5}, headers=applications[1]["headers"]
        )
        assert rated.status_code == 201, rated.text
    return staff_account("stat-staff-sh", "SH")


def _kpi(page, key: str) -> str:
    return page.locator(f"[data-test=kpi-{key}] .kpi-value").inner_text().strip()


def test_staff_see_this_years_figures_and_the_monthly_chart(server, browser, screens, work_of_the_year):
    tab = Watched(browser, server)
    page = tab.page
    first_sign_in(page, server, work_of_the_year)

    page.locator(".t-menu__item", has_text="统计分析").click()
    page.wait_for_url(re.compile(r"/workbench/statistics"))
    page.locator("[data-test=kpi-cards]").wait_for()

    labels = page.locator("[data-test=kpi-cards] .kpi-label").all_inner_texts()
    assert labels == ["收件", "受理", "办结", "按时办结率", "平均办理工作日", "好评率"]
    # At least this module's three (other modules of the run may add theirs to 上海 too).
    assert int(re.sub(r"\D", "", _kpi(page, "received"))) >= 3
    assert int(re.sub(r"\D", "", _kpi(page, "finished"))) >= 1
    assert PERCENT.match(_kpi(page, "on-time")), _kpi(page, "on-time")
    assert PERCENT.match(_kpi(page, "good-rating")), _kpi(page, "good-rating")
    assert re.match(r"^\d+\.\d天$", _kpi(page, "working-days")), _kpi(page, "working-days")

    # The chart is drawn: an SVG with the bars and the line in it, not an empty box.
    chart = page.locator("[data-test=monthly-chart] svg")
    chart.wait_for()
    assert chart.locator("path").count() > 20
    box = chart.bounding_box()
    assert box["width"] > 600 and box["height"] > 250
    assert {"收件", "受理", "办结", "按时办结率"} <= set(chart.locator("text").all_text_contents())

    row = page.locator("[data-test=by-item] tbody tr").filter(has_text="通航水域岸线安全使用许可")
    expect(row).to_have_count(1)
    shoot(page, screens, "statistics-01-统计分析")

    # 去年: nothing happened then on this server; the screen says so instead of drawing zeros.
    page.locator(".t-date-range-picker").click()
    page.get_by_text("去年", exact=True).click()
    page.keyboard.press("Escape")
    statistics_button = page.get_by_role("button", name="统计")
    statistics_button.focus()
    page.keyboard.press("Enter")  # keyboard works as well as the mouse
    expect(page.locator("[data-test=statistics-empty]")).to_contain_text("暂无数据")
    expect(page.locator("[data-test=by-item]")).to_contain_text("暂无数据")
    assert _kpi(page, "on-time") == "—" and _kpi(page, "received") == "0件"
    shoot(page, screens, "statistics-02-暂无数据")

    assert tab.problems == []
    tab.close()
