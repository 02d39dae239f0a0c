"""Notices and decisions as PDF: each kind its own document, in a font the PDF carries with it."""

import fnmatch
import io
import logging
import threading
import tomllib
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.applications import documents
from app.applications.notices import NoticeKind, render_pdf
from tests.support.applying import decide, submitted_application
from tests.support.documents import CONTENTS, REMEDIES, content, pdf_text

ROOT = Path(__file__).resolve().parents[2]


def _fonts(pdf: bytes) -> list[dict]:
    """The font descriptors of every font the first page uses."""
    resources = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    found = []
    for ref in resources.values():
        font = ref.get_object()
        for descendant in font.get("/DescendantFonts", [font]):
            found.append(descendant.get_object())
    return found


def test_every_kind_of_notice_has_its_own_template():
    assert set(documents.TEMPLATES) == {kind.label for kind in NoticeKind}
    assert len(set(documents.TEMPLATES.values())) == len(NoticeKind)
    assert set(CONTENTS) == {kind.value for kind in NoticeKind}


@pytest.mark.parametrize("kind", list(CONTENTS))
def test_the_font_travels_inside_the_pdf_so_a_phone_without_chinese_fonts_shows_the_text(kind):
    pdf = render_pdf(CONTENTS[kind])

    fonts = _fonts(pdf)
    assert fonts and all("/FontFile2" in font["/FontDescriptor"] for font in fonts)
    names = ("+NotoSerifCJKsc-Regular", "+NotoSerifCJKsc-Bold")
    assert all(font["/BaseFont"].endswith(names) for font in fonts)
    assert b"STSong" not in pdf
    assert len(pdf) < 120_000, "only the glyphs the document uses are embedded"


@pytest.mark.parametrize("kind", list(CONTENTS))
def test_every_notice_carries_its_title_number_addressee_agency_and_date(kind):
    text = pdf_text(render_pdf(CONTENTS[kind]))

    assert text.startswith(CONTENTS[kind]["title"])
    assert CONTENTS[kind]["number"] in text
    assert "上海堃喆航运有限公司：" in text
    assert "你（单位）于2026年12月1日" in text
    assert text.endswith("上海海事局2026年12月7日")


def test_the_acceptance_notice_says_it_is_accepted_and_by_when():
    text = pdf_text(render_pdf(CONTENTS["acceptance"]))

    assert "申请材料齐全、符合法定形式，本机关决定予以受理" in text
    assert "承诺办结时限：15个工作日" in text
    assert "办理意见：材料齐全，予以受理" in text
    assert "1.岸线安全使用申请书2.岸线使用方案及通航安全论证报告" in text


def test_the_rejection_notice_gives_the_reason_and_the_remedies():
    text = pdf_text(render_pdf(CONTENTS["rejection"]))

    assert "本机关决定不予受理" in text
    assert "不予受理的理由：该事项不属于本机关职权范围，请向长江海事局申请" in text
    assert "救济途径如不服本决定，可以自收到本文书之日起六十日内依法申请行政复议" in text


def test_the_supplement_notice_tells_every_item_and_its_reason_at_once():
    text = pdf_text(render_pdf(CONTENTS["supplement"]))

    assert "一次性告知" in text
    assert "1.通航安全论证报告（申请材料）：缺少专家评审意见页，请补充盖章的评审意见" in text
    assert "2.岸线长度（申请表内容）：与平面图标注的长度不一致" in text
    assert "补正期间不计入办理时限" in text


def test_an_older_supplement_notice_with_only_the_missing_materials_still_lists_them():
    older = content("补正材料通知书", "补", missing_materials=["营业执照", "船舶国籍证书"])

    text = pdf_text(render_pdf(older))

    assert "需补正的材料（一次性告知）1.营业执照2.船舶国籍证书" in text


def test_the_licence_decision_states_the_matter_the_period_and_the_conditions():
    text = pdf_text(render_pdf(CONTENTS["decision"]))

    assert "本机关决定准予行政许可" in text
    assert "根据《中华人民共和国海上交通安全法》、《中华人民共和国海事行政许可条件规定》的规定" in text
    assert "许可事项：同意在黄浦江杨浦段使用岸线120米建设码头" in text
    assert "有效期限：自2026年12月7日至2029年12月6日" in text
    assert "附加条件：施工期间设置警戒船并发布航行警告" in text


def test_a_licence_without_conditions_says_none_and_an_older_decision_without_content_still_renders():
    plain = content("准予行政许可决定书", "许", licence={"matter": "岸线使用", "conditions": None})
    assert "附加条件：无" in pdf_text(render_pdf(plain))

    older = pdf_text(render_pdf(content("准予行政许可决定书", "许")))
    assert "本机关决定准予行政许可" in older and "许可事项" not in older


def test_the_filing_certificate_carries_its_filing_number():
    text = pdf_text(render_pdf(CONTENTS["filing_certificate"]))

    assert "本机关予以备案" in text
    assert "备案编号：沪海备〔2026〕0042号" in text
    assert "准予" not in text


def test_a_report_receipt_only_says_the_report_arrived_and_never_approves_it():
    text = pdf_text(render_pdf(CONTENTS["report_receipt"]))

    assert "报送的不合规燃油信息报告（申请编号：SH2026120700042），本机关已接收" in text
    assert "燃油供应商：舟山海港燃料供应有限公司" in text
    assert "准予" not in text and "许可" not in text and "同意" not in text


