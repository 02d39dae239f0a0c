"""The object store goes away: uploads and downloads are 503, nothing is recorded, and it heals.

An upload while the S3 store is unreachable is answered 503 `storage.unavailable`: no
material appears in 我的材料 and nothing counts against the quota. Downloading a material
is a 503 as well (never a 200 cut short, never a 500). When the store is back, the same
service uploads and serves files again without a restart.
"""

import asyncio

import pytest

from tests.support import files
from tests.support.faults import TEST_BUDGET_S, assert_unavailable, s3_storage
from tests.support.people import bearer, password_login


@pytest.fixture
def corp_on_s3(app, lone_seaweed, bucket):
    app.state.adapters.storage = s3_storage(lone_seaweed, bucket)


async def _upload(api, headers, name: str):
    return await api.post(
        "/me/materials", files={"file": (f"{name}.pdf", files.pdf(4096), "application/pdf")}, headers=headers
    )


async def test_while_the_object_store_is_down_uploads_and_downloads_are_503_and_nothing_is_recorded(
    api, client, corp_on_s3, lone_seaweed, bucket
):
    async with asyncio.timeout(TEST_BUDGET_S):
        corp = bearer(await password_login(api, "demo-corp"))
        before = (await api.get("/me/materials/quota", headers=corp)).json()
        kept = await _upload(api, corp, "船舶国籍证书")
        assert kept.status_code == 201, kept.text
        content = f"/me/materials/{kept.json()['id']}/content"

        await asyncio.to_thread(lone_seaweed.pause)
        try:
            assert_unavailable(await _upload(api, corp, "检验证书"), "storage.unavailable")
            assert_unavailable(await api.get(content, headers=corp), "storage.unavailable")
            listed = (await api.get("/me/materials", headers=corp)).json()["items"]
            assert [m["id"] for m in listed] == [kept.json()["id"]]
            quota = (await api.get("/me/materials/quota", headers=corp)).json()
            assert (quota["files"], quota["bytes"]) == (before["files"] + 1, before["bytes"] + 4096)
            ready = await client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["checks"]["storage"] == "unavailable"
        finally:
            await asyncio.to_thread(lone_seaweed.start)

        served = await api.get(content, headers=corp)
        assert served.status_code == 200 and served.content == files.pdf(4096)
        again = await _upload(api, corp, "检验证书")
        assert again.status_code == 201, again.text
        # The two stored PDFs, and nothing of the upload that failed.
        assert len(lone_seaweed.keys(bucket)) == 2
        assert lone_seaweed.unfinished_uploads(bucket) == []
