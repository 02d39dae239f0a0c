"""补正 item by item: what a 要求补正 names (material slots and form fields of the application's
item, each with its reason), checked against the item and resolved to the names the applicant
reads; and the open request an application that is 待补正 shows its applicant.

The request is not stored apart: it is the latest 补正材料通知书, exactly as issued.
"""

from collections.abc import Sequence
from typing import Any

from app.applications.schemas import Decision, SupplementItemRead, SupplementRequest
from app.catalog.models import OnlineForm
from app.core.db import ReadRow
from app.core.errors import InvalidInput

Error = tuple[tuple[str | int, ...], str, str]
_TARGET_NAMES = {"material": "材料项", "field": "表单字段"}


def _labels(form: OnlineForm) -> dict[str, dict[str, str]]:
    """The item's material slots and top-level form fields, by key, with their zh-CN names."""
    fields = (form.form_schema or {}).get("properties", {})
    return {
        "material": {slot["slot"]: slot["name"] for slot in form.material_slots},
        "field": {key: spec.get("title", key) for key, spec in fields.items()},
    }


def resolve(decision: Decision, form: OnlineForm) -> list[dict[str, Any]]:
    """The items of a 要求补正 as the notice records them (``target``, ``key``, ``label``,
    ``reason``), in the order given; every bad one is refused by its index, nothing written.

    The deprecated ``missing_materials`` still works for an integrator whose names are the
    item's material slots (by key or by name): each becomes a material item whose reason is the
    comment. A free name that is no slot is refused: the applicant could not be shown what to replace.
    """
    labels = _labels(form)
    by_name = {name: slot for slot, name in labels["material"].items()}
    wanted: list[tuple[tuple[str | int, ...], str, str | None, str]] = [
        (("body", "supplement_items", index), item.target, item.key, item.reason)
        for index, item in enumerate(decision.supplement_items)
    ]
    for index, name in enumerate(decision.missing_materials):
        slot = name if name in labels["material"] else by_name.get(name)
        wanted.append((("body", "missing_materials", index), "material", slot, decision.comment))

    errors: list[Error] = []
    seen: dict[tuple[str, str], int] = {}
    items: list[dict[str, Any]] = []
    for number, (loc, target, key, reason) in enumerate(wanted, 1):
        names, at = labels[target], f"第 {number} 项："
        if key is None:  # a missing_materials entry naming no slot
            name = decision.missing_materials[loc[2]]
            errors.append((loc, f"{at}事项没有名为“{name}”的材料项", "supplement.unknown_material"))
        elif key not in names:
            message = f"{at}事项没有{_TARGET_NAMES[target]}“{key}”"
            errors.append(((*loc, "key"), message, f"supplement.unknown_{target}"))
        elif (target, key) in seen:
            message = f"{at}“{names[key]}”已在第 {seen[(target, key)]} 项列出，请合并为一项"
            errors.append(((*loc, "key"), message, "supplement.duplicate"))
        else:
            seen[(target, key)] = number
            items.append({"target": target, "key": key, "label": names[key], "reason": reason})
    if errors:
        raise InvalidInput(errors)
    if not items:
        raise InvalidInput(
            [(("body", "supplement_items"), "请逐项列出需补正的材料或表单字段，并说明原因", "missing")]
        )
    return items


def refuse_items_of_another_action(decision: Decision) -> None:
    """Only 要求补正 names items: on any other decision they would be silently dropped."""
    if decision.supplement_items:
        raise InvalidInput(
            [(("body", "supplement_items"), "只有要求补正时才能列出需补正的项目", "supplement.not_requested")]
        )


def open_request(notices: Sequence[ReadRow], form: OnlineForm) -> SupplementRequest | None:
    """The latest 补正材料通知书 among the application's notices (``repository.notices_of``) as the
    applicant's to-do list. Older notices list free material names only: each is shown with the
    slot it names, if any, and the comment as its reason."""
    latest = next((n for n in reversed(notices) if n.kind == "supplement"), None)
    if latest is None:
        return None
    content = latest.content
    comment = content.get("comment")
    if "supplement_items" in content:
        items = [SupplementItemRead(**item) for item in content["supplement_items"]]
    else:
        by_name = {slot["name"]: slot["slot"] for slot in form.material_slots}
        items = [
            SupplementItemRead(target="material", key=by_name.get(name), label=name, reason=comment or "")
            for name in content.get("missing_materials", [])
        ]
    return SupplementRequest(
        notice_id=latest.id, number=latest.number, issued_at=latest.issued_at, comment=comment, items=items
    )
