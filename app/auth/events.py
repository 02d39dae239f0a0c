"""What auth announces to the domains above it, which subscribe at start-up.

``app.auth`` sits below the domains whose routes need a signed-in caller, so it cannot call
them: a seafarer or a company that registers receives their certificates (``app.certificates``) and a new
WeChat binding is told to the account (``app.messages``) through these announcements. The
composition root subscribes the domains once per process (``app.api.wire_domains``, called by
``create_app`` and the CLI); announcing before that is a programming error, not a silent loss.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.identity import VerifiedPerson
from app.accounts.models import User
from app.integrations.certificate_registry.base import CertificateRegistry


@dataclass(frozen=True)
class PersonRegistered:
    """A person registered a personal account, their identity proven by a face verification."""

    session: AsyncSession
    user: User
    person: VerifiedPerson
    certificate_registry: CertificateRegistry


@dataclass(frozen=True)
class CompanyRegistered:
    """A company or ship operator registered a corporate account (its credit code is its own)."""

    session: AsyncSession
    user: User


@dataclass(frozen=True)
class WeChatBound:
    """A WeChat identity was just bound to ``user`` (recorded in the audit trail already)."""

    session: AsyncSession
    user: User


PersonRegisteredHook = Callable[[PersonRegistered], Awaitable[None]]
CompanyRegisteredHook = Callable[[CompanyRegistered], Awaitable[None]]
WeChatBoundHook = Callable[[WeChatBound], None]


class NotWired(RuntimeError):
    """An announcement before the composition root subscribed the domains."""


@dataclass
class _Subscribers:
    wired: bool = False
    person_registered: list[PersonRegisteredHook] | None = None
    company_registered: list[CompanyRegisteredHook] | None = None
    wechat_bound: list[WeChatBoundHook] | None = None


_subscribers = _Subscribers()


def subscribe(
    *,
    person_registered: list[PersonRegisteredHook],
    wechat_bound: list[WeChatBoundHook],
    company_registered: list[CompanyRegisteredHook] = (),
) -> None:
    """Every subscriber, in the order they run; calling it again replaces them (idempotent)."""
    _subscribers.person_registered = list(person_registered)
    _subscribers.company_registered = list(company_registered)
    _subscribers.wechat_bound = list(wechat_bound)
    _subscribers.wired = True


def _wired() -> _Subscribers:
    if not _subscribers.wired:
        raise NotWired("app.api.wire_domains() has not run in this process")
    return _subscribers


async def person_registered(event: PersonRegistered) -> None:
    for hook in _wired().person_registered or ():
        await hook(event)


async def company_registered(event: CompanyRegistered) -> None:
    for hook in _wired().company_registered or ():
        await hook(event)


def wechat_bound(event: WeChatBound) -> None:
    for hook in _wired().wechat_bound or ():
        hook(event)
