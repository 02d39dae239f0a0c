"""Stored files no material names — a process died between storing a file and recording it, or
a deletion could not reach the store — are found and deleted by the operator's daily sweep."""

import os
import secrets
import time
from datetime import timedelta

from app.cli import main as cli
from app.integrations.storage.base import put_bytes
from app.materials.service import remove_unrecorded_files
from tests.support import files

HOUR = timedelta(hours=1)


async def _upload(api, headers, filename, data):
    response = await api.post("/me/materials", files={"file": (filename, data)}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_sweep_deletes_files_no_material_names_and_keeps_every_recorded_one(
    api, app, session, store, citizen
):
    photo = await _upload(api, citizen, "现场照片.jpg", files.jpeg_with_location())  # stored with a thumbnail
    storage = app.state.adapters.storage
    before = store.keys()  # this photo and its thumbnail, and what earlier tests left in the store
    orphans = {"materials/u-dead/0193a0de-dead-7000-8000-000000000001", "materials/u-dead/0193a0de.thumb.jpg"}
    for key in orphans:
        await put_bytes(storage, key, b"left by a killed process", "application/octet-stream")
    assert orphans <= store.keys()

    assert await remove_unrecorded_files(session, storage, HOUR) == 0  # too young: maybe being recorded
    removed = await remove_unrecorded_files(session, storage, timedelta(0))

    left = store.keys()
    assert not orphans & left and left <= before and removed >= len(orphans)
    for variant in ("original", "thumbnail"):
        response = await api.get(f"/me/materials/{photo['id']}/content?variant={variant}", headers=citizen)
        assert response.status_code == 200, response.text


def test_the_operator_command_deletes_only_files_older_than_a_day_by_default(
    settings, engine, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    from app.core.config import get_settings

    get_settings.cache_clear()
    try:
        owner = settings.files_dir / "materials" / f"u-dead-{secrets.token_hex(4)}"
        owner.mkdir(parents=True)
        for name, age in (("0193a0de-old", 2 * 86400), ("0193a0de-recent", 3600)):
            (owner / name).write_bytes(b"left by a killed process")
            then = time.time() - age
            os.utime(owner / name, (then, then))

        cli(["sweep-orphan-files"])
        assert [p.name for p in owner.iterdir()] == ["0193a0de-recent"]
        cli(["sweep-orphan-files", "--older-than", "PT30M"])
        assert list(owner.iterdir()) == []
        assert capsys.readouterr().out.splitlines() == [
            "removed 1 stored file(s) no material names, stored before 1 day, 0:00:00 ago",
            "removed 1 stored file(s) no material names, stored before 0:30:00 ago",
        ]
    finally:
        get_settings.cache_clear()
