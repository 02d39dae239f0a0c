"""On PostgreSQL the API can run as a role that owns no table (MIGRATION_DATABASE_URL names the
owner): it works with rows as usual, and cannot undo the audit trail's protection."""

import secrets

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.core.db import create_engine
from app.main import create_app
from app.ops.database_roles import grant_runtime_role
from tests.support.database import selected_databases, settings_for_tests
from tests.support.people import password_login

pytestmark = pytest.mark.skipif(
    "postgresql" not in selected_databases(), reason="roles and grants are PostgreSQL's"
)


@pytest.fixture
async def api_role(prepared_database, tmp_path):
    """A migrated, seeded database owned by `postgres`, and settings for an API role of its own."""
    owner_url = prepared_database("postgresql")
    role = f"msa_api_{secrets.token_hex(3)}"
    owner_settings = settings_for_tests(owner_url, tmp_path)
    owner = create_engine(owner_settings)
    async with owner.begin() as connection:
        await connection.execute(text(f"CREATE ROLE {role} LOGIN"))
    settings = owner_settings.model_copy(
        update={
            "database_url": make_url(owner_url).set(username=role).render_as_string(hide_password=False),
            "migration_database_url": owner_url,
        }
    )
    assert await grant_runtime_role(settings) == role
    try:
        yield settings
    finally:
        async with owner.begin() as connection:
            await connection.execute(text(f"DROP OWNED BY {role}"))
            await connection.execute(text(f"DROP ROLE {role}"))
        await owner.dispose()


async def test_the_api_runs_as_its_own_role_and_records_sign_ins(api_role):
    app = create_app(api_role)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver/api/v1") as api:
            tokens = await password_login(api, "demo-corp")
            me = await api.get("/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})

    assert me.status_code == 200, me.text
    engine = create_engine(api_role)
    try:
        async with engine.connect() as connection:
            events = await connection.scalar(text("SELECT count(*) FROM audit_events"))
            role = await connection.scalar(text("SELECT current_user"))
    finally:
        await engine.dispose()
    assert events >= 1 and role == make_url(api_role.database_url).username


@pytest.mark.parametrize(
    "statement",
    [
        "DROP TRIGGER audit_events_append_only ON audit_events",
        "ALTER TABLE audit_events DISABLE TRIGGER ALL",
        "TRUNCATE audit_events",
        "UPDATE audit_events SET outcome = 'rewritten'",
        "DROP TABLE audit_events",
        "CREATE TABLE shadow (id int)",
    ],
)
async def test_the_api_role_cannot_undo_the_audit_trail(api_role, statement):
    engine = create_engine(api_role)
    try:
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError, match=r"must be owner|permission denied"):
                await connection.execute(text(statement))
    finally:
        await engine.dispose()
