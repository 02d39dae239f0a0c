#!/usr/bin/env python
"""Build the CJK fonts embedded in the notices' PDFs (app/applications/fonts/).

Source: Debian's fonts-noto-cjk 1:20220127+repack1-1 (bookworm), Noto Serif CJK SC
"Version 2.001;hotconv 1.1.0;makeotfexe 2.6.0", face 2 (SC) of
/usr/share/fonts/opentype/noto/NotoSerifCJK-{Regular,Bold}.ttc, SIL Open Font License 1.1.
Character list: GB2312 and GBK from Python's codecs; the 通用规范汉字表 (2013, 8105 characters)
from the kTGH field of Unihan_OtherMappings.txt in Debian's unicode-data 15.0.0-1
(/usr/share/unicode/; `apt-get install fonts-noto-cjk unicode-data`).

The Noto CJK fonts have CFF (PostScript) outlines, which reportlab's TTFont cannot embed: the
subset is converted to TrueType (quadratic) outlines with cu2qu, as fontTools' otf2ttf snippet
does. Hinting and OpenType layout features are dropped (reportlab uses neither), glyph names too.

    .venv/bin/python scripts/build_pdf_font.py            # writes app/applications/fonts/*.ttf

The output is byte-for-byte reproducible from the same inputs and fontTools 4.69.1 (the head table
keeps the source's timestamps): two runs print the same sha256. It takes a few minutes of CPU.
tests/applications/test_documents.py checks that the shipped regular face covers GB2312 and GBK.

Measured (regular face): GB2312 + 通用规范汉字表 alone is 9,054 characters and 3.46 MB; adding GBK
makes 22,389 characters and 9.58 MB, the shipped choice (app/applications/fonts/README.md says why).
"""

import argparse
import bz2
import hashlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
UNIHAN = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
OUT = Path(__file__).resolve().parent.parent / "app" / "applications" / "fonts"
SC = 2  # face index of Simplified Chinese in the Noto CJK collections
SOURCE_VERSION = "Version 2.001;hotconv 1.1.0;makeotfexe 2.6.0"

# Besides the hanzi: ASCII, Latin-1 punctuation/symbols, general punctuation (— … “” ‘’ ※),
# CJK symbols and punctuation (、。〔〕《》「」), enclosed numbers (①), full-width forms.
_COMMON = [
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x2010, 0x203B),
    (0x2460, 0x24FF),
    (0x3000, 0x303F),
    (0xFF01, 0xFF5E),
    (0xFFE0, 0xFFE6),
]


def tonggui_hanzi() -> set[int]:
    """The 8105 characters of the 通用规范汉字表, from Unihan's kTGH ("2013:<number>")."""
    chars = set()
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as lines:
        for line in lines:
            if "\tkTGH\t" in line:
                chars.add(int(line.split("\t", 1)[0][2:], 16))
    if len(chars) != 8105:
        sys.exit(f"{UNIHAN}: expected the 8105 characters of the 通用规范汉字表, found {len(chars)}")
    return chars


def encodable(codec: str) -> set[int]:
    """Every BMP character that has a double-byte code in the given Chinese national codec."""
    return {
        c
        for c in range(0x80, 0x10000)
        if not 0xD800 <= c <= 0xDFFF and len(chr(c).encode(codec, errors="ignore")) == 2
    }


def charset(name: str) -> set[int]:
    common = {c for low, high in _COMMON for c in range(low, high + 1)}
    if name == "full":  # the body text: any real name or address
        return common | encodable("gb2312") | tonggui_hanzi() | encodable("gbk")
    if name == "titles":  # bold titles and headings: GB2312 level 1, the 3755 commonest hanzi
        return common | {c for c in encodable("gb2312") if 0xB0 <= chr(c).encode("gb2312")[0] <= 0xD7}
    raise ValueError(name)


def to_truetype(font: TTFont) -> None:
    """CFF outlines to TrueType ones (fontTools' snippets/otf2ttf.py, max error 1 unit)."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    quadratic = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        quadratic[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = quadratic
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    font["post"].formatType = 3.0  # no glyph names
    font.sfntVersion = "\x00\x01\x00\x00"


def build(weight: str, chars: set[int], out: Path) -> None:
    font = TTFont(SOURCE_DIR / f"NotoSerifCJK-{weight}.ttc", fontNumber=SC, recalcTimestamp=False)
    version = font["name"].getDebugName(5)
    if version != SOURCE_VERSION:
        sys.exit(f"NotoSerifCJK-{weight}.ttc is {version!r}, this script was written for {SOURCE_VERSION!r}")
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.glyph_names = False
    options.notdef_outline = True  # a missing character shows as a box, never as nothing
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=chars)
    subsetter.subset(font)
    missing = sorted(c for c in chars if c not in font.getBestCmap())
    to_truetype(font)
    font.recalcTimestamp = False
    font.save(out)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    size = out.stat().st_size
    print(f"{out.name}: {len(chars) - len(missing)} characters, {size:,} bytes, sha256 {digest}…")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    build("Regular", charset("full"), args.out / "NotoSerifSC-Regular-subset.ttf")
    build("Bold", charset("titles"), args.out / "NotoSerifSC-Bold-subset.ttf")


if __name__ == "__main__":
    main()
