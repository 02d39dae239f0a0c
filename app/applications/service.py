"""办件: 保存, 编辑, 删除草稿, 提交, 取消/撤回, and the staff decisions, through one transition function."""

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.service import phone_of
from app.agencies.service import agency_subtree
from app.dataset import repository as dataset_versions
from app.applications import decision_content
from app.applications import notices as notice_documents
from app.applications import deadlines, repository
from app.applications import supplement as supplements
from app.applications.models import Application, ApplicationEvent, Notice
from app.applications.schemas import ApplicationCreate, ApplicationDraft, Decision
from app.applications.state_machine import EDITABLE, Action, Actor, Status, Transition, transition
from app.applications.validation import Lookups, submission_errors
from app.catalog.models import OnlineForm, ServiceItem
from app.certificates.models import Certificate
from app.certificates.service import NoDocument, issue_result_document
from app.certificates.types import CertificateType
from app.core.auth import Principal, Role
from app.core import throttle
from app.core.config import Settings
from app.core.db import ReadRow, after_commit, flush_or_busy, utcnow
from app.core.errors import AppError, InvalidInput, NotFound
from app.core.metrics import TRANSITIONS
from app.core.pagination import page_of
from app.core.pii import PersonalDataCipher
from app.core.schemas import china_time
from app.integrations.wechat.base import WeChatClient
from app.materials.models import Material
from app.materials.service import MaterialNotFound
from app.messages.service import post_message, spend_subscription
from app.outbox import service as outbox

CONTACT_PHONE = "applications.contact_phone"
log = logging.getLogger(__name__)


class ApplicationNotFound(NotFound):
    code = "application.not_found"
    title = "未找到该办件"


class ItemNotOnline(AppError):
    status = 422
    code = "application.item_not_online"
    title = "该事项暂不支持在线办理"


class NotEditable(AppError):
    status = 409
    code = "application.not_editable"
    title = "当前状态下不能修改办件"


class NotDiscardable(AppError):
    status = 409
    code = "application.not_discardable"
    title = "已提交过的办件不能删除，可以取消或撤回"


class VersionMismatch(AppError):
    status = 412
    code = "application.version_mismatch"
    title = "办件已被修改，请刷新后重试"


class ProgressNotFound(NotFound):
    code = "progress.not_found"
    title = "未查询到办件，请核对申请编号和手机号码"
    keep_changes = True  # a wrong guess still counts against the rate limits


class ApplicationBusy(AppError):
    status = 409
    code = "application.conflict"
    title = "办件正在被处理，请刷新后重试"


@dataclass(frozen=True)
class Desk:
    """What working on applications needs from the request."""

    session: AsyncSession
    settings: Settings
    pii: PersonalDataCipher
    wechat: WeChatClient


async def online_form(session: AsyncSession, item_code: str) -> OnlineForm:
    form = await repository.online_form(session, item_code)
    if form is None:
        raise ItemNotOnline(f"事项“{item_code}”不能在线办理")
    return form


async def create(desk: Desk, applicant_id: str, body: ApplicationCreate) -> Application:
    form = await online_form(desk.session, body.item_code)
    application = Application(
        item_code=form.item_code, applicant_id=applicant_id, status=Status.draft, form={}, created_at=utcnow()
    )
    repository.add(desk.session, application)
    await _fill(desk, application, form, body)
    return application


async def update(desk: Desk, application: Application, body: ApplicationDraft, expected: int | None) -> None:
    _check_version(application, expected)
    if Status(application.status) not in EDITABLE:
        raise NotEditable(f"办件当前为“{Status(application.status).label}”，不能修改")
    await _fill(desk, application, await online_form(desk.session, application.item_code), body)


