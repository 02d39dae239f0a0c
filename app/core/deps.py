"""Request-scoped access to what the lifespan built: settings, adapters, the PII cipher.

All async on purpose: FastAPI runs plain functions in a thread pool, which costs a
thread hop per dependency and request.
"""

from typing import Annotated

from fastapi import Depends, Request

from app.core.client_address import normalised
from app.core.config import Settings
from app.core.pii import PersonalDataCipher
from app.integrations.certificate_registry.base import CertificateRegistry
from app.integrations.face.base import FaceVerifier
from app.integrations.factory import Adapters
from app.integrations.wechat.base import WeChatClient


async def _settings(request: Request) -> Settings:
    return request.app.state.settings


async def _adapters(request: Request) -> Adapters:
    return request.app.state.adapters


async def _pii(request: Request) -> PersonalDataCipher:
    return request.app.state.pii


async def _client_ip(request: Request) -> str:
    """A well-formed address or ``unknown``: RequestContextMiddleware has already replaced the
    peer by the client behind trusted proxies (app/core/client_address.py)."""
    return normalised(request.client.host if request.client else None)


async def _wechat(adapters: Annotated[Adapters, Depends(_adapters)]) -> WeChatClient:
    return adapters.wechat


async def _face(adapters: Annotated[Adapters, Depends(_adapters)]) -> FaceVerifier:
    return adapters.face


async def _certificate_registry(adapters: Annotated[Adapters, Depends(_adapters)]) -> CertificateRegistry:
    return adapters.certificate_registry


SettingsDep = Annotated[Settings, Depends(_settings)]
AdaptersDep = Annotated[Adapters, Depends(_adapters)]
PiiDep = Annotated[PersonalDataCipher, Depends(_pii)]
ClientIp = Annotated[str, Depends(_client_ip)]
WeChatDep = Annotated[WeChatClient, Depends(_wechat)]
FaceDep = Annotated[FaceVerifier, Depends(_face)]
CertificateRegistryDep = Annotated[CertificateRegistry, Depends(_certificate_registry)]
