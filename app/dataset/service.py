"""系统管理员 keeps the dataset: edits go to one draft (the whole dataset as records of its
files), the draft is compared with the current version and published as a new numbered version,
now or at a time to come.

Publishing is ``load_seed_data(replace=True)`` on the draft's files plus a version row holding
the dataset as the database then holds it, in the request's transaction; ``load_seed_data``
bumps the read cache, so every worker serves the new version within
``READ_CACHE_CHECK_SECONDS``. Publishers queue on the current version's row (``FOR UPDATE``;
SQLite's request transactions take the write lock when they begin): a draft drafted on another
version than the current one is stale (409), so two publishes never both win.

Every version keeps the whole dataset, so any two can be compared and an application's guide
read back as it stood when the application was submitted.
"""

import copy
import logging
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import desc
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.accounts.models import User
from app.audit import service as audit
from app.core.auth import Principal
from app.core.db import in_transaction, utcnow
from app.core.errors import AppError, NotFound
from app.core.pagination import keyset, page_of
from app.core.seeding import DatasetError, Rows
from app.dataset import repository
from app.dataset.models import DatasetDraft, DatasetVersion, Files, VersionState
from app.dataset.schemas import (
    ChangeCount,
    DatasetFileName,
    Diff,
    DraftFile,
    DraftRead,
    FieldChange,
    FileDiff,
    PublishRequest,
    RecordChange,
    RecordEntry,
    VersionRead,
)
from app.seed import Dataset, export_dataset, load_seed_data, prepare_dataset

log = logging.getLogger(__name__)


class AdminAction(Protocol):
    """Who acts (``app.admin.service.AdminAction``): its session, principal (None: the operator
    on the host) and the audit record it leaves."""

    session: AsyncSession
    principal: Principal | None

    def record(
        self, event: str, outcome: str, target_id: str | None = None, *, target_type: str = ..., **detail
    ) -> None: ...

SEED_NOTE = "初始数据"
SEED_BY = "初始数据加载"
IMPORT_BY = "数据导入（dataset-import）"
SCHEDULE_BY = "定时发布"
AUDIT_TARGET = "dataset"


@dataclass(frozen=True)
class FileSpec:
    name: str  # the file name in the dataset
    label: str  # for people
    key: str  # the field naming a record
    title: str  # the field holding its name for people


# Every file of the dataset, for diffs; the editable ones by their path segment.
SPECS = {
    spec.name: spec
    for spec in (
        FileSpec("agencies.json", "海事机构", "code", "name"),
        FileSpec("agency_candidates.json", "待确认的海事机构", "code", "name"),
        FileSpec("items.json", "办事事项（含办事指南）", "code", "name"),
        FileSpec("online_items.json", "在线办理事项", "item_code", "name"),
        FileSpec("countries.json", "国家和地区", "id", "name_zh"),
        FileSpec("ports.json", "港口", "id", "name_zh"),
        FileSpec("fuel_suppliers.json", "燃油供应商", "id", "name_zh"),
        FileSpec("regulation_items.json", "法规条目", "id", "title"),
        FileSpec("articles.json", "帮助文章", "id", "title"),
    )
}
EDITABLE = {name: SPECS[f"{name.value}.json"] for name in DatasetFileName}


class DatasetInvalid(AppError):
    status = 422
    code = "dataset.invalid"
    title = "数据不符合文件格式要求"


class DatasetInUse(AppError):
    status = 422
    code = "dataset.in_use"
    title = "删除的条目仍被申请、账号或证照引用，不能发布"


class NoChanges(AppError):
    status = 422
    code = "dataset.no_changes"
    title = "草稿与当前版本相同，没有可发布的改动"


class DraftStale(AppError):
    status = 409
    code = "dataset.draft_stale"
    title = "草稿所基于的版本已不是当前版本，请放弃草稿后重新修改"


class AgencyNotDeletable(AppError):
    status = 422
    code = "dataset.agency_not_deletable"
    title = "海事机构不能删除，请为其设置撤销日期"


class RecordNotFound(NotFound):
    code = "dataset.record_not_found"
    title = "草稿中没有该条目"


class VersionNotFound(NotFound):
    code = "dataset.version_not_found"
    title = "数据版本不存在"


class VersionNotScheduled(AppError):
    status = 409
    code = "dataset.version_not_scheduled"
    title = "只能取消待生效的版本"


# --- versions ----------------------------------------------------------------------------------


