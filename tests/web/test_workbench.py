"""`govmon serve`'s pages against a real uvicorn and a real SQLite store: what each page shows,
a review decision changing the notice (HTML and DOCX read back) and the pass rates, refusals,
exports with formula-looking cells made inert, and hostile crawled text escaped."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import httpx
from docx import Document
from openpyxl import load_workbook

from tests.web.conftest import Workbench, city

SUBURB = "1403110001"  # 阳泉市郊区人民政府: failed in September by one veto (留言超过3个月未回复)


def only_fault(document: dict[str, Any], target_id: str) -> str:
    target = next(t for t in document["sites"] if t["id"] == target_id)
    return next(f["id"] for f in target["findings"] if f["severity"] == "veto")


def dismiss(client: httpx.Client, finding_id: str, reason: str = "留言已于9月20日答复，核实不属实",
            target_id: str = SUBURB, **extra: str) -> httpx.Response:
    return client.post("/review", data={"month": "2021-09", "kind": "site", "target_id": target_id,
                                        "finding_id": finding_id, "action": "dismiss", "reviewer": "李明",
                                        "reason": reason, "back": f"/units/site/{target_id}?month=2021-09", **extra})


def docx_text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_overview_lists_every_month_with_reviewed_totals_and_a_rate_chart(workbench: Workbench) -> None:
    with workbench.client() as client:
        page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert html.index('href="/months/2021-09"') < html.index('href="/months/2021-08"')
    for rate in ("87.9%", "89.7%", "93.9%", "97.7%"):
        assert rate in html
    assert "<svg" in html and html.count("<circle") == 4 and "合格率趋势" in html
    assert "cdn" not in html.lower() and "<script" not in html


def test_month_page_names_failing_units_with_their_clauses_and_the_review_state(workbench: Workbench) -> None:
    with workbench.client() as client:
        html = client.get("/months/2021-09").text
        missing = client.get("/months/2021-07")
    assert missing.status_code == 404
    assert "不合格单位（13）" in html and "阳泉市郊区人民政府" in html
    assert "互动回应差：政务咨询类栏目留言超过3个月未回复" in html
    assert "栏目不更新：动态要闻类栏目2周未更新（累计5个，≥5个单项否决）" in html
    assert "0</b> / 110 项已复核" in html
    assert "待复核的提示（" in html and "未能完成检查（0）" in html
    for link in ("notice.html", "notice.docx", "checklist.docx", "findings.csv", "findings.xlsx"):
        assert f'href="/months/2021-09/{link}"' in html


def test_dismissing_a_veto_takes_the_unit_out_of_the_notice_and_raises_the_pass_rate(workbench: Workbench) -> None:
    fid = only_fault(city("2021-09"), SUBURB)
    with workbench.client() as client:
        before_html = client.get("/months/2021-09/notice.html").text
        before_docx = docx_text(client.get("/months/2021-09/notice.docx").content)
        answer = dismiss(client, fid)
        assert answer.status_code == 303 and answer.headers["location"] == f"/units/site/{SUBURB}?month=2021-09"
        after = client.get("/months/2021-09/notice.docx")
        after_html = client.get("/months/2021-09/notice.html").text
        month = client.get("/months/2021-09").text
        unit = client.get(f"/units/site/{SUBURB}?month=2021-09").text
    named = "“阳泉市郊区人民政府”网站"
    assert "合格率为87.9%" in before_html and "合格率为87.9%" in before_docx and named in before_docx
    assert after.headers["content-disposition"] == "attachment; filename*=UTF-8''%E9%80%9A%E6%8A%A5-2021-09.docx"
    text = docx_text(after.content)
    assert "不合格政府网站3家，合格率为90.9%" in text and "合格率为90.9%" in after_html
    assert named not in text and named not in after_html and "留言超过3个月未答复" not in text
    assert "不合格单位（12）" in month and "复核改变的结论（1）" in month
    assert "留言已于9月20日答复，核实不属实（李明）" in month
    assert "已排除（不计入结论和通报）" in unit and "机器结论" in unit
    decisions = workbench.store.decisions()
    assert [(d.action, d.reviewer, d.finding_id) for d in decisions] == [("dismiss", "李明", fid)]


def test_govmon_report_renders_the_same_reviewed_state(workbench: Workbench, tmp_path, monkeypatch, capsys) -> None:
    from monitor.cli import main

    with workbench.client() as client:
        assert dismiss(client, only_fault(city("2021-09"), SUBURB)).status_code == 303
        served = client.get("/months/2021-09/notice.html").text
    monkeypatch.setattr("sys.argv", ["govmon", "report", "--month", "2021-09", "--db", workbench.db_url,
                                     "--out", str(tmp_path), "--format", "html"])
    try:
        main()
    except SystemExit as exc:
        assert not exc.code
    written = (tmp_path / "通报-2021-09.html").read_text(encoding="utf-8")
    assert "合格率为90.9%" in written and "“阳泉市郊区人民政府”网站" not in written
    assert written == served


def test_a_dismissal_without_a_reason_or_reviewer_is_refused_and_nothing_is_recorded(workbench: Workbench) -> None:
    fid = only_fault(city("2021-09"), SUBURB)
    with workbench.client() as client:
        no_reason = dismiss(client, fid, reason="  ")
        no_name = client.post("/review", data={"month": "2021-09", "kind": "site", "target_id": SUBURB,
                                               "finding_id": fid, "action": "dismiss", "reason": "不属实"})
        unknown = dismiss(client, f"{SUBURB}/interaction_unanswered/0000000000")
    assert no_reason.status_code == 400 and "排除问题须填写理由" in no_reason.text
    assert no_name.status_code == 400 and "请填写复核人姓名" in no_name.text
    assert unknown.status_code == 404
    assert workbench.store.decisions() == []


def test_a_post_from_another_origin_is_refused(workbench: Workbench) -> None:
    fid = only_fault(city("2021-09"), SUBURB)
    with workbench.client() as client:
        forged = client.post("/review", headers={"Origin": "http://evil.example"},
                             data={"month": "2021-09", "kind": "site", "target_id": SUBURB, "finding_id": fid,
                                   "action": "dismiss", "reviewer": "x", "reason": "y"})
        same = client.post(
            "/review", headers={"Origin": workbench.base},
            data={"month": "2021-09", "kind": "site", "target_id": SUBURB, "finding_id": fid, "action": "confirm",
                  "reviewer": "李明", "reason": ""})
    assert forged.status_code == 403 and same.status_code == 303
    assert [d.action for d in workbench.store.decisions()] == ["confirm"]


def test_an_override_to_fail_needs_a_fault_to_state_and_one_to_not_inspected_is_counted_apart(
        workbench: Workbench) -> None:
    base = {"month": "2021-09", "kind": "site", "action": "override", "reviewer": "李明"}
    with workbench.client() as client:
        refused = client.post("/review", data={**base, "target_id": "1403000006", "verdict": "fail", "reason": "复查"})
        taken = client.post("/review", data={**base, "target_id": "1403220001", "verdict": "not_inspected",
                                             "reason": "网站迁移改版中"})
        month = client.get("/months/2021-09").text
        notice = client.get("/months/2021-09/notice.html").text
    assert refused.status_code == 400 and "改判为不合格须有未被排除的问题" in refused.text
    assert taken.status_code == 303
    assert "未能完成检查：人工复核——网站迁移改版中" in month
    assert "完成检查的32家政府网站中，不合格政府网站3家，合格率为90.6%" in notice
    assert "“盂县人民政府”网站" not in notice


def test_findings_export_escapes_formula_cells_in_csv_and_xlsx(make_workbench: Callable[..., Workbench]) -> None:
    sept = city("2021-09")
    portal = next(t for t in sept["sites"] if t["id"] == "1403000001")
    error = next(f for f in portal["findings"] if f["check"] == "expression_error")
    error["context"] = '=HYPERLINK("http://127.0.0.1/x","点击")截止目前'
    portal["name"] = "@SUM(A1:A9)"
    portal["owner"] = "-2+3"
    bench = make_workbench([sept])
    with bench.client() as client:
        csv_body = client.get("/months/2021-09/findings.csv")
        xlsx_body = client.get("/months/2021-09/findings.xlsx")
    assert csv_body.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(csv_body.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["月份", "类型", "标识", "名称"] and len(rows) == 1 + 110
    portal_rows = [r for r in rows if r[2] == "1403000001"]
    assert {(r[3], r[4]) for r in portal_rows} == {("'@SUM(A1:A9)", "'-2+3")}
    sheet = load_workbook(io.BytesIO(xlsx_body.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 111
    assert all(not (isinstance(v, str) and v[:1] in "=+-@") for row in values for v in row)
    assert ["'@SUM(A1:A9)", "'-2+3"] in [r[3:5] for r in values]


def test_hostile_crawled_text_is_escaped_on_every_page(make_workbench: Callable[..., Workbench]) -> None:
    sept = city("2021-09")
    portal = next(t for t in sept["sites"] if t["id"] == "1403000001")
    error = next(f for f in portal["findings"] if f["check"] == "expression_error")
    error["context"] = "<script>alert('x')</script>截止目前<img src=x onerror=alert(1)>"
    dead = next(f for f in portal["findings"] if f["check"] == "dead_link")
    dead["url"] = "javascript:alert(document.cookie)"
    portal["name"] = "阳泉市人民政府<b onmouseover=alert(2)>"
    bench = make_workbench([sept])
    with bench.client() as client:
        pages = [client.get(p).text for p in ("/", "/months/2021-09", "/units/site/1403000001")]
    unit = pages[2]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html and "<b onmouseover" not in html
    assert "上下文：&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;<b>截止目前</b>&lt;img src=x onerror=alert(1)&gt;" in unit
    assert 'href="javascript:' not in unit and "javascript:alert(document.cookie)" in unit
    assert "阳泉市人民政府&lt;b onmouseover=alert(2)&gt;" in unit


def test_unit_page_shows_evidence_highlight_suggestion_probe_chart_and_history(workbench: Workbench) -> None:
    with workbench.client() as client:
        site = client.get("/units/site/1403000001?month=2021-09").text
        account = client.get("/units/account/wechat-yangquanshuiwu?month=2021-09").text
        other = client.get("/units/site/1403000001?month=2021-08").text
        absent = client.get("/units/site/0000000000")
    assert "截止目前</mark>" in site and "建议改为：<b>截至目前</b>" in site
    assert "链接所在页面" in site and "内容哈希 <code>5ba8f16ffeca56b9</code>" in site
    assert "首页探测记录（2021-09）" in site and 'class="probe-fail"' in site and "共348次" in site
    assert site.index("2021-09 发现的问题") < site.index("2021-08 发现的问题")
    assert "每自然周发布条数（2021-09）" in account and "每周至少3条" in account
    assert re.search(r"2021-09-06 起一周：[0-9]+条", account)
    assert "首页探测记录（2021-08）" in other
    assert absent.status_code == 404


def test_a_dismissal_shown_in_a_later_month_says_where_it_came_from(workbench: Workbench) -> None:
    aug = city("2021-08")
    finance = next(t for t in aug["sites"] if t["id"] == "1403000005")
    fid = finance["findings"][0]["id"]
    with workbench.client() as client:
        answer = client.post("/review", data={"month": "2021-08", "kind": "site", "target_id": "1403000005",
                                              "finding_id": fid, "action": "dismiss", "reviewer": "李明",
                                              "reason": "栏目已撤并"})
        unit = client.get("/units/site/1403000005?month=2021-09").text
        overview = client.get("/").text
    assert answer.status_code == 303
    assert unit.count("沿用2021-08的复核") == 1 and unit.count("已排除（李明") == 2
    assert "1 / 110" in overview and "1 / 46" in overview


def test_a_later_decision_supersedes_and_both_stay_in_the_unit_review_log(workbench: Workbench) -> None:
    fid = only_fault(city("2021-09"), SUBURB)
    with workbench.client() as client:
        assert dismiss(client, fid, reason="初核：留言已答复").status_code == 303
        assert "合格率为90.9%" in client.get("/months/2021-09/notice.html").text
        again = client.post("/review", data={"month": "2021-09", "kind": "site", "target_id": SUBURB,
                                             "finding_id": fid, "action": "confirm", "reviewer": "王芳",
                                             "reason": "复核：答复在超期之后"})
        unit = client.get(f"/units/site/{SUBURB}?month=2021-09").text
        notice = client.get("/months/2021-09/notice.html").text
    assert again.status_code == 303 and "合格率为87.9%" in notice
    assert "复核记录（2条" in unit
    log = unit[unit.index('<ol class="log">'):unit.index("</ol>")]
    assert log.index("王芳") < log.index("李明")
    assert re.search(r'<li class="superseded">[^<]*李明\s*排除', log) and "复核：答复在超期之后" in log
    assert [d.action for d in workbench.store.decisions()] == ["dismiss", "confirm"]


def test_unit_page_shows_the_judged_page_text_with_the_wrong_words_highlighted(workbench: Workbench) -> None:
    with workbench.client() as client:
        unit = client.get("/units/site/1403000001?month=2021-09").text
    box = unit[unit.index('<div class="pagetext"'):]
    box = box[:box.index("</div>")]
    assert box.endswith("会组织管理各项工作抓实抓细。\n<mark>截止目前</mark>，社会组织管理各项任务已完成年度目标。\n下一步将继续推进。")
    assert "第一段&lt;script&gt;alert(1)&lt;/script&gt;" in unit and "<script>alert(1)" not in unit
    assert "读取于 2021-09-30 15:00:00" in unit and "内容哈希 <code>ab12cd34ef56ab78</code>" in unit
    assert "建议改为：<b>截至目前</b>" in unit
    # August's error was on a page whose text no stored snapshot holds: its context is shown instead
    assert "点工作任务，实行清单化管理。 <mark>截止目前</mark>，社会组织管理各项任务已完成年" in unit
    assert unit.count("（页面正文未存储，仅显示上下文）") == 1


def test_an_empty_store_shows_an_overview_that_says_so(make_workbench: Callable[..., Workbench]) -> None:
    bench = make_workbench([])
    with bench.client() as client:
        overview = client.get("/")
        month = client.get("/months/2021-09")
        bad = client.get("/months/2021-13")
    assert overview.status_code == 200 and "数据库中还没有完成的月度检查" in overview.text
    assert month.status_code == 404 and bad.status_code == 404


def test_a_confirmed_notice_is_marked_in_the_checklist_and_a_dismissed_one_leaves_it(workbench: Workbench) -> None:
    sept = city("2021-09")
    notices = [(t["id"], f["id"]) for t in sept["accounts"] for f in t["findings"]
               if f["check"] == "update_frequency" and f["severity"] == "notice"]
    base = {"month": "2021-09", "kind": "account", "reviewer": "李明"}
    with workbench.client() as client:
        before = client.get("/months/2021-09/checklist.html").text
        ok = client.post("/review", data={**base, "target_id": notices[0][0], "finding_id": notices[0][1],
                                          "action": "confirm"})
        gone = client.post("/review", data={**base, "target_id": notices[1][0], "finding_id": notices[1][1],
                                            "action": "dismiss", "reason": "该周发布记录已补齐，核实不属实"})
        after = client.get("/months/2021-09/checklist.html").text
        docx = docx_text(client.get("/months/2021-09/checklist.docx").content)
    assert ok.status_code == gone.status_code == 303
    assert "（已人工核实：李明）" not in before and after.count("（已人工核实：李明）") == 1
    assert "（已人工核实：李明）" in docx
    assert after.count("疑似更新不及时") == before.count("疑似更新不及时") - 1 == len(notices) - 1
