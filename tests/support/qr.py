"""Reading a QR code SVG back as a browser would: from a ``data:image/svg+xml`` URI, as XML."""

import base64
import re
import xml.etree.ElementTree as ET

import segno

SVG = "{http://www.w3.org/2000/svg}"


def data_uri(svg: str) -> str:
    """What the mini program puts in ``<image src>``."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def modules(uri: str) -> list[list[bool]]:
    """The dark modules the image draws, quiet zone included, row by row.

    A browser renders a ``data:image/svg+xml`` image only if its root element is in the SVG
    namespace: ElementTree names it ``{http://www.w3.org/2000/svg}svg`` only then.
    """
    header, payload = uri.split(",", 1)
    assert header == "data:image/svg+xml;base64"
    root = ET.fromstring(base64.b64decode(payload))
    assert root.tag == f"{SVG}svg", root.tag
    (path,) = root.iter(f"{SVG}path")
    scale = float(re.fullmatch(r"scale\((\d+(?:\.\d+)?)\)", path.get("transform")).group(1))
    size = round(float(root.get("width")) / scale)
    assert size == round(float(root.get("height")) / scale)
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHh])([-\d.\s]+)", path.get("d")):
        values = [float(n) for n in numbers.split()]
        if command in "Mm":
            dx, dy = values
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            continue
        (length,) = values
        end = length if command == "H" else x + length
        for column in range(round(x), round(end)):
            grid[int(y)][column] = True
        x = end
    return grid


def encodes(uri: str, text: str) -> bool:
    """Whether the image is the QR code of ``text`` (the symbol any scanner reads as ``text``)."""
    drawn = modules(uri)
    expected = segno.make(text, error="m", micro=False)
    border = (len(drawn) - len(expected.matrix)) // 2
    return border >= 4 and [
        row[border : len(drawn) - border] for row in drawn[border : len(drawn) - border]
    ] == [[bool(m) for m in row] for row in expected.matrix]
