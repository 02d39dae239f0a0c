"""follow ups: the 回访整改 task a 不满意/非常不满意 rating opens for the agency

Revision ID: 3f8d1c6b2e7a
Revises: 9ad13b0fdf75
Create Date: 2026-12-07 02:46:00.000000+00:00

Ratings given before this revision open no task (nothing is back-filled): their deadline,
counted from the rating, may long have passed and nobody was told to call back.
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "3f8d1c6b2e7a"
down_revision: Union[str, Sequence[str], None] = "9ad13b0fdf75"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("evaluation_id", sa.String(length=36), nullable=False),
        sa.Column("agency_code", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column(
            "queue_rank", sa.Integer(), nullable=False, comment="0 while open, 1 once closed: open ones list first"
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "due_on", sa.Date(), nullable=False, comment="FOLLOW_UP_WORKING_DAYS working days after the rating"
        ),
        sa.Column("contacted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("applicant_said", sa.Text(), nullable=True),
        sa.Column("finding", sa.Text(), nullable=True),
        sa.Column("visited_by", sa.String(length=36), nullable=True),
        sa.Column("rectification", sa.Text(), nullable=True),
        sa.Column("applicant_satisfied", sa.Boolean(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=36), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_code"], ["agencies.code"], name=op.f("fk_follow_ups_agency_code_agencies")
        ),
        sa.ForeignKeyConstraint(["closed_by"], ["users.id"], name=op.f("fk_follow_ups_closed_by_users")),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name=op.f("fk_follow_ups_evaluation_id_evaluations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["visited_by"], ["users.id"], name=op.f("fk_follow_ups_visited_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.UniqueConstraint("evaluation_id", name=op.f("uq_follow_ups_evaluation_id")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            "ix_follow_ups_queue", ["agency_code", "queue_rank", "due_on", "id"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_ups_queue")
    op.drop_table("follow_ups")
