"""How an application is shown: to its applicant (personal data masked) or to staff."""

from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.service import CORPORATE_KINDS, OPERATOR_ID, PERSONAL_ID
from app.agencies.service import AgencyNames, agency_ref
from app.applications import deadlines, repository
from app.applications.models import Application
from app.applications.notices import NoticeKind
from app.applications.schemas import (
    ApplicantIdentity,
    ApplicationRead,
    ApplicationSummary,
    NoticeSummary,
    PublicProgress,
    SlotMaterial,
    TimelineEntry,
)
from app.applications.service import CONTACT_PHONE, online_form
from app.applications.state_machine import FINISHED, Action, Actor, Status, allowed_actions
from app.applications.supplement import open_request
from app.core.auth import APPLICANT_ROLES, Role
from app.core.db import ReadRow
from app.core.masking import mask_phone
from app.core.pii import PersonalDataCipher
from app.core.schemas import Coded
from app.materials.service import material_read


def summaries(
    entries: Sequence[ReadRow], *, viewer: Actor, deadline_warning: int | None = None
) -> list[ApplicationSummary]:
    """A page of list entries, as the repository reads them in one statement (``_ENTRY``).

    ``deadline_warning`` (staff views): show each one's 承诺办结时限, 即将到期 within that many
    working days."""
    clock = _Clock(deadline_warning)
    return [
        ApplicationSummary(
            **_summary_fields(
                entry,
                entry.item_name,
                _EntryAgency(
                    entry.agency_code, entry.agency_name, entry.agency_short_name, entry.agency_level
                )
                if entry.agency_name is not None
                else None,
                viewer=viewer,
                after_submit=entry.after_submit,
                has_notices=entry.has_notices,
                evaluated=entry.evaluated,
                clock=clock,
            )
        )
        for entry in entries
    ]


class _EntryAgency(NamedTuple):
    """An entry's agency (``AgencyNames``), from the entry's own columns."""

    code: str
    name: str
    short_name: str
    level: str


class _Clock:
    """Today's date read once per response, and the warning threshold (None: no deadlines)."""

    def __init__(self, warning_days: int | None) -> None:
        self.warning_days = warning_days
        self.today = deadlines.today() if warning_days is not None else None

    def deadline(self, application: Application | ReadRow):
        if self.warning_days is None:
            return None
        return deadlines.deadline_of(application, today=self.today, warning_days=self.warning_days)


def _summary_fields(
    application: Application | ReadRow,
    item_name: str,
    agency: AgencyNames | None,
    *,
    viewer: Actor,
    after_submit: str,
    has_notices: bool,
    evaluated: bool,
    clock: "_Clock",
) -> dict:
    """What a list entry and the detail show alike."""
    status = Status(application.status)
    return dict(
        id=application.id,
        number=application.number,
        item=Coded(code=application.item_code, label=item_name),
        agency=agency_ref(agency) if agency else None,
        status=Coded.of(status),
        created_at=application.created_at,
        updated_at=application.updated_at,
        submitted_at=application.submitted_at,
        version=application.version,
        after_submit=after_submit,
        evaluated=evaluated,
        allowed_actions=allowed_actions(
            status,
            viewer,
            after_submit=after_submit,
            numbered=application.number is not None,
            has_notices=has_notices,
            evaluated=evaluated,
        ),
        deadline=clock.deadline(application),
    )


async def timeline(
    session: AsyncSession, application: Application | ReadRow, agency_name: str | None
) -> list[TimelineEntry]:
    events = await repository.events_of(session, application.id)
    return [
        TimelineEntry(
            occurred_at=event.occurred_at,
            action=Coded.of(Action(event.action)),
            status=Coded.of(Status(event.to_status)),
            actor="申请人" if event.actor_role in APPLICANT_ROLES else (agency_name or "受理机构"),
            comment=event.comment,
        )
        for event in events
    ]


async def public_progress(session: AsyncSession, application: Application) -> PublicProgress:
    """办件查询's answer: status and timeline, without the staff's comments or anything personal."""
    item = await repository.service_item(session, application.item_code)
    agency = await repository.agency(session, application.agency_code) if application.agency_code else None
    return PublicProgress(
        application_no=application.number,
        item=Coded(code=item.code, label=item.name),
        agency=agency.name if agency else None,
        status=Coded.of(Status(application.status)),
        submitted_at=application.submitted_at,
        timeline=[
            entry.model_copy(update={"comment": None})
            for entry in await timeline(session, application, agency.name if agency else None)
        ],
    )


async def detail(
    session: AsyncSession,
    pii: PersonalDataCipher,
    application: Application | ReadRow,
    *,
    viewer: Actor,
    deadline_warning: int | None = None,
) -> ApplicationRead:
    item = await repository.service_item(session, application.item_code)
    form = await online_form(session, application.item_code)
    agency = await repository.agency(session, application.agency_code) if application.agency_code else None
    slot_names = {slot["slot"]: slot["name"] for slot in form.material_slots}
    attached = await repository.attached_materials(session, application.id)
    notices = await repository.notices_of(session, application.id)
    phone = (
        pii.decrypt(application.contact_phone_encrypted, purpose=CONTACT_PHONE)
        if application.contact_phone_encrypted
        else None
    )
    # Only a finished application can have been rated.
    evaluated = Status(application.status) in FINISHED and await repository.is_evaluated(
        session, application.id
    )
    status = Status(application.status)
    return ApplicationRead(
        **_summary_fields(
            application,
            item.name,
            agency,
            viewer=viewer,
            after_submit=form.after_submit,
            has_notices=bool(notices),
            evaluated=evaluated,
            clock=_Clock(deadline_warning),
        ),
        form=application.form,
        materials=[
            SlotMaterial(slot=slot, slot_name=slot_names.get(slot, slot), material=material_read(material))
            for slot, material in attached
        ],
        contact_name=application.contact_name,
        contact_phone=(mask_phone(phone) if viewer is Actor.applicant else phone) if phone else None,
        timeline=await timeline(session, application, agency.name if agency else None),
        notices=[
            NoticeSummary(id=n.id, kind=Coded.of(NoticeKind(n.kind)), number=n.number, issued_at=n.issued_at)
            for n in notices
        ],
        supplement_request=open_request(notices, form) if status is Status.supplement_required else None,
    )


async def applicant_identity(
    session: AsyncSession, pii: PersonalDataCipher, application: Application
) -> ApplicantIdentity | None:
    """Who applied, unmasked, for staff: a person's name and ID number; a company's or ship
    operator's name, 统一社会信用代码 and 经办人 with the 经办人's ID number (staff check it
    against the 授权委托书 and the 经办人's identity papers among the materials). None once
    the account was closed (注销 erases the profile)."""
    found = await repository.applicant_identity(session, application.applicant_id)
    if found is None:
        return None
    user, person, company = found
    if person is not None:
        return ApplicantIdentity(
            account_type=Coded.of(Role.personal),
            name=person.name,
            id_number=pii.decrypt(person.id_number_encrypted, purpose=PERSONAL_ID),
            company_name=None,
            credit_code=None,
            operator_name=None,
            operator_id_number=None,
        )
    if company is not None:
        return ApplicantIdentity(
            account_type=Coded(code=company.kind, label=CORPORATE_KINDS.get(company.kind, "法人用户")),
            name=None,
            id_number=None,
            company_name=company.company_name,
            credit_code=company.credit_code,
            operator_name=company.operator_name,
            operator_id_number=pii.decrypt(company.operator_id_encrypted, purpose=OPERATOR_ID),
        )
    return None
