"""The authority's certificate system (船员证书管理系统): which certificates a person holds.

That system is external and offers no interface to this project, so no HTTP adapter exists
yet: development uses the contract's fake, and ``CERTIFICATE_REGISTRY=none`` runs without
one. A real adapter implements :class:`CertificateRegistry` and is chosen in
``app/integrations/factory.py``.
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
