"""The authority's certificate system (船员证书管理系统): which certificates a person holds.

In production the registry pushes to this service (``CERTIFICATE_REGISTRY=push``, see
``app/certificates/registry.py``) and nothing is asked here; development uses the contract's
fake, and ``CERTIFICATE_REGISTRY=none`` runs without one. Both ``push`` and ``none`` use
:class:`~app.integrations.certificate_registry.none.NoCertificateRegistry`.
"""

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class RegistryCertificate:
    type_code: str
    number: str
    agency_code: str
    issued_on: date
    expires_on: date | None
    fields: dict[str, str]


class CertificateRegistry(Protocol):
    async def certificates_of(self, *, name: str, id_number: str) -> list[RegistryCertificate]:
        """The certificates the authority has issued to this person (name and ID number)."""
