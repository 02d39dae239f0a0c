"""The agency tree. It is small (tens of nodes), so it is assembled in memory from one query."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies import repository
from app.agencies import closing
from app.agencies.models import Agency, AgencyLevel, SourceConfidence
from app.agencies.schemas import AgencyDetail, AgencyMatch, AgencyNode, AgencyRead, AgencyRef
from app.core.db import dataset_fact
from app.core.errors import NotFound
from app.core.schemas import Coded


class AgencyNotFound(NotFound):
    code = "agency.not_found"
    title = "未找到该海事机构"


class AgencyClosed(NotFound):
    code = "agency.closed"
    title = "该海事机构已撤销"


@dataclass(frozen=True)
class _Tree:
    """Every unit by code (closed ones too: they stay resolvable), and the tree as offered:
    open units only and, for an item, only the units that handle it and those above them."""

    by_code: dict[str, Agency]
    children: dict[str | None, list[Agency]]
    # For an item: the codes of the open units that handle it; None: no item asked.
    handling: set[str] | None = None

    def ancestors(self, agency: Agency) -> list[Agency]:
        chain = []
        parent = agency.parent_code
        while parent is not None:
            node = self.by_code[parent]
            chain.append(node)
            parent = node.parent_code
        return chain[::-1]

    def read(self, agency: Agency) -> AgencyRead:
        return AgencyRead(
            **_ref_fields(agency),
            parent_code=agency.parent_code,
            name_en=agency.name_en,
            region=agency.region,
            address=agency.address,
            phone=agency.phone,
            website=agency.website,
            office_hours=agency.office_hours,
            closed_on=agency.closed_on,
            has_children=bool(self.children[agency.code]),
            handles_item=None if self.handling is None else agency.code in self.handling,
        )

    def node(self, agency: Agency) -> AgencyNode:
        return AgencyNode(
            **self.read(agency).model_dump(),
            children=[self.node(child) for child in self.children[agency.code]],
        )


async def _load_tree(session: AsyncSession, handling: set[str] | None = None) -> _Tree:
    """The units; with ``handling`` (the codes of the units that handle an item), the tree
    offered for that item."""
    agencies = await repository.all_agencies(session)
    on = closing.today()
    offered = [agency for agency in agencies if closing.is_open(agency.closed_on, on)]
    if handling is not None:
        handling = handling & {a.code for a in offered}
        offered = _with_ancestors(offered, handling, {a.code: a for a in agencies})
    children: dict[str | None, list[Agency]] = defaultdict(list)
    for agency in offered:
        children[agency.parent_code].append(agency)
    return _Tree({a.code: a for a in agencies}, children, handling)


def _with_ancestors(offered: list[Agency], handling: set[str], by_code: dict[str, Agency]) -> list[Agency]:
    """The units of ``handling`` and the ones above them (to reach them), in tree order."""
    kept: set[str] = set()
    for code in handling:
        while code is not None and code not in kept:
            kept.add(code)
            code = by_code[code].parent_code
    return [agency for agency in offered if agency.code in kept]


class AgencyNames(Protocol):
    """What a reference to an agency shows: an ``Agency`` or a row selecting these columns."""

    code: str
    name: str
    short_name: str
    level: str


def _ref_fields(agency: AgencyNames) -> dict:
    level = AgencyLevel(agency.level)
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "level": level,
        "level_label": level.label,
    }


def agency_ref(agency: AgencyNames) -> AgencyRef:
    return AgencyRef(**_ref_fields(agency))


async def agency_tree(session: AsyncSession, handling: set[str] | None = None) -> list[AgencyNode]:
    """The open units as a tree; with ``handling`` (the units that handle an item), pruned to
    the open ones among them and the units above them, each saying ``handles_item``."""
    tree = await _load_tree(session, handling)
    return [tree.node(root) for root in tree.children[None]]


async def search_agencies(session: AsyncSession, query: str) -> list[AgencyMatch]:
    """Open units by name."""
    tree = await _load_tree(session)
    needle = query.strip().casefold()
    offered = {agency.code for siblings in tree.children.values() for agency in siblings}
    return [
        AgencyMatch(
            **tree.read(agency).model_dump(),
            ancestors=[agency_ref(a) for a in tree.ancestors(agency)],
        )
        for agency in tree.by_code.values()
        if agency.code in offered
        and (needle in agency.name.casefold() or needle in agency.short_name.casefold())
    ]


async def agency_detail(session: AsyncSession, code: str) -> AgencyDetail:
    """Any unit by code, closed ones too (with ``closed_on``); its open children."""
    tree = await _load_tree(session)
    agency = tree.by_code.get(code)
    if agency is None:
        raise AgencyNotFound(f"海事机构代码“{code}”不存在")
    confidence = SourceConfidence(agency.confidence) if agency.confidence else None
    return AgencyDetail(
        **tree.read(agency).model_dump(),
        sources=list(agency.sources or []),
        confidence=Coded.of(confidence) if confidence else None,
        ancestors=[agency_ref(a) for a in tree.ancestors(agency)],
        children=[tree.read(child) for child in tree.children[agency.code]],
    )


async def require_agency(session: AsyncSession, code: str) -> Agency:
    agency = await repository.get_agency(session, code)
    if agency is None:
        raise AgencyNotFound(f"海事机构代码“{code}”不存在")
    return agency


async def require_open_agency(session: AsyncSession, code: str) -> Agency:
    """A unit that can still be chosen (not closed as of today)."""
    agency = await require_agency(session, code)
    if not closing.is_open(agency.closed_on, closing.today()):
        raise AgencyClosed(f"{agency.name}已于 {agency.closed_on.isoformat()} 撤销，请选择其他海事机构")
    return agency


async def agency_subtree(session: AsyncSession, code: str) -> frozenset[str]:
    """``code`` and every agency below it, closed ones too: what a staff member of ``code`` may see."""
    children = await dataset_fact(session, _CHILDREN, datasets=("agencies",), load=lambda: _children(session))
    codes, pending = set(), [code]
    while pending:
        current = pending.pop()
        codes.add(current)
        pending.extend(children.get(current, ()))
    return frozenset(codes)


# Each agency's children, kept per dataset version: every staff list asks for a subtree.
_CHILDREN = "agency_children"


async def _children(session: AsyncSession) -> dict[str | None, tuple[str, ...]]:
    children: dict[str | None, list[str]] = defaultdict(list)
    for agency_code, parent_code in await repository.parent_codes(session):
        children[parent_code].append(agency_code)
    return {parent: tuple(codes) for parent, codes in children.items()}
