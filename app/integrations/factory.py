"""The one place where settings choose which implementation of each adapter runs."""

from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.integrations.certificate_registry.base import CertificateRegistry
from app.integrations.certificate_registry.fake import FakeCertificateRegistry
from app.integrations.certificate_registry.none import NoCertificateRegistry
from app.integrations.face.base import FaceVerifier
from app.integrations.face.fake import FakeFaceVerifier
from app.integrations.face.wechat import WeChatFaceVerifier
from app.integrations.storage.base import ObjectStorage
from app.integrations.storage.local import LocalStorage
from app.integrations.storage.s3 import S3Storage
from app.integrations.wechat.base import WeChatClient
from app.integrations.wechat.client import WeChatApiClient
from app.integrations.wechat.fake import FakeWeChatClient
from app.integrations.wechat.token_cache import SharedTokenCache


@dataclass
class Adapters:
    storage: ObjectStorage
    wechat: WeChatClient
    face: FaceVerifier
    certificate_registry: CertificateRegistry
    http: httpx.AsyncClient

    async def close(self) -> None:
        await self.http.aclose()


def build_adapters(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> Adapters:
    http = httpx.AsyncClient(base_url=settings.wechat_api_base, timeout=settings.wechat_timeout_seconds)
    real_wechat = WeChatApiClient(
        http,
        app_id=settings.wechat_app_id,
        app_secret=settings.wechat_app_secret.get_secret_value(),
        token_cache=SharedTokenCache(sessionmaker),
    )
    return Adapters(
        storage=build_storage(settings),
        wechat=real_wechat if settings.wechat_adapter == "real" else FakeWeChatClient(),
        face=WeChatFaceVerifier(real_wechat) if settings.face_adapter == "real" else FakeFaceVerifier(),
        certificate_registry=(
            FakeCertificateRegistry() if settings.certificate_registry == "fake" else NoCertificateRegistry()
        ),
        http=http,
    )


def build_storage(settings: Settings) -> ObjectStorage:
    if settings.storage_backend == "local":
        return LocalStorage(settings.files_dir)
    return S3Storage(
        bucket=settings.s3_bucket,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=settings.s3_secret_access_key.get_secret_value()
        if settings.s3_secret_access_key
        else None,
        part_size=settings.s3_part_size,
        presign_ttl_seconds=int(settings.s3_presign_ttl.total_seconds())
        if settings.s3_presign_downloads
        else None,
    )