async def seed(session: AsyncSession, dataset: Dataset, *, authoritys_files: bool = False) -> bool:
    """At the first start the seed is loaded and recorded as version 1. Afterwards the published
    versions are the dataset and the shipped files are left alone; an authority's own files
    (``DATASET_DIR``) are loaded at every start, a new version recorded when they changed
    anything. True if the files were loaded."""
    current = await _locked_current(session)
    if current is None:
        await load_seed_data(session, dataset)
        await record_version(session, note=SEED_NOTE, by=SEED_BY, base=None)
        return True
    if not authoritys_files:
        return False
    await load_seed_data(session, dataset)
    files = await exported(session)
    if _total(_counts(diff_files(current.files, files))):
        await record_version(
            session, note="启动时加载 DATASET_DIR 的数据文件", by=SEED_BY, base=current.number, files=files
        )
    return True


async def imported(session: AsyncSession, dataset: Dataset, note: str) -> DatasetVersion:
    """``dataset-import``: the files replace the dataset and become a new version."""
    current = await _locked_current(session)
    await load_seed_data(session, dataset, replace=True)
    return await record_version(session, note=note, by=IMPORT_BY, base=current.number if current else None)


async def record_version(
    session: AsyncSession, *, note: str, by: str, base: int | None, files: Files | None = None
) -> DatasetVersion:
    """What the database now holds (``files``, when the caller exported it already), as the next
    published version."""
    files = files if files is not None else await exported(session)
    before = await repository.get(session, base) if base is not None else None
    version = DatasetVersion(
        number=await repository.next_number(session),
        state=VersionState.published.value,
        note=note,
        base_version=base,
        published_at=utcnow(),
        published_by=by,
        files=files,
        changes=_counts(diff_files(before.files if before else {}, files)).model_dump(),
    )
    session.add(version)
    await session.flush()
    return version


async def record_change(action: AdminAction, note: str) -> DatasetVersion:
    """A change made to the dataset outside a draft (a candidate confirmed or dismissed) is a
    version too: a draft made before it becomes stale instead of undoing it when published."""
    current = await _locked_current(action.session)
    return await record_version(
        action.session, note=note, by=await _who(action), base=current.number if current else None
    )


async def exported(session: AsyncSession) -> Files:
    """``export_dataset`` in this transaction, read afresh: the loaders write with plain
    statements, which the session's own copies of the rows it loaded before do not see."""
    await session.flush()
    fresh = AsyncSession(bind=await session.connection())
    try:
        return await export_dataset(fresh)
    finally:
        await fresh.close()


async def current_version(session: AsyncSession) -> DatasetVersion:
    return _published(await repository.current(session))


def _published(current: DatasetVersion | None) -> DatasetVersion:
    if current is None:  # a database migrated but never seeded
        raise VersionNotFound("尚无已发布的数据版本：请先加载初始数据（python -m app.cli seed）")
    return current


def version_read(version: DatasetVersion) -> VersionRead:
    state = VersionState(version.state)
    return VersionRead(
        number=version.number,
        state=state.value,
        state_label=state.label,
        note=version.note,
        effective_at=version.effective_at,
        published_at=version.published_at,
        published_by=version.published_by,
        changes=ChangeCount(**version.changes),
    )


NEWEST_FIRST = [(DatasetVersion.number, desc)]


async def versions_page(
    session: AsyncSession, *, cursor: str | None, limit: int
) -> tuple[list[VersionRead], str | None]:
    rows = list(await session.scalars(keyset(repository.versions(), NEWEST_FIRST, cursor, limit)))
    page, next_cursor = page_of(rows, limit, NEWEST_FIRST)
    return [version_read(version) for version in page], next_cursor


async def version(session: AsyncSession, number: int, *, for_update: bool = False) -> DatasetVersion:
    found = await repository.get(session, number, for_update=for_update)
    if found is None:
        raise VersionNotFound(f"数据版本 {number} 不存在")
    return found


async def version_diff(session: AsyncSession, shown: DatasetVersion) -> Diff:
    """The version against the published version before it."""
    previous = await repository.previous_published(session, shown.number)
    return _diff(previous, shown.number, previous.files if previous else {}, shown.files)


async def version_to_cancel(session: AsyncSession, number: int) -> DatasetVersion:
    """A version, locked to be cancelled."""
    return await version(session, number, for_update=True)


