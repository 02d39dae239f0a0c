"""Request-scoped access to the adapters the lifespan built (``app.state.adapters``).

Here rather than in ``app.core.deps``: ``app.core`` imports nothing outside itself, and the
adapters are this package's. All async on purpose, as in ``app.core.deps``.
"""

from typing import Annotated

from fastapi import Depends, Request

from app.integrations.certificate_registry.base import CertificateRegistry
from app.integrations.face.base import FaceVerifier
from app.integrations.factory import Adapters
from app.integrations.wechat.base import WeChatClient


def adapters_of(request: Request) -> Adapters:
    return request.app.state.adapters


async def _adapters(request: Request) -> Adapters:
    return adapters_of(request)


async def _wechat(adapters: Annotated[Adapters, Depends(_adapters)]) -> WeChatClient:
    return adapters.wechat


async def _face(adapters: Annotated[Adapters, Depends(_adapters)]) -> FaceVerifier:
    return adapters.face


async def _certificate_registry(adapters: Annotated[Adapters, Depends(_adapters)]) -> CertificateRegistry:
    return adapters.certificate_registry


AdaptersDep = Annotated[Adapters, Depends(_adapters)]
WeChatDep = Annotated[WeChatClient, Depends(_wechat)]
FaceDep = Annotated[FaceVerifier, Depends(_face)]
CertificateRegistryDep = Annotated[CertificateRegistry, Depends(_certificate_registry)]
