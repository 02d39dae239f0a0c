"""The caller's message, already loaded and checked: ``message: OwnedMessage``."""

from typing import Annotated

from fastapi import Depends, Path

from app.auth.deps import CurrentPrincipal
from app.core.db import SessionDep
from app.core.schemas import ID_PATTERN
from app.messages import service
from app.messages.models import Message

MessageId = Annotated[str, Path(pattern=ID_PATTERN)]


async def _owned_message(principal: CurrentPrincipal, session: SessionDep, message_id: MessageId) -> Message:
    """A message to the caller; anyone else's does not exist (404)."""
    return await service.owned_message(session, principal.user_id, message_id)


OwnedMessage = Annotated[Message, Depends(_owned_message)]
