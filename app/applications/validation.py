"""What must hold before an application is submitted (drafts may be incomplete).

The item's JSON Schema says the shape; the item's own rules (``online_forms.rules``, see
``app.catalog.rules``) say what a schema cannot: date order, dates not in the future, check
digits, references that must exist, the ship must be the applicant's own. For every item, the
agency must handle it and its required materials must be attached.
Every error names its field by path with a zh-CN message, like request validation errors.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from sqlalchemy import ColumnElement, CompoundSelect, bindparam, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies import closing
from app.applications import repository
from app.applications.models import Application
from app.catalog.models import OnlineForm
from app.catalog.rules import CheckDigit, FormRules, PickList
from app.core.identifiers import check_credit_code, check_imo_number
from app.core.schemas import CHINA_TIME
from app.reference.models import Country, FuelSupplier, Port, RegulationItem
from app.ships.models import Ship

Error = tuple[tuple[str | int, ...], str, str]
FORM = ("body", "form")

# What each kind of rule of ``app.catalog.rules`` refers to; which fields they apply to is the
# item's own business (its ``rules`` in ``online_items.json``).
PICK_LISTS: dict[PickList, tuple[type, str]] = {
    PickList.fuel_suppliers: (FuelSupplier, "燃油供应商不存在"),
    PickList.ports: (Port, "港口不存在"),
    PickList.countries: (Country, "国家或地区代码不存在"),
    PickList.regulation_items: (RegulationItem, "不符合的规定项不存在"),
}
CHECK_DIGITS: dict[CheckDigit, Callable[[str], Any]] = {
    CheckDigit.credit_code: check_credit_code,
    CheckDigit.imo_number: check_imo_number,
}

_SCHEMA_MESSAGES = {
    "type": "类型不正确",
    "pattern": "格式不正确",
    "format": "格式不正确",
    "enum": "取值不在可选范围内",
    "minLength": "不能为空",
    "maxLength": "内容过长",
    "minItems": "至少需要选择一项",
    "maxItems": "选择的项目过多",
    "uniqueItems": "不能重复选择",
    "minimum": "数值过小",
    "maximum": "数值过大",
    "exclusiveMinimum": "数值过小",
    "exclusiveMaximum": "数值过大",
    "additionalProperties": "包含不允许的字段",
}


_NOWHERE: Mapping = MappingProxyType({})


class Lookups:
    """Which of the values asked for are there, for several columns at once: the checks of a
    submit that only ask whether something exists (pick-list entries, the applicant's ship, a
    free application number) share one statement, built once for each set of questions a form
    asks (``_lookup_statement``) and bound to this submit's values."""

    def __init__(self) -> None:
        self._asked: list[tuple[ColumnElement, tuple[ColumnElement, ...]]] = []
        self._values: dict[str, Any] = {}
        self._found: set[tuple[int, Any]] = set()

    def ask(
        self, column: ColumnElement, values: Iterable[Any], where: Mapping[ColumnElement, Any] = _NOWHERE
    ) -> Callable[[], set]:
        """Ask which of ``values`` ``column`` holds in rows whose ``where`` columns equal their
        values; once ``run``, the returned function answers."""
        tag = len(self._asked)
        self._asked.append((column, tuple(where)))
        self._values[f"values_{tag}"] = list(values)
        self._values.update({f"where_{tag}_{index}": value for index, value in enumerate(where.values())})
        return lambda: {value for asked, value in self._found if asked == tag}

    async def run(self, session: AsyncSession) -> None:
        if self._asked:
            rows = await session.execute(_lookup_statement(tuple(self._asked)), self._values)
            self._found = {(row.tag, row.value) for row in rows}


@lru_cache(maxsize=256)
def _lookup_statement(asked: tuple[tuple[ColumnElement, tuple[ColumnElement, ...]], ...]) -> CompoundSelect:
    """The statement answering ``Lookups``' questions, by shape: which column each asks of and
    which columns narrow it (building it costs more than running it, ``read_rows`` says why)."""
    return union_all(
        *(
            select(literal(tag).label("tag"), column.label("value")).where(
                column.in_(bindparam(f"values_{tag}", expanding=True)),
                *(narrowing == bindparam(f"where_{tag}_{index}") for index, narrowing in enumerate(where)),
            )
            for tag, (column, where) in enumerate(asked)
        )
    )


