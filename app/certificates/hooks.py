"""What certificates does when auth announces something (subscribed in ``app.api.wire_domains``)."""

from app.auth.events import CompanyRegistered, PersonRegistered
from app.certificates import registry
from app.certificates.service import receive_from_registry


async def person_registered(event: PersonRegistered) -> None:
    """A seafarer finds the certificates the authority holds for them in 我的证照 at once: those
    its registry pushed before they registered, or (``fake``) those the adapter hands over."""
    await registry.claim_for_person(event.session, event.user.id)
    await receive_from_registry(
        event.session,
        event.certificate_registry,
        event.user,
        name=event.person.name,
        id_number=event.person.id_number,
    )


async def company_registered(event: CompanyRegistered) -> None:
    """A company finds the certificates pushed for its credit code (ships', licences …)."""
    await registry.claim_for_company(event.session, event.user.id)
