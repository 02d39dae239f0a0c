"""我的证照, 亮证, 证照纠错 and 我的纠错 (manual §3.3.4), 执法人员扫码, the staff's correction queue,
证书查询, and the JWKS that lets officers' devices verify QR codes offline."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import StreamingResponse

from app.auth.deps import AuditTrailDep, CurrentPrincipal, Officer, Staff
from app.certificates import corrections, display, service, signing_keys
from app.certificates.deps import (
    OwnedCertificate,
    StaffCorrection,
    StaffCorrectionForUpdate,
    StaffCorrectionMaterial,
)
from app.certificates.models import CorrectionStatus
from app.certificates.schemas import (
    CertificateCard,
    CertificateDetail,
    CertificateLookup,
    CertificateLookupResult,
    CorrectionCreate,
    CorrectionDecision,
    CorrectionRead,
    DisplayToken,
    JwkSet,
    PublicJwk,
    ScannedCertificate,
    ScanRequest,
    StaffCorrectionRead,
)
from app.certificates.types import CertificateType
from app.core.auth import ROLE_ERRORS, SIGNED_IN_ERRORS
from app.core.db import SessionDep
from app.core.deps import ClientIp, PiiDep, SettingsDep
from app.core.errors import STORAGE_UNAVAILABLE, error_responses
from app.core.pagination import DEFAULT_LIMIT, Cursor, InvalidCursor, Limit
from app.core.schemas import Page
from app.core.throttle import RateLimited
from app.integrations.deps import AdaptersDep
from app.materials.responses import CONTENT_RESPONSES, material_content
from app.materials.service import MaterialNotFound

router = APIRouter()
well_known_router = APIRouter(tags=["officer"])

WALLET, CHECKS, REVIEW, PUBLIC = ["certificates"], ["officer"], ["staff-corrections"], ["public"]


@router.get(
    "/me/certificates",
    tags=WALLET,
    summary="我的证照（最新签发在前，可按类型筛选）",
    description="个人中心的证照轮播与“全部”证照页面使用同一列表。",
    response_model=Page[CertificateCard],
    responses=error_responses(*SIGNED_IN_ERRORS, InvalidCursor),
)
async def list_my_certificates(
    principal: CurrentPrincipal,
    session: SessionDep,
    type_code: Annotated[CertificateType | None, Query(alias="type", description="证照类型")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[CertificateCard]:
    items, next_cursor = await service.list_certificates(
        session, principal.user_id, type_code=type_code, cursor=cursor, limit=limit
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/me/certificates/{certificate_id}",
    tags=WALLET,
    summary="证照详情（含扫码核验记录）",
    response_model=CertificateDetail,
    responses=error_responses(*SIGNED_IN_ERRORS, service.CertificateNotFound, *STORAGE_UNAVAILABLE),
)
async def get_my_certificate(
    session: SessionDep, certificate: OwnedCertificate, adapters: AdaptersDep
) -> CertificateDetail:
    return await service.detail_of(session, certificate, adapters.storage)


@router.post(
    "/me/certificates/{certificate_id}/display-token",
    tags=WALLET,
    summary="亮证：生成 2 分钟内有效的签名二维码",
    description="返回 ES256 签名的 JWS 及其二维码（SVG）。执法人员扫码后调用 `POST /officer/scans` 核验，"
    "或使用 `/.well-known/jwks.json` 中的公钥离线验证。仅有效（含即将到期）的船员证照可以亮证，"
    "已暂扣、已注销、已过期的不能亮证。",
    response_model=DisplayToken,
    responses=error_responses(
        *SIGNED_IN_ERRORS,
        service.CertificateNotFound,
        display.CertificateNotDisplayable,
        display.CertificateRevoked,
    ),
)
async def issue_display_token(
    session: SessionDep, settings: SettingsDep, pii: PiiDep, certificate: OwnedCertificate
) -> DisplayToken:
    return await display.display_token(session, settings, pii, certificate)


@router.post(
    "/me/certificates/{certificate_id}/corrections",
    tags=WALLET,
    summary="证照纠错",
    description="对船员证照的一个项目申请更正；可纠错的项目见证照详情的 `correctable_fields`。",
    status_code=status.HTTP_201_CREATED,
    response_model=CorrectionRead,
    responses=error_responses(
        *SIGNED_IN_ERRORS,
        service.CertificateNotFound,
        corrections.CertificateNotCorrectable,
        corrections.CorrectionPending,
    ),
)
async def request_correction(
    body: CorrectionCreate, session: SessionDep, certificate: OwnedCertificate
) -> CorrectionRead:
    return await corrections.request_correction(session, certificate, body)


@router.get(
    "/me/corrections",
    tags=WALLET,
    summary="我的纠错（最新在前）",
    response_model=Page[CorrectionRead],
    responses=error_responses(*SIGNED_IN_ERRORS, InvalidCursor),
)
async def list_my_corrections(
    principal: CurrentPrincipal, session: SessionDep, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> Page[CorrectionRead]:
    items, next_cursor = await corrections.my_corrections(
        session, principal.user_id, cursor=cursor, limit=limit
    )
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/officer/scans",
    tags=CHECKS,
    summary="执法人员扫码核验证照",
    description="核验亮证二维码的签名、有效期与签名密钥，并返回证照的当前状态。亮证之后才被注销或暂扣的证照，"
    "其二维码扫码即为已注销或已暂扣。每次扫码（包括失败的）都会被记录。",
    response_model=ScannedCertificate,
    responses=error_responses(
        *ROLE_ERRORS,
        display.DisplayTokenInvalid,
        display.DisplayTokenExpired,
        display.DisplayTokenUnknownKey,
        display.CertificateRevoked,
        display.CertificateSuspended,
        *STORAGE_UNAVAILABLE,
    ),
)
async def scan_display_code(
    body: ScanRequest,
    officer: Officer,
    session: SessionDep,
    settings: SettingsDep,
    ip: ClientIp,
    adapters: AdaptersDep,
) -> ScannedCertificate:
    return await display.scan(session, settings, officer, body.token, ip=ip, storage=adapters.storage)


@router.get(
    "/staff/corrections",
    tags=REVIEW,
    summary="证照纠错待办（本机构及下级机构签发的证照，先到先办）",
    response_model=Page[StaffCorrectionRead],
    responses=error_responses(*ROLE_ERRORS, InvalidCursor),
)
async def list_staff_corrections(
    staff: Staff,
    session: SessionDep,
    trail: AuditTrailDep,
    status: Annotated[CorrectionStatus | None, Query(description="按处理状态筛选")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[StaffCorrectionRead]:
    items, next_cursor = await corrections.correction_queue(
        session, staff, status=status, cursor=cursor, limit=limit
    )
    # The queue shows the certificates' current values (a birth date, say): who saw which.
    trail.record("certificate.correction_queue_view", detail={"correction_ids": [item.id for item in items]})
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/staff/corrections/{correction_id}",
    tags=REVIEW,
    summary="纠错详情（证照、纠错项目与理由、证明材料、处理结果）",
    description="工作台打开一条纠错待办时使用；查看行为记入审计日志。",
    response_model=StaffCorrectionRead,
    responses=error_responses(*ROLE_ERRORS, corrections.CorrectionNotFound),
)
async def get_staff_correction(correction: StaffCorrection, trail: AuditTrailDep) -> StaffCorrectionRead:
    # Like the queue, it shows the certificate's current value (a birth date, say): who saw which.
    trail.record("certificate.correction_view", object_type="certificate_correction", object_id=correction.id)
    return corrections.staff_read(correction)


@router.post(
    "/staff/corrections/{correction_id}/decisions",
    tags=REVIEW,
    summary="处理证照纠错（予以更正或不予更正）",
    description="予以更正时证照内容随即更新并记录更正前的内容；不予更正须填写原因。持证人会收到消息。",
    response_model=StaffCorrectionRead,
    responses=error_responses(*ROLE_ERRORS, corrections.CorrectionNotFound, corrections.CorrectionDecided),
)
async def decide_staff_correction(
    body: CorrectionDecision,
    staff: Staff,
    session: SessionDep,
    ip: ClientIp,
    correction: StaffCorrectionForUpdate,
) -> StaffCorrectionRead:
    return await corrections.decide(session, staff, correction, body, ip=ip)


@router.get(
    "/staff/corrections/{correction_id}/materials/{material_id}/content",
    tags=REVIEW,
    summary="查看纠错证明材料",
    response_class=StreamingResponse,
    responses={
        **CONTENT_RESPONSES,
        **error_responses(
            *ROLE_ERRORS, corrections.CorrectionNotFound, MaterialNotFound, *STORAGE_UNAVAILABLE
        ),
    },
)
async def get_staff_correction_material(
    adapters: AdaptersDep,
    correction: StaffCorrection,
    material: StaffCorrectionMaterial,
    trail: AuditTrailDep,
) -> Response:
    trail.record(
        "certificate.correction_material_download",
        object_type="certificate_correction",
        object_id=correction.id,
        detail={"material_id": material.id},
    )
    return await material_content(adapters.storage, material)


@router.post(
    "/public/certificate-lookup",
    tags=PUBLIC,
    summary="证书查询",
    description="凭证书编号与持证人姓名（单位证书为单位名称）查询证书的类型、有效期与签发机关。"
    "编号不存在与姓名不符的答复相同。按来源地址限制查询频率；同一来源地址对同一证书编号每天查询不符的"
    "次数另有上限，其他地址的错误查询不影响正确查询。",
    response_model=CertificateLookupResult,
    responses=error_responses(service.CertificateLookupFailed, RateLimited),
)
async def certificate_lookup(
    body: CertificateLookup, session: SessionDep, settings: SettingsDep, ip: ClientIp
) -> CertificateLookupResult:
    return await service.lookup(session, settings, ip, body)


@well_known_router.get(
    "/.well-known/jwks.json",
    summary="亮证二维码验证公钥（JWKS）",
    description="执法终端可缓存此文档离线验证亮证二维码；遇到未知的 `kid` 时应重新获取。",
    response_model=JwkSet,
)
async def get_display_jwks(session: SessionDep, pii: PiiDep, response: Response) -> JwkSet:
    # Short enough that a rotated-in key reaches cached verifiers well within a token's lifetime.
    response.headers["Cache-Control"] = "public, max-age=60"
    keys = await signing_keys.published_keys(session, pii)
    return JwkSet(keys=[PublicJwk.model_validate(key.public_jwk) for key in keys])
