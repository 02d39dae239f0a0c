"""The authority's registry pushes the certificates it issues and changes (issue #17):
``PUT /registry/certificates/{registry_id}``, and reads back what is stored for reconciliation;
``POST /registry/certificates/bulk`` loads many at once (NDJSON, resumable).
Machine clients with the scope ``certificates:write`` only."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.audit import service as audit
from app.auth.deps import CertificateRegistryClient
from app.certificates import bulk, registry
from app.certificates.deps import PushedCertificateRow, RegistryId
from app.certificates.schemas import CertificatePushBody, PushedCertificate, PushResult
from app.core.auth import CLIENT_ERRORS
from app.core.db import SessionDep
from app.core.deps import ClientIp, PiiDep
from app.core.errors import STORAGE_UNAVAILABLE, error_responses
from app.integrations.deps import AdaptersDep

router = APIRouter(tags=["registry"])


@router.post(
    "/registry/certificates/bulk",
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
    client: CertificateRegistryClient,
    request: Request,
    session: SessionDep,
    pii: PiiDep,
    adapters: AdaptersDep,
    ip: ClientIp,
    from_line: Annotated[
        int, Query(ge=0, le=2**31 - 1, description="跳过前若干行（续传时取上次报告的 `last_committed_line`）")
    ] = 0,
) -> bulk.NdjsonResponse:
    report = await bulk.load_request(
        session, pii, adapters.storage, request, from_line=from_line, actor_id=client.user_id, ip=ip
    )
    return bulk.NdjsonResponse(report)


@router.put(
    "/registry/certificates/{registry_id}",
    summary="推送一张证照（按登记系统标识新增或更新）",
    description="证照登记系统推送其签发或变更的证照。按 `registry_id` 新增（201）或更新（200）；"
    "`source_version` 须随每次变更递增：低于已存版本的推送不覆盖，返回 200、`applied: false` 及已存版本；"
    "同一推送重复发送不产生任何变更，应答相同。状态（暂扣、注销、过期）即时作用于亮证、扫码与证书查询。"
    "持证人尚未注册的，证照暂存，待其注册后自动归入其“我的证照”。",
    response_model=PushResult,
    responses={
        status.HTTP_201_CREATED: {"model": PushResult, "description": "已新增"},
        **error_responses(
            *CLIENT_ERRORS, registry.CertificateNumberTaken, registry.SourceVersionConflict, *STORAGE_UNAVAILABLE
        ),
    },
)
async def push_certificate(
    registry_id: RegistryId,
    body: CertificatePushBody,
    client: CertificateRegistryClient,
    session: SessionDep,
    pii: PiiDep,
    adapters: AdaptersDep,
    ip: ClientIp,
    response: Response,
) -> PushResult:
    outcome = await registry.push_one(session, pii, adapters.storage, registry_id, body)
    audit.record(
        session,
        "certificate.push",
        "success" if outcome.applied else "ignored",
        actor_id=client.user_id,
        ip=ip,
        object_type="certificate",
        object_id=outcome.certificate_id,
        detail={"registry_id": registry_id, "source_version": body.source_version},
    )
    if outcome.created:
        response.status_code = status.HTTP_201_CREATED
    return outcome.result()


@router.get(
    "/registry/certificates/{registry_id}",
    summary="查询已推送证照的现存内容（对账用）",
    description="返回按 `registry_id` 存储的证照内容、版本与状态，供登记系统对账；不含身份证号码等个人身份信息。",
    response_model=PushedCertificate,
    responses=error_responses(*CLIENT_ERRORS, registry.PushedCertificateNotFound),
)
async def get_pushed_certificate(certificate: PushedCertificateRow) -> PushedCertificate:
    return registry.pushed_certificate(certificate)
