"""agencies: the public sources of each unit and their confidence; low-confidence units as candidates

Revision ID: 4e7a9c2b1d58
Revises: b7e3a1c9d2f4
Create Date: 2026-12-07 12:30:00.000000+00:00

Units of the tree keep the sources that name them (``sources``, ``confidence``, ``source_note``).
Units the sources name with low confidence are no agencies yet: they wait in
``agency_candidates`` until the system administrator confirms or dismisses them.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "4e7a9c2b1d58"
down_revision: Union[str, Sequence[str], None] = "b7e3a1c9d2f4"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "sources",
                JSON_DOCUMENT,
                nullable=False,
                server_default="[]",
                comment="public sources that name the unit (URLs or descriptions)",
            )
        )
        batch_op.add_column(
            sa.Column(
                "confidence",
                sa.String(length=8),
                nullable=True,
                comment="how sure the sources make the unit; null: from the original reference",
            )
        )
        batch_op.add_column(sa.Column("source_note", sa.String(length=200), nullable=True))
    op.create_table(
        "agency_candidates",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("short_name", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=24), nullable=False),
        sa.Column(
            "parent_code",
            sa.String(length=16),
            nullable=False,
            comment="proposed: an agency or another candidate",
        ),
        sa.Column(
            "parent_name", sa.String(length=64), nullable=True, comment="the parent as the sources put it"
        ),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("sources", JSON_DOCUMENT, nullable=False),
        sa.Column("confidence", sa.String(length=8), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False, comment="order of the seed file"),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "decided_by", sa.String(length=36), nullable=True, comment="the system administrator (user id)"
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_agency_candidates")),
    )
    op.create_index(op.f("ix_agency_candidates_status"), "agency_candidates", ["status"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f("ix_agency_candidates_status"), table_name="agency_candidates")
    op.drop_table("agency_candidates")
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_column("source_note")
        batch_op.drop_column("confidence")
        batch_op.drop_column("sources")
