"""XML-illegal characters never lose a notice: removed at extraction and where text enters the report model."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from docx import Document

from monitor.config.load import shipped_settings
from monitor.config.settings import ReportSettings
from monitor.model.errors import ConfigError
from monitor.pages.columns import discover_columns
from monitor.pages.text import main_text, page_title
from monitor.pages.xmlsafe import XML_ILLEGAL, xml_safe, xml_safe_tree
from monitor.store.files import write_atomic
from reports.docx import render_docx
from reports.html import render_html
from reports.model import build_report

ILLEGAL = "\x00\x01\x08\x0b\x0c\x1f\ufffe\uffff\ud800\udfff"


def written(path: Path, content: str | bytes) -> Path:
    """The rendered notice, written where the test reads it."""
    return write_atomic(path, content, what=path.name)


def test_every_xml_illegal_character_is_removed_and_tab_newline_return_kept() -> None:
    assert xml_safe(f"a{ILLEGAL}b\t\n\rc\u00a0\u3000😀") == "ab\t\n\rc\u00a0\u3000😀"
    assert xml_safe_tree({"k\x01": ["v\x08", ("w\x0b",), 3, None]}) == {"k": ["v", ("w",), 3, None]}


def test_extracted_titles_column_names_and_page_text_carry_no_illegal_character() -> None:
    html = ("<html><head><title>政务\x01公开\ufffe</title><meta name='ColumnName' content='政策\x01解读'></head>"
            "<body><nav><a href='/zcjd/'>政策\x01解读</a><a href='/tzgg/'>通知\x08公告</a>"
            "<a href='/gzdt/'>工作动态</a></nav><div>正文\x0b内容\x1f。</div></body></html>")
    assert page_title(html) == "政务公开"
    assert "正文内容。" in main_text(html)
    kinds = shipped_settings().extract.column_kinds
    names = [c.name for c in discover_columns(html, "http://127.0.0.1:8001/", kinds)]
    assert "政策解读" in names and "通知公告" in names
    assert not any(XML_ILLEGAL.search(n) for n in names)


@pytest.fixture
def dirty(august: dict) -> dict:
    """August with a crawled column name holding \\x01 and registry names holding \\x08 (pasted from Word)."""
    doc = copy.deepcopy(august)
    for site in doc["sites"]:
        if site["name"] == "盂县人民政府":
            site["findings"][0]["column"] = "政策\x01解读"
            site["name"] = "盂县人民\x08政府"
    doc["accounts"][0]["name"] = doc["accounts"][0]["name"] + "\x08"
    return doc


def test_a_docx_renders_from_control_characters_and_reads_back_clean(
        tmp_path: Path, dirty: dict, report_settings: ReportSettings) -> None:
    settings = report_settings.model_copy(update={"office": "阳泉市人民政府\x08办公室"})
    model = build_report(dirty, history=[], settings=settings, doc_number="阳政办函\x01〔2021〕151号")
    path = written(tmp_path / "通报-2021-08.docx", render_docx(model))
    doc = Document(str(path))
    text = "\n".join([p.text for p in doc.paragraphs] +
                     [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "盂县人民政府" in text and "政策解读" in text and "阳泉市人民政府办公室" in text
    assert "阳政办函〔2021〕151号" in text
    assert XML_ILLEGAL.search(text) is None
    html = written(tmp_path / "通报-2021-08.html", render_html(model)).read_text(encoding="utf-8")
    assert "政策解读" in html and XML_ILLEGAL.search(html) is None


def test_a_requirements_template_with_a_control_character_renders(
        tmp_path: Path, august: dict, report_settings: ReportSettings) -> None:
    mine = tmp_path / "req.txt.j2"
    mine.write_text("（一）限期\x01整改。请于{{ deadline }}前报送。\n", encoding="utf-8")
    settings = report_settings.model_copy(update={"requirements_template": str(mine)})
    model = build_report(august, history=[], settings=settings)
    assert model.paragraphs[-1].spans[0].text == "（一）限期整改。"


@pytest.mark.parametrize("source", [
    "{{ office.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__ }}",
    "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
])
def test_a_requirements_template_reaching_for_python_internals_is_refused(
        tmp_path: Path, august: dict, report_settings: ReportSettings, source: str) -> None:
    mine = tmp_path / "evil.txt.j2"
    mine.write_text(source, encoding="utf-8")
    settings = report_settings.model_copy(update={"requirements_template": str(mine)})
    with pytest.raises(ConfigError, match=r"evil\.txt\.j2: template refused by the sandbox: .*unsafe"):
        build_report(august, history=[], settings=settings)


def test_the_notice_page_template_renders_in_the_sandbox() -> None:
    from jinja2.sandbox import SandboxedEnvironment

    from reports.html import environment

    env = environment()
    assert isinstance(env, SandboxedEnvironment) and env.autoescape is True
