"""Object storage: where uploaded materials and issued documents keep their bytes."""

from typing import Protocol


class ObjectStorage(Protocol):
    async def check(self) -> None:
        """Raise if the store cannot be written to right now (used by /readyz)."""
