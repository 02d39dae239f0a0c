"""users.role: a CHECK listing the known roles

Revision ID: b7f3c2a1d9e4
Revises: 5c1e2b7d9a40
Create Date: 2026-12-07 00:05:00.000000+00:00

The roles are written out here (a revision never imports application code); the model derives
the same list from ``app.core.auth.Role`` and tests/accounts/test_role_check.py compares the
constraint in a migrated database with the enum, so the two cannot drift apart unnoticed.

SQLite cannot add a CHECK to a table: batch mode rebuilds ``users`` (copy, drop, rename).
Dropping a table deletes its rows first, and with foreign keys enforced that delete would
cascade into every table that refers to a user. So on SQLite the rebuild runs with foreign
keys off (a pragma SQLite ignores inside a transaction: the migration's transaction is
committed first), checks the references afterwards, and turns them back on.
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "b7f3c2a1d9e4"
down_revision: Union[str, Sequence[str], None] = "5c1e2b7d9a40"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NAME = "ck_users_role_known"
ROLES = ("personal", "corporate", "officer", "staff", "sysadmin", "secadmin", "auditor")
CONDITION = f"role IN ({', '.join(repr(role) for role in ROLES)})"


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


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name != "sqlite":
        op.create_check_constraint(op.f(NAME), "users", CONDITION)
        return

    def rebuild() -> None:
        with op.batch_alter_table("users", recreate="always") as batch_op:
            batch_op.create_check_constraint(op.f(NAME), sa.text(CONDITION))

    _on_sqlite_without_foreign_keys(rebuild)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f(NAME), "users", type_="check")
        return

    def rebuild() -> None:
        with op.batch_alter_table("users", recreate="always") as batch_op:
            batch_op.drop_constraint(op.f(NAME), type_="check")

    _on_sqlite_without_foreign_keys(rebuild)
