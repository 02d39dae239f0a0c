"""subscription grants

Revision ID: 3829cb0d17c1
Revises: 5d2a7c9e41b3
Create Date: 2026-12-06 21:04:32.610563+00:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "3829cb0d17c1"
down_revision: Union[str, Sequence[str], None] = "5d2a7c9e41b3"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "subscription_grants",
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("template_id", sa.String(length=64), nullable=False),
        sa.Column("remaining", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("remaining >= 0", name=op.f("ck_subscription_grants_remaining_not_negative")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_subscription_grants_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "template_id", name=op.f("pk_subscription_grants")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("subscription_grants")
