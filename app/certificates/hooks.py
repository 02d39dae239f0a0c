"""What certificates does when auth announces something (subscribed in ``app.api.wire_domains``)."""

from app.auth.events import PersonRegistered
from app.certificates.service import receive_from_registry


async def person_registered(event: PersonRegistered) -> None:
    """A seafarer finds the certificates the authority holds for them in 我的证照 at once."""
    await receive_from_registry(
        event.session,
        event.certificate_registry,
        event.user,
        name=event.person.name,
        id_number=event.person.id_number,
    )
