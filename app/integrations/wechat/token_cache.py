"""The WeChat access token, kept in the database so that every worker shares one."""

import logging
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, upsert_statement, utcnow
from app.core.errors import ServiceUnavailable

log = logging.getLogger(__name__)


class IntegrationToken(Base):
    __tablename__ = "integration_tokens"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SharedTokenCache:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def get(self, name: str) -> str | None:
        async with self._sessionmaker() as session:
            token = await session.get(IntegrationToken, name)
        return token.value if token is not None and token.expires_at > utcnow() else None

    async def put(self, name: str, value: str, expires_at: datetime) -> None:
        """Share ``value`` with the other workers, if the database lets us now.

        Best effort: the caller holds a valid token either way, and a stable token stays valid
        when another worker fetches its own. On SQLite the request asking for the token may
        itself hold the write lock (a face verification does), so this write could never get it."""
        try:
            async with self._sessionmaker.begin() as session:
                insert = upsert_statement(session, IntegrationToken)
                await session.execute(
                    insert.values(name=name, value=value, expires_at=expires_at).on_conflict_do_update(
                        index_elements=[IntegrationToken.name],
                        set_={"value": insert.excluded.value, "expires_at": insert.excluded.expires_at},
                    )
                )
        except (SQLAlchemyError, ServiceUnavailable):
            log.warning("WeChat access token not shared with other workers this time", exc_info=True)
