"""The dataset: everything the service ships with (agency tree and candidates, catalog, pick
lists, help), as files in the shipped seed format.

``load_seed_data`` reads it from a source (the shipped files, or ``DATASET_DIR``), validates
every file before anything is written, and loads it in the caller's transaction; safe to run
on every start. ``replace=True`` (``dataset-import``) also removes what the files no longer hold,
and refuses to when a removed code is still in use. ``export_dataset`` writes it back.
"""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Column, Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.agencies import seed as agencies
from app.agencies.models import Agency, AgencyCandidate, AgencyItem, AgencyItemDetail, CandidateStatus
from app.catalog import seed as catalog
from app.catalog.models import OnlineForm, ServiceItem, ServiceItemLevel
from app.core.db import Base
from app.core.read_cache import DATASETS, bump
from app.core.seeding import DatasetError, Rows, Source, read_seed, write_file
from app.help import seed as help_articles
from app.help.models import HelpArticle
from app.reference import seed as reference

Dataset = dict[str, Rows]  # file name -> rows ready to load (or records ready to write)


@dataclass(frozen=True)
class DatasetFile:
    package: str  # where the shipped file lives (``<package>/seed/<name>``)
    name: str
    indent: int  # as the shipped file is indented
    model: type  # the table its rows go to, keyed by its primary key


FILES = (
    DatasetFile("app.agencies", agencies.AGENCIES_FILE, 2, Agency),
    DatasetFile("app.agencies", agencies.CANDIDATES_FILE, 2, AgencyCandidate),
    DatasetFile("app.catalog", catalog.ITEMS_FILE, 1, ServiceItem),
    DatasetFile("app.catalog", catalog.FORMS_FILE, 1, OnlineForm),
    *(DatasetFile("app.reference", name, 1, model) for model, name, _ in reference.PICK_LISTS),
    DatasetFile("app.help", help_articles.ARTICLES_FILE, 2, HelpArticle),
)
# The tables the files fill besides each file's own (an agency's items and local details).
_DATASET_TABLES = {file.model.__table__ for file in FILES} | {
    ServiceItemLevel.__table__,
    AgencyItem.__table__,
    AgencyItemDetail.__table__,
}


def prepare_dataset(source: Source = read_seed) -> Dataset:
    """Every file read, then every record validated into rows; nothing touches the database.
    Raises ``DatasetError`` naming the file (and the record and field) it refuses."""
    records = {file.name: source(file.package, file.name) for file in FILES}
    items = catalog.item_rows(records[catalog.ITEMS_FILE])
    tree = agencies.agency_rows(records[agencies.AGENCIES_FILE], {row["code"] for row in items})
    return {
        agencies.AGENCIES_FILE: tree,
        agencies.CANDIDATES_FILE: agencies.candidate_rows(
            records[agencies.CANDIDATES_FILE], {row["code"] for row in tree}
        ),
        catalog.ITEMS_FILE: items,
        catalog.FORMS_FILE: catalog.form_rows(records[catalog.FORMS_FILE], {row["code"] for row in items}),
        **reference.pick_list_rows(records),
        help_articles.ARTICLES_FILE: help_articles.article_rows(records[help_articles.ARTICLES_FILE]),
    }


async def load_seed_data(
    session: AsyncSession, dataset: Dataset | None = None, *, replace: bool = False
) -> None:
    """Load ``dataset`` (default: the shipped files) and bump the read cache's versions, so that
    every worker serves it within ``READ_CACHE_CHECK_SECONDS``."""
    dataset = dataset if dataset is not None else prepare_dataset()
    # What the files no longer hold, found once: the writes below add and update, never remove.
    dropped = {file.name: await _dropped(session, file, dataset) for file in FILES} if replace else {}
    await _refuse_dropping_codes_in_use(session, dropped)
    await agencies.write_agencies(session, dataset[agencies.AGENCIES_FILE], dataset[agencies.CANDIDATES_FILE])
    await catalog.write_items(session, dataset[catalog.ITEMS_FILE])
    await agencies.write_unit_items(session, dataset[agencies.AGENCIES_FILE])
    await catalog.write_online_forms(session, dataset[catalog.FORMS_FILE])
    await reference.write_pick_lists(session, dataset)
    await help_articles.write_help_articles(session, dataset[help_articles.ARTICLES_FILE])
    await _drop_absent(session, dropped)
    await bump(session, *DATASETS)


async def _dropped(session: AsyncSession, file: DatasetFile, dataset: Dataset) -> set[str]:
    """The keys in the database that ``file`` no longer holds (decided candidates are no part
    of the files: they stay)."""
    key = _key(file.model.__table__)
    kept = {row[key.name] for row in dataset[file.name]}
    statement = select(key)
    if file.model is AgencyCandidate:
        statement = statement.where(AgencyCandidate.status == CandidateStatus.pending.value)
    return set(await session.scalars(statement)) - kept


async def _refuse_dropping_codes_in_use(session: AsyncSession, dropped: dict[str, set[str]]) -> None:
    """Applications, users, certificates … keep the codes they name: an import that drops one
    still named outside the dataset is refused, naming the file, the codes and who uses them."""
    problems = []
    for file in FILES:
        codes = dropped.get(file.name)
        users = {
            f"{column.table.name}.{column.name}": used
            for column in _columns_naming(file.model.__table__)
            if codes and (used := await _used(session, column, codes))
        }
        if users:
            in_use = sorted(set().union(*users.values()))
            problems.append(f"{file.name} 缺少仍在使用的 {'、'.join(in_use)}（{'、'.join(sorted(users))}）")
    if problems:
        raise DatasetError("；".join(problems) + "。申请、账号、证照等仍引用它们，请在文件中保留这些条目")


def _columns_naming(table: Table) -> list[Column]:
    """Columns outside the dataset that hold a key of ``table`` (foreign keys)."""
    return [
        fk.parent
        for other in Base.metadata.tables.values()
        if other not in _DATASET_TABLES
        for fk in other.foreign_keys
        if fk.column.table is table
    ]


async def _used(session: AsyncSession, column: Column, keys: set[str]) -> set[str]:
    return set(await session.scalars(select(column).where(column.in_(keys)).distinct()))


async def _drop_absent(session: AsyncSession, dropped: dict[str, set[str]]) -> None:
    """Dependants first: forms before items, ports before countries (items' levels and forms go
    with their item)."""
    for file in reversed(FILES):
        if codes := dropped.get(file.name):
            await session.execute(delete(file.model).where(_key(file.model.__table__).in_(codes)))


def _key(table: Table) -> Column:
    (key,) = table.primary_key.columns
    return key


async def export_dataset(session: AsyncSession) -> Dataset:
    """The dataset as it is in the database, as records of the files, in their order."""
    return {
        agencies.AGENCIES_FILE: await agencies.agency_records(session),
        agencies.CANDIDATES_FILE: await agencies.candidate_records(session),
        catalog.ITEMS_FILE: await catalog.item_records(session),
        catalog.FORMS_FILE: await catalog.form_records(session),
        **await reference.pick_list_records(session),
        help_articles.ARTICLES_FILE: await help_articles.article_records(session),
    }


def write_dataset(directory: Path, dataset: Dataset) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for file in FILES:
        write_file(directory / file.name, dataset[file.name], file.indent)