async def _fill(desk: Desk, application: Application, form: OnlineForm, body: ApplicationDraft) -> None:
    session = desk.session
    if body.agency_code is not None and await repository.agency(session, body.agency_code) is None:
        raise InvalidInput([(("body", "agency_code"), "受理机构不存在", "unknown_agency")])
    slots = {slot["slot"] for slot in form.material_slots}
    errors = [
        (("body", "materials", index, "slot"), f"事项没有材料项“{attached.slot}”", "unknown_slot")
        for index, attached in enumerate(body.materials)
        if attached.slot not in slots
    ]
    wanted = {attached.material_id for attached in body.materials}
    owned = await repository.live_materials_of(session, application.applicant_id, wanted)
    errors += [
        (("body", "materials", index, "material_id"), "材料不存在，请从“我的材料”中选择", "unknown_material")
        for index, attached in enumerate(body.materials)
        if attached.material_id not in owned
    ]
    if errors:
        raise InvalidInput(errors)
    application.agency_code = body.agency_code
    application.form = body.form
    # A field left out keeps what is stored: clients never send back the masked phone they were shown.
    if "contact_name" in body.model_fields_set:
        application.contact_name = body.contact_name
    if "contact_phone" in body.model_fields_set:
        _set_contact_phone(desk.pii, application, body.contact_phone)
    application.updated_at = utcnow()
    await flush_or_busy(session, ApplicationBusy)
    await repository.replace_materials(
        session, application.id, {(a.slot, a.material_id) for a in body.materials}
    )
    await flush_or_busy(session, ApplicationBusy)


def _set_contact_phone(pii: PersonalDataCipher, application: Application, phone: str | None) -> None:
    application.contact_phone_encrypted = pii.encrypt(phone, purpose=CONTACT_PHONE) if phone else None
    # The blind index is what 办件查询 finds the application by.
    application.contact_phone_index = pii.blind_index(phone, purpose=CONTACT_PHONE) if phone else None


async def _default_contact(desk: Desk, application: Application) -> None:
    """联系人 defaults to the account: a person's own name, a company's 经办人, the account's phone."""
    if application.contact_name and application.contact_phone_encrypted is not None:
        return
    applicant = await repository.user(desk.session, application.applicant_id)
    if not application.contact_name:
        if applicant.role == Role.personal:
            profile = await repository.personal_profile(desk.session, applicant.id)
            application.contact_name = profile.name if profile else None
        else:
            profile = await repository.corporate_profile(desk.session, applicant.id)
            application.contact_name = profile.operator_name if profile else None
    if application.contact_phone_encrypted is None:
        _set_contact_phone(desk.pii, application, phone_of(applicant, desk.pii))


async def discard(session: AsyncSession, application: Application, expected: int | None) -> None:
    _check_version(application, expected)
    if application.status != Status.draft or application.number is not None:
        raise NotDiscardable()
    await repository.delete_application(session, application)
    # Flushed here, not at commit, so a submit that won the race is a 409 rather than a 500.
    await flush_or_busy(session, ApplicationBusy)


async def owned_application(session: AsyncSession, applicant_id: str, application_id: str) -> Application:
    """The applicant's own application; anyone else's does not exist (404)."""
    return _owned(await repository.application(session, application_id), applicant_id)


async def owned_application_row(session: AsyncSession, applicant_id: str, application_id: str) -> ReadRow:
    """``owned_application`` as a plain row, for what only shows it."""
    return _owned(await repository.application_row(session, application_id), applicant_id)


_Loaded = TypeVar("_Loaded", Application, ReadRow)


def _owned(application: _Loaded | None, applicant_id: str) -> _Loaded:
    if application is None or application.applicant_id != applicant_id:
        raise ApplicationNotFound()
    return application


async def staff_application(session: AsyncSession, principal: Principal, application_id: str) -> Application:
    """An application addressed to the staff member's (or back-office client's) agency or one below it."""
    application = await repository.application(session, application_id)
    if (
        application is None
        or application.status == Status.draft
        or principal.agency_code is None
        or application.agency_code not in await agency_subtree(session, principal.agency_code)
    ):
        raise ApplicationNotFound()
    return application


