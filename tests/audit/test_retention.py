"""python -m app.cli audit-retention --days N: the operator removes events past their retention
time; never any younger than 180 days, whatever the command is asked (or if it is bypassed)."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from app import cli
from app.audit import repository
from app.audit.models import AuditEvent
from app.core.db import create_engine, create_sessionmaker, utcnow
from tests.support.audit import aged_event

AGES = {"test.day_400": 400, "test.day_200": 200, "test.day_179": 179, "test.day_10": 10}


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


def add_aged_events(settings) -> None:
    async def add(session):
        session.add_all(aged_event(days, name) for name, days in AGES.items())

    run(settings, add)


def remaining(settings) -> set[str]:
    async def names(session):
        return set(await session.scalars(select(AuditEvent.event).where(AuditEvent.event.like("test.%"))))

    return run(settings, names)


def retention_runs(settings) -> list[dict]:
    async def details(session):
        return list(
            await session.scalars(select(AuditEvent.detail).where(AuditEvent.event == "audit.retention"))
        )

    return run(settings, details)


def test_the_command_removes_events_older_than_the_days_given_and_says_how_many(operator_env, capsys):
    add_aged_events(operator_env)

    cli.main(["audit-retention", "--days", "365"])
    assert "已删除 1 条 365 天前的审计记录" in capsys.readouterr().out
    assert remaining(operator_env) == {"test.day_200", "test.day_179", "test.day_10"}

    cli.main(["audit-retention", "--days", "180"])
    assert "已删除 1 条 180 天前的审计记录" in capsys.readouterr().out
    assert remaining(operator_env) == {"test.day_179", "test.day_10"}

    assert retention_runs(operator_env) == [{"days": 365, "removed": 1}, {"days": 180, "removed": 1}]


@pytest.mark.parametrize("days", ["179", "30", "0", "-1"])
def test_fewer_than_180_days_are_refused_and_nothing_is_removed(operator_env, days):
    add_aged_events(operator_env)

    with pytest.raises(SystemExit, match="审计记录至少保存 180 天"):
        cli.main(["audit-retention", "--days", days])

    assert remaining(operator_env) == set(AGES)
    assert retention_runs(operator_env) == []


def test_bypassing_the_commands_check_still_cannot_remove_young_events(operator_env):
    add_aged_events(operator_env)

    with pytest.raises(DBAPIError, match="append-only"):
        run(
            operator_env, lambda session: repository.delete_older_than(session, utcnow() - timedelta(days=30))
        )

    assert remaining(operator_env) == set(AGES)
