"""What each layer between a request and PostgreSQL costs: 我的办件's two statements (the caller's
open session, twice) in one transaction, 2,000 rounds per way, CPU per round.

Raw asyncpg (as bench/writes/peer.py), SQLAlchemy Core on a connection, Core on an ORM session's
connection, an ORM session, and the ORM session with ``pool_pre_ping``. Starts its own
PostgreSQL 15; run it pinned to one core for steadier figures:

    taskset -c 1 .venv/bin/python bench/writes/layers.py
"""

import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import app.models  # noqa: E402,F401  (every table, for create_all)
from app.accounts.models import User  # noqa: E402
from app.auth.models import AuthSession  # noqa: E402
from app.core.db import Base  # noqa: E402
from tests.support.postgres import ThrowawayPostgres  # noqa: E402

ROUNDS = 2000
RAW = (
    "SELECT users.role, users.agency_code, auth_sessions.created_at, auth_sessions.last_seen_at "
    "FROM users JOIN auth_sessions ON auth_sessions.user_id = users.id WHERE auth_sessions.id = $1 "
    "AND users.id = $2 AND auth_sessions.revoked_at IS NULL AND auth_sessions.expires_at > $3"
)


def open_session():
    return (
        select(User.role, User.agency_code, AuthSession.created_at, AuthSession.last_seen_at)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(
            AuthSession.id == "session",
            User.id == "user",
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > datetime.now(UTC),
        )
    )


async def measure(url: str) -> dict[str, float]:
    engine = create_async_engine(url, pool_size=5)
    pinging = create_async_engine(url, pool_size=5, pool_pre_ping=True)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    pool = await asyncpg.create_pool(url.replace("+asyncpg", ""), min_size=1, max_size=5)

    async def raw() -> None:
        async with pool.acquire() as connection, connection.transaction():
            for _ in range(2):
                await connection.fetchrow(RAW, "session", "user", datetime.now(UTC))

    async def core() -> None:
        async with engine.begin() as connection:
            for _ in range(2):
                (await connection.execute(open_session())).one_or_none()

    sessions = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
    pinging_sessions = async_sessionmaker(pinging, expire_on_commit=False, autoflush=False)

    async def core_on_session() -> None:
        async with sessions() as session:
            connection = await session.connection()
            for _ in range(2):
                (await connection.execute(open_session())).one_or_none()
            await session.commit()

    def orm(maker):
        async def run() -> None:
            async with maker() as session:
                for _ in range(2):
                    (await session.execute(open_session())).one_or_none()
                await session.commit()

        return run

    ways = {
        "raw asyncpg": raw,
        "Core on a connection": core,
        "Core on a session's connection": core_on_session,
        "ORM session": orm(sessions),
        "ORM session, pool_pre_ping": orm(pinging_sessions),
    }
    cpu_us = {}
    for name, way in ways.items():
        for _ in range(200):  # warm: pools, statement caches
            await way()
        started = time.process_time()
        for _ in range(ROUNDS):
            await way()
        cpu_us[name] = round((time.process_time() - started) / ROUNDS * 1e6, 1)
    await pool.close()
    await engine.dispose()
    await pinging.dispose()
    return cpu_us


def main() -> None:
    postgres = ThrowawayPostgres()
    postgres.start()
    try:
        results = asyncio.run(measure(postgres.create_database("msa_layers")))
    finally:
        postgres.stop()
    floor = results["raw asyncpg"]
    for name, cpu in results.items():
        print(f"{name:32s} {cpu:8.1f} µs CPU per round  {cpu / floor:4.1f}× raw")


if __name__ == "__main__":
    main()