async def progress_lookup(
    session: AsyncSession, settings: Settings, pii: PersonalDataCipher, *, ip: str, number: str, phone: str
) -> Application:
    """办件查询: the application of this number whose contact phone is ``phone``. Every lookup
    counts against the caller's rate limits, a wrong one also against the number's."""
    await throttle.public_lookup(session, settings, "progress", ip=ip, number=number)
    application = await repository.application_by_number(session, number)
    if application is None or application.contact_phone_index != pii.blind_index(
        phone, purpose=CONTACT_PHONE
    ):
        await throttle.public_lookup_failed(session, settings, "progress", ip=ip, number=number)
        raise ProgressNotFound()
    return application


def _check_version(application: Application, expected: int | None) -> None:
    if expected is not None and expected != application.version:
        raise VersionMismatch(f"办件已更新为第 {application.version} 版，请刷新后重试")


async def act(
    desk: Desk,
    application: Application,
    action: Action,
    *,
    actor: Actor,
    actor_id: str,
    actor_role: str,
    expected: int | None,
    decision: Decision | None = None,
) -> Transition:
    """The one way an application changes status: checked against the transition table and
    the version, recorded in the timeline, announced to the applicant."""
    session = desk.session
    _check_version(application, expected)
    form = await online_form(session, application.item_code)
    step = transition(Status(application.status), action, actor, after_submit=form.after_submit)
    comment = decision.comment if decision else ""
    if action is Action.submit:
        await _default_contact(desk, application)
        lookups = Lookups()
        free_number = None if application.number else _ask_for_numbers(lookups)
        errors = await submission_errors(session, application, form, lookups)
        if errors:
            raise InvalidInput(errors)
        if free_number is not None:
            application.number = free_number() or await _new_number(session)
        application.submitted_at = utcnow()
        if application.dataset_version is None:  # its guide stays the one it was first submitted under
            application.dataset_version = await dataset_versions.current_number_kept(session)
    item = await repository.service_item(session, application.item_code)
    decided = (
        await _checked_decision(session, application, form, item, action, decision) if actor is Actor.staff else {}
    )
    now = application.submitted_at if action is Action.submit else utcnow()
    deadlines.advance(application, action, at=now, promised_working_days=form.promised_working_days)
    application.status = step.target
    application.updated_at = now
    repository.add(
        session,
        ApplicationEvent(
            application_id=application.id,
            actor_id=actor_id,
            actor_role=actor_role,
            action=action,
            from_status=step.source,
            to_status=step.target,
            comment=comment or None,
            occurred_at=application.updated_at,
        ),
    )
    _announce(session, application, step)
    _post_status_message(session, application, item, step)  # one flush writes the change and all it says
    await flush_or_busy(session, ApplicationBusy)
    after_commit(session, lambda: _count_transition(step))
    notice = await _issue_notice(desk, application, item, action, decision, decided) if actor is Actor.staff else None
    await _tell_applicant(desk, application, item, step, notice)
    return step


async def decide(
    desk: Desk, application: Application, principal: Principal, decision: Decision, expected: int | None
) -> Transition:
    """A decision on the staff side, by a staff member at the workbench or a client of the
    authority's back office (role 系统对接): the same rules, notices, messages and timeline."""
    return await act(
        desk,
        application,
        Action(decision.action),
        actor=Actor.staff,
        actor_id=principal.user_id,
        actor_role=principal.role,
        expected=expected,
        decision=decision,
    )


def _announce(session: AsyncSession, application: Application, step: Transition) -> None:
    """The transition as an outbox event for webhook subscribers, written with the change itself
    (its insert goes out with the flush that follows): no holder's name or ID number in it."""
    outbox.publish(
        session,
        f"application.{step.target.value}",
        subject_id=application.id,
        agency_code=application.agency_code,
        data={
            "id": application.id,
            "number": application.number,
            "item_code": application.item_code,
            "agency_code": application.agency_code,
            "status": step.target.value,
            "action": step.action.value,
            "occurred_at": application.updated_at.isoformat(),
        },
    )


