"""What must hold before an application is submitted (drafts may be incomplete).

The item's JSON Schema says the shape; the rules below say what a schema cannot: date order,
dates not in the future, check digits, references that must exist, the ship must be the
applicant's own, the agency must handle the item, required materials must be attached.
Every error names its field by path with a zh-CN message, like request validation errors.
"""

from datetime import datetime
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies.models import Agency
from app.applications.models import Application, ApplicationMaterial
from app.catalog.models import OnlineForm, ServiceItemLevel
from app.core.identifiers import check_credit_code, check_imo_number
from app.core.schemas import CHINA_TIME
from app.materials.models import Material
from app.reference.models import Country, FuelSupplier, Port, RegulationItem
from app.ships.models import Ship

Error = tuple[tuple[str | int, ...], str, str]
FORM = ("body", "form")

# Form fields that name an entry of a pick list.
REFERENCES: dict[str, tuple[type, str]] = {
    "supplier_id": (FuelSupplier, "燃油供应商不存在"),
    "bunkering_port": (Port, "港口不存在"),
    "last_port": (Port, "港口不存在"),
    "next_port": (Port, "港口不存在"),
    "port_country": (Country, "国家或地区代码不存在"),
    "noncompliant_items": (RegulationItem, "不符合的规定项不存在"),
}
# (earlier field, later field, message): the later one may not come first.
DATE_ORDER = (
    ("period_start", "period_end", "划定期限的截止日期应晚于开始日期"),
    ("bunkering_date", "found_date", "发现不合规日期不能早于加油日期"),
    ("bunkering_date", "failure_time", "故障发生时间不能早于加油日期"),
    ("failure_time", "eta", "预计抵达时间应晚于故障发生时间"),
)
NOT_IN_FUTURE = {
    "found_date": "发现不合规日期不能晚于今天",
    "bunkering_date": "加油日期不能晚于今天",
    "failure_time": "故障发生时间不能晚于当前时间",
    "plan_compiled_date": "编制日期不能晚于今天",
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


async def submission_errors(
    session: AsyncSession, application: Application, online_form: OnlineForm
) -> list[Error]:
    form = application.form
    errors = _schema_errors(online_form.form_schema, form)
    errors += _date_errors(form)
    errors += _identifier_errors(form)
    errors += await _reference_errors(session, form)
    errors += await _ship_errors(session, application.applicant_id, form)
    errors += await _agency_errors(session, application)
    errors += await _material_errors(session, application, online_form)
    errors += _contact_errors(application)
    return errors


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


def _date_errors(form: dict[str, Any]) -> list[Error]:
    errors: list[Error] = []
    for earlier, later, message in DATE_ORDER:
        start, end = _parse_moment(form.get(earlier)), _parse_moment(form.get(later))
        if start and end and end < start:
            errors.append(((*FORM, later), message, "date_order"))
    now = datetime.now(CHINA_TIME)
    for field, message in NOT_IN_FUTURE.items():
        moment = _parse_moment(form.get(field))
        if moment is None:
            continue
        too_late = moment.date() > now.date() if len(form[field]) == 10 else moment > now
        if too_late:
            errors.append(((*FORM, field), message, "in_future"))
    return errors


def _identifier_errors(form: dict[str, Any]) -> list[Error]:
    checks: list[tuple[tuple[str | int, ...], Any, Any]] = [
        (("unified_credit_code",), form.get("unified_credit_code"), check_credit_code),
        (("ship", "imo_number"), (form.get("ship") or {}).get("imo_number"), check_imo_number),
    ]
    supplier_other = form.get("supplier_other")
    if isinstance(supplier_other, dict):
        code = supplier_other.get("credit_code")
        checks.append((("supplier_other", "credit_code"), code, check_credit_code))
    for index, ship in enumerate(form.get("ships") or []):
        if isinstance(ship, dict):
            checks.append((("ships", index, "imo_number"), ship.get("imo_number"), check_imo_number))
    errors: list[Error] = []
    for path, value, check in checks:
        if not isinstance(value, str):
            continue
        try:
            check(value)
        except ValueError as error:
            errors.append(((*FORM, *path), str(error), "check_digit"))
    return errors


async def _reference_errors(session: AsyncSession, form: dict[str, Any]) -> list[Error]:
    errors: list[Error] = []
    for field, (model, message) in REFERENCES.items():
        value = form.get(field)
        wanted = value if isinstance(value, list) else [value]
        wanted = [v for v in wanted if isinstance(v, str)]
        if not wanted:
            continue
        found = set(await session.scalars(select(model.id).where(model.id.in_(wanted))))
        for index, v in enumerate(wanted):
            if v not in found:
                path = (field, index) if isinstance(value, list) else (field,)
                errors.append(((*FORM, *path), f"{message}：{v}", "unknown_reference"))
    return errors


async def _ship_errors(session: AsyncSession, applicant_id: str, form: dict[str, Any]) -> list[Error]:
    ship = form.get("ship")
    if not isinstance(ship, dict) or not isinstance(ship.get("imo_number"), str):
        return []
    try:
        check_imo_number(ship["imo_number"])
    except ValueError:
        return []  # reported by the identifier check; a wrong number cannot be anyone's ship
    owned = await session.scalar(
        select(Ship.id).where(Ship.owner_id == applicant_id, Ship.imo_number == ship["imo_number"])
    )
    if owned is None:
        return [((*FORM, "ship", "imo_number"), "该船舶不在“我的船舶”中，请先添加船舶", "not_own_ship")]
    return []


async def _agency_errors(session: AsyncSession, application: Application) -> list[Error]:
    where = ("body", "agency_code")
    if application.agency_code is None:
        return [(where, "请选择受理机构", "missing")]
    agency = await session.get(Agency, application.agency_code)
    handles = await session.scalar(
        select(ServiceItemLevel.level).where(
            ServiceItemLevel.item_code == application.item_code, ServiceItemLevel.level == agency.level
        )
    )
    if handles is None:
        return [(where, f"{agency.name}不受理该事项，请选择其上级或下级机构", "agency_not_handling")]
    return []


async def _material_errors(
    session: AsyncSession, application: Application, online_form: OnlineForm
) -> list[Error]:
    attached = set(
        await session.scalars(
            select(ApplicationMaterial.slot)
            .join(Material, Material.id == ApplicationMaterial.material_id)
            .where(
                ApplicationMaterial.application_id == application.id,
                Material.owner_id == application.applicant_id,
            )
        )
    )
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
