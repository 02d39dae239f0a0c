"""No certificate system connected: a person's wallet holds only what this service issues."""

from app.integrations.certificate_registry.base import RegistryCertificate


class NoCertificateRegistry:
    async def certificates_of(self, *, name: str, id_number: str) -> list[RegistryCertificate]:
        return []
