"""The catalog ships as data: service items with their guides, and the online forms."""

from jsonschema import Draft202012Validator
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import AgencyLevel
from app.catalog.models import OnlineForm, ServiceItem, ServiceItemLevel
from app.catalog.rules import FormRules
from app.catalog.schemas import ServiceGuide
from app.catalog.taxonomy import Audience, Business, Nature
from app.core.search import build_search_text
from app.core.seeding import read_seed, upsert


async def load_catalog(session: AsyncSession) -> None:
    await load_items(session, read_seed("app.catalog", "items.json"))
    await load_online_forms(session, read_seed("app.catalog", "online_items.json"))


async def load_items(session: AsyncSession, items: list[dict]) -> None:
    """Service items with their guides and handling levels (``items.json``)."""
    await upsert(session, ServiceItem, [_item_row(position, item) for position, item in enumerate(items)])
    codes = [item["code"] for item in items]
    await session.execute(delete(ServiceItemLevel).where(ServiceItemLevel.item_code.in_(codes)))
    await upsert(
        session,
        ServiceItemLevel,
        [
            {"item_code": item["code"], "level": AgencyLevel(level).value}
            for item in items
            for level in item["handling_levels"]
        ],
    )


async def load_online_forms(session: AsyncSession, forms: list[dict]) -> None:
    """The online items' forms, each with its schema, example and rules (``online_items.json``)."""
    await upsert(session, OnlineForm, [_form_row(position, form) for position, form in enumerate(forms)])


def _item_row(position: int, item: dict) -> dict:
    guide = ServiceGuide.model_validate(item["guide"])
    audience = {Audience(a) for a in item["audience"]}
    return {
        "code": item["code"],
        "name": item["name"],
        "business": Business(item["business"]).value,
        "nature": Nature(item["nature"]).value,
        "for_personal": Audience.personal in audience,
        "for_corporate": Audience.corporate in audience,
        "online": item["online"],
        "position": position,
        "aliases": item["aliases"],
        "guide": guide.model_dump(mode="json"),
        "source": item["source"],
        "search_text": build_search_text([item["name"], *guide.sub_items, *item["aliases"]]),
    }


def _form_row(position: int, form: dict) -> dict:
    # A broken schema or an example that fails it must stop the load, not reach users.
    Draft202012Validator.check_schema(form["form_schema"])
    validator = Draft202012Validator(form["form_schema"], format_checker=Draft202012Validator.FORMAT_CHECKER)
    validator.validate(form["example"])
    rules = FormRules.model_validate(form["rules"])
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
    days = form["promised_working_days"]
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
        raise ValueError(f"{form['item_code']}: promised_working_days must be a positive integer or null")
    return days
