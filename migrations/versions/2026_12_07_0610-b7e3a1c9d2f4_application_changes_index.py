"""applications: an index for the back office polling what changed since it last looked

Revision ID: b7e3a1c9d2f4
Revises: 6a1d0c3e5f72
Create Date: 2026-12-07 06:10:00.000000+00:00

``GET /backoffice/applications?updated_since=…`` lists, per agency of the client's subtree, the
submitted applications updated at or after a time, least recently updated first: one short range
of this index per agency instead of every open application of the subtree.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = "b7e3a1c9d2f4"
down_revision: Union[str, Sequence[str], None] = "6a1d0c3e5f72"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NOT_A_DRAFT = sa.text("status <> 'draft'")


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_applications_changes",
            ["agency_code", "updated_at", "id"],
            unique=False,
            postgresql_where=NOT_A_DRAFT,
            sqlite_where=NOT_A_DRAFT,
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index("ix_applications_changes", postgresql_where=NOT_A_DRAFT, sqlite_where=NOT_A_DRAFT)
