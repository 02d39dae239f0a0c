"""Request-scoped access to what the lifespan built: settings, the PII cipher, the client address.

The adapters' dependencies are in ``app.integrations.deps`` (``app.core`` imports nothing
outside itself).

All async on purpose: FastAPI runs plain functions in a thread pool, which costs a
thread hop per dependency and request. The plain ``…_of(request)`` readers serve the dependencies
every protected route resolves (the caller, the desk): each dependency FastAPI resolves costs a
step of its own, and those read several of these at once.
"""

from typing import Annotated

from fastapi import Depends, Request

from app.core.client_address import normalised
from app.core.config import Settings
from app.core.pii import PersonalDataCipher


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def pii_of(request: Request) -> PersonalDataCipher:
    return request.app.state.pii


def client_ip_of(request: Request) -> str:
    """A well-formed address or ``unknown``: RequestContextMiddleware has already replaced the
    peer by the client behind trusted proxies (app/core/client_address.py)."""
    return normalised(request.client.host if request.client else None)


async def _settings(request: Request) -> Settings:
    return settings_of(request)


async def _pii(request: Request) -> PersonalDataCipher:
    return pii_of(request)


async def _client_ip(request: Request) -> str:
    return client_ip_of(request)


SettingsDep = Annotated[Settings, Depends(_settings)]
PiiDep = Annotated[PersonalDataCipher, Depends(_pii)]
ClientIp = Annotated[str, Depends(_client_ip)]
