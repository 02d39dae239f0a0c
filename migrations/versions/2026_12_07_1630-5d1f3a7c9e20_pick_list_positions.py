"""pick lists: the order of their dataset files, so that an export gives the files back as loaded

Revision ID: 5d1f3a7c9e20
Revises: 4e7a9c2b1d58
Create Date: 2026-12-07 16:30:00.000000+00:00

Countries, ports, fuel suppliers and regulation items are answered by id, but their files keep
an order of their own (ports from north to south): ``python -m app.cli dataset-export`` writes
them back in it. Rows loaded before this revision get 0 until the next seed.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5d1f3a7c9e20"
down_revision: Union[str, Sequence[str], None] = "4e7a9c2b1d58"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PICK_LISTS = ("countries", "ports", "fuel_suppliers", "regulation_items")


def upgrade() -> None:
    """Upgrade schema."""
    for table in PICK_LISTS:
        op.add_column(
            table,
            sa.Column(
                "position", sa.Integer(), nullable=False, server_default="0", comment="order of the seed file"
            ),
        )


def downgrade() -> None:
    """Downgrade schema."""
    for table in reversed(PICK_LISTS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("position")
