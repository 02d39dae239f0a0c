"""The checks an online item's form needs beyond its JSON Schema, stated with the item.

Each entry of ``seed/online_items.json`` carries its own ``rules`` next to its ``form_schema``:
which dates must come in order or not lie in the future, which identifiers carry a check
digit, which fields name an entry of a pick list and which object is one of the applicant's
own ships. A rule applies to its item only, so two items may use the same field name with
different rules (or none). Fields are named by path: ``ship.imo_number``, and ``ships[]`` for
every element of an array. The seed refuses rules that name a field the item's schema lacks.
"""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class PickList(StrEnum):
    fuel_suppliers = "fuel_suppliers"
    ports = "ports"
    countries = "countries"
    regulation_items = "regulation_items"


class CheckDigit(StrEnum):
    credit_code = "credit_code"  # 统一社会信用代码 (GB 32100)
    imo_number = "imo_number"  # IMO船舶识别号


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DateOrder(_Rule):
    """``later`` may not come before ``earlier``; ``message`` is shown at ``later``."""

    earlier: str
    later: str
    message: str


class NotInFuture(_Rule):
    """A date may not be after today, a date-time not after now."""

    field: str
    message: str


class CheckDigitField(_Rule):
    field: str
    kind: CheckDigit


class PickListField(_Rule):
    """The field holds the id (or a list of ids) of an entry of ``list``."""

    field: str
    list: PickList


class FormRules(_Rule):
    """An item's rules, applied in this order when it is submitted (lists keep their order)."""

    date_order: list[DateOrder] = []
    not_in_future: list[NotInFuture] = []
    check_digits: list[CheckDigitField] = []
    pick_lists: list[PickListField] = []
    own_ship: str | None = None  # an object with ``imo_number`` that must be in 我的船舶

    def check_against(self, schema: dict[str, Any]) -> None:
        """Raise ``ValueError`` unless every field a rule names is in ``schema`` with a fitting type."""
        for rule in self.date_order:
            _field(schema, rule.earlier, "date", "date-time")
            _field(schema, rule.later, "date", "date-time")
        for rule in self.not_in_future:
            _field(schema, rule.field, "date", "date-time")
        for rule in self.check_digits:
            if _field(schema, rule.field).get("type") != "string":
                raise ValueError(f"rule field {rule.field!r} is not a string")
        for rule in self.pick_lists:
            node = _field(schema, rule.field)
            if "string" not in (node.get("type"), node.get("items", {}).get("type")):
                raise ValueError(f"rule field {rule.field!r} is neither an id nor a list of ids")
        if self.own_ship is not None:
            ship = _field(schema, self.own_ship)
            if "imo_number" not in ship.get("properties", {}):
                raise ValueError(f"rule field {self.own_ship!r} has no imo_number")


def _field(schema: dict[str, Any], path: str, *formats: str) -> dict[str, Any]:
    node = schema
    for step in path.split("."):
        name, each = step.removesuffix("[]"), step.endswith("[]")
        node = node.get("properties", {}).get(name)
        if node is None:
            raise ValueError(f"rule field {path!r} is not in the form schema")
        if each:
            node = node.get("items", {})
    if formats and node.get("format") not in formats:
        raise ValueError(f"rule field {path!r} is not a {' or '.join(formats)}")
    return node
