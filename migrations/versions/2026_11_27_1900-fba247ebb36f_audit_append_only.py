"""audit append only

The audit trail (等保 2.0 level 3, 安全审计) is protected in the database itself, so that no
code path, operator shell or compromised application account can rewrite it:

* UPDATE of ``audit_events`` is refused, always;
* DELETE is refused for any row younger than 180 days (the retention minimum; the
  ``audit-retention`` command removes older rows);
* TRUNCATE is refused (PostgreSQL; SQLite has none, and its DELETE without WHERE fires the
  row triggers once triggers exist).

Plus an index for the auditor's "everything about this object" query.

Mind on SQLite: a later ``batch_alter_table("audit_events")`` recreates the table and drops these
triggers with it; such a revision must create them again (tests/audit/test_append_only.py fails
otherwise).

Revision ID: fba247ebb36f
Revises: 9af49dd70cd0
Create Date: 2026-11-27 19:00:00.000000+00:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "fba247ebb36f"
down_revision: str | Sequence[str] | None = "9af49dd70cd0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Must equal app.audit.service.MIN_RETENTION_DAYS (revisions do not import application code).
RETENTION_DAYS = 180
REFUSED_UPDATE = "audit_events is append-only: UPDATE refused"
REFUSED_DELETE = f"audit_events is append-only: rows younger than {RETENTION_DAYS} days cannot be deleted"

POSTGRESQL_UP = [
    f"""
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.occurred_at < now() - interval '{RETENTION_DAYS} days' THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION '{REFUSED_DELETE}' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
    """,
    """
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
    """,
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER audit_events_no_truncate ON audit_events",
    "DROP TRIGGER audit_events_append_only ON audit_events",
    "DROP FUNCTION audit_events_append_only()",
]

# SQLite keeps UTCDateTime as naive UTC text ('2026-11-27 18:43:22.572066'); julianday() reads it
# (and any other ISO form). A value it cannot read is treated as young: refused, never deleted.
SQLITE_UP = [
    f"""
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN
        SELECT RAISE(ABORT, '{REFUSED_UPDATE}');
    END
    """,
    f"""
    CREATE TRIGGER audit_events_no_early_delete BEFORE DELETE ON audit_events
    WHEN coalesce(julianday(OLD.occurred_at) >= julianday('now', '-{RETENTION_DAYS} days'), 1)
    BEGIN
        SELECT RAISE(ABORT, '{REFUSED_DELETE}');
    END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER audit_events_no_early_delete",
    "DROP TRIGGER audit_events_no_update",
]


def _execute(statements: dict[str, list[str]]) -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in statements:
        raise NotImplementedError(f"no append-only triggers for {dialect}")
    for statement in statements[dialect]:
        op.execute(statement)


def upgrade() -> None:
    op.create_index("ix_audit_events_object", "audit_events", ["object_type", "object_id"], unique=False)
    _execute({"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP})


def downgrade() -> None:
    _execute({"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN})
    op.drop_index("ix_audit_events_object", table_name="audit_events")
