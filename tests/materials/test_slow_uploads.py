"""A material sent slowly, as from a phone on a poor connection, while others keep working."""

import asyncio

from tests.support import files
from tests.support.applying import login

BOUNDARY = "----slowUpload9f3b2c"


async def _sent_in_two_halves(halfway: asyncio.Event, go_on: asyncio.Event):
    document = files.pdf(100 * 1024)
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="船员证书.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + document[:1024]
    halfway.set()
    await go_on.wait()
    yield document[1024:] + f"\r\n--{BOUNDARY}--\r\n".encode()


def _slow_upload(api, headers: dict, halfway: asyncio.Event, go_on: asyncio.Event) -> asyncio.Task:
    return asyncio.create_task(
        api.post(
            "/me/materials",
            content=_sent_in_two_halves(halfway, go_on),
            headers={**headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        )
    )


async def test_a_slow_upload_is_kept_while_others_change_data_meanwhile(two_workers):
    _, (phone, desk) = two_workers
    corp, other = await login(phone, "demo-corp"), await login(desk, "demo-corp")
    halfway, go_on = asyncio.Event(), asyncio.Event()
    upload = _slow_upload(phone, corp, halfway, go_on)
    await asyncio.wait_for(halfway.wait(), 30)

    # Mid-upload, the same company keeps working from another worker: nothing waits for the upload.
    drafts = [
        await asyncio.wait_for(
            desk.post("/applications", json={"item_code": "WF-002", "agency_code": "SH"}, headers=other), 10
        )
        for _ in range(3)
    ]
    go_on.set()
    uploaded = await asyncio.wait_for(upload, 30)

    assert [d.status_code for d in drafts] == [201] * 3
    assert uploaded.status_code == 201, uploaded.text
    listed = (await desk.get("/me/materials", headers=other)).json()["items"]
    assert [m["name"] for m in listed] == ["船员证书.pdf"]


async def test_a_slow_upload_that_no_longer_fits_the_quota_is_refused_and_nothing_is_kept(two_workers):
    apps, (phone, desk) = two_workers
    for app in apps:
        app.state.settings = app.state.settings.model_copy(update={"material_quota_bytes": 150 * 1024})
    corp, other = await login(phone, "demo-corp"), await login(desk, "demo-corp")
    halfway, go_on = asyncio.Event(), asyncio.Event()
    upload = _slow_upload(phone, corp, halfway, go_on)
    await asyncio.wait_for(halfway.wait(), 30)

    # While the first one streams, a second upload of the same company fills most of the quota.
    quick = await desk.post(
        "/me/materials", files={"file": ("船舶图纸.pdf", files.pdf(100 * 1024))}, headers=other
    )
    go_on.set()
    refused = await asyncio.wait_for(upload, 30)

    assert quick.status_code == 201, quick.text
    assert (refused.status_code, refused.json()["code"]) == (413, "material.quota_exceeded")
    listed = (await desk.get("/me/materials", headers=other)).json()["items"]
    assert [m["name"] for m in listed] == ["船舶图纸.pdf"]
    stored = [
        p for p in apps[0].state.settings.files_dir.rglob("*") if p.is_file() and ".readyz" not in p.name
    ]
    assert len(stored) == 1, stored
