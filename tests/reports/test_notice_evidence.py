"""The notice says only what the findings prove (issue 9, point 7).

A stored findings document holding every kind of outcome — faults, a unit not inspected, a dead
feed, a suspected expression error, a near miss, a crashed check — is rendered to HTML and DOCX
(read back with python-docx) and to the office's checklist; each statement is checked against
the findings through the ids the model carries.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from monitor.config.settings import ReportSettings
from monitor.model.document import pass_rate
from monitor.store.files import write_atomic
from reports.body import Span
from reports.docx import render_docx, render_review_docx
from reports.evidence import Claim, UnprovenStatement, finding_id
from reports.html import render_html, render_review_html
from reports.model import build_report
from tests.reports.conftest import finding
from tests.reports.evidence_check import (
    assert_no_notice_stated_as_fault,
    assert_problems_rest_on_faults,
    findings_by_id,
    problem_paragraphs,
)

EDU, JIAOTONG, STATS = "1403000003", "1403000014", "1403000024"
WENLV, RENSHE = "a020", "a030"


def written(path: Path, content: str | bytes) -> Path:
    """The rendered notice, written where the test reads it."""
    return write_atomic(path, content, what=path.name)


def _with_outcomes(august: dict[str, Any]) -> dict[str, Any]:
    """August plus: a site not inspected (home page unreachable) carrying a notice, an account whose
    feed answered 404 (a pass with a notice), a suspected expression error, a crashed check."""
    doc = copy.deepcopy(august)
    sites = {s["id"]: s for s in doc["sites"]}
    accounts = {a["id"]: a for a in doc["accounts"]}
    stats = sites[STATS]
    stats.update(verdict="not_inspected", score=None, error="home_unreachable",
                 reason="未能完成检查：首页无法访问，未能读取网站内容（监测期内3次探测均失败）",
                 findings=[finding("unreachable", "notice", stats["url"], probes=3, failed=3, reason="too_few_probes")])
    accounts[WENLV]["findings"] = [finding("feed_unreachable", "notice", "http://127.0.0.1:8002/wenlv.xml",
                                           status=404, error=None)]
    jiaotong = sites[JIAOTONG]
    jiaotong["findings"] = [
        finding("expression_error", "notice", f"{jiaotong['url']}art/1.html", text="正协调", suggestion="政协",
                category="A", rule="near_miss", context="各部门正协调解决"),
        finding("check_error", "notice", jiaotong["url"], failed_check="service_guide_incomplete",
                error="ValueError: boom")]
    accounts[RENSHE]["findings"] = [finding("stale_account", "notice", reason="insufficient_data", last_update=None)]
    return doc


@pytest.fixture
def document(august: dict[str, Any]) -> dict[str, Any]:
    return _with_outcomes(august)


@pytest.fixture
def model(document: dict[str, Any], report_settings: ReportSettings):  # type: ignore[no-untyped-def]
    return build_report(document, history=[], settings=report_settings, doc_number=None, issue_date=None)


def _docx_text(path: Path) -> tuple[str, list[list[str]]]:
    doc = Document(str(path))
    rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    return "\n".join(p.text for p in doc.paragraphs), rows


def test_every_unit_in_the_problems_has_a_fault_finding_of_that_category(model, document) -> None:  # type: ignore[no-untyped-def]
    assert assert_problems_rest_on_faults(model, document) == 7
    assert_no_notice_stated_as_fault(model, document)


def test_notices_are_nowhere_in_the_public_notice_html_or_docx(tmp_path: Path, model, document) -> None:  # type: ignore[no-untyped-def]
    html = HTMLParser(written(tmp_path / "n.html", render_html(model)).read_text(encoding="utf-8")).body.text()
    text, rows = _docx_text(written(tmp_path / "n.docx", render_docx(model)))
    names = {t["id"]: t["name"] for key in ("sites", "accounts") for t in document[key]}
    for target_id in (STATS, WENLV, RENSHE, JIAOTONG):
        for body in (html, text, "\n".join(c for r in rows for c in r)):
            assert f"“{names[target_id]}”" not in body and names[target_id] not in {r[1] for r in rows}
    for words in ("正协调", "接近单项否决", "未能获取更新情况", "无法获取", "check_error", "请人工核实"):
        assert words not in html and words not in text, words


def test_unit_not_inspected_is_outside_the_failing_list_the_problems_and_the_rate(
        tmp_path: Path, model, document) -> None:  # type: ignore[no-untyped-def]
    stats = next(s for s in document["sites"] if s["id"] == STATS)
    assert (model.sites.total, model.sites.checked, model.sites.failed, model.sites.not_inspected) == (33, 32, 2, 1)
    assert float(model.sites.rate) == pass_rate(32, 2) and model.sites.rate_text == "93.8%"
    overall = next(p for p in model.paragraphs if p.text.startswith("全市普查范围内"))
    assert "经检查，完成检查的32家政府网站中，不合格政府网站2家，合格率为93.8%" in overall.text
    assert "另有政府网站1家因首页无法访问未能完成检查，不计入合格率，将另行核实。" in overall.text
    assert "市直单位政府网站27家（不合格1家，未能完成检查1家）" in model.body_text
    assert f"“{stats['name']}”" not in model.body_text
    assert all(u.cells[1] != stats["name"] for a in model.attachments for u in a.units)
    review_html = HTMLParser(written(tmp_path / "r.html", render_review_html(model)).read_text(encoding="utf-8"))
    review_docx, review_rows = _docx_text(written(tmp_path / "r.docx", render_review_docx(model)))
    section = review_html.css("section.review-section")[0]
    assert section.css_first("h2").text() == "一、未能完成检查的网站和账号"
    cells = [td.text(strip=True) for td in section.css("tbody tr")[0].css("td")]
    assert cells[1:4] == [f"“{stats['name']}”网站", stats["owner"], "未能完成检查：首页无法访问，未能读取网站内容（监测期内3次探测均失败）"]
    assert [f"“{stats['name']}”网站", "未能完成检查：首页无法访问，未能读取网站内容（监测期内3次探测均失败）"] == [
        r for r in review_rows if r[1] == f"“{stats['name']}”网站"][0][1:4:2]
    assert "一、未能完成检查的网站和账号" in review_docx and "（此件不公开）" in review_docx
    assert "内部工作材料" in review_docx.splitlines()[0]


def test_the_checklist_lists_each_notice_under_its_own_heading(model, document) -> None:  # type: ignore[no-untyped-def]
    rows = {s.heading: [(u.cells[1], [p[0] for p in u.problems]) for u in s.table.units] for s in model.review.sections}
    names = {t["id"]: t["name"] for key in ("sites", "accounts") for t in document[key]}
    assert list(rows) == ["一、未能完成检查的网站和账号", "二、未能获取更新情况的账号", "三、接近单项否决的网站和账号",
                          "四、疑似问题和未能判定的事项"]
    assert rows["一、未能完成检查的网站和账号"] == [(f"“{names[STATS]}”网站", [
        "未能完成检查：首页无法访问，未能读取网站内容（监测期内3次探测均失败）", "站点无法访问未能判定：监测期内探测次数不足"])]
    assert rows["二、未能获取更新情况的账号"] == [(f"微信公众号“{names[WENLV]}”", ["未能获取更新情况：内容源无法读取（HTTP 404）"])]
    assert rows["三、接近单项否决的网站和账号"] == [(f"“{names[EDU]}”网站", ["接近单项否决：栏目不更新4个（5个单项否决）"])]
    assert rows["四、疑似问题和未能判定的事项"] == [
        (f"“{names[JIAOTONG]}”网站", ["疑似严重表述错误1处：“正协调”应为“政协”，请人工核实", "检查程序出错，未能判定办事指南要素"]),
        (f"微信公众号“{names[RENSHE]}”", ["账号更新情况未能判定：监测数据不足"])]
    found = findings_by_id(document)
    for section in model.review.sections:
        for unit in section.table.units:
            for claim in unit.claims:
                assert claim.states in ("notice", "not_inspected")
                assert all(found[i][1]["severity"] == "notice" for i in claim.ids)


def test_counts_in_the_text_are_counts_of_distinct_findings(august: dict, report_settings: ReportSettings) -> None:
    yu = next(s for s in august["sites"] if s["id"] == "1403220001")
    yu["findings"].append(copy.deepcopy(yu["findings"][0]))  # the same finding stored twice
    energy = next(s for s in august["sites"] if s["id"] == "1403000027")
    energy["findings"] += [copy.deepcopy(f) for f in energy["findings"] if f["check"] == "dead_link"]
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    assert "存在空白栏目5个（政策解读、人事信息、规划计划等）" in model.body_text
    assert "存在无效链接6个（其中首页3个）" in model.body_text
    yu_rows = next(u for u in model.attachments[0].units if u.cells[2] == "1403220001")
    assert len(yu_rows.problems) == 5


def test_stored_ids_are_cited_as_stored(august: dict, report_settings: ReportSettings) -> None:
    energy = next(s for s in august["sites"] if s["id"] == "1403000027")
    energy["findings"][0]["id"] = "1403000027/stale_homepage/stored1"
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    claims = [s.claim for p in problem_paragraphs(model) for s in p.spans if s.claim and s.claim.check == "stale_homepage"]
    assert [c.ids for c in claims] == [("1403000027/stale_homepage/stored1",)]
    computed = finding_id("x", {"check": "c", "url": "u", "severity": "veto", "points": 0})
    assert computed == finding_id("x", {"check": "c", "url": "u", "severity": "veto", "points": 1, "clause": "other"})
    assert computed.startswith("x/c/") and len(computed) == len("x/c/") + 10


def test_rendering_refuses_a_sentence_without_findings(tmp_path: Path, model, document) -> None:  # type: ignore[no-untyped-def]
    index = next(i for i, p in enumerate(model.paragraphs) if p.text.startswith("（一）网站方面。"))
    paragraph = model.paragraphs[index]
    unproven = [Span(s.text) if s.claim else s for s in paragraph.spans]
    bad = _replace_paragraph(model, index, unproven)
    for render in (render_html, render_docx):
        with pytest.raises(UnprovenStatement, match="without citing a finding"):
            render(bad)


def test_rendering_refuses_a_notice_finding_stated_as_a_fault(tmp_path: Path, model, document) -> None:  # type: ignore[no-untyped-def]
    jiaotong = next(s for s in document["sites"] if s["id"] == JIAOTONG)
    notice_id = finding_id(JIAOTONG, jiaotong["findings"][0])
    span = Span(f"“{jiaotong['name']}”网站出现严重表述错误",
                claim=Claim("fault", (("site", JIAOTONG),), (notice_id,), "expression_error"))
    index = next(i for i, p in enumerate(model.paragraphs) if p.text.startswith("（一）网站方面。"))
    bad = _replace_paragraph(model, index, [*model.paragraphs[index].spans, span])
    with pytest.raises(UnprovenStatement, match="is a notice, not a fault"):
        written(tmp_path / "bad.html", render_html(bad))
    wrong = Span(f"“{jiaotong['name']}”网站首页更新不及时",
                 claim=Claim("fault", (("site", JIAOTONG),), (notice_id,), "stale_homepage"))
    with pytest.raises(UnprovenStatement):
        written(tmp_path / "bad.html", render_html(_replace_paragraph(model, index, [wrong])))


def test_a_failing_unit_without_fault_findings_is_refused(tmp_path: Path, august: dict,
                                                         report_settings: ReportSettings) -> None:
    august["sites"][0]["verdict"] = "fail"
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    with pytest.raises(UnprovenStatement, match="carries no finding ids"):
        written(tmp_path / "x.docx", render_docx(model))


def _replace_paragraph(model, index: int, spans: list[Span]):  # type: ignore[no-untyped-def]
    from dataclasses import replace
    paragraphs = list(model.paragraphs)
    paragraphs[index] = replace(paragraphs[index], spans=tuple(spans))
    return replace(model, paragraphs=tuple(paragraphs))


def test_rendering_refuses_an_attachment_row_citing_a_notice(tmp_path: Path, model, document) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace
    sites = model.attachments[0]
    unit = sites.units[0]
    education = next(s for s in document["sites"] if s["id"] == EDU)
    near_miss = finding_id(EDU, next(f for f in education["findings"] if f.get("near_miss")))
    forged = replace(unit, claims=(Claim("fault", unit.claim.units, (near_miss,), "stale_column"), *unit.claims[1:]))
    bad = replace(model, attachments=(replace(sites, units=(forged, *sites.units[1:])), *model.attachments[1:]))
    with pytest.raises(UnprovenStatement, match="belongs to another unit|is a notice"):
        written(tmp_path / "bad.docx", render_docx(bad))
