"""The API's own database role on PostgreSQL: rows, never the schema.

Migrations run as the schema owner (MIGRATION_DATABASE_URL). The API connects as another role
(DATABASE_URL) that may read and write rows and nothing else: it cannot drop or disable the
triggers that keep the audit trail append-only, alter tables or truncate them — so neither a
bug nor an attacker holding the API's credentials can rewrite the trail (等保 2.0, 安全审计).
Granting again after every migration covers the tables a new revision adds.
"""

from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.core.config import Settings
from app.core.db import create_engine


def runtime_role(settings: Settings) -> str | None:
    """The role the API runs as, when it is not the schema owner."""
    if settings.migration_database_url is None:
        return None
    role = make_url(settings.sqlalchemy_url).username
    owner = make_url(settings.migration_database_url).username
    return role if role and role != owner else None


async def grant_runtime_role(settings: Settings) -> str | None:
    """Give the API's role row access to every table of the schema; the role, or None if the
    API runs as the owner (development, SQLite)."""
    role = runtime_role(settings)
    if role is None:
        return None
    engine = create_engine(settings.migration_settings)
    quoted = engine.dialect.identifier_preparer.quote(role)
    try:
        async with engine.begin() as connection:
            for statement in (
                f"GRANT USAGE ON SCHEMA public TO {quoted}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
                # Append-only needs no UPDATE; the trigger refuses it anyway.
                f"REVOKE UPDATE ON audit_events FROM {quoted}",
            ):
                await connection.execute(text(statement))
    finally:
        await engine.dispose()
    return role
