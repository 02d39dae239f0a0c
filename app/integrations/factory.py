"""The one place where settings choose which implementation of each adapter runs."""

from dataclasses import dataclass

from app.core.config import Settings
from app.integrations.storage.base import ObjectStorage
from app.integrations.storage.local import LocalStorage


@dataclass(frozen=True)
class Adapters:
    storage: ObjectStorage


def build_adapters(settings: Settings) -> Adapters:
    return Adapters(storage=LocalStorage(settings.files_dir))
