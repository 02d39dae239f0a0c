"""QR codes as standalone SVG documents.

Clients show them as ``data:image/svg+xml`` images, which decode only when the root element
declares the SVG namespace; segno's ``svg_inline`` omits it (it is meant for HTML pages).
"""

import io

import segno

SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def qr_svg(text: str, *, scale: int = 4) -> str:
    """``text`` as a QR code (error correction M, never a Micro QR that phones cannot scan),
    an SVG document with ``xmlns`` and the standard quiet zone, without an XML declaration."""
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(
        out, kind="svg", scale=scale, xmldecl=False, svgclass=None, lineclass=None
    )
    return out.getvalue().decode("utf-8")
