"""admin account requests (双人复核 of administrator accounts)

Revision ID: 5d2a7c9e41b3
Revises: a1fb42340742
Create Date: 2026-12-06 20:56:00.000000+00:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "5d2a7c9e41b3"
down_revision: Union[str, Sequence[str], None] = "a1fb42340742"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "admin_account_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "account_id", sa.String(length=36), nullable=True, comment="set once a creation is carried out"
        ),
        sa.Column("role", sa.String(length=16), nullable=False, comment="the account's role"),
        sa.Column("username", sa.String(length=32), nullable=True, comment="creation only"),
        sa.Column("display_name", sa.String(length=128), nullable=True, comment="creation only"),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("requested_by", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=36), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_comment", sa.String(length=200), nullable=True),
        sa.Column(
            "initial_part_encrypted",
            sa.LargeBinary(),
            nullable=True,
            comment="creation: the requester's half of the initial password until the request is closed",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["users.id"], name=op.f("fk_admin_account_requests_account_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_admin_account_requests_decided_by_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["users.id"],
            name=op.f("fk_admin_account_requests_requested_by_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_account_requests")),
    )
    with op.batch_alter_table("admin_account_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_account_requests_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_admin_account_requests_status"), ["status"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("admin_account_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_account_requests_status"))
        batch_op.drop_index(batch_op.f("ix_admin_account_requests_account_id"))
    op.drop_table("admin_account_requests")
