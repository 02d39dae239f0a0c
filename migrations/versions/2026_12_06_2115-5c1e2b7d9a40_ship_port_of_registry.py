"""ship port of registry (船籍港)

Revision ID: 5c1e2b7d9a40
Revises: 3829cb0d17c1
Create Date: 2026-12-06 21:15:00.000000+00:00

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "5c1e2b7d9a40"
down_revision: Union[str, Sequence[str], None] = "3829cb0d17c1"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("ships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("port_of_registry", sa.String(length=32), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("ships", schema=None) as batch_op:
        batch_op.drop_column("port_of_registry")