async def cancel(action: AdminAction, scheduled: DatasetVersion) -> VersionRead:
    number = scheduled.number
    if scheduled.state != VersionState.scheduled.value:
        raise VersionNotScheduled(f"版本 {number}{VersionState(scheduled.state).label}，只能取消待生效的版本")
    scheduled.state = VersionState.cancelled.value
    await action.session.flush()
    action.record("dataset.version_cancel", "success", str(number), target_type=AUDIT_TARGET)
    return version_read(scheduled)


# --- the draft ---------------------------------------------------------------------------------


async def draft_read(session: AsyncSession) -> DraftRead:
    current = await current_version(session)
    draft = await repository.draft(session)
    if draft is None:
        return DraftRead(
            base_version=current.number,
            current_version=current.number,
            updated_at=None,
            updated_by=None,
            changes=ChangeCount(added=0, removed=0, changed=0),
        )
    base = await repository.get(session, draft.base_version)
    return DraftRead(
        base_version=draft.base_version,
        current_version=current.number,
        updated_at=draft.updated_at,
        updated_by=draft.updated_by,
        changes=_counts(diff_files(base.files if base else {}, draft.files)),
    )


async def draft_file(session: AsyncSession, name: DatasetFileName) -> DraftFile:
    spec = EDITABLE[name]
    draft = await repository.draft(session)
    files = draft.files if draft else (await current_version(session)).files
    return DraftFile(file=name, label=spec.label, key=spec.key, records=files[spec.name])


async def draft_diff(session: AsyncSession) -> Diff:
    current = await current_version(session)
    draft = await repository.draft(session)
    return _diff(current, None, current.files, draft.files if draft else current.files)


async def put_record(
    action: AdminAction, name: DatasetFileName, key: str, record: dict[str, Any]
) -> dict[str, Any]:
    """Adds or replaces the record; the whole draft must still load, else nothing is kept."""
    spec = EDITABLE[name]
    given = record.get(spec.key, key)
    if given != key:
        raise DatasetInvalid(f"{spec.name}：条目中的 {spec.key}（{given!r}）与地址中的“{key}”不一致")
    record = {spec.key: key, **record}
    draft = await _draft_for_update(action)
    files = copy.deepcopy(draft.files)
    records = files[spec.name]
    at = _index(records, spec.key, key)
    if name is DatasetFileName.agencies:
        _place_agency(records, at, record)
    elif at is None:
        records.append(record)
    else:
        records[at] = record
    _validate(files)
    await _save(action, draft, files)
    action.record(
        "dataset.record_put", "success", f"{name.value}/{key}"[:64], target_type=AUDIT_TARGET,
        added=at is None,
    )
    return record


async def delete_record(action: AdminAction, name: DatasetFileName, key: str) -> None:
    spec = EDITABLE[name]
    if name is DatasetFileName.agencies:
        raise AgencyNotDeletable("海事机构不能删除：为其设置撤销日期（closed_on），已办理的申请仍可查到它")
    draft = await _draft_for_update(action)
    files = copy.deepcopy(draft.files)
    at = _index(files[spec.name], spec.key, key)
    if at is None:
        raise RecordNotFound(f"{spec.label}中没有“{key}”")
    del files[spec.name][at]
    _validate(files)
    await _save(action, draft, files)
    action.record("dataset.record_delete", "success", f"{name.value}/{key}"[:64], target_type=AUDIT_TARGET)


async def discard(action: AdminAction) -> None:
    draft = await repository.draft(action.session, for_update=True)
    if draft is not None:
        await action.session.delete(draft)
        await action.session.flush()
    action.record("dataset.draft_discard", "success", target_type=AUDIT_TARGET)


async def publish(action: AdminAction, body: PublishRequest) -> VersionRead:
    """The draft becomes the next version: at once, or scheduled for ``effective_at``."""
    session = action.session
    current = _published(await _locked_current(session))
    draft = await repository.draft(session, for_update=True)
    if draft is not None and draft.base_version != current.number:
        raise DraftStale(f"草稿基于版本 {draft.base_version}，当前已是版本 {current.number}")
    changes = _counts(diff_files(current.files, draft.files)) if draft is not None else None
    if changes is None or not _total(changes):
        raise NoChanges()
    by = await _who(action)
    now = utcnow()
    if body.effective_at is not None and body.effective_at > now:
        scheduled = DatasetVersion(
            number=await repository.next_number(session),
            state=VersionState.scheduled.value,
            note=body.note,
            base_version=current.number,
            effective_at=body.effective_at,
            published_by=by,
            files=draft.files,
            changes=changes.model_dump(),
        )
        session.add(scheduled)
        await session.delete(draft)
        await session.flush()
        action.record(
            "dataset.publish", "scheduled", str(scheduled.number), target_type=AUDIT_TARGET,
            effective_at=body.effective_at.isoformat(),
        )
        return version_read(scheduled)
    published = await _load(session, draft.files, note=body.note, by=by, base=current.number)
    published.effective_at = body.effective_at or published.published_at
    await session.delete(draft)
    await session.flush()
    action.record(
        "dataset.publish", "success", str(published.number), target_type=AUDIT_TARGET, note=body.note
    )
    return version_read(published)


