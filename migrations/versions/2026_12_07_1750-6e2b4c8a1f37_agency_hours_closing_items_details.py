"""agencies: office hours, a closing date, the items a unit handles and its local guide details

Revision ID: 6e2b4c8a1f37
Revises: 5d1f3a7c9e20
Create Date: 2026-12-07 17:50:00.000000+00:00

``agencies.json`` records gain ``office_hours``, ``closed_on``, ``items`` and ``item_details``.
A unit that lists its items (``lists_items``) handles exactly its ``agency_items``; the others
handle what their level handles, as before. ``agency_item_details`` hold the guide's 受理地点,
咨询电话, 办理时间 and 收费 of an item at a unit.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "6e2b4c8a1f37"
down_revision: Union[str, Sequence[str], None] = "5d1f3a7c9e20"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _unit_and_item(table: str) -> list[sa.Column]:
    return [
        sa.Column("agency_code", sa.String(length=16), nullable=False),
        sa.Column("item_code", sa.String(length=16), nullable=False),
    ]


def _keys(table: str) -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(
            ["agency_code"],
            ["agencies.code"],
            name=op.f(f"fk_{table}_agency_code_agencies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_code"],
            ["service_items.code"],
            name=op.f(f"fk_{table}_item_code_service_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("agency_code", "item_code", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_hours", sa.String(length=100), nullable=True, comment="办公时间"))
        batch_op.add_column(
            sa.Column(
                "closed_on",
                sa.Date(),
                nullable=True,
                comment="撤销日期 (China time): from that day the unit is no longer offered",
            )
        )
        batch_op.add_column(
            sa.Column(
                "lists_items",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
                comment="true: the unit handles exactly its agency_items; false: what its level handles",
            )
        )
    op.create_table(
        "agency_items",
        *_unit_and_item("agency_items"),
        sa.Column("position", sa.Integer(), nullable=False, comment="order of the unit's items in the file"),
        *_keys("agency_items"),
    )
    op.create_index(op.f("ix_agency_items_item_code"), "agency_items", ["item_code"], unique=False)
    op.create_table(
        "agency_item_details",
        *_unit_and_item("agency_item_details"),
        sa.Column(
            "position", sa.Integer(), nullable=False, comment="order of the unit's item_details in the file"
        ),
        sa.Column("place", sa.String(length=200), nullable=True, comment="受理地点"),
        sa.Column("phone", sa.String(length=64), nullable=True, comment="咨询电话"),
        sa.Column("hours", sa.String(length=100), nullable=True, comment="办理时间"),
        sa.Column("fee", sa.String(length=500), nullable=True, comment="收费"),
        *_keys("agency_item_details"),
    )
    op.create_index(
        op.f("ix_agency_item_details_item_code"), "agency_item_details", ["item_code"], unique=False
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f("ix_agency_item_details_item_code"), table_name="agency_item_details")
    op.drop_table("agency_item_details")
    op.drop_index(op.f("ix_agency_items_item_code"), table_name="agency_items")
    op.drop_table("agency_items")
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_column("lists_items")
        batch_op.drop_column("closed_on")
        batch_op.drop_column("office_hours")