def test_the_denial_gives_the_reason_the_law_and_where_to_appeal():
    text = pdf_text(render_pdf(CONTENTS["denial"]))

    assert "本机关决定不予行政许可" in text
    assert "不予许可的理由：拟使用岸线位于锚地警戒区内，影响船舶通航安全" in text
    assert "法律依据1.《中华人民共和国海上交通安全法》第四十八条" in text
    assert "2.《中华人民共和国行政许可法》第三十八条第二款" in text
    assert REMEDIES in text
    assert "或者在六个月内" not in text, "the decision's own remedies replace the generic ones"


def test_rare_but_valid_characters_of_names_render_in_the_embedded_font(caplog):
    names = {"applicant": "王堃", "contact_name": "陈喆", "agency": "上海海事局吴淞海事处（昇）"}
    # Also 䶮 (CJK extension A) and 𬌗 (extension E, beyond the BMP): both in the 通用规范汉字表.
    rare = content("受理通知书", "受", **names, item="𬌗䶮测试事项")

    with caplog.at_level(logging.WARNING, logger="app.applications.documents"):
        text = pdf_text(render_pdf(rare))

    assert "王堃：" in text and "联系人：陈喆" in text and "吴淞海事处（昇）" in text
    assert "𬌗䶮测试事项" in text
    assert documents.missing_characters("堃喆昇䶮𬌗镕珺頔") == ""
    assert caplog.records == []


def test_a_character_the_font_lacks_is_logged_and_kept_in_the_text_not_dropped(caplog):
    # U+2A6D6 (CJK extension B) is neither in GBK nor in the 通用规范汉字表.
    odd = content("受理通知书", "受", contact_name="张\U0002a6d6")
    assert documents.missing_characters("张\U0002a6d6") == "\U0002a6d6"

    with caplog.at_level(logging.WARNING, logger="app.applications.documents"):
        text = pdf_text(render_pdf(odd))

    assert "联系人：张\U0002a6d6" in text
    assert any(getattr(r, "characters", None) == ["U+2A6D6"] for r in caplog.records)


def test_markup_in_an_applicants_text_is_printed_not_interpreted():
    tricky = content("受理通知书", "受", applicant='A&B <font name="Courier">公司</font>')

    assert 'A&B<fontname="Courier">公司</font>：' in pdf_text(render_pdf(tricky))


def test_the_shipped_fonts_cover_gb2312_gbk_and_the_common_punctuation():
    regular = documents._fonts()[documents.REGULAR].face.charToGlyph
    gbk = [
        c
        for c in range(0x4E00, 0xA000)
        if len(chr(c).encode("gbk", errors="ignore")) == 2 and regular.get(c, 0) == 0
    ]
    assert gbk == []
    gb2312 = [c for c in range(0x80, 0x10000) if len(chr(c).encode("gb2312", errors="ignore")) == 2]
    assert [chr(c) for c in gb2312 if regular.get(c, 0) == 0] == []
    assert documents.missing_characters("〔〕《》“”‘’—…·、。，；：？！（）［］％＋－＝＠＃") == ""


def test_the_fonts_and_their_licence_are_in_the_package():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    package = ROOT / "app" / "applications"
    shipped = [p.relative_to(package).as_posix() for p in (package / "fonts").iterdir()]
    fonts = {"fonts/NotoSerifSC-Regular-subset.ttf", "fonts/NotoSerifSC-Bold-subset.ttf", "fonts/OFL.txt"}
    assert fonts <= set(shipped)
    assert all(any(fnmatch.fnmatch(name, pattern) for pattern in patterns) for name in shipped)
    assert "fonts" not in (ROOT / ".dockerignore").read_text()


def test_a_document_of_an_unknown_kind_still_renders_every_fact_and_a_rare_title_character():
    # 堃 is not among the bold face's GB2312 level 1 hanzi: the title takes it from the regular face.
    unknown = content("堃字测试通知书", "测")
    assert documents.missing_characters("堃") == ""

    text = pdf_text(render_pdf(unknown))

    assert text.startswith("堃字测试通知书")
    assert "申请编号：SH2026120700042" in text and "申请事项：通航水域岸线安全使用许可" in text
    assert "申请日期：2026年12月1日" in text and "法定办结时限：20个工作日" in text


async def test_a_notice_is_set_off_the_event_loop_so_other_requests_are_not_held_up(
    api, corp, staff, monkeypatch
):
    """Setting a CJK page takes a few hundred milliseconds: it runs in a worker thread."""
    threads = []

    def render(content):
        threads.append(threading.current_thread())
        return real(content)

    real = documents.render_pdf
    monkeypatch.setattr(documents, "render_pdf", render)
    application = await submitted_application(api, corp, "TH-002")
    accepted = await decide(api, staff, application, "accept", comment="材料齐全，予以受理")
    notice = accepted["notices"][0]
    pdf = await api.get(
        f"/applications/{application['id']}/notices/{notice['id']}",
        headers={**corp, "Accept": "application/pdf"},
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert threads and threads[0] is not threading.main_thread()
