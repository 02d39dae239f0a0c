"""machine clients (role integration) and the webhook outbox

Revision ID: 6a1d0c3e5f72
Revises: 5c1e7a9d3b20
Create Date: 2026-12-07 06:00:00.000000+00:00

A machine client of the authority's systems is a ``users`` row of the new role
``integration`` plus its ``machine_clients`` row; ``outbox_events`` holds what integrators may
hear about, written in the transaction of the change. The role CHECK is rewritten as in
b7f3c2a1d9e4 (on SQLite by rebuilding ``users`` with foreign keys off).
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision: str = "6a1d0c3e5f72"
down_revision: Union[str, Sequence[str], None] = "5c1e7a9d3b20"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NAME = "ck_users_role_known"
ROLES_BEFORE = ("personal", "corporate", "officer", "staff", "sysadmin", "secadmin", "auditor")
ROLES_AFTER = (*ROLES_BEFORE, "integration")


def _condition(roles: tuple[str, ...]) -> str:
    return f"role IN ({', '.join(repr(role) for role in roles)})"


def _on_sqlite_without_foreign_keys(change) -> None:
    bind = op.get_bind()
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        bind.exec_driver_sql("BEGIN")
        change()
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"references broken while rebuilding users: {broken[:5]}")
        bind.exec_driver_sql("COMMIT")
    except BaseException:
        bind.exec_driver_sql("ROLLBACK")
        raise
    finally:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")
        bind.exec_driver_sql("BEGIN")  # the transaction Alembic goes on with


def _role_check(roles: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f(NAME), "users", type_="check")
        op.create_check_constraint(op.f(NAME), "users", _condition(roles))
        return

    def rebuild() -> None:
        with op.batch_alter_table("users", recreate="always") as batch_op:
            batch_op.drop_constraint(op.f(NAME), type_="check")
            batch_op.create_check_constraint(op.f(NAME), sa.text(_condition(roles)))

    _on_sqlite_without_foreign_keys(rebuild)


JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "machine_clients",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False, comment="the unit answerable for the client"),
        sa.Column("scopes", JSON, nullable=False, comment="app.core.auth.Scope values"),
        sa.Column(
            "allowed_sources", JSON, nullable=False, comment="CIDR networks it may call from; empty: anywhere"
        ),
        sa.Column("secret_hash", sa.String(length=255), nullable=True, comment="none for private_key_jwt only"),
        sa.Column(
            "public_jwks", JSON, nullable=True, comment="public keys for private_key_jwt client assertions"
        ),
        sa.Column("rate_limit_per_minute", sa.Integer(), nullable=False),
        sa.Column("credentials_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_machine_clients_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_machine_clients")),
    )
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False, comment="e.g. application.accepted, certificate.revoked"),
        sa.Column("subject_id", sa.String(length=36), nullable=False, comment="the application's or certificate's id"),
        sa.Column(
            "agency_code",
            sa.String(length=16),
            nullable=True,
            comment="whose event: subscribers see their own agency's subtree only",
        ),
        sa.Column("data", JSON, nullable=False, comment="the webhook payload's data"),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fanned_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
    )
    op.create_index(
        "ix_outbox_events_pending",
        "outbox_events",
        ["id"],
        unique=False,
        postgresql_where=sa.text("fanned_out_at IS NULL"),
        sqlite_where=sa.text("fanned_out_at IS NULL"),
    )
    _role_check(ROLES_AFTER)


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("DELETE FROM users WHERE role = 'integration'")
    _role_check(ROLES_BEFORE)
    op.drop_index(
        "ix_outbox_events_pending",
        table_name="outbox_events",
        postgresql_where=sa.text("fanned_out_at IS NULL"),
        sqlite_where=sa.text("fanned_out_at IS NULL"),
    )
    op.drop_table("outbox_events")
    op.drop_table("machine_clients")
