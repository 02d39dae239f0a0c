"""系统管理员: 数据维护与发布 — edit a draft of the dataset's files, compare it with the current
version, publish it (now or at a time to come), and look back over every version.

The service is ``app.dataset``, which applications read their guide version from; its router sits
here, with the other administrators' routers, above every domain."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Response, status

from app.admin.deps import SystemAdmin
from app.core.auth import ROLE_ERRORS
from app.core.errors import InvalidInput, error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import FormObject, Page, _has_control_characters
from app.core.seeding import read_seed
from app.dataset import service
from app.dataset.models import DatasetVersion
from app.dataset.schemas import DatasetFileName, Diff, DraftFile, DraftRead, PublishRequest, VersionRead

router = APIRouter(prefix="/admin/dataset", tags=["admin-dataset"])

RecordKey = Annotated[
    str,
    Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description="条目的键（见各文件的键字段）", examples=["SH-PD-WGQ"]),
]
VersionNumber = Annotated[int, Path(ge=1, le=2_147_483_647, description="版本号", examples=[2])]


async def _version(action: SystemAdmin, number: VersionNumber) -> DatasetVersion:
    return await service.version(action.session, number)


async def _version_to_cancel(action: SystemAdmin, number: VersionNumber) -> DatasetVersion:
    return await service.version_to_cancel(action.session, number)


VersionDep = Annotated[DatasetVersion, Depends(_version)]
VersionToCancel = Annotated[DatasetVersion, Depends(_version_to_cancel)]

# What a record of each file holds, said once for the document (the file loaders check it).
RECORD_CONTENT = {
    DatasetFileName.agencies: "键 code。code、name（全称，唯一）、short_name、level（ministry_bureau 部海事局、"
    "direct_bureau 直属海事局、local_bureau 地方海事局、branch_bureau 分支海事局、office 海事处）、"
    "parent（上级机构 code，须排在前面且层级更高）；可选 name_en、region、address、phone、website、"
    "sources、confidence、source_note。新增的机构排在其上级机构的下属机构之后。",
    DatasetFileName.items: "键 code。code、name、aliases、business、nature、audience、online、"
    "handling_levels（受理层级）、source、guide（办事指南，各要素见 ServiceGuide：受理条件、申请材料、"
    "办理流程、时限、收费、地点、电话…）。",
    DatasetFileName.online_items: "键 item_code（须为 items 中的事项）。name、after_submit、promised_working_days、"
    "steps、material_slots、form_schema、rules、example。",
    DatasetFileName.fuel_suppliers: "键 id。name_zh、name_en、port（ports 中的 id）、"
    "country（countries 中的 id）、address、phone。",
    DatasetFileName.ports: "键 id（UN/LOCODE）。name_zh、name_en、country（countries 中的 id）、kind、region。",
    DatasetFileName.regulation_items: "键 id。title、description、source。",
    DatasetFileName.countries: "键 id（ISO 3166 二位字母）。alpha3、numeric、name_zh、name_en。",
}
# The shipped record each example shows: a 海事处 for agencies, the first record elsewhere.
_SHIPPED = {"agencies": 8}
RECORD_EXAMPLES = {
    name.value: {
        "summary": f"{service.EDITABLE[name].label}的一条",
        "description": RECORD_CONTENT[name],
        "value": read_seed(package, service.EDITABLE[name].name)[_SHIPPED.get(name.value, 0)],
    }
    for name, package in (
        (DatasetFileName.agencies, "app.agencies"),
        (DatasetFileName.items, "app.catalog"),
        (DatasetFileName.online_items, "app.catalog"),
        (DatasetFileName.fuel_suppliers, "app.reference"),
        (DatasetFileName.ports, "app.reference"),
        (DatasetFileName.regulation_items, "app.reference"),
        (DatasetFileName.countries, "app.reference"),
    )
}
RECORDS_DESCRIBED = "\n\n条目为该文件的一条记录（文件格式），各文件的条目：\n\n" + "\n".join(
    f"- **{name.value}**：{text}" for name, text in RECORD_CONTENT.items()
)
Record = Annotated[FormObject, Body(openapi_examples=RECORD_EXAMPLES)]
EDIT_ERRORS = (*ROLE_ERRORS, service.DatasetInvalid, service.VersionNotFound)
ONLY_SYSADMIN = "仅系统管理员。"
AUDITED = "记入审计记录。"


@router.get(
    "/draft",
    summary="数据草稿概况",
    description=ONLY_SYSADMIN + "未修改时草稿即当前版本；第一次修改时创建草稿。",
    response_model=DraftRead,
    responses=error_responses(*ROLE_ERRORS, service.VersionNotFound),
)
async def get_draft(action: SystemAdmin) -> DraftRead:
    return await service.draft_read(action.session)


@router.delete(
    "/draft",
    summary="放弃数据草稿",
    description=ONLY_SYSADMIN + AUDITED,
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*ROLE_ERRORS),
)
async def discard_draft(action: SystemAdmin) -> Response:
    await service.discard(action)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/draft/files/{file}",
    summary="草稿中的一个数据文件",
    description=ONLY_SYSADMIN + "全部条目，文件格式、文件顺序。",
    response_model=DraftFile,
    responses=error_responses(*ROLE_ERRORS, service.VersionNotFound),
)
async def get_draft_file(action: SystemAdmin, file: DatasetFileName) -> DraftFile:
    return await service.draft_file(action.session, file)


@router.put(
    "/draft/files/{file}/records/{key}",
    summary="在草稿中新增或替换一个条目",
    description=ONLY_SYSADMIN
    + "整个草稿先经各文件的加载规则校验：不通过返回 422 `dataset.invalid`（说明指出文件、条目与字段），"
    "草稿保持不变。条目中的键字段可省略（取地址中的键），给出则须与地址一致。" + AUDITED + RECORDS_DESCRIBED,
    response_model=dict[str, Any],
    responses=error_responses(*EDIT_ERRORS),
)
async def put_record(
    action: SystemAdmin, file: DatasetFileName, key: RecordKey, record: Record
) -> dict[str, Any]:
    if _has_control_characters(record):
        raise InvalidInput([(("body",), "不能包含控制字符", "control_characters")])
    return await service.put_record(action, file, key, record)


@router.delete(
    "/draft/files/{file}/records/{key}",
    summary="从草稿中删除一个条目",
    description=ONLY_SYSADMIN + "海事机构不能删除（422 `dataset.agency_not_deletable`），请设置撤销日期。" + AUDITED,
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*EDIT_ERRORS, service.AgencyNotDeletable, service.RecordNotFound),
)
async def delete_record(action: SystemAdmin, file: DatasetFileName, key: RecordKey) -> Response:
    await service.delete_record(action, file, key)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/draft/diff",
    summary="草稿与当前版本的差异",
    description=ONLY_SYSADMIN + "按文件列出新增、删除的条目和修改的字段（修改前后）。",
    response_model=Diff,
    responses=error_responses(*ROLE_ERRORS, service.VersionNotFound),
)
async def get_draft_diff(action: SystemAdmin) -> Diff:
    return await service.draft_diff(action.session)


@router.post(
    "/draft/publish",
    summary="发布数据草稿",
    description=ONLY_SYSADMIN
    + "不填生效时间或已过去：立即发布为新版本，各服务进程在数秒内提供新数据；将来的时间：保存为待生效版本，"
    "到时自动发布。草稿基于旧版本返回 409 `dataset.draft_stale`；没有改动返回 422 `dataset.no_changes`；"
    "删除的条目仍被申请等引用返回 422 `dataset.in_use`。" + AUDITED,
    status_code=status.HTTP_201_CREATED,
    response_model=VersionRead,
    responses=error_responses(
        *ROLE_ERRORS, service.DraftStale, service.NoChanges, service.DatasetInUse, service.DatasetInvalid,
        service.VersionNotFound,
    ),
)
async def publish(action: SystemAdmin, body: PublishRequest) -> VersionRead:
    return await service.publish(action, body)


@router.get(
    "/versions",
    summary="数据版本（新的在前）",
    description=ONLY_SYSADMIN,
    response_model=Page[VersionRead],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_versions(
    action: SystemAdmin, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[VersionRead]:
    items, next_cursor = await service.versions_page(action.session, cursor=cursor, limit=limit)
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/versions/{number}",
    summary="一个数据版本",
    description=ONLY_SYSADMIN,
    response_model=VersionRead,
    responses=error_responses(*ROLE_ERRORS, service.VersionNotFound),
)
async def get_version(version: VersionDep) -> VersionRead:
    return service.version_read(version)


@router.get(
    "/versions/{number}/diff",
    summary="数据版本与上一个已发布版本的差异",
    description=ONLY_SYSADMIN,
    response_model=Diff,
    responses=error_responses(*ROLE_ERRORS, service.VersionNotFound),
)
async def get_version_diff(action: SystemAdmin, version: VersionDep) -> Diff:
    return await service.version_diff(action.session, version)


@router.post(
    "/versions/{number}/cancel",
    summary="取消待生效的数据版本",
    description=ONLY_SYSADMIN + AUDITED,
    response_model=VersionRead,
    responses=error_responses(*ROLE_ERRORS, service.VersionNotFound, service.VersionNotScheduled),
)
async def cancel_version(action: SystemAdmin, version: VersionToCancel) -> VersionRead:
    return await service.cancel(action, version)
