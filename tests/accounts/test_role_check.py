"""The database itself refuses an account with a role the code does not know (ck_users_role_known),
and the roles it knows are exactly those of app.core.auth.Role."""

import re

import pytest
from sqlalchemy import insert, inspect, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core.auth import Role
from app.core.db import create_engine, new_id
from tests.support.database import run_alembic, settings_for_tests


async def test_an_account_with_an_unknown_role_is_refused_by_the_database(session):
    with pytest.raises(IntegrityError, match="ck_users_role_known|CHECK constraint failed"):
        async with session.begin_nested():
            await session.execute(insert(User).values(id=new_id(), role="superuser", display_name="越权账号"))


async def test_an_account_of_every_known_role_is_accepted(session):
    ids = {role: new_id() for role in Role}
    async with session.begin_nested():
        rows = [{"id": id_, "role": role.value, "display_name": role.label} for role, id_ in ids.items()]
        await session.execute(insert(User), rows)

    stored = await session.scalars(select(User.role).where(User.id.in_(ids.values())))
    assert sorted(stored) == sorted(role.value for role in Role)


async def test_the_migrated_check_lists_exactly_the_roles_of_the_code(
    database_kind, database_factory, tmp_path
):
    engine = create_engine(settings_for_tests(database_factory(database_kind), tmp_path))
    try:
        await run_alembic(engine, "upgrade", "head")
        async with engine.connect() as connection:
            checks = await connection.run_sync(lambda c: inspect(c).get_check_constraints("users"))
    finally:
        await engine.dispose()

    (check,) = [c for c in checks if c["name"] == "ck_users_role_known"]
    assert set(re.findall(r"'(\w+)'", check["sqltext"])) == {role.value for role in Role}


async def test_adding_the_check_keeps_every_row_that_refers_to_an_account(
    database_kind, database_factory, tmp_path
):
    """SQLite rebuilds the users table to add the check: what refers to an account (here the
    subscription grants, deleted with their account) must all still be there afterwards."""
    engine = create_engine(settings_for_tests(database_factory(database_kind), tmp_path))
    try:
        await run_alembic(engine, "upgrade", "5c1e2b7d9a40")
        async with engine.begin() as connection:
            await connection.exec_driver_sql(
                "INSERT INTO users (id, role, display_name, failed_logins, created_at) "
                "VALUES ('u-1', 'corporate', '海港航运', 0, CURRENT_TIMESTAMP)"
            )
            await connection.exec_driver_sql(
                "INSERT INTO subscription_grants (user_id, template_id, remaining, updated_at) "
                "VALUES ('u-1', 'tmpl', 3, CURRENT_TIMESTAMP)"
            )

        await run_alembic(engine, "upgrade", "head")

        async with engine.connect() as connection:
            users = (await connection.exec_driver_sql("SELECT id, role FROM users")).all()
            grants = (
                await connection.exec_driver_sql("SELECT user_id, remaining FROM subscription_grants")
            ).all()
            foreign_keys = (
                (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
                if database_kind == "sqlite"
                else 1
            )
    finally:
        await engine.dispose()

    assert [tuple(row) for row in users] == [("u-1", "corporate")]
    assert [tuple(row) for row in grants] == [("u-1", 3)]
    assert foreign_keys == 1
