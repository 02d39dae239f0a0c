"""deadlines: each online item's 承诺办结时限 and each application's due date and decision time

Revision ID: 4050008a4eef
Revises: 9ad13b0fdf75
Create Date: 2026-12-07 02:50:00.000000+00:00

``online_forms.promised_working_days`` is the limit in working days from the item's guide (null:
no decision deadline, as for the fuel reports received at once); existing rows get the values
the five items have at this revision (the seed rewrites them from ``online_items.json`` on
every start). ``applications.due_on`` is the 承诺办结 date (null before submission, while the
clock is paused for 补正, and after a cancel or withdrawal); ``paused_on`` and
``due_on_at_pause`` keep what a resubmission after 补正 needs to move it later. ``decided_at``
is when a decision was made; existing decided rows take their last change as that time.
Applications submitted before this revision get no due date (they were never counted).
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "4050008a4eef"
down_revision: Union[str, Sequence[str], None] = "9ad13b0fdf75"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PROMISED_AT_THIS_REVISION = {"TH-001": 15, "TH-002": 15, "WF-001": 5, "WF-002": None, "WF-003": None}
OPEN_WITH_A_DUE_DATE = sa.text("due_on IS NOT NULL AND decided_at IS NULL")


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("online_forms", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "promised_working_days",
                sa.Integer(),
                nullable=True,
                comment="承诺办结时限 in working days from the guide; null: no decision deadline",
            )
        )
    forms = sa.table("online_forms", sa.column("item_code", sa.String), sa.column("promised_working_days", sa.Integer))
    for item_code, days in PROMISED_AT_THIS_REVISION.items():
        op.execute(forms.update().where(forms.c.item_code == item_code).values(promised_working_days=days))

    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("due_on", sa.Date(), nullable=True, comment="承诺办结 date (China); null when no clock runs")
        )
        batch_op.add_column(
            sa.Column("paused_on", sa.Date(), nullable=True, comment="the day 补正 paused the clock (China)")
        )
        batch_op.add_column(
            sa.Column("due_on_at_pause", sa.Date(), nullable=True, comment="due_on when 补正 paused the clock")
        )
        batch_op.add_column(
            sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True, comment="when it reached 已办结/不予许可/不予受理")
        )
        batch_op.create_index(
            "ix_applications_due",
            ["agency_code", "due_on", "id"],
            unique=False,
            postgresql_where=OPEN_WITH_A_DUE_DATE,
            sqlite_where=OPEN_WITH_A_DUE_DATE,
        )
    applications = sa.table(
        "applications",
        sa.column("status", sa.String),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("decided_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        applications.update()
        .where(applications.c.status.in_(["approved", "declined", "rejected"]))
        .values(decided_at=applications.c.updated_at)
    )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_applications_due",
            postgresql_where=OPEN_WITH_A_DUE_DATE,
            sqlite_where=OPEN_WITH_A_DUE_DATE,
        )
        batch_op.drop_column("decided_at")
        batch_op.drop_column("due_on_at_pause")
        batch_op.drop_column("paused_on")
        batch_op.drop_column("due_on")
    with op.batch_alter_table("online_forms", schema=None) as batch_op:
        batch_op.drop_column("promised_working_days")