async def _checked_decision(
    session: AsyncSession,
    application: Application,
    form: OnlineForm,
    item: ServiceItem,
    action: Action,
    decision: Decision,
) -> dict:
    """A staff decision's rules beyond its schema; its content for the notice: the 补正 items
    (supplement) or the decision's content (decision_content)."""
    if action in (Action.reject, Action.request_supplement, Action.decline) and not decision.comment:
        raise InvalidInput([(("body", "comment"), f"{action.label}时请填写理由", "missing")])
    if action is Action.request_supplement:
        return {"supplement_items": supplements.resolve(decision, form)}
    supplements.refuse_items_of_another_action(decision)
    return await decision_content.checked_content(session, application.agency_code, item, action, decision)


async def preview_decision(desk: Desk, application: Application, decision: Decision, expected: int | None) -> bytes:
    """The PDF ``decision`` would issue now, checked as :func:`act` checks it; nothing is written."""
    session = desk.session
    _check_version(application, expected)
    form = await online_form(session, application.item_code)
    action = Action(decision.action)
    transition(Status(application.status), action, Actor.staff, after_submit=form.after_submit)
    item = await repository.service_item(session, application.item_code)
    decided = await _checked_decision(session, application, form, item, action, decision)
    kind = notice_documents.notice_kind(action, item.nature)
    content = await _notice_content(desk, application, item, kind, decision, decided, issued_at=utcnow())
    return await notice_documents.rendered(content)


async def _count_transition(step: Transition) -> None:
    TRANSITIONS.labels(step.action.value, step.target.value).inc()


# Application numbers are HS + date + six random digits: readable, dated, not guessable in
# sequence. A few candidates are asked with the submit's other lookups; the first free one is it.
_CANDIDATES = 3


def _random_number() -> str:
    return f"HS{china_time(utcnow()):%Y%m%d}{secrets.randbelow(1_000_000):06d}"


def _ask_for_numbers(lookups: Lookups) -> Callable[[], str | None]:
    """Once ``lookups`` ran, the first candidate nobody holds (None, should all be taken)."""
    candidates = [_random_number() for _ in range(_CANDIDATES)]
    taken = lookups.ask(Application.number, candidates)
    return lambda: next((number for number in candidates if number not in taken()), None)


async def _new_number(session: AsyncSession) -> str:
    while True:
        number = _random_number()
        if not await repository.number_taken(session, number):
            return number


async def _notice_content(
    desk: Desk,
    application: Application,
    item: ServiceItem,
    kind: notice_documents.NoticeKind,
    decision: Decision | None,
    decided: dict,
    *,
    issued_at: datetime,
) -> dict:
    session = desk.session
    applicant = await repository.user(session, application.applicant_id)
    return notice_documents.content_of(
        application,
        kind,
        issued_at=issued_at,
        item=item,
        agency=await repository.agency(session, application.agency_code),
        applicant_name=applicant.display_name,
        material_names=await repository.attached_material_names(session, application.id),
        comment=decision.comment if decision else "",
        fuel_supplier=await _fuel_supplier(session, application.form),
        decided=decided,
    )


async def _issue_notice(
    desk: Desk,
    application: Application,
    item: ServiceItem,
    action: Action,
    decision: Decision | None,
    decided: dict,
) -> Notice | None:
    kind = notice_documents.notice_kind(action, item.nature)
    if kind is None:
        return None
    session = desk.session
    content = await _notice_content(
        desk, application, item, kind, decision, decided, issued_at=application.updated_at
    )
    try:
        notice = notice_documents.issue(session, application, kind, content)
        await session.flush()
        if action is Action.approve:
            # The decision, filing certificate or receipt also goes to the applicant's 我的证照:
            # a licence until its last valid day, a filing certificate under its 备案编号.
            licence = decided.get("licence")
            await issue_result_document(
                session,
                holder_id=application.applicant_id,
                item_code=item.code,
                item_name=item.name,
                agency_code=application.agency_code,
                application_id=application.id,
                number=notice.number,
                issued_at=notice.issued_at,
                title=notice.content["title"],
                expires_on=date.fromisoformat(licence["valid_until"]) if licence else None,
                licence=licence,
            )
    except IntegrityError as error:  # another approval took the same 备案编号 meanwhile
        if "filing_number" not in decided:
            raise
        raise decision_content.FilingNumberTaken() from error
    return notice


