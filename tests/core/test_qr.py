"""QR codes decode as ``data:image/svg+xml`` images (亮证 and the authenticator enrolment)."""

import segno

from app.core.qr import qr_svg
from tests.support.qr import data_uri, encodes, modules


def test_a_qr_code_is_an_svg_document_a_browser_decodes_with_every_module_of_its_text():
    text = "otpauth://totp/%E6%B5%B7%E4%BA%8B:demo-officer?secret=JBSWY3DPEHPK3PXP"

    uri = data_uri(qr_svg(text))

    symbol = segno.make(text, error="m", micro=False)
    assert len(modules(uri)) == len(symbol.matrix) + 2 * 4  # the version's modules and the quiet zone
    assert encodes(uri, text)
    assert not encodes(uri, text + "x")


def test_a_short_text_is_never_a_micro_qr_that_phones_cannot_scan():
    assert len(modules(data_uri(qr_svg("abc")))) == 21 + 2 * 4