async def submission_errors(
    session: AsyncSession, application: Application, online_form: OnlineForm, lookups: Lookups
) -> list[Error]:
    """Everything wrong with ``application`` for its form; ``lookups`` may hold the caller's own
    questions, answered in the same statement as the form's."""
    form = application.form
    rules = FormRules.model_validate(online_form.rules)
    references = _ask_references(lookups, rules, form)
    ship = _ask_own_ship(lookups, rules, application.applicant_id, form)
    await lookups.run(session)
    errors = form_errors(online_form.form_schema, rules, form)
    errors += references()
    errors += ship()
    errors += await _agency_errors(session, application)
    errors += await _material_errors(session, application, online_form)
    errors += _contact_errors(application)
    return errors


def form_errors(schema: dict[str, Any], rules: FormRules, form: dict[str, Any]) -> list[Error]:
    """What the form's JSON Schema and the item's rules find wrong without asking the database."""
    return _schema_errors(schema, form) + _date_errors(rules, form) + _identifier_errors(rules, form)


def _schema_errors(schema: dict[str, Any], form: dict[str, Any]) -> list[Error]:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [
        _schema_error(schema, error)
        for error in sorted(validator.iter_errors(form), key=lambda e: list(e.path))
    ]


def _schema_error(schema: dict[str, Any], error: SchemaError) -> Error:
    path = list(error.path)
    alternatives = _alternatives(error)
    if alternatives:
        titles = [_title(schema, [*path, name]) for name in alternatives]
        given = [name for name in alternatives if name in error.instance]
        if not given:
            return ((*FORM, *path, alternatives[0]), f"请填写{'或'.join(titles)}", "missing")
        return ((*FORM, *path, given[-1]), f"{'与'.join(titles)}只能填写一项", "schema.oneOf")
    if error.validator == "required":
        missing = error.message.split("'")[1]
        path.append(missing)
        return ((*FORM, *path), f"{_title(schema, path)}为必填项", "missing")
    message = _SCHEMA_MESSAGES.get(str(error.validator), "取值无效")
    if error.validator == "minLength" and error.validator_value > 1:
        message = f"至少需要{error.validator_value}个字"
    return ((*FORM, *path), f"{_title(schema, path)}{message}", f"schema.{error.validator}")


def _alternatives(error: SchemaError) -> list[str]:
    """The fields of a ``oneOf`` of ``required`` alternatives (a supplier from the list, or
    another one typed in): exactly one of them must be given."""
    if error.validator != "oneOf" or not isinstance(error.instance, dict):
        return []
    options = error.validator_value
    if not all(set(option) == {"required"} and len(option["required"]) == 1 for option in options):
        return []
    return [option["required"][0] for option in options]


def _title(schema: dict[str, Any], path: list[str | int]) -> str:
    """The zh title of the field at ``path``, for messages such as “项目名称为必填项”."""
    node, title = schema, "表单"
    for step in path:
        if isinstance(step, int):
            node = node.get("items", {})
            continue
        node = node.get("properties", {}).get(step, {})
        title = node.get("title", step)
    return title


def _parse_moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TIME)


def _date_errors(rules: FormRules, form: dict[str, Any]) -> list[Error]:
    errors: list[Error] = []
    for order in rules.date_order:
        start, end = _parse_moment(form.get(order.earlier)), _parse_moment(form.get(order.later))
        if start and end and end < start:
            errors.append(((*FORM, order.later), order.message, "date_order"))
    now = datetime.now(CHINA_TIME)
    for rule in rules.not_in_future:
        moment = _parse_moment(form.get(rule.field))
        if moment is None:
            continue
        too_late = moment.date() > now.date() if len(form[rule.field]) == 10 else moment > now
        if too_late:
            errors.append(((*FORM, rule.field), rule.message, "in_future"))
    return errors


def _identifier_errors(rules: FormRules, form: dict[str, Any]) -> list[Error]:
    errors: list[Error] = []
    for rule in rules.check_digits:
        for path, value in _values_at(form, rule.field):
            if not isinstance(value, str):
                continue
            try:
                CHECK_DIGITS[rule.kind](value)
            except ValueError as error:
                errors.append(((*FORM, *path), str(error), "check_digit"))
    return errors


