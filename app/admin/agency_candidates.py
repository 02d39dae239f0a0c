"""系统管理员: the units public sources name with low confidence (待确认的海事机构).

A candidate is no agency: the public tree, search, detail, the catalog's agency filter, the
application form and staff accounts all read ``agencies`` only. Confirming one adds it to the
tree at once (the read cache of every worker is told); dismissing one keeps it, dismissed, so
that the next seed load does not offer it again. Both are recorded in the audit trail."""

from sqlalchemy import asc
from sqlalchemy.ext.asyncio import AsyncSession

from app.admin.schemas import AgencyCandidateConfirmation, AgencyCandidateParent, AgencyCandidateRead
from app.admin.service import AdminAction
from app.agencies import repository
from app.agencies.models import Agency, AgencyCandidate, AgencyLevel, CandidateStatus, SourceConfidence
from app.agencies.schemas import AgencyDetail
from app.agencies.service import agency_detail
from app.core import read_cache
from app.core.db import utcnow
from app.core.errors import AppError, InvalidInput, NotFound
from app.core.pagination import keyset, page_of
from app.core.schemas import Coded
from app.dataset import service as dataset

CANDIDATE = "agency_candidate"
IN_SEED_ORDER = [(AgencyCandidate.position, asc), (AgencyCandidate.code, asc)]


class AgencyCandidateNotFound(NotFound):
    code = "admin.agency_candidate_not_found"
    title = "待确认的海事机构不存在"


class AgencyCandidateDecided(AppError):
    status = 409
    code = "admin.agency_candidate_decided"
    title = "该机构已确认或已驳回，不能再次处理"


class AgencyNameTaken(AppError):
    status = 409
    code = "admin.agency_name_taken"
    title = "已有同名的海事机构"


async def candidate_read(
    session: AsyncSession, candidate: AgencyCandidate, agencies: set[str]
) -> AgencyCandidateRead:
    return AgencyCandidateRead(
        code=candidate.code,
        name=candidate.name,
        short_name=candidate.short_name,
        level=Coded.of(AgencyLevel(candidate.level)),
        parent=AgencyCandidateParent(
            code=candidate.parent_code,
            name=candidate.parent_name,
            confirmed=candidate.parent_code in agencies,
        ),
        address=candidate.address,
        phone=candidate.phone,
        sources=list(candidate.sources),
        confidence=Coded.of(SourceConfidence(candidate.confidence)),
        note=candidate.note,
        status=Coded.of(CandidateStatus(candidate.status)),
        decided_by=candidate.decided_by,
        decided_at=candidate.decided_at,
    )


async def candidates_page(
    session: AsyncSession, status: CandidateStatus | None, *, cursor: str | None, limit: int
) -> tuple[list[AgencyCandidateRead], str | None]:
    rows = list(await session.scalars(keyset(repository.candidates(status), IN_SEED_ORDER, cursor, limit)))
    page, next_cursor = page_of(rows, limit, IN_SEED_ORDER)
    agencies = await repository.agencies_named(session, {candidate.parent_code for candidate in page})
    return [await candidate_read(session, candidate, agencies) for candidate in page], next_cursor


async def candidate_to_decide(action: AdminAction, code: str, event: str) -> AgencyCandidate:
    """A candidate still waiting for a decision, locked for it."""
    candidate = await repository.candidate_for_update(action.session, code)
    if candidate is None:
        raise AgencyCandidateNotFound(f"待确认的海事机构“{code}”不存在")
    if candidate.status != CandidateStatus.pending:
        raise AgencyCandidateDecided(f"“{candidate.name}”{CandidateStatus(candidate.status).label}")
    if await repository.get_agency(action.session, code) is not None:  # a later seed shipped it
        raise AgencyCandidateNotFound(f"“{code}”已是公开的海事机构")
    return candidate


async def _parent(session: AsyncSession, candidate: AgencyCandidate, code: str, corrected: bool) -> Agency:
    where = ("body", "parent_code")
    parent = await repository.get_agency(session, code)
    if parent is None:
        if corrected:
            raise InvalidInput([(where, f"上级海事机构代码“{code}”不存在", "unknown_agency")])
        raise InvalidInput(
            [
                (
                    where,
                    f"拟定上级“{candidate.parent_name or code}”尚未确认：请先确认它，或指定已有的上级机构",
                    "parent_unconfirmed",
                )
            ]
        )
    if AgencyLevel(parent.level).rank >= AgencyLevel(candidate.level).rank:
        raise InvalidInput(
            [
                (
                    where,
                    f"{AgencyLevel(candidate.level).label}不能设在{AgencyLevel(parent.level).label}“{parent.name}”之下",
                    "parent_level",
                )
            ]
        )
    return parent


async def confirm(
    action: AdminAction, candidate: AgencyCandidate, body: AgencyCandidateConfirmation
) -> AgencyDetail:
    """The candidate becomes a public agency, with the corrections given, at once."""
    session = action.session
    corrections = body.model_dump(exclude_none=True)
    parent = await _parent(
        session, candidate, body.parent_code or candidate.parent_code, body.parent_code is not None
    )
    name = body.name or candidate.name
    if await repository.agency_with_name(session, name) is not None:
        raise AgencyNameTaken(f"已有名为“{name}”的海事机构，请更正名称")
    agency = Agency(
        code=candidate.code,
        parent_code=parent.code,
        name=name,
        short_name=body.short_name or candidate.short_name,
        level=candidate.level,
        address=body.address or candidate.address,
        phone=body.phone or candidate.phone,
        sources=list(candidate.sources),
        confidence=candidate.confidence,
        source_note=candidate.note,
        position=await repository.next_position(session),
    )
    session.add(agency)
    candidate.status = CandidateStatus.confirmed.value
    candidate.decided_at = utcnow()
    candidate.decided_by = action.principal.user_id if action.principal else None
    await session.flush()
    await read_cache.bump(session, "agencies")
    await dataset.record_change(action, f"确认待确认的海事机构“{name}”")
    action.record(
        "admin.agency_candidate_confirm", "success", candidate.code, target_type=CANDIDATE, **corrections
    )
    return await agency_detail(session, agency.code)


async def dismiss(action: AdminAction, candidate: AgencyCandidate) -> AgencyCandidateRead:
    """The candidate is kept, dismissed: never shown, never offered again."""
    candidate.status = CandidateStatus.dismissed.value
    candidate.decided_at = utcnow()
    candidate.decided_by = action.principal.user_id if action.principal else None
    await action.session.flush()
    await dataset.record_change(action, f"驳回待确认的海事机构“{candidate.name}”")
    action.record("admin.agency_candidate_dismiss", "success", candidate.code, target_type=CANDIDATE)
    agencies = await repository.agencies_named(action.session, {candidate.parent_code})
    return await candidate_read(action.session, candidate, agencies)
