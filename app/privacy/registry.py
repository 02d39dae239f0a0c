"""The interfaces through which 导出我的数据 and 注销账号 reach the domains above privacy.

Each domain hands in functions for its own rows; privacy iterates them and imports no domain
above it. The composition root (``app.api.wire_domains``) registers them once per process, in
an order that matters for erasure (an application's drafts go before the materials, so that a
material attached only to a deleted draft is no longer in use).
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pii import PersonalDataCipher
from app.integrations.storage.base import ObjectStorage

T = TypeVar("T")
PAGE = 100

# The rows of one section of the archive (a field of the export's schema), for one account.
Exporter = Callable[[AsyncSession, PersonalDataCipher, str], Awaitable[object]]
# Deletes or de-identifies one domain's rows of an account being closed.
Eraser = Callable[[AsyncSession, ObjectStorage, str], Awaitable[None]]
# Raises an AppError when the account may not be closed yet.
DeletionCheck = Callable[[AsyncSession, str], Awaitable[None]]


class NotWired(RuntimeError):
    """Export or deletion before the composition root registered the domains."""


@dataclass
class _Registry:
    wired: bool = False
    exporters: dict[str, Exporter] = field(default_factory=dict)
    erasers: list[Eraser] = field(default_factory=list)
    deletion_checks: list[DeletionCheck] = field(default_factory=list)


_registry = _Registry()


def register(
    *, exporters: Mapping[str, Exporter], erasers: Sequence[Eraser], deletion_checks: Sequence[DeletionCheck]
) -> None:
    """Every domain's functions, in the order they run; calling it again replaces them."""
    _registry.exporters = dict(exporters)
    _registry.erasers = list(erasers)
    _registry.deletion_checks = list(deletion_checks)
    _registry.wired = True


def registered() -> _Registry:
    if not _registry.wired:
        raise NotWired("app.api.wire_domains() has not run in this process")
    return _registry


async def every_page(fetch: Callable[[str | None], Awaitable[tuple[list[T], str | None]]]) -> list[T]:
    """Every item of a paginated list, page after page (for exporters)."""
    items, cursor = [], None
    while True:
        page, cursor = await fetch(cursor)
        items += page
        if cursor is None:
            return items
