"""Home pages and columns as real sites serve them, crawled and judged on served pages (issue 9).

A fault needs positive evidence: a footer security badge is read like any footer, a site that
never answered is 未能完成检查 and in no content category, a root that redirects (to https, to
another host) or forwards (meta refresh, a ``location.href`` stub) is read through, a script
shell is not inspected, and a script-filled or firewall-challenged column is never 空白栏目.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from monitor.config.load import load_settings
from monitor.config.settings import Settings
from monitor.crawl.crawler import crawl_site
from monitor.crawl.linkcheck import LinkChecker
from monitor.judge.engine import judge_site
from monitor.model.period import Period
from monitor.model.snapshots import SiteSnapshot
from monitor.net.fetch import Fetcher
from monitor.registry.model import Site
from monitor.sandbox.home_pages import AS_OF, DEAD, KEYS, TLS_KEYS, build_home_world
from monitor.sandbox.server import RunningWorld, serve_world

CONTENT_CHECKS = {"stale_homepage", "stale_column", "empty_column", "interaction_unanswered",
                  "service_guide_incomplete", "expression_error", "dead_link"}


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    authority = trustme.CA()
    pem = tmp_path_factory.mktemp("tls") / "ca.pem"
    authority.cert_pem.write_to_path(str(pem))
    return authority, pem


@pytest.fixture(scope="module")
def world(ca: tuple[trustme.CA, Path]) -> Iterator[RunningWorld]:
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca[0].issue_cert("127.0.0.1").configure_cert(server)
    with serve_world(build_home_world, KEYS, dead=DEAD, tls={key: server for key in TLS_KEYS}) as running:
        yield running


@pytest.fixture(scope="module")
def settings(ca: tuple[trustme.CA, Path]) -> Settings:
    return load_settings(environ={"GOVMON_CRAWL__CA_FILE": str(ca[1]), "GOVMON_CRAWL__TIMEOUT_TOTAL": "5",
                                  "GOVMON_CRAWL__RETRIES": "0"})


def crawl(world: RunningWorld, key: str, settings: Settings) -> tuple[SiteSnapshot, dict[str, Any]]:
    site = Site(id="1499000001", name="示范县人民政府", url=world.url(key), kind="portal", owner="示范县人民政府办公室")

    async def run() -> SiteSnapshot:
        async with Fetcher(settings.crawl, settings.links) as fetcher:
            checker = LinkChecker(fetcher, settings.links)
            return await crawl_site(site, settings=settings, fetcher=fetcher, linkchecker=checker, as_of=AS_OF)

    snap = asyncio.run(run())
    return snap, judge_site(site, snap, period=Period.for_as_of(AS_OF), settings=settings)


@pytest.mark.parametrize("key", ["badge_safedog", "badge_cyd"])
def test_a_healthy_site_with_a_security_badge_in_its_footer_passes_with_100(world: RunningWorld, settings: Settings,
                                                                            key: str) -> None:
    snap, result = crawl(world, key, settings)
    assert snap.home is not None and snap.home.state == "ok"
    assert (result["verdict"], result["score"]) == ("pass", 100.0), result["findings"]
    assert [f for f in result["findings"] if f["severity"] != "notice"] == []
    assert snap.has_interaction_channel is True and snap.has_service is True


def test_a_site_that_never_answered_is_not_inspected_and_in_no_content_category(world: RunningWorld,
                                                                                 settings: Settings) -> None:
    _snap, result = crawl(world, "down", settings)
    assert (result["verdict"], result["score"], result["error"]) == ("not_inspected", None, "home_unreachable")
    assert result["reason"].startswith("未能完成检查：首页无法访问")
    assert not {f["check"] for f in result["findings"]} & CONTENT_CHECKS
    assert all(f["severity"] == "notice" for f in result["findings"])


@pytest.mark.parametrize(("key", "final_key", "path"), [
    ("plain", "secure", "/"),                 # http → https (TLS, self-signed CA trusted by the test)
    ("cross", "other", "/portal/index.html"),  # another host
    ("meta", "meta", "/portal/"),              # <meta http-equiv="refresh" content="0;url=/portal/">
    ("jsstub", "jsstub", "/index/index.html"),  # <script>window.location.href="/index/index.html"</script>
])
def test_a_root_that_redirects_or_forwards_is_read_through(world: RunningWorld, settings: Settings, key: str,
                                                           final_key: str, path: str) -> None:
    snap, result = crawl(world, key, settings)
    assert snap.home is not None
    assert (snap.home.final_url, snap.home.state) == (world.url(final_key, path), "ok")
    assert len([i for i in snap.home.items if i.date]) == 5
    assert {c.name for c in snap.columns} >= {"工作动态", "通知公告", "政策文件"}
    assert all(c.state == "ok" and c.items for c in snap.columns if c.name != "办事服务")
    assert snap.has_interaction_channel is True and snap.has_service is True
    assert (result["verdict"], result["score"]) == ("pass", 100.0), result["findings"]
    assert not [f for f in result["findings"] if f["check"] in ("stale_homepage", "interaction_unanswered",
                                                                   "service_guide_incomplete")]


def test_the_redirected_host_is_part_of_the_site(world: RunningWorld, settings: Settings) -> None:
    snap, _ = crawl(world, "cross", settings)
    other = world.url("other").removeprefix("http://").rstrip("/")
    internal = {link.url for link in snap.links if link.internal}
    assert any(url.startswith(f"http://{other}/portal/gzdt/2021/") for url in internal)
    assert any(other in note for note in snap.notes)


def test_a_script_shell_home_page_is_not_inspected(world: RunningWorld, settings: Settings) -> None:
    snap, result = crawl(world, "shell", settings)
    assert snap.home is not None and snap.home.state == "script_rendered"
    assert (result["verdict"], result["error"]) == ("not_inspected", "home_script_rendered")
    assert "可能由脚本加载，请人工核实" in result["reason"]
    assert snap.has_interaction_channel is None and snap.has_service is None
    assert not {f["check"] for f in result["findings"]} & CONTENT_CHECKS


def test_a_script_filled_column_is_a_notice_not_a_blank_column(world: RunningWorld, settings: Settings) -> None:
    snap, result = crawl(world, "ajaxcol", settings)
    column = next(c for c in snap.columns if c.name == "工作动态")
    assert (column.state, column.items) == ("script_rendered", [])
    found = [(f["check"], f["severity"], f.get("reason")) for f in result["findings"] if f["url"] == column.url]
    assert found == [("empty_column", "notice", "script_rendered")]
    assert [f["clause"] for f in result["findings"] if f["check"] == "empty_column"] == [
        "空白栏目：栏目内容可能由脚本加载，请人工核实"]
    assert (result["verdict"], result["score"]) == ("pass", 100.0)


def test_a_column_answered_by_a_firewall_challenge_is_not_a_blank_column(world: RunningWorld,
                                                                          settings: Settings) -> None:
    snap, result = crawl(world, "wafcol", settings)
    column = next(c for c in snap.columns if c.name == "通知公告")
    link = next(link for link in snap.links if link.url == column.url)
    assert (column.state, link.outcome) == ("blocked", "blocked")
    assert not [f for f in result["findings"] if f["check"] == "empty_column"]
    assert [(f["check"], f["severity"], f.get("state"), f.get("blocked")) for f in result["findings"]
            if f["url"] == column.url] == [("dead_link", "notice", None, True), ("stale_column", "notice", "blocked", None)]
    assert (result["verdict"], result["score"]) == ("pass", 100.0)


def test_an_inspection_counts_sites_it_could_not_read_apart_from_checked_and_failed(
        world: RunningWorld, settings: Settings, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from monitor.registry.model import Registry
    from monitor.run.inspect import inspect
    from monitor.store.store import Store

    sites = [Site(id=f"14990000{n:02d}", name=name, url=world.url(key), kind="portal", owner=name)
             for n, (key, name) in enumerate((("badge_safedog", "甲县人民政府"), ("down", "乙县人民政府"),
                                              ("shell", "丙县人民政府")), 1)]
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    now = datetime(2021, 9, 1, 2, tzinfo=UTC)
    document = asyncio.run(inspect(Registry(sites=sites), settings=settings, store=store,
                                   period=Period.for_as_of(AS_OF), now=now, clock=lambda: now))
    store.close()
    assert [(t["name"], t["verdict"], t.get("error")) for t in document["sites"]] == [
        ("甲县人民政府", "pass", None), ("乙县人民政府", "not_inspected", "home_unreachable"),
        ("丙县人民政府", "not_inspected", "home_script_rendered")]
    s = document["summary"]
    assert (s["sites_total"], s["sites_checked"], s["sites_failed"], s["sites_not_inspected"],
            s["sites_pass_rate"]) == (3, 1, 0, 2, 100.0)
