"""The rectification workflow on the simulated city (127.0.0.1), real SQLite and the real CLI:
a failing site is notified with a working-day deadline, re-checked (not fixed, could not read,
fixed) and closed; the next notice reads the case."""

from __future__ import annotations

import asyncio
import copy
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from monitor.config.load import load_settings
from monitor.crawl.crawler import crawl_site
from monitor.crawl.linkcheck import LinkChecker
from monitor.judge.engine import judge_site
from monitor.model.document import findings_document
from monitor.model.period import Period
from monitor.net.fetch import Fetcher
from monitor.registry.model import parse_registry
from monitor.run.report import render_month
from monitor.sandbox.city import DEAD_KEYS, city_builder, city_registry, serve_city
from monitor.sandbox.city_units import site_by_id
from monitor.sandbox.server import Route
from monitor.store.store import Store

pytestmark = pytest.mark.slow
FORESTRY = "1403000024"  # 市林业局: everything stopped after 5 August, resumed on 10 September
ENV = {"GOVMON_CRAWL__ALLOW_PRIVATE": "true"}


def _govmon(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", *args, "--db", str(tmp_path / "g.db")],
                          capture_output=True, text=True, timeout=240, cwd=tmp_path, env={**os.environ, **ENV})


def _inspect_forestry(registry_text: str, as_of: date) -> dict:
    settings = load_settings(environ=ENV)
    registry = parse_registry(registry_text)
    site = registry.site(FORESTRY)

    async def run() -> dict:
        async with Fetcher(settings.crawl, settings.links) as fetcher:
            snap = await crawl_site(site, settings=settings, fetcher=fetcher,
                                    linkchecker=LinkChecker(fetcher, settings.links), as_of=as_of)
        return judge_site(site, snap, period=Period.for_as_of(as_of), settings=settings, registry=registry)

    return asyncio.run(run())


def test_a_failing_site_is_notified_rechecked_and_closed(tmp_path: Path) -> None:
    with serve_city(date(2021, 8, 31)) as city:
        registry = tmp_path / "registry.toml"
        registry.write_text(city_registry(city.bases), encoding="utf-8")
        august = _inspect_forestry(registry.read_text(encoding="utf-8"), date(2021, 8, 31))
        assert august["verdict"] == "fail"
        document = findings_document(Period.for_month("2021-08"), [august], [])
        store = Store(f"sqlite:///{tmp_path / 'g.db'}")
        store.finish_inspection("2021-08", document, datetime(2021, 9, 1, tzinfo=UTC))
        store.close()

        # Issued on Monday 13 September 2021: Mid-Autumn (19–21 Sep) is off, Saturday 18 Sep and Sunday 26 Sep
        # (National Day's make-up day) are worked: 14–18, 22–24, 26, 27.
        issued = _govmon(tmp_path, "notice", "issue", "--month", "2021-08", "--by", "张三", "--date", "2021-09-13")
        assert issued.returncode == 0, issued.stderr
        assert "deadline 2021-09-27 (10 working days); 1 case(s) notified" in issued.stdout
        again = _govmon(tmp_path, "notice", "issue", "--month", "2021-08", "--by", "张三", "--date", "2021-09-13")
        assert again.returncode == 2 and "already issued" in again.stderr

        early = _govmon(tmp_path, "rectification", "close", "--target", FORESTRY, "--by", "张三")
        assert early.returncode == 2 and "cannot close a case in state notified" in early.stderr

        still = _govmon(tmp_path, "recheck", "--target", FORESTRY, "--by", "张三", "--as-of", "2021-08-31",
                        "--registry", str(registry))
        assert still.returncode == 1, still.stderr
        assert "re-check not_fixed (未整改)" in still.stdout and "stale_homepage" in still.stdout

        reported = _govmon(tmp_path, "rectification", "report-fixed", "--target", FORESTRY, "--by", "林业局 王五",
                           "--note", "首页已恢复更新")
        assert reported.returncode == 0 and "not_fixed → reported_fixed" in reported.stdout

        # The site cannot be read at the re-check: 未能完成检查, the state stays.
        dead = tmp_path / "dead.toml"
        dead.write_text(registry.read_text(encoding="utf-8").replace(
            city.bases[site_by_id(FORESTRY).key] + "/", city.bases[DEAD_KEYS[0]] + "/"), encoding="utf-8")
        unread = _govmon(tmp_path, "recheck", "--target", FORESTRY, "--as-of", "2021-09-30", "--registry", str(dead))
        assert unread.returncode == 4, unread.stdout + unread.stderr
        assert "re-check not_inspected (未能完成检查)" in unread.stdout and "state reported_fixed" in unread.stdout

        # September: the site publishes again and the unit repaired its broken attachment link.
        city.swap(city_builder(date(2021, 9, 30)))
        for finding in august["findings"]:
            if finding["check"] == "dead_link" and finding["severity"] != "notice":
                city.hosts[site_by_id(FORESTRY).key].add(urlsplit(finding["url"]).path,
                                                         Route(b"repaired", content_type="application/msword"))
        fixed = _govmon(tmp_path, "recheck", "--target", FORESTRY, "--by", "张三", "--as-of", "2021-09-30",
                        "--registry", str(registry))
        assert fixed.returncode == 0, fixed.stdout + fixed.stderr
        assert "re-check fixed (已整改)" in fixed.stdout and "state fixed" in fixed.stdout

    closed = _govmon(tmp_path, "rectification", "close", "--target", FORESTRY, "--by", "张三", "--note", "销号")
    assert closed.returncode == 0 and "fixed → closed" in closed.stdout
    shown = _govmon(tmp_path, "rectification", "show", "--target", FORESTRY)
    steps = [line.split("  ")[2] for line in shown.stdout.splitlines()[1:]]
    assert steps == ["open: - → open", "notify: open → notified", "recheck: notified → not_fixed [未整改]",
                     "report_fixed: not_fixed → reported_fixed",
                     "recheck: reported_fixed → reported_fixed [未能完成检查]",
                     "recheck: reported_fixed → fixed [已整改]", "close: fixed → closed"]
    assert "by 林业局 王五  首页已恢复更新" in shown.stdout
    listed = _govmon(tmp_path, "rectification", "list", "--month", "2021-08")
    assert listed.stdout.startswith(f"2021-08 site {FORESTRY}: closed (已销号), deadline 2021-09-27")

    # The next notice reads the case: failing again after a re-check found it fixed is a new problem.
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    try:
        september = copy.deepcopy(document)
        september.update(period="2021-09", as_of="2021-09-30")
        store.finish_inspection("2021-09", september, datetime(2021, 10, 1, tzinfo=UTC))
        html = render_month(store, "2021-09", load_settings(), tmp_path / "out", ["html"])[0].read_text("utf-8")
        august_html = render_month(store, "2021-08", load_settings(), tmp_path / "out", ["html"])[0].read_text("utf-8")
    finally:
        store.close()
    today = datetime.now(load_settings().general.zone()).date()  # the re-check ran today
    assert f"连续2个月不合格（{today.year}年{today.month}月{today.day}日复查已整改，本月为新问题）" in html
    assert "经多次督促后仍未整改" not in html
    assert "于2021年9月27日前完成整改" in august_html  # the notice as issued: its working-day deadline
