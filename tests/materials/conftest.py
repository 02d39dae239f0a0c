"""Materials run on both stores: local files and a real S3-compatible server (SeaweedFS)."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from app.materials.models import Material
from tests.support.faults import s3_storage
from tests.support.seaweed import ThrowawaySeaweed


@pytest.fixture(scope="session")
def seaweed():
    server = ThrowawaySeaweed()
    server.start()
    yield server
    server.stop()


@dataclass
class StoreProbe:
    kind: str
    keys: Callable[[], set[str]]


@pytest.fixture(params=["local", "s3"])
def store(request, app, settings) -> StoreProbe:
    if request.param == "local":
        root = settings.files_dir
        return StoreProbe(
            "local",
            lambda: {
                str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".readyz" not in p.name
            },
        )
    server: ThrowawaySeaweed = request.getfixturevalue("seaweed")
    app.state.adapters.storage = s3_storage(server, server.bucket)
    return StoreProbe("s3", server.keys)



@pytest.fixture
async def nothing_left_behind(store, session):
    """Asserts, after the test, that storage and the materials table are as before."""
    keys_before = store.keys()
    rows_before = await session.scalar(select(func.count()).select_from(Material))
    yield
    assert store.keys() == keys_before
    assert await session.scalar(select(func.count()).select_from(Material)) == rows_before