def _values_at(form: dict[str, Any], field: str) -> list[tuple[tuple[str | int, ...], Any]]:
    """The values at a rule's field path (``ship.imo_number``; ``ships[]`` is each element)."""
    found: list[tuple[tuple[str | int, ...], Any]] = [((), form)]
    for step in field.split("."):
        name, each = step.removesuffix("[]"), step.endswith("[]")
        found = [((*path, name), node.get(name)) for path, node in found if isinstance(node, dict)]
        if each:
            found = [
                ((*path, index), element)
                for path, node in found
                if isinstance(node, list)
                for index, element in enumerate(node)
            ]
    return found


def _ask_references(lookups: Lookups, rules: FormRules, form: dict[str, Any]) -> Callable[[], list[Error]]:
    """Every value a pick-list field names must be in its list."""
    asked = []  # (rule, the field's value, the strings it names, which of them were found)
    for rule in rules.pick_lists:
        value = form.get(rule.field)
        wanted = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
        if wanted:
            found = lookups.ask(PICK_LISTS[rule.list][0].id, wanted)
            asked.append((rule, value, wanted, found))

    def errors() -> list[Error]:
        found_errors: list[Error] = []
        for rule, value, wanted, found in asked:
            message, known = PICK_LISTS[rule.list][1], found()
            for index, v in enumerate(wanted):
                if v not in known:
                    path = (rule.field, index) if isinstance(value, list) else (rule.field,)
                    found_errors.append(((*FORM, *path), f"{message}：{v}", "unknown_reference"))
        return found_errors

    return errors


def _ask_own_ship(
    lookups: Lookups, rules: FormRules, applicant_id: str, form: dict[str, Any]
) -> Callable[[], list[Error]]:
    """The ship the form names must be in the applicant's 我的船舶."""
    ship = form.get(rules.own_ship) if rules.own_ship is not None else None
    if not isinstance(ship, dict) or not isinstance(ship.get("imo_number"), str):
        return list
    try:
        check_imo_number(ship["imo_number"])
    except ValueError:
        return list  # reported by the identifier check; a wrong number cannot be anyone's ship
    owned = lookups.ask(Ship.imo_number, [ship["imo_number"]], where={Ship.owner_id: applicant_id})

    def errors() -> list[Error]:
        if owned():
            return []
        where = (*FORM, rules.own_ship, "imo_number")
        return [(where, "该船舶不在“我的船舶”中，请先添加船舶", "not_own_ship")]

    return errors


async def _agency_errors(session: AsyncSession, application: Application) -> list[Error]:
    """The unit must be open today and handle the item (``app.agencies.handling``)."""
    where = ("body", "agency_code")
    if application.agency_code is None:
        return [(where, "请选择受理机构", "missing")]
    agency = await repository.agency(session, application.agency_code)
    if not closing.is_open(agency.closed_on, closing.today()):
        closed = f"{agency.name}已于 {agency.closed_on.isoformat()} 撤销，请重新选择受理机构"
        return [(where, closed, "agency_closed")]
    if not await repository.unit_handles(session, agency.code, application.item_code):
        return [(where, f"{agency.name}不受理该事项，请选择其上级或下级机构", "agency_not_handling")]
    return []


async def _material_errors(
    session: AsyncSession, application: Application, online_form: OnlineForm
) -> list[Error]:
    # All of them, as the answer shows them (read once: repository.attached_materials keeps them).
    attached = {
        slot
        for slot, material in await repository.attached_materials(session, application.id)
        if material.owner_id == application.applicant_id
    }
    return [
        (("body", "materials", slot["slot"]), f"请添加“{slot['name']}”", "missing_material")
        for slot in online_form.material_slots
        if slot["required"] and slot["slot"] not in attached
    ]


def _contact_errors(application: Application) -> list[Error]:
    errors: list[Error] = []
    if not application.contact_name:
        errors.append((("body", "contact_name"), "请填写联系人", "missing"))
    if application.contact_phone_encrypted is None:
        errors.append((("body", "contact_phone"), "请填写联系人手机号码（用于办件查询）", "missing"))
    return errors
