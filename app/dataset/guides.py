"""An application's guide as the dataset version it was submitted under held it: the item's
guide and the agency chain from that version's files, so a later publish does not change what
the applicant (and staff) read."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.schemas import ServiceGuide
from app.dataset import repository
from app.dataset.models import DatasetVersion, Files, VersionState
from app.dataset.schemas import ApplicationGuide, GuideAgency
from app.dataset.service import VersionNotFound

# Published versions never change: a few are kept in memory (each holds the whole dataset),
# by number and time of publishing (a test run goes through many databases).
_KEPT_VERSIONS = 4
_files: dict[tuple[int, object], Files] = {}


async def version_files(session: AsyncSession, number: int) -> Files:
    found = (
        await session.execute(
            select(DatasetVersion.state, DatasetVersion.published_at).where(DatasetVersion.number == number)
        )
    ).first()
    if found is None:
        raise VersionNotFound(f"数据版本 {number} 不存在")
    key = (number, found.published_at)
    if key in _files:
        return _files[key]
    files = await session.scalar(select(DatasetVersion.files).where(DatasetVersion.number == number))
    if found.state == VersionState.published.value:
        while len(_files) >= _KEPT_VERSIONS:
            _files.pop(next(iter(_files)))
        _files[key] = files
    return files


async def application_guide(
    session: AsyncSession, dataset_version: int | None, item_code: str, agency_code: str | None
) -> ApplicationGuide:
    """The guide of an application submitted under ``dataset_version``; a draft (or one
    submitted before versions were kept): the current version."""
    number = dataset_version or await repository.current_number(session)
    if number is None:
        raise VersionNotFound("尚无已发布的数据版本")
    files = await version_files(session, number)
    item = next((record for record in files["items.json"] if record["code"] == item_code), None)
    if item is None:  # a draft whose item a later version removed
        raise VersionNotFound(f"数据版本 {number} 中没有事项“{item_code}”")
    chain = _chain(files["agencies.json"], agency_code)
    return ApplicationGuide(
        version=number,
        item_code=item["code"],
        item_name=item["name"],
        agency=_agency(chain[0]) if chain else None,
        guide=ServiceGuide.model_validate(_versioned_guide(item, chain)),
    )


def _versioned_guide(item: dict[str, Any], chain: list[dict[str, Any]]) -> dict[str, Any]:
    """The guide of ``item`` (an items.json record of the version) for the agency ``chain``
    (agencies.json records of that version: the chosen unit, then its ancestors).

    INTEGRATION POINT (design B): the localized guide is made here —
    ``return localize(item["guide"], item["code"], chain)`` from app.catalog.local_details."""
    return dict(item["guide"])


def _agency(record: dict[str, Any]) -> GuideAgency:
    return GuideAgency(
        code=record["code"], name=record["name"], address=record.get("address"), phone=record.get("phone")
    )


def _chain(agencies: list[dict[str, Any]], code: str | None) -> list[dict[str, Any]]:
    """The unit ``code`` and its ancestors, nearest first, as the version's file holds them."""
    by_code = {record["code"]: record for record in agencies}
    chain: list[dict[str, Any]] = []
    while code is not None and code in by_code and len(chain) < len(by_code):
        chain.append(by_code[code])
        code = by_code[code].get("parent")
    return chain
