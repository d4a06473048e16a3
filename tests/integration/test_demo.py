"""``govmon demo``: the simulated city's two months give the real notices' figures.

The demo is run once (as a user would, through the console script); every figure below is
computed by the real pipeline — crawler, feeds, checks, scoring, reports — on the simulated web.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tomllib
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from monitor.store.store import Store

pytestmark = pytest.mark.slow

GOVMON = str(Path(sys.executable).parent / "govmon")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("demo") / "govmon-demo"
    out.mkdir()
    (out / "govmon.db").write_bytes(b"left over from an earlier run, not a database")
    done = subprocess.run([GOVMON, "demo", "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done


def findings(out: Path, month: str) -> dict[str, Any]:
    return json.loads((out / f"findings-{month}.json").read_text(encoding="utf-8"))


def failing(document: dict[str, Any], kind: str) -> set[str]:
    return {t["id"] for t in document[kind] if t["verdict"] == "fail"}


def test_the_demo_prints_where_both_notices_are(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, done = demo
    for month in ("2021-08", "2021-09"):
        for name in (f"通报-{month}.html", f"通报-{month}.docx", f"findings-{month}.json"):
            assert str(out / name) in done.stdout
            assert (out / name).stat().st_size > 0
    assert "2021-08-10" in done.stderr and "inspection as of 2021-09-30" in done.stderr


def test_august_2021_gives_the_august_notice_figures(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    august = findings(demo[0], "2021-08")
    s = august["summary"]
    assert (s["sites_total"], s["sites_failed"], s["sites_pass_rate"]) == (33, 2, 93.9)
    assert (s["accounts_total"], s["accounts_failed"], s["accounts_pass_rate"]) == (87, 2, 97.7)
    assert s["sites_not_inspected"] == s["accounts_not_inspected"] == 0
    assert (s["sites_checked"], s["accounts_checked"]) == (33, 87)
    assert "xigua-yangquangaoxinqu" in failing(august, "accounts")


def test_august_names_both_duplicate_account_pairs_without_failing_them(
        demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    august = findings(demo[0], "2021-08")
    groups = {(f["owner"], tuple(f["accounts"])) for a in august["accounts"] for f in a["findings"]
              if f["check"] == "duplicate_account"}
    assert groups == {
        ("阳泉市市场监督管理局", ("wechat-yangquanshifeigongqiyedangjian", "wechat-yangquanshishichangjianduguanliju")),
        ("阳泉市公安局郊区分局", ("wechat-laoyugushihui", "wechat-yangquanjiaoqugongan")),
    }
    named = {a["name"] for a in august["accounts"] if any(f["check"] == "duplicate_account" for f in a["findings"])}
    assert named == {"阳泉市非公企业党建", "阳泉市市场监督管理局", "老余故事汇", "阳泉郊区公安"}
    assert not named & {a["name"] for a in august["accounts"] if a["verdict"] == "fail"}


def test_september_2021_gives_the_september_notice_figures(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    september = findings(demo[0], "2021-09")
    s = september["summary"]
    assert (s["sites_total"], s["sites_failed"], s["sites_pass_rate"]) == (33, 4, 87.9)
    assert (s["accounts_total"], s["accounts_failed"], s["accounts_pass_rate"]) == (87, 9, 89.7)


def test_the_xigua_account_fails_both_months_and_is_called_unrectified(
        demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out = demo[0]
    for month in ("2021-08", "2021-09"):
        account = next(a for a in findings(out, month)["accounts"] if a["id"] == "xigua-yangquangaoxinqu")
        assert (account["platform"], account["name"], account["verdict"]) == ("xigua", "阳泉高新区", "fail")
        assert any(f["check"] == "stale_account" and f["severity"] == "veto" for f in account["findings"])
    html = (out / "通报-2021-09.html").read_text(encoding="utf-8")
    assert "多次督促后仍未整改" in html and "“阳泉高新区”" in html


def test_september_names_the_account_that_had_not_finished_its_migration(
        demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out = demo[0]
    registry = tomllib.loads((out / "registry.toml").read_text(encoding="utf-8"))
    filed = next(a for a in registry["accounts"] if a["name"] == "阳泉城管服务")
    assert (filed["platform"], filed["status"], filed["deadline"]) == ("wechat", "migrating", date(2021, 8, 31))
    for month, expected in (("2021-08", []), ("2021-09", [("deduct", "migrating", "2021-08-31", "2021-09-30")])):
        account = next(a for a in findings(out, month)["accounts"] if a["name"] == "阳泉城管服务")
        found = [(f["severity"], f["status"], f["deadline"], f["last_post"]) for f in account["findings"]
                 if f["check"] == "account_not_retired"]
        assert (found, account["verdict"]) == (expected, "pass")
    september = (out / "通报-2021-09.html").read_text(encoding="utf-8")
    assert "“阳泉城管服务”未按期完成迁移" in september
    assert "阳泉城管服务" not in (out / "通报-2021-08.html").read_text(encoding="utf-8")


def test_a_dead_feed_is_named_only_as_could_not_be_read(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    for month, account_id, status in (("2021-08", "weibo-yangquanwenlv", 503), ("2021-09", "wechat-yangquanjiaoyu", 502)):
        account = next(a for a in findings(demo[0], month)["accounts"] if a["id"] == account_id)
        assert [(f["check"], f["severity"], f["status"]) for f in account["findings"]] == [
            ("feed_unreachable", "notice", status)]
        assert account["verdict"] == "pass"


def test_both_notices_state_their_figures_in_html_and_docx(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out = demo[0]
    for month, figures in (("2021-08", ("33", "93.9%", "87", "97.7%")), ("2021-09", ("87.9%", "89.7%"))):
        html = (out / f"通报-{month}.html").read_text(encoding="utf-8")
        docx = "\n".join(p.text for p in Document(str(out / f"通报-{month}.docx")).paragraphs)
        for figure in figures:
            assert figure in html and figure in docx, (month, figure)
    august = (out / "通报-2021-08.html").read_text(encoding="utf-8")
    assert "阳泉市非公企业党建" in august and "阳泉市公安局郊区分局" in august


def test_the_demo_database_is_fresh_and_holds_both_months(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    store = Store(f"sqlite:///{demo[0] / 'govmon.db'}")
    try:
        assert store.periods() == ["2021-08", "2021-09"]
        assert store.inspection("2021-08")["as_of"] == "2021-08-31"
    finally:
        store.close()


def test_the_servers_are_stopped_when_the_demo_ends(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    registry = tomllib.loads((demo[0] / "registry.toml").read_text(encoding="utf-8"))
    for site in registry["sites"][:5]:
        port = int(site["url"].rstrip("/").rsplit(":", 1)[1])
        with socket.socket() as sock:
            sock.settimeout(1)
            assert sock.connect_ex(("127.0.0.1", port)) != 0, site["url"]


def test_a_database_holding_the_demo_months_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "used.db"
    store = Store(f"sqlite:///{db}")
    store.save_result("2021-08", "site", "1403000001", "2021-08-31", {"id": "1403000001", "verdict": "pass"},
                      at=datetime(2021, 9, 1, tzinfo=timezone.utc))
    store.close()
    done = subprocess.run([GOVMON, "demo", "--out", str(tmp_path / "out"), "--db", str(db)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and "2021-08" in done.stderr


def test_both_notices_state_only_fault_findings_and_the_checklist_holds_the_notices(
        demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    from monitor.config.load import load_settings
    from reports.model import build_report
    from tests.reports.evidence_check import assert_no_notice_stated_as_fault, assert_problems_rest_on_faults

    out = demo[0]
    for month in ("2021-08", "2021-09"):
        document = findings(out, month)
        model = build_report(document, history=[], settings=load_settings().report)
        assert assert_problems_rest_on_faults(model, document) >= 10, month
        assert_no_notice_stated_as_fault(model, document)
        notice = (out / f"通报-{month}.html").read_text(encoding="utf-8")
        checklist = (out / f"通报-{month}-核实清单.html").read_text(encoding="utf-8")
        assert "接近单项否决" not in notice and "未能获取更新情况" not in notice
        assert "（此件不公开）" in checklist and "内部工作材料" in checklist
    august = (out / "通报-2021-08.html").read_text(encoding="utf-8")
    august_checklist = (out / "通报-2021-08-核实清单.html").read_text(encoding="utf-8")
    assert "“阳泉文旅”" not in august and "新浪微博“阳泉文旅”" in august_checklist
    assert "未能获取更新情况：内容源无法读取" in august_checklist
    assert "“阳泉市审计局”网站" in august_checklist and "接近单项否决：栏目不更新4个" in august_checklist