async def _fuel_supplier(session: AsyncSession, form: dict) -> str | None:
    """The supplier a fuel report names: picked from the list, or typed in (其他)."""
    other = form.get("supplier_other")
    if isinstance(other, dict) and other.get("name"):
        return other["name"]
    if isinstance(form.get("supplier_id"), str):
        supplier = await repository.fuel_supplier(session, form["supplier_id"])
        return supplier.name_zh if supplier else None
    return None


def _post_status_message(
    session: AsyncSession, application: Application, item: ServiceItem, step: Transition
) -> None:
    """The applicant's in-app message of the new status."""
    status = step.target
    post_message(
        session,
        application.applicant_id,
        category="application",
        title=f"办件{status.label}",
        body=f"您申请的“{item.name}”（申请编号 {application.number}）已{step.action.label}，"
        f"当前状态：{status.label}。",
        subject_type="application",
        subject_id=application.id,
    )


async def _tell_applicant(
    desk: Desk, application: Application, item: ServiceItem, step: Transition, notice: Notice | None
) -> None:
    """The notice's message, if a notice was issued, and the status by WeChat, if configured."""
    status = step.target
    if notice is not None:
        post_message(
            desk.session,
            application.applicant_id,
            category="notice",
            title=f"收到{notice.content['title']}",
            body=f"“{item.name}”（申请编号 {application.number}）的{notice.content['title']}已出具，"
            "可在“我的办件”中查看。",
            subject_type="application",
            subject_id=application.id,
        )
    template = desk.settings.wechat_status_template_id
    if not template:
        return  # no WeChat status messages configured: the in-app message alone
    applicant = await repository.user(desk.session, application.applicant_id)
    # One accepted one-time subscription per message: none left, the in-app message alone.
    if applicant.wechat_openid and await spend_subscription(desk.session, application.applicant_id, template):
        openid, wechat = applicant.wechat_openid, desk.wechat
        data = {
            "thing1": item.name[:20],
            "phrase2": status.label[:5],
            "time3": f"{china_time(application.updated_at):%Y-%m-%d %H:%M}",
        }

        application_id = application.id

        async def push() -> None:
            # Sent only once the change is committed; WeChat being down never fails the request.
            try:
                await wechat.send_subscribe_message(
                    openid=openid,
                    template_id=template,
                    page=f"pages/application/index?id={application_id}",
                    data=data,
                )
            except Exception:
                log.warning("subscribe message not sent", exc_info=True)

        after_commit(desk.session, push)


