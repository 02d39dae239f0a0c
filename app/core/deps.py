"""Request-scoped access to what the lifespan built: settings, the PII cipher, the client address.

The adapters' dependencies are in ``app.integrations.deps`` (``app.core`` imports nothing
outside itself).

All async on purpose: FastAPI runs plain functions in a thread pool, which costs a
thread hop per dependency and request.
"""

from typing import Annotated

from fastapi import Depends, Request

from app.core.client_address import normalised
from app.core.config import Settings
from app.core.pii import PersonalDataCipher


async def _settings(request: Request) -> Settings:
    return request.app.state.settings


async def _pii(request: Request) -> PersonalDataCipher:
    return request.app.state.pii


async def _client_ip(request: Request) -> str:
    """A well-formed address or ``unknown``: RequestContextMiddleware has already replaced the
    peer by the client behind trusted proxies (app/core/client_address.py)."""
    return normalised(request.client.host if request.client else None)


SettingsDep = Annotated[Settings, Depends(_settings)]
PiiDep = Annotated[PersonalDataCipher, Depends(_pii)]
ClientIp = Annotated[str, Depends(_client_ip)]
