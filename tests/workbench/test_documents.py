"""What the notices look like: the first page of each kind rendered to PNG (poppler's pdftoppm),
kept with the workbench screens, and checked for boxes where a character has no glyph."""

import shutil
import subprocess

import pytest

from app.applications import documents
from app.applications.notices import render_pdf
from tests.support.documents import CONTENTS

PDFTOPPM = shutil.which("pdftoppm")


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed; .ci/run installs it")
@pytest.mark.parametrize("kind", list(CONTENTS))
def test_each_notice_renders_as_a_readable_page(kind, screens, tmp_path):
    pdf = tmp_path / f"{kind}.pdf"
    pdf.write_bytes(render_pdf(CONTENTS[kind]))
    text = "".join(str(value) for value in CONTENTS[kind].values())
    assert documents.missing_characters(text) == "", "every character has a glyph: no boxes"

    target = screens / f"documents-{kind}"
    subprocess.run(
        [PDFTOPPM, "-png", "-r", "96", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target)],
        check=True,
        timeout=60,
    )
    page = target.with_suffix(".png")
    # A4 at 96 dpi is 794×1123; a page of text is far more than a blank page's few hundred bytes.
    assert page.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and page.stat().st_size > 20_000
