"""An API server killed mid-request (SIGKILL: no clean-up of its own runs) leaves nothing half done.

Killed while receiving an upload: after the restart there is no material, nothing counted
against the quota, no stored object and no temporary file or unfinished multipart upload;
the sweep every worker runs (at start, then every PARTIAL_UPLOAD_MAX_AGE) removes what the
dead process left once nobody has written to it for that long (2 s here).

Killed inside a submit, just before its commit: after the restart the application is still
a whole draft (no number, no timeline entry, no message) and submitting it again works.
"""

import asyncio
from pathlib import Path

import httpx
import pytest

from tests.support.applying import filled_draft, login
from tests.support.database import settings_for_tests
from tests.support.faults import KillableServer, eventually, s3_environment

MIB = 1024 * 1024
BOUNDARY = "----faults7MA4YWxkTrZu0gW"


@pytest.fixture
async def killable(database_kind, prepared_database, tmp_path):
    settings = settings_for_tests(prepared_database(database_kind), tmp_path / "data")
    server = KillableServer(
        {
            "DATABASE_URL": settings.database_url,
            "DATA_DIR": str(settings.data_dir),
            "PARTIAL_UPLOAD_MAX_AGE": "PT2S",
        }
    )
    try:
        yield server
    finally:
        server.stop()


async def _endless_pdf(stop_sending: asyncio.Event, megabytes: int):
    """A multipart body with a large PDF that stops part-way and never ends."""
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="船舶图纸.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()
    for _ in range(megabytes * 4):
        yield b"%" * (MIB // 4)
    await stop_sending.wait()
    yield b"%" * (MIB // 4)  # the server is gone by now: this write fails


def _still_sending(upload: asyncio.Task) -> bool:
    """An upload that ended before the kill can never leave a partial behind: say how it ended."""
    if upload.done():
        outcome = upload.exception() or upload.result().text
        raise AssertionError(f"the upload ended before the server was killed: {outcome!r}")
    return True


class _Store:
    """What a dead upload may leave in one kind of store."""

    def __init__(self, backend: str, server: KillableServer, request) -> None:
        self.backend = backend
        if backend == "local":
            self.files = Path(server.environment["DATA_DIR"]) / "files"
        else:
            self.seaweed = request.getfixturevalue("lone_seaweed")
            self.bucket = request.getfixturevalue("bucket")
            server.environment.update(s3_environment(self.seaweed, self.bucket))

    def partial(self) -> list:
        """Temporary files with data in them, or unfinished multipart uploads with a part stored."""
        if self.backend == "local":
            return [p for p in self.files.rglob("*") if p.is_file() and p.stat().st_size > MIB]
        s3 = self.seaweed.client()
        return [
            upload
            for upload in self.seaweed.unfinished_uploads(self.bucket)
            if s3.list_parts(Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"]).get("Parts")
        ]

    def everything(self) -> list:
        if self.backend == "local":
            return [p for p in self.files.rglob("*") if p.is_file()]
        return [*self.seaweed.keys(self.bucket), *self.seaweed.unfinished_uploads(self.bucket)]


@pytest.mark.parametrize("backend", ["local", "s3"])
async def test_a_server_killed_during_an_upload_leaves_no_material_object_or_partial_file(
    backend, killable, request
):
    store = _Store(backend, killable, request)
    killable.start()
    async with killable.client() as api:
        corp = await login(api, "demo-corp")
        stop_sending = asyncio.Event()
        upload = asyncio.create_task(
            api.post(
                "/me/materials",
                content=_endless_pdf(stop_sending, megabytes=6),  # more than one 5 MiB S3 part
                headers={**corp, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
            )
        )
        await eventually(
            lambda: _still_sending(upload) and store.partial(),
            within=60,
            what="part of the upload reached the store",
        )

        killable.kill()
        stop_sending.set()
        with pytest.raises(httpx.TransportError):
            await asyncio.wait_for(upload, 30)
    assert store.partial(), "the dead process left its partial upload behind"

    killable.start()
    async with killable.client() as api:
        assert (await api.get("/me/materials", headers=corp)).json()["items"] == []
        quota = (await api.get("/me/materials/quota", headers=corp)).json()
        assert (quota["files"], quota["bytes"]) == (0, 0)
    # Once older than PARTIAL_UPLOAD_MAX_AGE, the restarted worker's sweep removes it.
    await eventually(lambda: store.everything() == [], within=30, what="the partial upload was swept")


async def _state(api, headers: dict, application_id: str) -> tuple:
    """Everything a submit changes: status, number, timeline and the applicant's messages."""
    application = (await api.get(f"/applications/{application_id}", headers=headers)).json()
    messages = (await api.get("/me/messages", headers=headers)).json()["items"]
    return (
        application["status"]["code"],
        application["number"] is not None,
        [entry["action"]["code"] for entry in application["timeline"]],
        len([m for m in messages if m["subject_id"] == application_id]),
    )


async def test_a_server_killed_inside_a_submit_leaves_the_application_a_whole_draft(killable, tmp_path):
    # The faulty server pauses inside a submit only, so the draft is made on it too.
    marker = tmp_path / "inside-submit"
    killable.start("tests.support.faults:app_pausing_inside_submit", FAULT_MARKER=str(marker))
    async with killable.client() as api:
        corp = await login(api, "demo-corp")
        body = await filled_draft(api, corp, "WF-002")
        draft = (await api.post("/applications", json=body, headers=corp)).json()
        assert await _state(api, corp, draft["id"]) == ("draft", False, [], 0)
        assert not marker.exists()

        submit = asyncio.create_task(api.post(f"/applications/{draft['id']}/submit", headers=corp))
        await eventually(marker.exists, within=30, what="the submit reached its commit")
        killable.kill()
        with pytest.raises(httpx.TransportError):
            await asyncio.wait_for(submit, 30)

    killable.start()
    async with killable.client() as api:
        assert await _state(api, corp, draft["id"]) == ("draft", False, [], 0)
        again = await api.post(f"/applications/{draft['id']}/submit", headers=corp)
        assert again.status_code == 200, again.text
        assert await _state(api, corp, draft["id"]) == ("submitted", True, ["submit"], 1)
