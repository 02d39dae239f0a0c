"""The agency tree. It is small (tens of nodes), so it is assembled in memory from one query."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies import repository
from app.agencies.models import Agency, AgencyLevel, SourceConfidence
from app.agencies.schemas import AgencyDetail, AgencyMatch, AgencyNode, AgencyRead, AgencyRef
from app.core.errors import NotFound
from app.core.schemas import Coded


class AgencyNotFound(NotFound):
    code = "agency.not_found"
    title = "未找到该海事机构"


@dataclass(frozen=True)
class _Tree:
    by_code: dict[str, Agency]
    children: dict[str | None, list[Agency]]

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
            has_children=bool(self.children[agency.code]),
        )

    def node(self, agency: Agency) -> AgencyNode:
        return AgencyNode(
            **self.read(agency).model_dump(),
            children=[self.node(child) for child in self.children[agency.code]],
        )


async def _load_tree(session: AsyncSession) -> _Tree:
    agencies = await repository.all_agencies(session)
    children: dict[str | None, list[Agency]] = defaultdict(list)
    for agency in agencies:
        children[agency.parent_code].append(agency)
    return _Tree({a.code: a for a in agencies}, children)


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


async def agency_tree(session: AsyncSession) -> list[AgencyNode]:
    tree = await _load_tree(session)
    return [tree.node(root) for root in tree.children[None]]


async def search_agencies(session: AsyncSession, query: str) -> list[AgencyMatch]:
    tree = await _load_tree(session)
    needle = query.strip().casefold()
    return [
        AgencyMatch(
            **tree.read(agency).model_dump(),
            ancestors=[agency_ref(a) for a in tree.ancestors(agency)],
        )
        for agency in tree.by_code.values()
        if needle in agency.name.casefold() or needle in agency.short_name.casefold()
    ]


async def agency_detail(session: AsyncSession, code: str) -> AgencyDetail:
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


async def agency_subtree(session: AsyncSession, code: str) -> set[str]:
    """``code`` and every agency below it: what a staff member of ``code`` may see."""
    tree = await _load_tree(session)
    codes, pending = set(), [code]
    while pending:
        current = pending.pop()
        codes.add(current)
        pending.extend(child.code for child in tree.children[current])
    return codes
