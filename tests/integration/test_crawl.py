"""crawl_site + dead_link against the fault world: the exact findings, no false positive, guards."""

from __future__ import annotations

import hashlib
from datetime import date

import httpx
import pytest

from checks import check_options
from checks.base import CheckContext
from checks.dead_link import CHECK as DEAD_LINK
from monitor.crawl.progress import CrawlProgress
from monitor.model.findings import Finding, Severity
from monitor.model.period import Period
from monitor.model.snapshots import SiteSnapshot
from monitor.registry.model import Site
from monitor.sandbox import faults
from monitor.sandbox.faults import DEPT, EXT, PORTAL, absolute, expected
from monitor.sandbox.server import RunningWorld
from tests.integration.conftest import AS_OF, crawl, fast_settings, site_of


@pytest.fixture(scope="module")
def portal(fault_world: RunningWorld) -> SiteSnapshot:
    return crawl(fault_world, PORTAL)


@pytest.fixture(scope="module")
def dept(fault_world: RunningWorld) -> SiteSnapshot:
    return crawl(fault_world, DEPT)


def findings(world: RunningWorld, key: str, snap: SiteSnapshot) -> list[Finding]:
    settings = fast_settings()
    ctx = CheckContext(Period.for_as_of(AS_OF), check_options(settings, "dead_link"), settings)
    return list(DEAD_LINK.run_site(site_of(world, key), snap, ctx))


def rows(found: list[Finding], severity: Severity) -> list[dict]:
    return [{"url": f.url, "status": f.data["status"], "home": f.data["home"], "sources": f.data["sources"]}
            for f in found if f.severity == severity]


@pytest.mark.parametrize("key", [PORTAL, DEPT])
def test_every_injected_dead_link_is_reported_with_its_sources_and_nothing_else(
        fault_world: RunningWorld, portal: SiteSnapshot, dept: SiteSnapshot, key: str) -> None:
    snap = portal if key == PORTAL else dept
    assert rows(findings(fault_world, key, snap), Severity.DEDUCT) == expected(fault_world.bases, key)


@pytest.mark.parametrize("key", [PORTAL, DEPT])
def test_firewall_refusals_are_blocked_notices_not_dead_links(
        fault_world: RunningWorld, portal: SiteSnapshot, dept: SiteSnapshot, key: str) -> None:
    snap = portal if key == PORTAL else dept
    found = findings(fault_world, key, snap)
    assert rows(found, Severity.NOTICE) == expected(fault_world.bases, key, faults.EXPECTED_BLOCKED)
    assert all(f.data["blocked"] is True for f in found if f.severity == Severity.NOTICE)


def test_redirects_ending_in_200_gbk_pages_and_head_refusals_are_ok(fault_world: RunningWorld,
                                                                     portal: SiteSnapshot) -> None:
    by_url = {link.url: link for link in portal.links}
    for ref in [(PORTAL, "/old/zcwj.html"), (PORTAL, "/jump.html"), (PORTAL, "/images/banner.jpg"),
                (DEPT, "/"), (EXT, "/ok.html"), (PORTAL, "/widget/weather.html")]:
        assert by_url[absolute(fault_world.bases, ref)].outcome == "ok", ref
    assert by_url[absolute(fault_world.bases, (PORTAL, "/old/zcwj.html"))].final_url.endswith("/zcwj/")


def test_non_http_links_fragments_and_unparsed_pages_yield_no_links(fault_world: RunningWorld,
                                                                    portal: SiteSnapshot) -> None:
    urls = {link.url for link in portal.links}
    assert all(url.startswith("http://127.0.0.1:") and "#" not in url for url in urls)
    assert not {absolute(fault_world.bases, ref) for ref in faults.NEVER_SEEN} & urls
    assert absolute(fault_world.bases, (faults.GONE, "/")) not in urls  # dns-prefetch hint only


def test_gbk_pages_are_decoded_parsed_and_titled(fault_world: RunningWorld, dept: SiteSnapshot) -> None:
    pages = {p.url: p for p in dept.pages}
    meta_only = pages[absolute(fault_world.bases, (DEPT, "/art/2021/8/18/art_1001_50001.html"))]
    header = pages[absolute(fault_world.bases, (DEPT, "/col/col1001/index.html"))]
    assert meta_only.content_type == "text/html" and meta_only.encoding == "gb18030"
    assert meta_only.title == "市发改局召开重点项目推进会"
    assert "压实责任" in meta_only.text
    assert header.encoding == "gb18030" and header.title == "政务动态"


def test_page_snapshots_carry_status_hash_depth_and_article_date(fault_world: RunningWorld,
                                                                 portal: SiteSnapshot) -> None:
    pages = {p.url: p for p in portal.pages}
    url = absolute(fault_world.bases, (PORTAL, "/zwdt/202108/t20210820_1001.html"))
    body = httpx.get(url).content
    page = pages[url]
    assert (page.status, page.depth, page.size) == (200, 1, len(body))
    assert page.content_hash == hashlib.sha256(body).hexdigest()
    assert page.published == date(2021, 8, 20)
    sources = {s.page: s.content_hash for link in portal.links for s in link.sources}
    assert sources[url] == page.content_hash


