"""statistics: an index on application_events for the decisions of one kind in a period

Revision ID: 5c1e7a9d3b20
Revises: 4050008a4eef
Create Date: 2026-12-07 03:27:00.000000+00:00

统计分析 counts the 受理 decisions taken in a period (``action = 'accept'`` and ``occurred_at`` in
range, joined to the applications of the caller's subtree). Without this index PostgreSQL reads
the whole timeline table for it.
"""

from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = "5c1e7a9d3b20"
down_revision: Union[str, Sequence[str], None] = "4050008a4eef"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        "ix_application_events_action_time",
        "application_events",
        ["action", "occurred_at", "application_id"],
        unique=False,
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_application_events_action_time", table_name="application_events")