async def publish_when_due(
    reads: async_sessionmaker[AsyncSession], writes: async_sessionmaker[AsyncSession]
) -> int:
    """The housekeeping job: a cheap look first; the write lock only when a version is due."""
    async with reads() as session:
        if not await repository.due(session, utcnow()):
            return 0
    return await in_transaction(writes, publish_due)


async def publish_due(session: AsyncSession) -> int:
    """Housekeeping: every scheduled version whose time has come is published, unless another
    version was published since it was drafted (then it is cancelled: its base is gone)."""
    count = 0
    for scheduled in await repository.due(session, utcnow()):
        current = await _locked_current(session)
        again = await repository.get(session, scheduled.number, for_update=True)
        if again is None or again.state != VersionState.scheduled.value:
            continue  # another worker got there first
        if current is None or scheduled.base_version != current.number:
            scheduled.state = VersionState.cancelled.value
            log.warning(
                "scheduled dataset version %s cancelled: drafted on %s, current is %s",
                scheduled.number, scheduled.base_version, current.number if current else None,
            )
            _audit_due(session, scheduled, "stale", current=current.number if current else None)
            await session.flush()
            continue
        try:
            async with session.begin_nested():
                dataset = _prepared(scheduled.files)
                await load_seed_data(session, dataset, replace=True)
        except (DatasetError, DatasetInvalid, DBAPIError):
            scheduled.state = VersionState.cancelled.value
            log.warning("scheduled dataset version %s cancelled: refused", scheduled.number, exc_info=True)
            _audit_due(session, scheduled, "refused")
            await session.flush()
            continue
        scheduled.files = await exported(session)
        scheduled.state = VersionState.published.value
        scheduled.published_at = utcnow()
        _audit_due(session, scheduled, "success")
        await session.flush()
        count += 1
    return count


def _audit_due(session: AsyncSession, scheduled: DatasetVersion, outcome: str, **detail) -> None:
    """The housekeeping's publish of a scheduled version, in the audit trail (no actor: the system)."""
    audit.record(
        session, "dataset.publish_scheduled", outcome, object_type=AUDIT_TARGET,
        object_id=str(scheduled.number), detail=detail or None,
    )


async def _locked_current(session: AsyncSession) -> DatasetVersion | None:
    """The current version, read after taking the publishers' lock: a publish that committed
    while this one waited is seen (each statement reads what is committed when it starts)."""
    await repository.lock_current(session)
    return await repository.current(session)


async def _load(session: AsyncSession, files: Files, *, note: str, by: str, base: int) -> DatasetVersion:
    dataset = _prepared(files)
    try:
        await load_seed_data(session, dataset, replace=True)
    except DatasetError as error:
        raise DatasetInUse(str(error)) from error
    except DBAPIError as error:  # what the files' loaders do not check, the tables refuse
        raise DatasetInvalid(f"数据无法写入数据库：{error.orig}") from error
    return await record_version(session, note=note, by=by, base=base)


def _prepared(files: Files) -> Dataset:
    try:
        return prepare_dataset(lambda package, name: files[name])
    except DatasetError as error:
        raise DatasetInvalid(str(error)) from error
    except Exception as error:  # a loader meeting a value of an unexpected type
        raise DatasetInvalid(f"数据不符合文件格式要求：{error}") from error


def _validate(files: Files) -> None:
    _prepared(files)


async def _draft_for_update(action: AdminAction) -> DatasetDraft:
    """The draft, locked; the first edit makes it from the current version."""
    draft = await repository.draft(action.session, for_update=True)
    if draft is not None:
        return draft
    current = await _locked_current(action.session)  # two first edits: one makes the draft
    draft = await repository.draft(action.session, for_update=True)
    if draft is not None:
        return draft
    current = _published(current)
    draft = DatasetDraft(
        id=repository.DRAFT_ID,
        base_version=current.number,
        files=current.files,
        updated_at=utcnow(),
        updated_by=await _who(action),
    )
    action.session.add(draft)
    return draft


