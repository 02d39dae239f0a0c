"""The authority's registry pushes the certificates it issues and changes (issue #17):
``PUT /registry/certificates/{registry_id}``, and reads back what is stored for reconciliation.
Machine clients with the scope ``certificates:write`` only."""

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from app.audit import service as audit
from app.auth.deps import CertificateRegistryClient
from app.certificates import registry
from app.certificates.schemas import REGISTRY_ID_PATTERN, CertificatePushBody, PushedCertificate, PushResult
from app.core.auth import CLIENT_ERRORS
from app.core.db import SessionDep
from app.core.deps import ClientIp, PiiDep
from app.core.errors import STORAGE_UNAVAILABLE, error_responses
from app.integrations.deps import AdaptersDep

router = APIRouter(tags=["证照登记系统对接"])

RegistryIdPath = Annotated[
    str, Path(pattern=REGISTRY_ID_PATTERN, description="登记系统自己的证照标识（字母、数字、`.` `_` `:` `-`，至多 64 位）")
]


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
    registry_id: RegistryIdPath,
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
async def get_pushed_certificate(
    registry_id: RegistryIdPath, client: CertificateRegistryClient, session: SessionDep
) -> PushedCertificate:
    return await registry.pushed_certificate(session, registry_id)
