"""dataset versions: every published dataset kept whole, the draft being edited, and the version
an application was submitted under

Revision ID: 9c3d5e7b2a48
Revises: 6e2b4c8a1f37
Create Date: 2026-12-07 18:00:00.000000+00:00

The first ``python -m app.cli seed`` after this revision records what the database holds as
version 1. Applications submitted before it keep no version (their guide is today's).
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = "9c3d5e7b2a48"
down_revision: Union[str, Sequence[str], None] = "6e2b4c8a1f37"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "dataset_versions",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True, comment="the published version it was drafted on"),
        sa.Column("effective_at", sa.DateTime(timezone=True), nullable=True, comment="when it takes effect (scheduled)"),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "published_by", sa.String(length=64), nullable=False, comment="who: a username, or how (seed, import)"
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False, comment="added/removed/changed records vs its base"),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_dataset_versions")),
    )
    op.create_table(
        "dataset_drafts",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_drafts")),
    )
    op.add_column(
        "applications",
        sa.Column(
            "dataset_version", sa.Integer(), nullable=True, comment="the dataset version it was first submitted under"
        ),
    )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("dataset_version")
    op.drop_table("dataset_drafts")
    op.drop_table("dataset_versions")
