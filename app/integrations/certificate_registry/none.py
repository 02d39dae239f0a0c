"""No certificate system to ask: with ``none`` a person's wallet holds only what this service
issues; with ``push`` (production) also what the authority's registry has pushed, which the
registration hooks claim (``app.certificates.registry``) rather than this adapter inventing any."""

from app.integrations.certificate_registry.base import RegistryCertificate


class NoCertificateRegistry:
    async def certificates_of(self, *, name: str, id_number: str) -> list[RegistryCertificate]:
        return []
