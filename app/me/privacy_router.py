"""个人信息保护: consent texts and my consents, 导出我的数据, 注销账号."""

import json
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.accounts.models import User
from app.applications.privacy import ApplicationsInProgress
from app.auth import face
from app.auth.deps import Context, CurrentPrincipal, CurrentUser
from app.core import throttle
from app.core.auth import SIGNED_IN_ERRORS
from app.core.db import SessionDep
from app.core.deps import ClientIp, PiiDep, SettingsDep
from app.core.errors import error_responses
from app.core.throttle import RateLimited
from app.integrations.deps import AdaptersDep, FaceDep
from app.me import service
from app.me.schemas import DataExport
from app.privacy import consents, deletion
from app.privacy.schemas import ConsentGiven, ConsentRead, ConsentTextRead, DeletionRequest
from app.privacy.texts import ConsentPurpose

public_router = APIRouter(prefix="/privacy", tags=["privacy"])
router = APIRouter(prefix="/me", tags=["privacy"])
HOUR = timedelta(hours=1)


@public_router.get(
    "/consent-texts",
    summary="个人信息处理规则（单独同意的文本及版本）",
    description="人脸识别、上传身份证明材料前须展示的文本；同意时回传 `purpose` 与 `version`。",
    response_model=list[ConsentTextRead],
)
async def list_consent_texts() -> list[ConsentTextRead]:
    return consents.texts()


@router.get(
    "/consents",
    summary="我的同意记录（含已撤回的）",
    response_model=list[ConsentRead],
    responses=error_responses(*SIGNED_IN_ERRORS, validation=False),
)
async def list_my_consents(principal: CurrentPrincipal, session: SessionDep) -> list[ConsentRead]:
    return await consents.of_user(session, principal.user_id)


@router.post(
    "/consents",
    summary="单独同意（如上传身份证明材料前）",
    description="`{purpose, version}`：`version` 须为 `GET /privacy/consent-texts` 返回的当前版本。"
    "已有有效同意时返回原记录。",
    status_code=status.HTTP_201_CREATED,
    response_model=ConsentRead,
    responses=error_responses(*SIGNED_IN_ERRORS, consents.ConsentRequired),
)
async def give_consent(
    body: ConsentGiven, principal: CurrentPrincipal, session: SessionDep, ip: ClientIp
) -> ConsentRead:
    return consents.consent_read(await consents.give(session, principal.user_id, body, ip))


@router.delete(
    "/consents/{purpose}",
    summary="撤回同意",
    description="撤回后不再进行相应处理（如不能再上传身份证明材料）；撤回前已进行的处理及其记录不受影响。",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*SIGNED_IN_ERRORS, consents.ConsentNotGiven),
)
async def withdraw_consent(
    purpose: ConsentPurpose, principal: CurrentPrincipal, session: SessionDep, ip: ClientIp
) -> Response:
    await consents.withdraw(session, principal.user_id, purpose, ip)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/export",
    summary="导出我的数据",
    description="本账号的全部个人信息（不脱敏）与办件、材料元数据、证照、纠错、消息、评价、同意记录及登录记录，"
    "以 JSON 文件下载。每个账号每小时限若干次。",
    response_model=DataExport,
    responses={
        200: {"description": "JSON 文件（`Content-Disposition: attachment`）"},
        **error_responses(*SIGNED_IN_ERRORS, RateLimited, validation=False),
    },
)
async def export_my_data(
    user: CurrentUser, session: SessionDep, settings: SettingsDep, pii: PiiDep, ip: ClientIp
) -> Response:
    await throttle.hit(session, f"export:{user.id}", limit=settings.data_exports_per_hour, window=HOUR)
    archive = await service.export_my_data(session, pii, user, ip)
    return Response(
        content=json.dumps(archive.model_dump(mode="json"), ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="my-data-{archive.exported_at:%Y%m%d}.json"',
            "Cache-Control": "no-store",
        },
    )


async def _account_holder(user: CurrentUser) -> User:
    # A dependency, so that the refusal comes before the body is read.
    return deletion.account_holder(user)


@router.post(
    "/deletion",
    summary="注销账号（需人脸识别）",
    description="人脸识别（`purpose: account_deletion`，法人账号为注册时的经办人）通过后，"
    "删除或匿名化本人信息、注销全部登录、删除未被办件使用的材料；依法须留存的办件、通知书、证照和审计记录保留，"
    "但不再关联到本人。有正在受理或审批的办件时不能注销。注销后可使用同一身份重新注册。",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(
        *SIGNED_IN_ERRORS,
        face.FaceSessionInvalid,
        face.FaceMismatch,
        deletion.DeletionNotSelfService,
        ApplicationsInProgress,
    ),
)
async def delete_my_account(
    body: DeletionRequest,
    user: Annotated[User, Depends(_account_holder)],
    context: Context,
    verifier: FaceDep,
    adapters: AdaptersDep,
) -> Response:
    await service.delete_account(context, verifier, adapters.storage, user, body)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
