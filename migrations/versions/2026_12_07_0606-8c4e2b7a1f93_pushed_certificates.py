"""certificates pushed by the authority's registry

Revision ID: 8c4e2b7a1f93
Revises: 6a1d0c3e5f72
Create Date: 2026-12-07 06:06:00.000000+00:00

A pushed certificate is keyed by the registry's own id and version; its holder may not have
registered yet (``holder_id`` nullable, ``holder_key`` kept to claim it at registration). On
SQLite the nullable ``holder_id`` rebuilds ``certificates`` with foreign keys off, so that
dropping the old table does not cascade into scans and corrections.
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "8c4e2b7a1f93"
down_revision: Union[str, Sequence[str], None] = "6a1d0c3e5f72"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = (
    ("holder_key", sa.String(length=64), "pushed: a person's ID-number blind index (as personal_profiles) or a credit code"),
    ("registry_id", sa.String(length=64), "the registry's own id of a pushed certificate"),
    ("source_version", sa.BigInteger(), "the registry's version of what is stored; older pushes never overwrite"),
    ("registry_status", sa.String(length=16), "RegistryStatus as pushed"),
    ("push_digest", sa.String(length=64), "keyed digest of the stored push: a resend of the same version is recognised"),
    ("photo_key", sa.String(length=160), "the holder's photo in object storage"),
    ("updated_at", sa.DateTime(timezone=True), "last applied push"),
)


def _on_sqlite_without_foreign_keys(change) -> None:
    bind = op.get_bind()
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        bind.exec_driver_sql("BEGIN")
        change()
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"references broken while rebuilding certificates: {broken[:5]}")
        bind.exec_driver_sql("COMMIT")
    except BaseException:
        bind.exec_driver_sql("ROLLBACK")
        raise
    finally:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")
        bind.exec_driver_sql("BEGIN")  # the transaction Alembic goes on with


def _alter(change) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _on_sqlite_without_foreign_keys(change)
    else:
        change()


def upgrade() -> None:
    """Upgrade schema."""

    def change() -> None:
        with op.batch_alter_table("certificates", schema=None, recreate="auto") as batch_op:
            for name, kind, comment in COLUMNS:
                batch_op.add_column(sa.Column(name, kind, nullable=True, comment=comment))
            batch_op.alter_column(
                "holder_id",
                existing_type=sa.String(length=36),
                nullable=True,
                comment="none until the holder registers",
            )
            batch_op.create_unique_constraint(batch_op.f("uq_certificates_registry_id"), ["registry_id"])
            batch_op.create_index(
                "ix_certificates_unclaimed",
                ["holder_key"],
                unique=False,
                postgresql_where=sa.text("holder_id IS NULL"),
                sqlite_where=sa.text("holder_id IS NULL"),
            )

    _alter(change)


def downgrade() -> None:
    """Downgrade schema: certificates nobody has claimed yet have no holder to keep them."""
    op.execute("DELETE FROM certificates WHERE holder_id IS NULL")

    def change() -> None:
        with op.batch_alter_table("certificates", schema=None, recreate="auto") as batch_op:
            batch_op.drop_index("ix_certificates_unclaimed", postgresql_where=sa.text("holder_id IS NULL"))
            batch_op.drop_constraint(batch_op.f("uq_certificates_registry_id"), type_="unique")
            batch_op.alter_column(
                "holder_id", existing_type=sa.String(length=36), nullable=False, comment=None
            )
            for name, _, _ in reversed(COLUMNS):
                batch_op.drop_column(name)

    _alter(change)
