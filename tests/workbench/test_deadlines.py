"""办结时限 in the workbench: the queue counts down each application's 承诺办结时限 in working
days, shows the overdue in red and the soon-due in orange, filters 超期 / 即将超期 and sorts by
the due date; the detail shows the due date next to the status. Screenshots go to
workbench/screens/deadlines-*.png."""

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.applications.deadlines import today
from app.core.workdays import add_working_days, working_days_between
from tests.workbench.support import SKIP_WITHOUT_BROWSER, Watched, first_sign_in, shoot, submitted_by_the_company

pytestmark = SKIP_WITHOUT_BROWSER

LONG_AGO = date(2026, 11, 20)


@pytest.fixture(scope="module")
def reviewer(staff_account):
    return staff_account("dl-staff-sh", "SH")


def due_on(server_environment, application: dict, day: date) -> None:
    """Turn the application's clock as if it had been submitted long enough ago to be due on ``day``."""
    with sqlite3.connect(Path(server_environment["DATA_DIR"]) / "msa.sqlite3") as database:
        database.execute("UPDATE applications SET due_on = ? WHERE id = ?", (day.isoformat(), application["id"]))


def paused_for_supplement(server_environment, application: dict, left_at_pause: int) -> None:
    """As if staff had asked for 补正 with ``left_at_pause`` working days still to go."""
    paused_on = today()
    with sqlite3.connect(Path(server_environment["DATA_DIR"]) / "msa.sqlite3") as database:
        database.execute(
            "UPDATE applications SET status = 'supplement_required', due_on = NULL, paused_on = ?,"
            " due_on_at_pause = ? WHERE id = ?",
            (paused_on.isoformat(), add_working_days(paused_on, left_at_pause).isoformat(), application["id"]),
        )


def shown_in_order(page, applications: list[dict]) -> list[str]:
    """The numbers of ``applications`` in the order the queue shows them, once all are shown
    in that order (or as last seen, after ten seconds)."""
    expected = [a["number"] for a in applications]
    for _ in range(50):
        rows = page.locator("tbody tr").all_inner_texts()
        shown = [number for text in rows for number in expected if number in text]
        if shown == expected:
            break
        page.wait_for_timeout(200)
    return shown


def row_of(page, application: dict):
    return page.get_by_role("row").filter(has_text=application["number"])


def test_staff_see_the_countdown_the_overdue_in_red_and_sort_by_deadline(
    server, server_environment, browser, screens, reviewer
):
    fresh = submitted_by_the_company(server)  # 15 working days from today
    late = submitted_by_the_company(server)
    soon = submitted_by_the_company(server)
    due_today = submitted_by_the_company(server)
    paused = submitted_by_the_company(server)
    day = today()
    due_on(server_environment, late, LONG_AGO)
    due_on(server_environment, soon, add_working_days(day, 1))
    due_on(server_environment, due_today, day)
    paused_for_supplement(server_environment, paused, 6)
    overdue_by = working_days_between(LONG_AGO, day)
    tab = Watched(browser, server)
    page = tab.page
    first_sign_in(page, server, reviewer)

    # 待受理 with the 办结时限 column: each counts down.
    page.locator(".t-tabs__nav-item.t-is-active", has_text="待受理").wait_for()
    expect(row_of(page, fresh).locator("[data-test=deadline]")).to_have_text("剩 15 个工作日")
    expect(row_of(page, soon).locator("[data-test=deadline]")).to_have_text("剩 1 个工作日")
    expect(row_of(page, late).locator("[data-test=deadline]")).to_have_text(f"超期 {overdue_by} 个工作日")
    expect(row_of(page, due_today).locator("[data-test=deadline]")).to_have_text("今日到期")

    # 超期, chosen with the keyboard: only the overdue, its row and its countdown in red.
    page.locator("[data-test=due-overdue]").focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"due=overdue"))
    expect(row_of(page, late)).to_have_count(1)
    expect(row_of(page, fresh)).to_have_count(0)
    expect(row_of(page, late)).to_have_class(re.compile(r"\brow-overdue\b"))
    expect(row_of(page, late).locator("[data-test=deadline]")).to_have_class(re.compile(r"t-tag--danger"))
    shoot(page, screens, "deadlines-01-超期")

    # 即将超期: due within 3 working days, in orange.
    page.locator("[data-test=due-soon]").click()
    expect(page).to_have_url(re.compile(r"due=due_soon"))
    expect(row_of(page, soon).locator("[data-test=deadline]")).to_have_class(re.compile(r"t-tag--warning"))
    expect(row_of(page, late)).to_have_count(0)
    expect(row_of(page, fresh)).to_have_count(0)
    shoot(page, screens, "deadlines-02-即将超期")

    # All of them, earliest due first: chosen quickly one after the other, the list 全部 asked
    # for first answers only after the one sorted by deadline, and must not replace it.
    held = []
    unsorted = re.compile(r"/api/v1/staff/applications\?(?!.*sort=deadline)")
    page.route(unsorted, lambda route: held.append(route))
    page.locator("[data-test=due-all]").click()
    page.locator("[data-test=sort-deadline]").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort=deadline"))
    mine = [late, due_today, soon, fresh]
    assert shown_in_order(page, mine) == [a["number"] for a in mine]
    assert len(held) == 1
    page.unroute(unsorted)
    with page.expect_response(lambda response: response.url == held[0].request.url):
        held[0].fallback()
    page.wait_for_timeout(300)
    assert shown_in_order(page, mine) == [a["number"] for a in mine]
    shoot(page, screens, "deadlines-03-队列倒计时")

    # 待补正: the clock stands still.
    page.locator(".t-tabs__nav-item", has_text="待补正").click()
    expect(row_of(page, paused).locator("[data-test=deadline]")).to_have_text("暂停计时（补正中）")
    hint = row_of(page, paused).locator("[data-test=deadline]").locator("xpath=..").get_attribute("title")
    assert "恢复后剩 6 个工作日" in hint
    shoot(page, screens, "deadlines-05-补正暂停计时")
    page.locator(".t-tabs__nav-item", has_text="待受理").click()
    expect(row_of(page, late)).to_have_count(1)

    # The detail: the due date and the countdown next to the status.
    row_of(page, late).get_by_text(late["number"]).click()
    page.locator("[data-test=number]").wait_for()
    expect(page.locator("[data-test=due-on]")).to_have_text(LONG_AGO.isoformat())
    expect(page.locator("[data-test=deadline]")).to_have_text(f"超期 {overdue_by} 个工作日")
    shoot(page, screens, "deadlines-04-办件详情倒计时")

    assert tab.problems == []
    tab.close()
