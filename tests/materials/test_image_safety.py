"""Images that would exhaust a worker's memory are refused from their header, and photos are
stored without where they were taken, wherever in the file the metadata hides."""

import asyncio
import io
import threading
import time

import pytest
from PIL import Image

from app.integrations.storage.base import MATERIALS_PREFIX, put_bytes
from app.materials import images, service
from app.materials.file_types import FILE_TYPES
from tests.support import crafted_images as crafted
from tests.support import files


async def _stored(api, headers, material):
    return (await api.get(f"/me/materials/{material['id']}/content", headers=headers)).content


@pytest.mark.parametrize(
    ("name", "data", "size"),
    [
        # The audit's file: 13 KiB, 10000×11000 1-bit, ~630 MiB once decoded and converted.
        ("扫描件.png", crafted.png_bomb(10_000, 11_000), "10000×11000"),
        ("扫描件.png", crafted.png_bomb(7_700, 7_700), "7700×7700"),
        ("灰度.png", crafted.png_bomb(7_200, 7_200, colour=0, depth=8), "7200×7200"),
        ("彩色.png", crafted.png_bomb(3_600, 3_600, colour=2, depth=8), "3600×3600"),
        ("透明.png", crafted.png_bomb(4_000, 4_000, colour=6, depth=8), "4000×4000"),
        ("照片.jpg", crafted.with_frame_size(crafted.jpeg(), 12_000, 12_000), "12000×12000"),
        ("照片.jpg", crafted.with_frame_size(crafted.jpeg(), 65_535, 65_535), "65535×65535"),
        # Progressive: libjpeg holds every coefficient (~3 bytes a pixel) whatever the scale.
        ("照片.jpg", crafted.with_frame_size(crafted.jpeg(progressive=True), 5_000, 5_000), "5000×5000"),
    ],
)
async def test_an_image_too_large_to_decode_is_refused_from_its_header(
    api, citizen, nothing_left_behind, name, data, size
):
    assert len(data) < 300 * 1024  # a small file: the size is in the header only

    response = await files.upload(api, citizen, name, data)

    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], body["title"]) == ("material.image_too_large", "图片尺寸过大")
    assert size in body["detail"] and "万像素" in body["detail"]


async def test_a_large_scan_within_the_budget_is_accepted_with_a_thumbnail(api, citizen):
    # 7000×7000 1-bit: 49 megapixels, 1 byte each once decoded, under the 48 MiB budget.
    response = await files.upload(api, citizen, "海图扫描.png", crafted.png_bomb(7_000, 7_000))

    assert response.status_code == 201, response.text
    thumbnail = await api.get(
        f"/me/materials/{response.json()['id']}/content?variant=thumbnail", headers=citizen
    )
    with Image.open(io.BytesIO(thumbnail.content)) as small:
        assert small.size == (320, 320)


def test_pillows_decompression_bomb_warning_is_an_error(monkeypatch):
    data = crafted.png_bomb(200, 200, colour=2, depth=8)
    geometry = images.Geometry("PNG", 200, 200, 4)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 30_000)  # 40,000 pixels: warned, not refused

    with pytest.raises(images.ImageTooLarge):
        images.thumbnail(io.BytesIO(data), geometry)


def test_the_thumbnail_refuses_a_file_that_is_not_what_its_header_said():
    geometry = images.Geometry("PNG", 100, 100, 1)

    with pytest.raises(images.BrokenImage):
        images.thumbnail(io.BytesIO(crafted.png_bomb(200, 200)), geometry)


HIDDEN_METADATA = [
    ("eXIf after the pixel data", "截图.png", crafted.png_with_exif_after_idat(), (64, 48)),
    ("tEXt raw profile and iTXt XMP", "截图.png", crafted.png_with_text_chunk(b"tEXt"), (64, 48)),
    ("zTXt raw profile and iTXt XMP", "截图.png", crafted.png_with_text_chunk(b"zTXt"), (64, 48)),
    ("iTXt raw profile and iTXt XMP", "截图.png", crafted.png_with_text_chunk(b"iTXt"), (64, 48)),
    ("EXIF after eight 64 KiB APP2", "照片.jpg", crafted.jpeg_with_exif_after_icc(), (640, 480)),
    ("extended XMP", "照片.jpg", crafted.jpeg_with_extended_xmp(), (640, 480)),
    ("between scans and after EOI", "照片.jpg", crafted.jpeg_with_trailers(), (640, 480)),
]