@dataclass(frozen=True)
class QueueFilter:
    """What a staff member narrows the queue to, beyond status and agencies (all optional)."""

    item_code: str | None = None
    number: str | None = None
    contact_name: str | None = None
    submitted_from: datetime | None = None  # inclusive
    submitted_before: datetime | None = None  # exclusive
    # 超期 / 即将超期: open applications whose clock runs, due in [due_from, due_before).
    due_from: date | None = None
    due_before: date | None = None
    # The back office polling for changes: updated at or after this time (inclusive).
    updated_since: datetime | None = None

    @property
    def running_clocks_only(self) -> bool:
        return self.due_from is not None or self.due_before is not None

    def values(self) -> dict[str, object]:
        """The filters given, by name (``repository.Narrowing``)."""
        return {name: value for name, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class QueueQuery:
    """A queue as asked for: its filters and order, within the caller's agency subtree."""

    status: Status | None = None
    agency_code: str | None = None  # only this agency and those below it (inside the caller's subtree)
    filter: QueueFilter = QueueFilter()
    # newest: newest first; deadline: earliest due first; changes: least recently updated first
    # (what a back office polling with ``updated_since`` pages through).
    sort: Literal["newest", "deadline", "changes"] = "newest"


async def queue(
    session: AsyncSession, principal: Principal, query: QueueQuery, *, cursor: str | None, limit: int
) -> tuple[list[Application], str | None]:
    """受理队列: the applications of the caller's agency subtree (staff member or back-office
    client alike, by ``principal.agency_code``) that ``query`` asks for."""
    agencies = await agency_subtree(session, principal.agency_code) if principal.agency_code else set()
    if query.agency_code is not None:
        agencies &= await agency_subtree(session, query.agency_code)
    return await list_applications(
        session,
        agency_codes=agencies,
        status=query.status,
        cursor=cursor,
        limit=limit,
        queue_filter=query.filter,
        by_deadline=query.sort == "deadline",
        by_change=query.sort == "changes",
    )


async def list_applications(
    session: AsyncSession,
    *,
    status: Status | None,
    cursor: str | None,
    limit: int,
    applicant_id: str | None = None,
    agency_codes: set[str] | None = None,
    finished: bool | None = None,
    queue_filter: QueueFilter | None = None,
    by_deadline: bool = False,
    by_change: bool = False,
) -> tuple[list[Application], str | None]:
    """我的办件 (by applicant) or a staff queue (by agencies; drafts are never shown to staff).

    ``finished`` keeps only the applications with a decision (what 我要评 lists) or only the others.
    """
    if agency_codes is not None and not agency_codes:
        return [], None
    values = queue_filter.values() if queue_filter is not None else {}
    if status is not None:
        values["status"] = status
    running_only = queue_filter is not None and queue_filter.running_clocks_only
    narrowing = repository.Narrowing(values, finished=finished, running_clocks_only=running_only)
    if agency_codes is not None and by_deadline:
        rows = await repository.queue_page_by_deadline(
            session, agency_codes, narrowing, cursor=cursor, limit=limit
        )
        page = rows[:limit]
        return page, repository.deadline_cursor_after(page[-1], running_only) if len(rows) > limit else None
    if agency_codes is not None and by_change:
        rows = await repository.queue_page_by_change(
            session, agency_codes, narrowing, cursor=cursor, limit=limit
        )
        return page_of(rows, limit, repository.CHANGED_FIRST)
    if agency_codes is not None:
        rows = await repository.queue_page(session, agency_codes, narrowing, cursor=cursor, limit=limit)
    else:
        rows = await repository.applicant_page(session, applicant_id, narrowing, cursor=cursor, limit=limit)
    return page_of(rows, limit, repository.NEWEST_FIRST)


class NoticeNotFound(NotFound):
    code = "notice.not_found"
    title = "未找到该通知书"


async def notice_of(session: AsyncSession, application: Application, notice_id: str) -> Notice:
    notice = await repository.notice(session, notice_id)
    if notice is None or notice.application_id != application.id:
        raise NoticeNotFound()
    return notice


async def result_document(session: AsyncSession, certificate: Certificate) -> tuple[Application, Notice]:
    """The notice a result document in the holder's wallet was issued as (决定书, 备案证明 …);
    any other certificate has no document. (Another holder's certificate never gets here:
    see app.certificates.deps.OwnedCertificate.)"""
    if certificate.type_code != CertificateType.result_document or certificate.application_id is None:
        raise NoDocument()
    notice = await repository.notice_by_number(session, certificate.application_id, certificate.number)
    if notice is None:
        raise NoDocument()
    return await repository.application(session, certificate.application_id), notice


async def attached_material(session: AsyncSession, application: Application, material_id: str) -> Material:
    """A material attached to the application (even if its owner removed it from 我的材料)."""
    material = await repository.attached_material(session, application.id, material_id)
    if material is None:
        raise MaterialNotFound()
    return material
