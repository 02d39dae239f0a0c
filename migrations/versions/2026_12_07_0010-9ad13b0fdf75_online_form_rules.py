"""online form rules: each item's checks beyond its form schema, kept with the item

Revision ID: 9ad13b0fdf75
Revises: b7f3c2a1d9e4
Create Date: 2026-12-07 00:00:00.000000+00:00

The cross-field checks were keyed by bare field name across all items; they now live in
``online_forms.rules``. Existing rows get the rules the five items had at this revision (the
seed rewrites them from ``online_items.json`` on every start), so nothing changes in between.
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision: str = "9ad13b0fdf75"
down_revision: Union[str, Sequence[str], None] = "b7f3c2a1d9e4"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
COMMENT = "the item's checks beyond its form_schema (app.catalog.rules.FormRules)"

RULES_AT_THIS_REVISION = {
    "TH-001": {
        "date_order": [
            {
                "earlier": "period_start",
                "later": "period_end",
                "message": "划定期限的截止日期应晚于开始日期"
            }
        ],
        "check_digits": [
            {
                "field": "ships[].imo_number",
                "kind": "imo_number"
            }
        ]
    },
    "TH-002": {},
    "WF-001": {
        "not_in_future": [
            {
                "field": "plan_compiled_date",
                "message": "编制日期不能晚于今天"
            }
        ],
        "check_digits": [
            {
                "field": "unified_credit_code",
                "kind": "credit_code"
            }
        ]
    },
    "WF-002": {
        "date_order": [
            {
                "earlier": "bunkering_date",
                "later": "found_date",
                "message": "发现不合规日期不能早于加油日期"
            }
        ],
        "not_in_future": [
            {
                "field": "found_date",
                "message": "发现不合规日期不能晚于今天"
            },
            {
                "field": "bunkering_date",
                "message": "加油日期不能晚于今天"
            }
        ],
        "check_digits": [
            {
                "field": "ship.imo_number",
                "kind": "imo_number"
            },
            {
                "field": "supplier_other.credit_code",
                "kind": "credit_code"
            }
        ],
        "pick_lists": [
            {
                "field": "supplier_id",
                "list": "fuel_suppliers"
            },
            {
                "field": "bunkering_port",
                "list": "ports"
            },
            {
                "field": "port_country",
                "list": "countries"
            },
            {
                "field": "noncompliant_items",
                "list": "regulation_items"
            }
        ],
        "own_ship": "ship"
    },
    "WF-003": {
        "date_order": [
            {
                "earlier": "bunkering_date",
                "later": "failure_time",
                "message": "故障发生时间不能早于加油日期"
            },
            {
                "earlier": "failure_time",
                "later": "eta",
                "message": "预计抵达时间应晚于故障发生时间"
            }
        ],
        "not_in_future": [
            {
                "field": "bunkering_date",
                "message": "加油日期不能晚于今天"
            },
            {
                "field": "failure_time",
                "message": "故障发生时间不能晚于当前时间"
            }
        ],
        "check_digits": [
            {
                "field": "ship.imo_number",
                "kind": "imo_number"
            },
            {
                "field": "supplier_other.credit_code",
                "kind": "credit_code"
            }
        ],
        "pick_lists": [
            {
                "field": "supplier_id",
                "list": "fuel_suppliers"
            },
            {
                "field": "bunkering_port",
                "list": "ports"
            },
            {
                "field": "last_port",
                "list": "ports"
            },
            {
                "field": "next_port",
                "list": "ports"
            }
        ],
        "own_ship": "ship"
    }
}


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("online_forms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rules", JSON_DOCUMENT, nullable=True, comment=COMMENT))
    forms = sa.table("online_forms", sa.column("item_code", sa.String), sa.column("rules", JSON_DOCUMENT))
    op.execute(forms.update().values(rules={}))
    for item_code, rules in RULES_AT_THIS_REVISION.items():
        op.execute(forms.update().where(forms.c.item_code == item_code).values(rules=rules))
    with op.batch_alter_table("online_forms", schema=None) as batch_op:
        batch_op.alter_column("rules", existing_type=JSON_DOCUMENT, nullable=False, existing_comment=COMMENT)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("online_forms", schema=None) as batch_op:
        batch_op.drop_column("rules")