async def _save(action: AdminAction, draft: DatasetDraft, files: Files) -> None:
    draft.files = files  # a new object: the JSON column is written
    draft.updated_at = utcnow()
    draft.updated_by = await _who(action)
    await action.session.flush()


async def _who(action: AdminAction) -> str:
    if action.principal is None:
        return "运维命令"
    user = await action.session.get(User, action.principal.user_id)
    return (user.username or user.display_name) if user else action.principal.user_id


def _index(records: Rows, key: str, value: str) -> int | None:
    return next((at for at, record in enumerate(records) if record.get(key) == value), None)


def _place_agency(records: Rows, at: int | None, record: dict[str, Any]) -> None:
    """Parents before children: a new unit, or one moved to another parent, goes (with the
    units under it) after its parent's subtree; otherwise it keeps its place."""
    if at is not None and records[at].get("parent") == record.get("parent"):
        records[at] = record
        return
    moved = _subtree(records, record["code"]) if at is not None else []
    if record.get("parent") in {unit["code"] for unit in moved}:
        records[at] = record  # a unit under itself: the loaders refuse it, naming the record
        return
    kept = [unit for unit in records if unit not in moved]
    parent = record.get("parent")
    family = {parent} | {unit["code"] for unit in _subtree(kept, parent)} if parent else set()
    after = max((i for i, unit in enumerate(kept) if unit["code"] in family), default=len(kept) - 1)
    block = [record, *(unit for unit in moved if unit["code"] != record["code"])]
    records[:] = kept[: after + 1] + block + kept[after + 1 :]


def _subtree(records: Rows, code: str | None) -> Rows:
    """The unit ``code`` and every unit under it, in file order."""
    codes = {code}
    for record in records:  # parents come first, so one pass finds every descendant
        if record.get("parent") in codes:
            codes.add(record.get("code"))
    return [record for record in records if record.get("code") in codes]


# --- diffs -------------------------------------------------------------------------------------


def diff_files(before: Files, after: Files) -> list[FileDiff]:
    """File by file, record by record (by key), field by field; files without change left out."""
    diffs = []
    for spec in SPECS.values():
        old = {record.get(spec.key): record for record in before.get(spec.name, [])}
        new = {record.get(spec.key): record for record in after.get(spec.name, [])}
        added = [_entry(spec, key, record) for key, record in new.items() if key not in old]
        removed = [_entry(spec, key, record) for key, record in old.items() if key not in new]
        changed = [
            RecordChange(key=str(key), title=_title(spec, record, key), fields=fields)
            for key, record in new.items()
            if key in old and (fields := _fields(old[key], record))
        ]
        if added or removed or changed:
            name = spec.name.removesuffix(".json")
            diffs.append(FileDiff(file=name, label=spec.label, added=added, removed=removed, changed=changed))
    return diffs


def _diff(base: DatasetVersion | None, to_version: int | None, before: Files, after: Files) -> Diff:
    return Diff(
        from_version=base.number if base else None, to_version=to_version, files=diff_files(before, after)
    )


def _entry(spec: FileSpec, key: Any, record: dict[str, Any]) -> RecordEntry:
    return RecordEntry(key=str(key), title=_title(spec, record, key), record=record)


def _title(spec: FileSpec, record: dict[str, Any], key: Any) -> str:
    return str(record.get(spec.title) or key)


def _fields(before: dict[str, Any], after: dict[str, Any], within: str = "") -> list[FieldChange]:
    """Changed fields, an object's by its own fields (``guide.acceptance_conditions``), so a
    person sees what changed. A field absent and a field null are the same (the export leaves
    out what is not set)."""
    names = [*after, *(name for name in before if name not in after)]
    changes = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            changes += _fields(old, new, f"{within}{name}.")
        else:
            changes.append(FieldChange(field=f"{within}{name}", before=old, after=new))
    return changes


def _total(count: ChangeCount) -> int:
    return count.added + count.removed + count.changed


def _counts(diffs: list[FileDiff]) -> ChangeCount:
    return ChangeCount(
        added=sum(len(diff.added) for diff in diffs),
        removed=sum(len(diff.removed) for diff in diffs),
        changed=sum(len(diff.changed) for diff in diffs),
    )

