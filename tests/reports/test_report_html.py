"""The HTML notice, parsed with selectolax: real text, headings, tables and print CSS."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from monitor.config.settings import ReportSettings
from monitor.store.files import write_atomic
from reports.html import environment, render_html
from reports.model import build_report

NUMBER = "阳政办函〔2021〕151号"


def written(path: Path, content: str | bytes) -> Path:
    """The rendered notice, written where the test reads it."""
    return write_atomic(path, content, what=path.name)


@pytest.fixture
def page(tmp_path: Path, august: dict, july: dict, report_settings: ReportSettings) -> HTMLParser:
    model = build_report(august, history=[july], settings=report_settings, doc_number=NUMBER, issue_date=None)
    path = written(tmp_path / "通报-2021-08.html", render_html(model))
    return HTMLParser(path.read_text(encoding="utf-8"))


def _texts(tree: HTMLParser, selector: str) -> list[str]:
    return [node.text(strip=True) for node in tree.css(selector)]


def test_page_is_utf8_chinese_with_title_and_number(page: HTMLParser) -> None:
    assert page.css_first("html").attributes["lang"] == "zh-CN"
    assert page.css_first("meta[charset]").attributes["charset"] == "utf-8"
    title = "阳泉市人民政府办公室关于2021年8月份全市政府网站和政务新媒体检查情况的通报"
    assert _texts(page, "h1") == [title] and page.css_first("title").text() == title
    assert _texts(page, "p.docno") == [NUMBER]
    assert _texts(page, "p.recipients") == ["各县（区）人民政府，高新区管委会，市政府各委、局、办："]


def test_body_sentences_headings_and_closing(page: HTMLParser) -> None:
    paragraphs = _texts(page, "main > p")
    assert any(("全市普查范围内政府网站33家，政务新媒体账号87个。经检查，33家政府网站中，不合格政府网站2家，合格率为93.9%；"
                "87个政务新媒体账号中，不合格政务新媒体2个，合格率为97.7%。") in p for p in paragraphs)
    assert _texts(page, "h2.level1") == ["一、总体情况", "二、存在的主要问题", "三、下一步工作要求"]
    assert _texts(page, "strong.level2")[:4] == ["（一）网站方面。", "（二）政务新媒体方面。", "（三）整改落实方面。",
                                                 "（四）管理规范方面。"]
    management = next(p for p in paragraphs if p.startswith("（四）管理规范方面。"))
    assert "微信公众号“阳泉市非公企业党建”“阳泉市市场监督管理局”账号主体同为阳泉市市场监督管理局" in management
    assert _texts(page, "p.attach-note") == ["附件：1.不合格政府网站问题情况", "2.不合格政务新媒体问题情况"]
    assert (_texts(page, "p.signature"), _texts(page, "p.date"), _texts(page, "p.disclosure")) == (
        ["阳泉市人民政府办公室"], ["2021年9月13日"], ["（此件公开发布）"])
    assert "padding-right: 3.5em" in page.css_first("p.date").attributes["style"]


def test_attachment_tables_with_spanning_unit_cells(page: HTMLParser) -> None:
    sections = page.css("section.attachment")
    assert [s.css_first("p.attach-label").text() for s in sections] == ["附件1", "附件2"]
    assert [s.css_first("h2.attach-title").text() for s in sections] == ["不合格政府网站问题情况", "不合格政务新媒体问题情况"]
    sites = sections[0].css_first("table.problems")
    assert _texts(sites, "thead th") == ["序号", "网站名称", "网站标识码", "主办单位", "问题", "问题页面链接"]
    rows = sites.css("tbody tr")
    first = rows[0].css("td")
    assert [c.text(strip=True) for c in first[:4]] == ["1", "阳泉市能源局", "1403000027", "阳泉市能源局"]
    assert first[0].attributes["rowspan"] == "2"
    assert first[4].text(strip=True) == "首页不更新（单项否决）：最后更新2021-08-10（已21天）"
    assert first[5].css_first("a").attributes["href"] == "http://127.0.0.1:8001/1403000027/"
    assert [c.text(strip=True) for c in rows[1].css("td")][0] == "无效链接（扣分）：6个，其中首页3个"
    assert len(rows) == 8 and rows[2].css("td")[0].attributes["rowspan"] == "6"
    assert [c.text(strip=True) for c in rows[2].css("td")][4:] == [
        "空白栏目（单项否决）：政策解读", "http://127.0.0.1:8001/1403220001/col0/"]
    accounts = sections[1].css("tbody tr")
    assert [c.text(strip=True) for c in accounts[0].css("td")] == [
        "1", "盂县发布", "新浪微博", "盂县融媒体中心", "内容不更新（单项否决）：最后更新2021-08-12（已19天）", "2021-08-12"]


def test_print_css_sets_a4_margins_and_page_breaks(page: HTMLParser) -> None:
    css = page.css_first("style").text()
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }" in css
    assert "break-before: page" in css and "text-indent: 2em" in css


def test_text_from_findings_is_escaped(tmp_path: Path, august: dict, report_settings: ReportSettings) -> None:
    energy = next(s for s in august["sites"] if s["id"] == "1403000027")
    energy["name"] = "阳泉市<b>能源</b>局"
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    tree = HTMLParser(written(tmp_path / "x.html", render_html(model)).read_text(encoding="utf-8"))
    assert tree.css("td b") == [] and "阳泉市<b>能源</b>局" in tree.css_first("table.problems").text()
    assert tree.css("p.docno") == []


def test_template_environment_is_strict_and_escaping() -> None:
    env = environment()
    assert env.undefined is jinja2.StrictUndefined and env.autoescape is True
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ model.nothing }}").render(model=object())
