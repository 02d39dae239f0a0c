"""The authority's certificate registry (系统对接): certificates pushed one by one or in bulk."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.auth.deps import CertificateRegistryClient
from app.certificates import bulk
from app.core.auth import CLIENT_ERRORS
from app.core.db import SessionDep
from app.core.deps import PiiDep
from app.core.errors import error_responses
from app.integrations.deps import AdaptersDep

router = APIRouter(prefix="/registry", tags=["registry"])


@router.post(
    "/certificates/bulk",
    summary="批量导入证照（NDJSON，可续传）",
    description="首次导入与对账：请求体为 `application/x-ndjson`，每行一个证照（与单个推送相同的字段，另含 "
    "`registry_id`），以流式读取。每行整体校验：要么整行生效，要么整行被拒绝、不留任何痕迹。合格的行每 "
    f"{bulk.BATCH_SIZE} 行提交一次，连接中断时已提交的部分保留。同一证照按 `registry_id` 与 `source_version` "
    "幂等：重发整个文件不会产生重复或覆盖较新的版本。响应为 NDJSON 报告：每个被拒绝的行一行"
    "（`line`、`registry_id`、`errors`），最后一行为汇总（`accepted`、`unchanged`、`refused`、"
    "`last_committed_line`）。报告在请求体读完后返回。中断后以 `from_line=last_committed_line` 重发同一文件即可续传。"
    "非 NDJSON 的请求体返回 415。",
    response_class=Response,  # no JSON: the report is NDJSON (REPORT_RESPONSE), errors problem+json
    openapi_extra=bulk.REQUEST_BODY,
    # Above the API's JSON body limit: the body is read line by line, never held whole.
    max_body_size=bulk.MAX_BODY_BYTES,
    responses={200: bulk.REPORT_RESPONSE, **error_responses(*CLIENT_ERRORS, bulk.NotNdjson)},
)
async def load_certificates(
    _: CertificateRegistryClient,
    request: Request,
    session: SessionDep,
    pii: PiiDep,
    adapters: AdaptersDep,
    from_line: Annotated[
        int, Query(ge=0, le=2**31 - 1, description="跳过前若干行（续传时取上次报告的 `last_committed_line`）")
    ] = 0,
) -> bulk.NdjsonResponse:
    report = await bulk.load_request(session, pii, adapters.storage, request, from_line=from_line)
    return bulk.NdjsonResponse(report)