@pytest.mark.parametrize(
    ("name", "data", "size"), [case[1:] for case in HIDDEN_METADATA], ids=[c[0] for c in HIDDEN_METADATA]
)
async def test_location_hidden_anywhere_in_the_file_is_not_stored(api, store, citizen, name, data, size):
    assert any(trace in data for trace in crafted.TRACES)

    response = await files.upload(api, citizen, name, data)

    assert response.status_code == 201, response.text
    stored = await _stored(api, citizen, response.json())
    assert [trace for trace in crafted.TRACES if trace in stored] == []
    assert response.json()["size"] == len(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == size
        image.load()
        assert dict(image.getexif()) == {}
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "Raw profile type exif"} & set(image.info)


async def test_the_colour_profile_and_the_orientation_stay(api, store, citizen):
    data = crafted.jpeg_with_exif_after_icc(orientation=6)  # taken with the phone upright

    material = (await files.upload(api, citizen, "竖拍.jpg", data)).json()

    stored = await _stored(api, citizen, material)
    with Image.open(io.BytesIO(stored)) as image:
        assert len(image.info["icc_profile"]) == 8 * (65533 - 14)
        assert dict(image.getexif()) == {0x0112: 6}
    thumbnail = await api.get(f"/me/materials/{material['id']}/content?variant=thumbnail", headers=citizen)
    with Image.open(io.BytesIO(thumbnail.content)) as small:
        assert small.size == (240, 320)  # shown upright


@pytest.mark.parametrize(
    "data",
    [
        crafted.png_with_text_chunk(b"zTXt"),
        crafted.png_with_exif_after_idat(),
        crafted.jpeg_with_exif_after_icc(),
        crafted.jpeg_with_trailers(),
        crafted.jpeg_with_extended_xmp(),
    ],
)
@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_the_filter_gives_the_same_bytes_however_the_stream_is_cut(data, chunk):
    file_type = FILE_TYPES["png" if data.startswith(b"\x89PNG") else "jpeg"]
    whole = images.metadata_filter(file_type)
    expected = whole.feed(data) + whole.finish()
    pieces = images.metadata_filter(file_type)

    streamed = b"".join(pieces.feed(data[i : i + chunk]) for i in range(0, len(data), chunk))
    streamed += pieces.finish()

    assert streamed == expected
    assert pieces.geometry == whole.geometry


@pytest.mark.parametrize(
    "data",
    [
        crafted.png_bomb(64, 64, colour=2, depth=8)[:-12],  # no IEND
        crafted.jpeg()[:-2],  # no EOI
        crafted.jpeg()[:200],
        b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIDAT" + b"\x00" * 40,  # pixels before the header
    ],
)
async def test_an_unfinished_or_disordered_image_is_refused(api, citizen, nothing_left_behind, data):
    name = "图.png" if data.startswith(b"\x89PNG") else "图.jpg"

    response = await files.upload(api, citizen, name, data)

    assert response.status_code == 415, response.text
    assert response.json()["code"] == "material.broken_image"


async def test_a_worker_decodes_at_most_two_images_at_once(app, session, monkeypatch):
    storage, data = app.state.adapters.storage, crafted.jpeg()
    reader = images.metadata_filter(FILE_TYPES["jpeg"])
    reader.feed(data)
    keys = [f"{MATERIALS_PREFIX}decode-test/{n}" for n in range(5)]
    for key in keys:
        await put_bytes(storage, key, data, "image/jpeg")
    decoding, most = 0, 0
    lock = threading.Lock()
    real_thumbnail = images.thumbnail

    def slow_thumbnail(image_file, geometry):
        nonlocal decoding, most
        with lock:
            decoding += 1
            most = max(most, decoding)
        time.sleep(0.3)
        with lock:
            decoding -= 1
        return real_thumbnail(image_file, geometry)

    monkeypatch.setattr(images, "thumbnail", slow_thumbnail)

    # Five uploads finishing together in one worker.
    await asyncio.gather(*(service._store_thumbnail(session, storage, key, reader.geometry) for key in keys))

    assert most == images.DECODES_PER_WORKER == 2
    for key in keys:
        await storage.delete(key)
        await storage.delete(key + service.THUMBNAIL_SUFFIX)
