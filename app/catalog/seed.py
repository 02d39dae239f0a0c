"""The catalog ships as data: service items with their guides (``items.json``), and the online
forms (``online_items.json``): records to rows for loading, rows back to records for export."""

from collections import defaultdict
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from jsonschema.exceptions import ValidationError as SchemaViolation
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import AgencyLevel
from app.catalog.models import OnlineForm, ServiceItem, ServiceItemLevel
from app.catalog.rules import FormRules
from app.catalog.schemas import ServiceGuide
from app.catalog.taxonomy import Audience, Business, Nature
from app.core.search import build_search_text
from app.core.seeding import FieldError, Rows, choice, one_of, prepare_rows, require_known, upsert, validated

ITEMS_FILE = "items.json"
FORMS_FILE = "online_items.json"
# The order levels and audiences are written in (the shipped files' order).
_LEVEL_ORDER = list(AgencyLevel)


def item_rows(records: Rows) -> Rows:
    """Service items, each row with its ``handling_levels`` (their own table's rows)."""
    return prepare_rows(ITEMS_FILE, "code", records, _item_row)


def form_rows(records: Rows, item_codes: set[str] | None = None) -> Rows:
    """The forms; each names an item of ``item_codes`` when given (the loaded ones otherwise)."""

    def prepare(position: int, form: dict[str, Any]) -> dict[str, Any]:
        if item_codes is not None:
            require_known("item_code", form["item_code"], item_codes, "事项")
        return _form_row(position, form)

    return prepare_rows(FORMS_FILE, "item_code", records, prepare)


async def load_items(session: AsyncSession, records: Rows) -> None:
    """Service items with their guides and handling levels (``items.json``)."""
    await write_items(session, item_rows(records))


async def load_online_forms(session: AsyncSession, records: Rows) -> None:
    """The online items' forms, each with its schema, example and rules (``online_items.json``)."""
    await write_online_forms(session, form_rows(records))


async def write_items(session: AsyncSession, rows: Rows) -> None:
    await upsert(session, ServiceItem, [_without(row, "handling_levels") for row in rows])
    codes = [row["code"] for row in rows]
    await session.execute(delete(ServiceItemLevel).where(ServiceItemLevel.item_code.in_(codes)))
    await upsert(
        session,
        ServiceItemLevel,
        [{"item_code": row["code"], "level": level} for row in rows for level in row["handling_levels"]],
    )


async def write_online_forms(session: AsyncSession, rows: Rows) -> None:
    await upsert(session, OnlineForm, rows)


def _without(row: dict[str, Any], key: str) -> dict[str, Any]:
    return {name: value for name, value in row.items() if name != key}


def _item_row(position: int, item: dict) -> dict:
    guide = validated(item, "guide", ServiceGuide)
    audience = {Audience(one_of(a, "audience", Audience)) for a in item["audience"]}
    return {
        "code": item["code"],
        "name": item["name"],
        "business": choice(item, "business", Business),
        "nature": choice(item, "nature", Nature),
        "for_personal": Audience.personal in audience,
        "for_corporate": Audience.corporate in audience,
        "online": item["online"],
        "position": position,
        "aliases": item["aliases"],
        "guide": guide.model_dump(mode="json"),
        "source": item["source"],
        "search_text": build_search_text([item["name"], *guide.sub_items, *item["aliases"]]),
        "handling_levels": [
            one_of(level, "handling_levels", AgencyLevel) for level in item["handling_levels"]
        ],
    }


def _form_row(position: int, form: dict) -> dict:
    # A broken schema or an example that fails it must stop the load, not reach users.
    try:
        Draft202012Validator.check_schema(form["form_schema"])
    except SchemaError as error:
        raise FieldError("form_schema", error.message) from error
    validator = Draft202012Validator(form["form_schema"], format_checker=Draft202012Validator.FORMAT_CHECKER)
    try:
        validator.validate(form["example"])
    except SchemaViolation as error:
        raise FieldError("example", f"不符合 form_schema：{error.message}") from error
    rules = validated(form, "rules", FormRules)
    rules.check_against(form["form_schema"])
    return {
        "item_code": form["item_code"],
        "name": form["name"],
        "after_submit": form["after_submit"],
        "position": position,
        "steps": form["steps"],
        "material_slots": form["material_slots"],
        "form_schema": form["form_schema"],
        "rules": rules.model_dump(mode="json", exclude_defaults=True),
        "example": form["example"],
        "promised_working_days": _promised_working_days(form),
    }


def _promised_working_days(form: dict) -> int | None:
    """The 承诺办结时限 in working days; every item says it (null: received at once, no deadline)."""
    if "promised_working_days" not in form:
        raise ValueError(
            f"{form['item_code']}: promised_working_days missing (null when there is no deadline)"
        )
    days = form["promised_working_days"]
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
        raise ValueError(f"{form['item_code']}: promised_working_days must be a positive integer or null")
    return days


async def item_records(session: AsyncSession) -> Rows:
    """The items as ``items.json`` holds them, in catalog order."""
    levels: dict[str, list[str]] = defaultdict(list)
    for item_code, level in await session.execute(select(ServiceItemLevel.item_code, ServiceItemLevel.level)):
        levels[item_code].append(level)
    return [
        _item_record(
            item, sorted(levels[item.code], key=lambda level: _LEVEL_ORDER.index(AgencyLevel(level)))
        )
        for item in await session.scalars(select(ServiceItem).order_by(ServiceItem.position))
    ]


def _item_record(item: ServiceItem, handling_levels: list[str]) -> dict[str, Any]:
    audience = [Audience.personal.value] * item.for_personal + [Audience.corporate.value] * item.for_corporate
    return {
        "code": item.code,
        "name": item.name,
        "aliases": item.aliases,
        "business": item.business,
        "nature": item.nature,
        "audience": audience,
        "online": item.online,
        "handling_levels": handling_levels,
        "source": item.source,
        # Through its model, for the key order (JSONB on PostgreSQL keeps its own).
        "guide": ServiceGuide.model_validate(item.guide).model_dump(mode="json"),
    }


async def form_records(session: AsyncSession) -> Rows:
    """The online forms as ``online_items.json`` holds them."""
    return [
        {
            "item_code": form.item_code,
            "name": form.name,
            "after_submit": form.after_submit,
            "promised_working_days": form.promised_working_days,
            "steps": form.steps,
            "material_slots": form.material_slots,
            "form_schema": form.form_schema,
            "rules": FormRules.model_validate(form.rules).model_dump(mode="json", exclude_defaults=True),
            "example": form.example,
        }
        for form in await session.scalars(select(OnlineForm).order_by(OnlineForm.position))
    ]
