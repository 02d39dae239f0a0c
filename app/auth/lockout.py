"""Wrong passwords and second-factor codes, counted per account name and source address.

A hard lock of the whole account after a few failures was a weapon (anyone could lock out any
corporate, officer or administrator account, every security administrator included) and an
oracle (423 for existing usernames, 401 for the rest), issue 14 point 5. Instead:

- Failures count per (username as typed, client address): LOGIN_FAILURE_LIMIT of them within
  LOGIN_FAILURE_WINDOW hold that pair for LOGIN_LOCKOUT. The owner signing in from another
  address is not affected.
- Unknown usernames are counted and held exactly like existing ones, and a held pair is refused
  before any password check, so status, code, title, detail and timing are the same whether or
  not the account exists.
- There is no account-wide ceiling: it would give the lock back to anyone with a handful of
  addresses. Guessing from many addresses is bounded by the per-address request limit
  (AUTH_REQUESTS_PER_MINUTE), the failures allowed per address, the password policy, and for
  officers, staff and administrators the second factor.

The counters live in ``throttle_counters`` (shared by every worker); the names are hashed,
so a password typed into the username field is never stored.
"""

import hashlib
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.core import throttle
from app.core.config import Settings
from app.core.db import utcnow

PREFIX = "signin:"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _account(username: str) -> str:
    return f"{PREFIX}{_digest(username.strip().lower())}:"


def _keys(username: str, ip: str) -> tuple[str, str]:
    pair = f"{_account(username)}{_digest(ip)}"
    return f"{pair}:count", f"{pair}:hold"


async def held_until(session: AsyncSession, username: str, ip: str) -> datetime | None:
    """Until when sign-ins to ``username`` from ``ip`` are refused, or None."""
    return await throttle.held_until(session, _keys(username, ip)[1])


async def count_failure(session: AsyncSession, settings: Settings, username: str, ip: str) -> datetime | None:
    """Count a wrong password or code; returns until when the pair is now held, if it is."""
    count_key, hold_key = _keys(username, ip)
    count = await throttle.count_since_first(session, count_key, window=settings.login_failure_window)
    if count < settings.login_failure_limit:
        return None
    until = utcnow() + settings.login_lockout
    await throttle.hold(session, hold_key, until)
    await throttle.forget(session, count_key)
    return until


async def succeeded(session: AsyncSession, username: str, ip: str) -> None:
    """A completed sign-in forgets the failures from its own address."""
    await throttle.forget(session, f"{_account(username)}{_digest(ip)}:")


async def forget_account(session: AsyncSession, username: str | None) -> None:
    """A new password or an administrator's unlock: every address starts again."""
    if username:
        await throttle.forget(session, _account(username))


async def latest_hold(session: AsyncSession, username: str | None) -> datetime | None:
    """The latest time until which some address is held from signing in to ``username``."""
    return await throttle.latest_hold(session, _account(username), ":hold") if username else None
