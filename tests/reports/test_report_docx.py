"""The DOCX notice, re-opened with python-docx: text, tables, page, fonts and spacing as GB/T 9704 asks."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from monitor.config.settings import ReportSettings
from monitor.model.errors import ConfigError
from monitor.store.files import write_atomic
from reports.build_template import TEMPLATE, build_template
from reports.docx import render_docx
from reports.model import build_report

NUMBER = "阳政办函〔2021〕151号"


def written(path: Path, content: str | bytes) -> Path:
    """The rendered notice, written where the test reads it."""
    return write_atomic(path, content, what=path.name)


@pytest.fixture
def rendered(tmp_path: Path, august: dict, july: dict, report_settings: ReportSettings):  # type: ignore[no-untyped-def]
    model = build_report(august, history=[july], settings=report_settings, doc_number=NUMBER, issue_date=None)
    return Document(str(written(tmp_path / "通报-2021-08.docx", render_docx(model))))


def _para(doc, start: str):  # type: ignore[no-untyped-def]
    return next(p for p in doc.paragraphs if p.text.startswith(start))


def _east_asia(element) -> str | None:  # type: ignore[no-untyped-def]
    fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts")) if element.tag == qn("w:r") else element.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_bundled_template_is_the_one_the_builder_makes(tmp_path: Path) -> None:
    fresh = Document(str(build_template(tmp_path / "notice.docx")))
    shipped = Document(str(TEMPLATE))
    assert sorted(s.name for s in shipped.styles if s.name.startswith("Gov")) == \
        sorted(s.name for s in fresh.styles if s.name.startswith("Gov"))
    assert shipped.styles["GovBody"].element.xml == fresh.styles["GovBody"].element.xml


def test_title_head_and_recipients(rendered) -> None:  # type: ignore[no-untyped-def]
    paragraphs = rendered.paragraphs
    assert (paragraphs[0].style.name, paragraphs[0].text) == ("GovOrgan", "阳泉市人民政府办公室")
    assert str(paragraphs[0].style.font.color.rgb) == "FF0000"
    border = paragraphs[0]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (border.get(qn("w:val")), border.get(qn("w:color"))) == ("thickThinSmallGap", "FF0000")
    assert (paragraphs[1].text, paragraphs[1].alignment) == (NUMBER, WD_ALIGN_PARAGRAPH.RIGHT)
    title = _para(rendered, "阳泉市人民政府办公室关于")
    assert title.style.name == "GovTitle"
    assert title.text == "阳泉市人民政府办公室关于2021年8月份\n全市政府网站和政务新媒体检查情况的通报"
    recipients = _para(rendered, "各县（区）人民政府")
    assert recipients.style.name == "GovRecipients" and recipients.text.endswith("：")
    texts = [p.text for p in paragraphs]
    assert texts.index(recipients.text) == texts.index(title.text) + 2 and texts[texts.index(title.text) + 1] == ""


def test_body_sentences_and_headings(rendered) -> None:  # type: ignore[no-untyped-def]
    overall = _para(rendered, "全市普查范围内")
    assert overall.style.name == "GovBody"
    assert ("全市普查范围内政府网站33家，政务新媒体账号87个。经检查，33家政府网站中，不合格政府网站2家，合格率为93.9%；"
            "87个政务新媒体账号中，不合格政务新媒体2个，合格率为97.7%。") in overall.text
    assert [p.text for p in rendered.paragraphs if p.style.name == "GovHeading1"] == [
        "一、总体情况", "二、存在的主要问题", "三、下一步工作要求"]
    accounts = _para(rendered, "（二）政务新媒体方面。")
    assert accounts.runs[0].text == "（二）政务新媒体方面。" and accounts.runs[0].style.name == "GovHeading2Char"
    assert _east_asia(accounts.runs[0]._r) == "楷体_GB2312" and _east_asia(accounts.runs[1]._r) == "仿宋_GB2312"
    assert "阳泉市非公企业党建" not in accounts.text
    management = _para(rendered, "（四）管理规范方面。").text
    assert "不影响本次检查结果" in management
    assert "微信公众号“阳泉市非公企业党建”“阳泉市市场监督管理局”账号主体同为阳泉市市场监督管理局" in management
    assert "经多次督促后仍未整改" in _para(rendered, "（三）整改落实方面。").text


def test_closing_block(rendered) -> None:  # type: ignore[no-untyped-def]
    texts = [p.text for p in rendered.paragraphs]
    at = texts.index("附件：1.不合格政府网站问题情况")
    assert texts[at - 1] == "" and texts[at + 1] == "2.不合格政务新媒体问题情况"
    note = rendered.paragraphs[at].paragraph_format
    assert (note.left_indent, note.first_line_indent) == (Pt(96), Pt(-64))
    assert texts[at + 2:at + 6] == ["", "阳泉市人民政府办公室", "2021年9月13日", "（此件公开发布）"]
    signature, day = rendered.paragraphs[at + 3], rendered.paragraphs[at + 4]
    # 署名 width 10, date width 6.5 (2021年9月13日): date right indent 2 + (10 − 2 − 6.5) = 3.5 characters
    assert (signature.paragraph_format.right_indent, day.paragraph_format.right_indent) == (Pt(32), Pt(56))
    assert signature.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    kept = rendered.paragraphs[at - 2:at + 5]  # last body paragraph … date: each kept with the next
    assert [p.paragraph_format.keep_with_next for p in kept] == [True] * 7
    assert rendered.paragraphs[at + 5].paragraph_format.keep_with_next is None


def test_attachment_tables_rows_and_cells(rendered) -> None:  # type: ignore[no-untyped-def]
    sites, accounts = rendered.tables
    assert [c.text for c in sites.rows[0].cells] == ["序号", "网站名称", "网站标识码", "主办单位", "问题", "问题页面链接"]
    assert sites.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [sites.cell(1, i).text for i in range(4)] == ["1", "阳泉市能源局", "1403000027", "阳泉市能源局"]
    assert sites.cell(1, 4).text == "首页不更新（单项否决）：最后更新2021-08-10（已21天）"
    assert sites.cell(1, 5).text == "http://127.0.0.1:8001/1403000027/"
    assert sites.cell(2, 1).text == "阳泉市能源局"  # merged with the row above
    assert sites.cell(2, 4).text == "无效链接（扣分）：6个，其中首页3个"
    assert sites.cell(2, 5).text.splitlines()[-1] == "等6个"
    assert [sites.cell(3, i).text for i in (0, 1, 2)] == ["2", "盂县人民政府", "1403220001"]
    assert [sites.cell(r, 4).text for r in (3, 7)] == ["空白栏目（单项否决）：政策解读", "空白栏目（单项否决）：财政预决算"]
    assert sites.cell(3, 5).text == "http://127.0.0.1:8001/1403220001/col0/"
    assert sites.cell(7, 1).text == "盂县人民政府"  # one unit cell spanning its five rows and the note
    assert sites.cell(8, 4).text == "连续2个月不合格，多次督促后仍未整改"
    assert len(sites.rows) == 9
    assert [c.text for c in accounts.rows[0].cells] == ["序号", "账号名称", "平台", "账号主体", "问题", "最后更新时间"]
    assert [c.text for c in accounts.rows[1].cells] == ["1", "盂县发布", "新浪微博", "盂县融媒体中心",
                                                       "内容不更新（单项否决）：最后更新2021-08-12（已19天）", "2021-08-12"]
    assert accounts.style.name == "GovTable"
    labels = [p for p in rendered.paragraphs if p.style.name == "GovAttachLabel"]
    assert [p.text for p in labels] == ["附件1", "附件2"]
    assert labels[0].style.paragraph_format.page_break_before is True


def test_page_size_margins_grid_and_footers(rendered) -> None:  # type: ignore[no-untyped-def]
    section = rendered.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")
    assert section.different_first_page_header_footer and rendered.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.text == "— 1 —" and "PAGE" in odd._p.xml
    assert (odd.paragraph_format.alignment, even.paragraph_format.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT,
                                                                                WD_ALIGN_PARAGRAPH.LEFT)
    assert all(_east_asia(r._r) == "宋体" for r in odd.runs)
    assert rendered.styles["GovPageNumber"].font.size == Pt(14)
    red = section.first_page_footer.paragraphs[0]._p.pPr.find(qn("w:pBdr")).find(qn("w:top"))
    assert (red.get(qn("w:val")), red.get(qn("w:color"))) == ("thinThickSmallGap", "FF0000")
    assert "PAGE" not in section.first_page_footer._element.xml


def test_declared_fonts_sizes_and_line_spacing(rendered) -> None:  # type: ignore[no-untyped-def]
    expected = {"GovBody": ("仿宋_GB2312", 16), "GovTitle": ("方正小标宋简体", 22), "GovHeading1": ("黑体", 16),
                "GovHeading2": ("楷体_GB2312", 16), "GovTableText": ("仿宋_GB2312", 12),
                "GovAttachTitle": ("方正小标宋简体", 22)}
    for name, (font, size) in expected.items():
        style = rendered.styles[name]
        assert (_east_asia(style.element.rPr), style.font.size) == (font, Pt(size)), name
    body = rendered.styles["GovBody"].paragraph_format
    assert (body.line_spacing, body.line_spacing_rule) == (Pt(28.95), WD_LINE_SPACING.EXACTLY)
    assert body.first_line_indent == Pt(32)
    assert rendered.styles["GovTableText"].element.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    defaults = rendered.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert _east_asia(defaults) == "仿宋_GB2312"


def test_every_run_declares_its_east_asian_font(rendered) -> None:  # type: ignore[no-untyped-def]
    runs = rendered.element.body.iter(qn("w:r"))
    seen = set()
    for run in runs:
        fonts = run.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:hint")) == "eastAsia", run.xml[:200]
        assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi"))
        seen.add(fonts.get(qn("w:eastAsia")))
    assert seen == {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"}


def test_restyled_template_is_honoured(tmp_path: Path, august: dict, report_settings: ReportSettings) -> None:
    mine = Document(str(TEMPLATE))
    fonts = mine.styles["GovBody"].element.rPr.find(qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), "仿宋")
    mine.save(str(tmp_path / "mine.docx"))
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    doc = Document(str(written(tmp_path / "out.docx", render_docx(model, template=tmp_path / "mine.docx"))))
    overall = _para(doc, "全市普查范围内")
    assert {_east_asia(r._r) for r in overall.runs} == {"仿宋"}
    assert doc.paragraphs[0].style.name == "GovTitle"  # no 文号: no red head


def test_template_without_the_styles_is_an_error_naming_it(tmp_path: Path, august: dict,
                                                           report_settings: ReportSettings) -> None:
    Document().save(str(tmp_path / "plain.docx"))
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    with pytest.raises(ConfigError, match=r"plain\.docx lacks the style\(s\) GovBody"):
        written(tmp_path / "out.docx", render_docx(model, template=tmp_path / "plain.docx"))
