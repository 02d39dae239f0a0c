"""我的材料 (manual §3.3.5): 上传图片, 上传文件, 查看, 删除 — on local files and on S3."""

import io
from urllib.parse import quote

import pytest
from PIL import Image

from tests.support import files
from tests.support.people import bearer, password_login


async def upload(api, headers, filename, data, **form):
    return await api.post(
        "/me/materials",
        files={"file": (filename, data, "application/octet-stream")},
        data=form,
        headers=headers,
    )


@pytest.mark.parametrize(
    ("name", "data", "file_type"),
    [
        ("营业执照.pdf", files.pdf(), "pdf"),
        ("现场照片.jpg", files.jpeg_with_location(), "jpeg"),
        ("截图.png", files.png(), "png"),
        ("申请书.docx", files.docx(), "docx"),
        ("船舶清单.xlsx", files.xlsx(), "xlsx"),
        ("电子证照.ofd", files.ofd(), "ofd"),
        ("旧版申请书.doc", files.ole2(), "doc"),
        ("旧版清单.xls", files.ole2(), "xls"),
    ],
)
async def test_a_user_uploads_each_supported_kind_of_file(api, store, citizen, name, data, file_type):
    response = await upload(api, citizen, name, data)

    assert response.status_code == 201, response.text
    material = response.json()
    assert (material["name"], material["file_type"]) == (name, file_type)
    # A photo's location is cut out of its metadata, so it may shrink; nothing else changes.
    assert material["size"] == len(data) if file_type != "jpeg" else material["size"] < len(data)
    listed = (await api.get("/me/materials", headers=citizen)).json()["items"]
    assert listed[0]["id"] == material["id"]


async def test_the_material_is_served_back_with_its_type_and_chinese_name(api, store, citizen):
    data = files.pdf(300_000)
    material = (await upload(api, citizen, "船舶国籍证书.pdf", data)).json()

    response = await api.get(f"/me/materials/{material['id']}/content", headers=citizen)

    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert f"filename*=UTF-8''{quote('船舶国籍证书.pdf')}" in response.headers["content-disposition"]


async def test_photos_lose_their_location_and_get_a_thumbnail(api, store, citizen):
    material = (await upload(api, citizen, "photo.jpg", files.jpeg_with_location())).json()
    assert material["has_thumbnail"] is True

    stored = (await api.get(f"/me/materials/{material['id']}/content", headers=citizen)).content
    thumbnail = await api.get(f"/me/materials/{material['id']}/content?variant=thumbnail", headers=citizen)

    with Image.open(io.BytesIO(stored)) as image:
        # The position goes, and with it the rest of the EXIF (camera, time): the photo is upright.
        assert dict(image.getexif()) == {}
        assert image.size == (640, 480)
    with Image.open(io.BytesIO(thumbnail.content)) as small:
        assert max(small.size) <= 320


async def test_a_large_file_streams_through_in_parts(api, store, citizen, app):
    data = files.pdf(12 * 1024 * 1024)

    material = (await upload(api, citizen, "大文件.pdf", data)).json()

    assert material["size"] == len(data)
    assert (await api.get(f"/me/materials/{material['id']}/content", headers=citizen)).content == data


async def test_the_name_field_names_the_material(api, store, citizen):
    response = await upload(api, citizen, "tmp_8a7f.pdf", files.pdf(), name="  通航安全评估报告 ")

    assert response.json()["name"] == "通航安全评估报告.pdf"


async def test_deleting_removes_the_material_and_its_bytes(api, store, citizen):
    before = store.keys()
    material = (await upload(api, citizen, "photo.jpg", files.jpeg_with_location())).json()
    assert len(store.keys() - before) == 2  # the photo and its thumbnail

    assert (await api.delete(f"/me/materials/{material['id']}", headers=citizen)).status_code == 204

    assert store.keys() == before
    assert (await api.get(f"/me/materials/{material['id']}/content", headers=citizen)).status_code == 404


async def test_another_users_material_does_not_exist_for_me(api, store, citizen):
    material = (await upload(api, citizen, "a.pdf", files.pdf())).json()
    other = bearer(await password_login(api, "demo-corp"))

    for response in (
        await api.get(f"/me/materials/{material['id']}/content", headers=other),
        await api.delete(f"/me/materials/{material['id']}", headers=other),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "material.not_found"
    assert material["id"] not in [
        m["id"] for m in (await api.get("/me/materials", headers=other)).json()["items"]
    ]


async def test_a_retried_upload_with_the_same_key_creates_one_material(api, store, citizen, session):
    headers = {**citizen, "Idempotency-Key": "upload-0001-retry"}
    before = store.keys()

    first = await upload(api, headers, "a.pdf", files.pdf())
    again = await upload(api, headers, "a.pdf", files.pdf())

    assert again.status_code == 201
    assert again.json() == first.json()
    assert len(store.keys() - before) == 1
    different = await upload(api, headers, "b.pdf", files.pdf(4096))
    assert different.status_code == 422
    assert different.json()["code"] == "idempotency.key_reused"
    assert len(store.keys() - before) == 1


async def test_officers_have_no_materials(api):
    officer = bearer(await password_login(api, "demo-officer"))

    assert (await api.get("/me/materials", headers=officer)).status_code == 403


@pytest.mark.parametrize("name_first", [True, False])
async def test_the_name_part_may_come_before_or_after_the_file_in_one_chunk(api, store, citizen, name_first):
    boundary = "----msa-order-test"
    name_part = f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n检验报告\r\n'.encode()
    file_part = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="tmp_1.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + files.pdf()
        + b"\r\n"
    )
    parts = [name_part, file_part] if name_first else [file_part, name_part]
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()

    response = await api.post(
        "/me/materials",
        content=body,
        headers={**citizen, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )

    assert response.status_code == 201, response.text
    assert response.json()["name"] == "检验报告.pdf"
