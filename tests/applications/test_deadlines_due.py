"""python -m app.cli deadlines-due: the nightly list of what is due — the open applications due
on a day or overdue then, as JSON lines, read from the due-date index a page at a time."""

import asyncio
import json
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text

from app import cli
from app.accounts.models import User
from app.applications import deadlines, repository
from app.applications.models import Application
from app.core.db import create_engine, create_sessionmaker
from app.core.pagination import cursor_after
from app.core.schemas import CHINA_TIME

DAY = "2026-12-08"


def run(settings, work):
    """``work(session)`` in a transaction of its own on the operator's database, committed."""

    async def go():
        engine = create_engine(settings)
        try:
            async with create_sessionmaker(engine).begin() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


@pytest.fixture
def placed(operator_env) -> dict[str, str]:
    async def place(session):
        applicant = await session.scalar(select(User).where(User.username == "demo-corp"))
        rows = {}
        for position, (name, agency, status, due_on, decided) in enumerate(
            [
                ("sh_late", "SH", "submitted", date(2026, 11, 30), False),
                ("sh_later_late", "SH", "accepted", date(2026, 12, 3), False),
                ("sh_today", "SH", "accepted", date(2026, 12, 8), False),
                ("pd_today", "SH-PD", "submitted", date(2026, 12, 8), False),
                ("tj_late", "TJ", "submitted", date(2026, 12, 1), False),
                ("sh_tomorrow", "SH", "submitted", date(2026, 12, 9), False),
                ("sh_decided", "SH", "approved", date(2026, 12, 1), True),
                ("sh_paused", "SH", "supplement_required", None, False),
            ]
        ):
            rows[name] = Application(
                item_code="TH-002",
                applicant_id=applicant.id,
                agency_code=agency,
                status=status,
                form={},
                number=f"HS20261120{position:06d}",
                due_on=due_on,
                decided_at=datetime(2026, 12, 2, tzinfo=CHINA_TIME) if decided else None,
            )
        session.add_all(rows.values())
        await session.flush()
        return {row.id: name for name, row in rows.items()}

    return run(operator_env, place)


def due(capsys, placed, *args) -> list[tuple[str, str, int]]:
    cli.main(["deadlines-due", "--date", DAY, *args])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return [(placed[line["id"]], line["state"], line["working_days_overdue"]) for line in lines if line["id"] in placed]


def test_the_agency_gets_its_subtrees_overdue_and_due_today_earliest_first(operator_env, placed, capsys):
    assert due(capsys, placed, "--agency", "SH") == [
        ("sh_late", "overdue", 6),
        ("sh_later_late", "overdue", 3),
        ("sh_today", "due_today", 0),
        ("pd_today", "due_today", 0),
    ]


def test_every_agency_is_listed_without_one_page_by_page_and_again_the_same(
    operator_env, placed, capsys, monkeypatch
):
    monkeypatch.setattr(deadlines, "DUE_PAGE_SIZE", 1)  # a page per application: the paging is walked

    first = due(capsys, placed)

    assert sorted(name for name, _, _ in first) == ["pd_today", "sh_late", "sh_later_late", "sh_today", "tj_late"]
    assert due(capsys, placed) == first


def test_a_line_says_what_the_night_shift_needs(operator_env, placed, capsys):
    cli.main(["deadlines-due", "--date", DAY, "--agency", "SH-PD"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    line = next(line for line in lines if placed.get(line["id"]) == "pd_today")

    assert line == {
        "id": line["id"],
        "number": "HS20261120000003",
        "item_code": "TH-002",
        "agency_code": "SH-PD",
        "status": "submitted",
        "due_on": "2026-12-08",
        "state": "due_today",
        "working_days_overdue": 0,
        "provisional": False,
    }


def test_an_unknown_agency_or_a_bad_date_is_refused(operator_env, capsys):
    with pytest.raises(SystemExit, match="海事机构代码“XX”不存在"):
        cli.main(["deadlines-due", "--date", DAY, "--agency", "XX"])
    with pytest.raises(SystemExit):
        cli.main(["deadlines-due", "--date", "2026-13-01"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_each_page_is_one_range_of_the_due_date_index(operator_env):
    async def plan(session):
        # A later page: the cursor's key bounds the range too.
        cursor = cursor_after(SimpleNamespace(due_on=date(2026, 12, 1), id="0" * 36), repository.RUNNING_DUE_FIRST)
        statement = repository.due_statement("SH", date(2026, 12, 8), cursor, deadlines.DUE_PAGE_SIZE)
        sql = str(statement.compile(session.bind, compile_kwargs={"literal_binds": True}))
        if session.bind.dialect.name == "postgresql":
            await session.execute(text("SET LOCAL enable_seqscan = off"))
            return "\n".join(await session.scalars(text(f"EXPLAIN {sql}")))
        return "\n".join(str(row) for row in (await session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))).all())

    assert "ix_applications_due" in run(operator_env, plan)
