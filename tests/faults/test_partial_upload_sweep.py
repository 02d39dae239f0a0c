"""Sweeping partial uploads: what a dead process left behind goes, what a live one writes stays.

Several workers share one store, so the sweep only removes what nobody has touched for
longer than an upload can take (PARTIAL_UPLOAD_MAX_AGE), and on S3 only multipart uploads
under the keys this service writes.
"""

import asyncio
import os
import time
from datetime import timedelta

from app.cli import main as cli
from app.integrations.storage.local import LocalStorage
from tests.support.faults import s3_storage

HOUR = timedelta(hours=1)
PART = 5 * 1024 * 1024


def _age(path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


async def test_the_local_sweep_removes_only_temporary_files_untouched_for_longer_than_the_limit(tmp_path):
    storage = LocalStorage(tmp_path / "files")
    chunk = b"x" * 65536  # as uploads arrive: each chunk reaches the file at once
    abandoned = storage.writer("materials/u1/a", "application/pdf")
    live = storage.writer("materials/u1/b", "application/pdf")
    await abandoned.write(chunk)
    await live.write(chunk)
    stored = storage.writer("materials/u1/c", "application/pdf")
    await stored.write(chunk)
    await stored.commit()
    for path in [*storage.partial_dir.iterdir(), storage.path("materials/u1/c")]:
        _age(path, 2 * 3600)
    await live.write(chunk)  # the live upload goes on; the abandoned one's process is gone

    assert await storage.sweep_partial_uploads(HOUR) == 1

    assert len(list(storage.partial_dir.iterdir())) == 1
    assert storage.path("materials/u1/c").read_bytes() == chunk
    await live.commit()
    assert storage.path("materials/u1/b").read_bytes() == chunk * 2


async def test_the_s3_sweep_aborts_old_multipart_uploads_of_this_service_only(lone_seaweed, bucket):
    storage = s3_storage(lone_seaweed, bucket)
    s3 = lone_seaweed.client()
    ours = s3.create_multipart_upload(Bucket=bucket, Key="materials/u1/abandoned")
    s3.upload_part(
        Bucket=bucket, Key="materials/u1/abandoned", UploadId=ours["UploadId"], PartNumber=1, Body=b"x" * PART
    )
    theirs = s3.create_multipart_upload(Bucket=bucket, Key="backups/nightly.tar")

    # Just begun: a live upload of another worker, left alone.
    assert await storage.sweep_partial_uploads(HOUR) == 0
    assert {u["Key"] for u in lone_seaweed.unfinished_uploads(bucket)} == {
        "materials/u1/abandoned",
        "backups/nightly.tar",
    }

    await asyncio.sleep(1.1)
    assert await storage.sweep_partial_uploads(timedelta(seconds=1)) == 1

    assert [u["UploadId"] for u in lone_seaweed.unfinished_uploads(bucket)] == [theirs["UploadId"]]
    assert lone_seaweed.keys(bucket) == set()


def test_the_operator_command_sweeps_with_the_configured_or_the_given_age(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    from app.core.config import get_settings

    get_settings.cache_clear()
    try:
        partial = tmp_path / "files" / ".partial"
        partial.mkdir(parents=True)
        for name, age in (("upload-old", 2 * 3600), ("upload-recent", 120)):
            (partial / name).write_bytes(b"half")
            _age(partial / name, age)

        cli(["sweep-uploads"])
        assert sorted(p.name for p in partial.iterdir()) == ["upload-recent"]
        cli(["sweep-uploads", "--older-than", "PT1M"])
        assert list(partial.iterdir()) == []
        assert capsys.readouterr().out.splitlines() == [
            "removed 1 partial upload(s) untouched for 1:00:00",
            "removed 1 partial upload(s) untouched for 0:01:00",
        ]
    finally:
        get_settings.cache_clear()
