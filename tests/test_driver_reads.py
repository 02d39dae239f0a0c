"""The reads every request makes go straight to asyncpg on PostgreSQL (app.core.driver_reads): the
rows are the ones SQLAlchemy gives, and a failure is reported as any failed statement is."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import Integer, Numeric, String, TypeDecorator, bindparam, cast, select, text, type_coerce
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from app.applications import repository
from app.auth.repository import _OPEN_SESSION_CALLER
from app.core.db import ReadRow, create_engine, read_rows
from app.core.driver_reads import driver_read
from app.core.errors import DatabaseUnavailable, database_fault
from app.core.pagination import keyset_values
from tests.support.applying import decide, submitted_application
from tests.support.database import selected_databases, settings_for_tests


def _hot_reads(application_id: str, applicant_id: str, agencies: list[str]) -> list[tuple]:
    """(statement, values) of the reads every screen makes, with values that find rows."""
    everything = repository.Narrowing({})
    return [
        (repository._APPLICATION, {"application_id": application_id}),  # JSON, bytes, dates
        (repository._NOTICES, {"application_id": application_id}),
        (repository._EVENTS, {"application_id": application_id}),
        (repository._ATTACHED_MATERIALS, {"application_id": application_id}),
        (
            repository._applicant_page(everything.shape, False),
            {"applicant_id": applicant_id, **keyset_values(repository.NEWEST_FIRST, None, 20)},
        ),
        (
            # ``status != 'draft'`` is written into its SQL; the page size is bound at three places.
            repository._newest_across_agencies(everything.shape, len(agencies), False),
            {
                **{f"agency_{n}": code for n, code in enumerate(agencies)},
                **keyset_values(repository.NEWEST_FIRST, None, 20),
            },
        ),
    ]


async def test_the_hot_reads_give_the_rows_sqlalchemy_gives(api, corp, staff, session, database_kind):
    application = await submitted_application(api, corp, "WF-002")
    await decide(api, staff, application, "accept")  # a notice, and a timeline of two
    applicant_id = (await api.get("/me", headers=corp)).json()["id"]
    reads = _hot_reads(application["id"], applicant_id, [application["agency"]["code"], "SH", "ZJ"])
    connection = await session.connection()

    for statement, values in reads:
        expected = (await connection.execute(statement, values)).all()
        rows = await read_rows(session, statement, values)

        assert expected, statement
        assert all(isinstance(row, ReadRow) for row in rows)  # named tuples: attributes at C speed
        assert [row._asdict() for row in rows] == [dict(row._mapping) for row in expected]
        assert [tuple(map(type, row)) for row in rows] == [tuple(map(type, row)) for row in expected]
        assert (driver_read(statement, connection.dialect) is not None) is (database_kind == "postgresql")
    timeline = await read_rows(session, repository._EVENTS, {"application_id": application["id"]})
    assert all(event.occurred_at.tzinfo is UTC for event in timeline)


class _Marked(TypeDecorator):
    """A type that changes a value on its way in and on its way out."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return f"{value}, bound"

    def process_result_value(self, value, dialect):
        return f"{value}, read"


async def test_a_value_is_bound_and_read_as_its_type_says(session, database_kind):
    marked = type_coerce(bindparam("word", type_=_Marked()), _Marked()).label("word")
    statement = select(marked)

    assert await read_rows(session, statement, {"word": "海事"}) == [("海事, bound, read",)]
    assert (driver_read(statement, (await session.connection()).dialect) is not None) is (
        database_kind == "postgresql"
    )


async def test_a_column_read_by_what_the_database_says_it_is_goes_sqlalchemys_way(session):
    """SQLAlchemy reads NUMERIC by the type the database reports (Decimal, or float here)."""
    statement = select(
        cast(bindparam("value", type_=Integer), Numeric(10, 2, asdecimal=False)).label("value")
    )
    expected = (await (await session.connection()).execute(statement, {"value": 7})).all()

    rows = await read_rows(session, statement, {"value": 7})

    assert rows == expected and type(rows[0].value) is type(expected[0].value)


async def test_a_read_that_locks_rows_goes_sqlalchemys_way(session):
    """Its locks must last as long as the request's transaction, which SQLAlchemy's path begins."""
    locking = _OPEN_SESSION_CALLER.with_for_update()

    assert driver_read(locking, (await session.connection()).dialect) is None


async def test_a_read_without_a_value_it_needs_is_refused(session):
    with pytest.raises(SQLAlchemyError, match="session_id"):
        await read_rows(session, _OPEN_SESSION_CALLER, {"user_id": "someone", "now": datetime.now(UTC)})


@pytest.mark.skipif("postgresql" not in selected_databases(), reason="asyncpg: PostgreSQL only")
async def test_a_connection_lost_under_a_driver_read_is_a_lost_database(prepared_database, data_dir):
    """Answered 503 like any statement on a dead connection, and the connection is replaced."""
    engine = create_engine(settings_for_tests(prepared_database("postgresql"), data_dir))
    try:
        async with AsyncSession(engine) as session:
            connection = await session.connection()
            server_pid = (await connection.get_raw_connection()).driver_connection.get_server_pid()
            async with engine.connect() as other:
                await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": server_pid})
            values = {"session_id": "none", "user_id": "none", "now": datetime.now(UTC)}

            with pytest.raises(DBAPIError) as failed:
                await read_rows(session, _OPEN_SESSION_CALLER, values)

        assert failed.value.connection_invalidated
        assert isinstance(database_fault(failed.value), DatabaseUnavailable)
        async with AsyncSession(engine) as session:  # the pool opened a new one
            assert await read_rows(session, _OPEN_SESSION_CALLER, values) == []
    finally:
        await engine.dispose()