def test_home_snapshot_lists_its_dated_items(fault_world: RunningWorld, portal: SiteSnapshot) -> None:
    assert portal.home is not None and portal.home.url == fault_world.url(PORTAL, "/")
    items = {(i.title, i.date) for i in portal.home.items}
    assert ("市政府召开常务会议研究部署重点工作", date(2021, 8, 20)) in items
    assert ("关于做好2021年防汛工作的通知", date(2021, 7, 15)) in items


def test_probes_are_spread_over_the_run_and_succeed(portal: SiteSnapshot) -> None:
    assert len(portal.probes) == 3
    assert all(p.ok and p.status == 200 for p in portal.probes)
    assert portal.probes[0].at == portal.started_at and portal.probes[-1].at <= portal.finished_at
    assert [p.at for p in portal.probes] == sorted(p.at for p in portal.probes)


def test_repeated_segments_trap_is_cut_and_noted(fault_world: RunningWorld, portal: SiteSnapshot) -> None:
    crawled = {p.url for p in portal.pages}
    assert fault_world.url(PORTAL, "/lm/lm/") in crawled
    assert fault_world.url(PORTAL, "/lm/lm/lm/") not in crawled
    assert any(n.startswith("trap: path_repeats") for n in portal.notes)


def test_calendar_trap_stops_at_the_query_variant_limit(fresh_world: RunningWorld) -> None:
    snap = crawl(fresh_world, PORTAL, fast_settings(max_query_variants=4), max_depth=60)
    months = [p.url for p in snap.pages if "/rili/" in p.url]
    assert len(months) == 4
    assert any(n.startswith("trap: query_variants") for n in snap.notes)
    assert sum(fresh_world.hits[PORTAL].get(f"/rili/?month={n}", 0) for n in range(-60, 60)) <= 6


def test_each_distinct_url_is_requested_once_and_robots_is_obeyed(fresh_world: RunningWorld) -> None:
    snap = crawl(fresh_world, PORTAL)
    hits = fresh_world.hits[PORTAL]
    assert hits["/"] == 3  # the home page fetch is the first probe; two more probes
    assert faults.ROBOTS_DISALLOWED[1] not in hits
    private = next(lk for lk in snap.links if lk.url == absolute(fresh_world.bases, faults.ROBOTS_DISALLOWED))
    assert (private.outcome, private.error) == ("skipped", "robots_disallowed")
    once = [p for p in faults.portal_routes(fresh_world.bases) if p.endswith((".html", "/")) and p in hits
            and p not in ("/", "/slow/report.html", "/hdjl/ask.html", "/zcwj/", "/waf/")]
    # retried: a timeout, a 429, a firewall's 403 (once, after a pause); /zcwj/ also ends a redirect
    assert once and all(hits[p] == 1 for p in once), {p: hits[p] for p in once if hits[p] != 1}
    assert hits["/waf/"] == 2
    assert {p: n for p, n in fresh_world.hits[EXT].items() if "/govmon-nf-" not in p} == {"/ok.html": 1, "/missing.html": 1}


def test_max_pages_bounds_the_crawl_and_the_rest_is_still_checked(fresh_world: RunningWorld) -> None:
    snap = crawl(fresh_world, PORTAL, max_pages=3)
    assert len(snap.pages) == 3
    assert any(n.startswith("max_pages") for n in snap.notes)
    dead = {lk.url for lk in snap.links if lk.outcome == "dead"}
    assert fresh_world.url(PORTAL, "/zwdt/202107/t20210701_0999.html") in dead


def test_oversized_pages_are_not_parsed(fresh_world: RunningWorld) -> None:
    snap = crawl(fresh_world, PORTAL, fast_settings(max_body_bytes=1000))
    assert [p.url for p in snap.pages] == [fresh_world.url(PORTAL, "/")]
    assert any(n.startswith("oversized: ") for n in snap.notes)
    assert snap.links == []


def test_an_unreachable_home_page_gives_a_snapshot_with_failed_probes(fresh_world: RunningWorld) -> None:
    site = Site(id="1401000009", name="停止服务的网站", url=fresh_world.url(faults.GONE, "/"))
    snap = crawl(fresh_world, site)
    assert snap.home is not None and snap.home.error == "connect_error"
    assert [p.ok for p in snap.probes] == [False, False, False]
    assert snap.links == [] and snap.columns == []


def test_progress_counts_every_page_and_link_once(fresh_world: RunningWorld) -> None:
    progress = CrawlProgress()
    snap = crawl(fresh_world, PORTAL, progress=progress)
    dead = sum(1 for link in snap.links if link.outcome == "dead")
    assert progress.pages == len(snap.pages)
    assert progress.pages + progress.links == progress.total == len(snap.links)  # the home page is linked (首页 nav)
    assert progress.errors == dead and progress.blocked == len(faults.expected(fresh_world.bases, PORTAL,
                                                                              faults.EXPECTED_BLOCKED))
