"""Every bad upload gets its 4xx problem in Chinese and leaves no object and no row behind."""

import pytest

from tests.support import files


def _small_cap(app, **limits):
    app.state.settings = app.state.settings.model_copy(update=limits)


def _problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert any("\u4e00" <= c <= "\u9fff" for c in response.json()["title"])
    return response.json()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("合同.pdf", files.executable(), "可执行"),
        ("run.sh", b"#!/bin/sh\nrm -rf /\n", "可执行"),
        ("notes.txt", b"just some text, no magic", "无法识别"),
        ("scan.jpg", files.pdf(), "与扩展名 .jpg 不符"),
        ("archive.zip", files.plain_zip(), "压缩文件"),
        ("报告.docx", files.xlsx(), "与扩展名 .docx 不符"),
        ("old.ppt", files.ole2(), ".doc 或 .xls"),
    ],
)
async def test_wrong_contents_are_refused_with_a_reason(
    api, citizen, nothing_left_behind, name, data, reason
):
    body = _problem(await files.upload(api, citizen, name, data), 415, "material.unsupported_type")

    assert reason in body["detail"]


async def test_a_broken_image_is_refused(api, citizen, nothing_left_behind):
    broken = files.jpeg_with_location()[:300] + b"\x00" * 2000

    _problem(await files.upload(api, citizen, "photo.jpg", broken), 415, "material.broken_image")


async def test_an_oversized_file_with_content_length_is_refused_before_reading(
    api, app, citizen, nothing_left_behind
):
    _small_cap(app, material_max_bytes=1024 * 1024)
    response = await files.upload(api, citizen, "big.pdf", files.pdf(2 * 1024 * 1024))

    body = _problem(response, 413, "material.too_large")

    assert body["detail"] == "文件不能超过 1 MB"


async def test_an_oversized_chunked_body_without_content_length_is_cut_off(
    api, app, citizen, nothing_left_behind
):
    _small_cap(app, material_max_bytes=100 * 1024)
    boundary = "----msa-test-boundary"

    async def chunked_body():
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        yield b"%PDF-1.4\n"
        for _ in range(50):
            yield b"%" * 16 * 1024
        yield f"\r\n--{boundary}--\r\n".encode()

    response = await api.post(
        "/me/materials",
        content=chunked_body(),
        headers={**citizen, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )

    _problem(response, 413, "material.too_large")


async def test_an_empty_file_is_refused(api, citizen, nothing_left_behind):
    body = _problem(await files.upload(api, citizen, "empty.pdf", b""), 422, "validation_failed")

    assert body["errors"][0]["msg"] == "文件内容为空"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../../etc/passwd.pdf", "文件名不能包含路径符号或控制字符"),
        ("报告\x00.pdf", "文件名不能包含路径符号或控制字符"),
        ("a\x1bb.pdf", "文件名不能包含路径符号或控制字符"),
        ("长" * 60 + "度" * 60 + ".pdf", "文件名不能超过100个字符"),
    ],
)
async def test_dangerous_or_absurd_names_are_refused(api, citizen, nothing_left_behind, name, message):
    # Built by hand: HTTP clients would percent-encode the control characters.
    boundary = "----msa-name-test"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + files.pdf()
        + f"\r\n--{boundary}--\r\n".encode()
    )

    response = await api.post(
        "/me/materials",
        content=body,
        headers={**citizen, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )

    assert _problem(response, 422, "validation_failed")["errors"][0]["msg"] == message


async def test_a_ten_thousand_character_name_overflows_the_part_header_limit(
    api, citizen, nothing_left_behind
):
    response = await files.upload(api, citizen, "长" * 10_000 + ".pdf", files.pdf())

    _problem(response, 400, "material.malformed")


async def test_a_dangerous_name_field_is_refused_too(api, citizen, nothing_left_behind):
    body = _problem(
        await files.upload(api, citizen, "a.pdf", files.pdf(), name="..\\windows"), 422, "validation_failed"
    )

    assert body["errors"][0]["loc"] == ["body", "name"]


async def test_many_parts_are_refused(api, citizen, nothing_left_behind):
    names = ["x"] * 2000

    _problem(await files.upload(api, citizen, "a.pdf", files.pdf(), name=names), 400, "material.too_many_parts")


@pytest.mark.parametrize("field", ["owner_id", "status", "id"])
async def test_a_field_the_form_does_not_have_is_refused(api, citizen, nothing_left_behind, field):
    body = _problem(
        await files.upload(api, citizen, "a.pdf", files.pdf(), **{field: "x"}), 422, "validation_failed"
    )

    assert body["errors"][0]["loc"] == ["body", field]


async def test_a_body_that_is_not_multipart_is_refused(api, citizen, nothing_left_behind):
    response = await api.post("/me/materials", json={"file": "data"}, headers=citizen)

    _problem(response, 415, "material.not_multipart")


async def test_a_form_without_a_file_is_refused(api, citizen, nothing_left_behind):
    response = await api.post("/me/materials", files={"name": (None, "x")}, headers=citizen)

    assert _problem(response, 422, "validation_failed")["errors"][0]["msg"] == "请选择要上传的文件"


async def test_the_file_count_quota_is_enforced(api, app, citizen):
    _small_cap(app, material_quota_files=2)
    for n in range(2):
        assert (await files.upload(api, citizen, f"{n}.pdf", files.pdf())).status_code == 201

    _problem(await files.upload(api, citizen, "3.pdf", files.pdf()), 413, "material.quota_exceeded")


async def test_the_byte_quota_is_enforced_on_the_stream(api, app, citizen, store):
    _small_cap(app, material_quota_bytes=150 * 1024)
    assert (await files.upload(api, citizen, "1.pdf", files.pdf(100 * 1024))).status_code == 201
    keys = store.keys()

    _problem(await files.upload(api, citizen, "2.pdf", files.pdf(100 * 1024)), 413, "material.quota_exceeded")

    assert store.keys() == keys
