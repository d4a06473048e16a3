"""The fault world's hostile county site: exact findings, normal crawling, bounded traps and bodies."""

from __future__ import annotations

import pytest

from checks import check_options
from checks.base import CheckContext
from checks.dead_link import CHECK as DEAD_LINK
from monitor.model.findings import Finding, Severity
from monitor.model.period import Period
from monitor.model.snapshots import SiteSnapshot
from monitor.sandbox import faults
from monitor.sandbox.faults import COUNTY, DEPT, PORTAL, absolute, county_site, expected
from monitor.sandbox.faults_hostile import BOMB_BYTES
from monitor.sandbox.server import RunningWorld
from tests.integration.conftest import AS_OF, crawl, fast_settings, site_of


def settings(**crawl_over: object):  # type: ignore[no-untyped-def]
    """Fast settings with a roomy timeout: the county site has no slow page, and a loaded test
    machine must not turn a missing attachment into a timeout."""
    return fast_settings(timeout_total=5.0, timeout_connect=5.0, **crawl_over)


@pytest.fixture(scope="module")
def county(fault_world: RunningWorld) -> SiteSnapshot:
    return crawl(fault_world, county_site(fault_world.bases), settings())


def findings(snap: SiteSnapshot, site) -> list[Finding]:  # type: ignore[no-untyped-def]
    opts = fast_settings()
    ctx = CheckContext(Period.for_as_of(AS_OF), check_options(opts, "dead_link"), opts)
    return list(DEAD_LINK.run_site(site, snap, ctx))


def rows(found: list[Finding], severity: Severity) -> list[dict]:
    return [{"url": f.url, "status": f.data["status"], "home": f.data["home"], "sources": f.data["sources"]}
            for f in found if f.severity == severity]


def links(snap: SiteSnapshot, world: RunningWorld, path: str):  # type: ignore[no-untyped-def]
    return next(link for link in snap.links if link.url == absolute(world.bases, (COUNTY, path)))


def test_exactly_the_injected_dead_links_and_firewall_blocks_are_reported(fault_world: RunningWorld,
                                                                          county: SiteSnapshot) -> None:
    found = findings(county, county_site(fault_world.bases))
    assert rows(found, Severity.DEDUCT) == expected(fault_world.bases, COUNTY)
    assert rows(found, Severity.NOTICE) == expected(fault_world.bases, COUNTY, faults.EXPECTED_BLOCKED)
    assert len(rows(found, Severity.NOTICE)) == 8  # eight vendors' block pages, each recognised


def test_a_short_home_page_with_badges_and_not_found_link_text_is_crawled_normally(
        fault_world: RunningWorld, county: SiteSnapshot) -> None:
    crawled = {p.url for p in county.pages}
    assert county.home is not None and county.home.status == 200
    for path in ("/", "/jb/", "/about.html", "/art/2021/8/25/art_7_1.html"):
        assert absolute(fault_world.bases, (COUNTY, path)) in crawled, path
        assert links(county, fault_world, path).outcome == "ok", path
    assert len(county.links) > 20


def test_app_scheme_redirects_are_skipped_and_real_files_ok(fault_world: RunningWorld, county: SiteSnapshot) -> None:
    app = links(county, fault_world, "/go/app.html")
    assert (app.outcome, app.status, app.error) == ("skipped", 302, "app_scheme")
    assert links(county, fault_world, "/files/plan.xls").outcome == "ok"


def test_a_short_content_length_gives_the_page_as_sent(fault_world: RunningWorld, county: SiteSnapshot) -> None:
    link = links(county, fault_world, "/guide/short-cl.html")
    assert (link.outcome, link.status, link.error) == ("ok", 200, None)
    page = next(p for p in county.pages if p.url == link.url)
    assert page.status == 200 and page.size == 200 and page.title == "办事指南"


def test_compression_bombs_are_read_to_a_bounded_prefix(fault_world: RunningWorld, county: SiteSnapshot) -> None:
    cap = fast_settings().crawl.max_body_bytes
    for path in ("/bomb/br.html", "/bomb/gz.html"):
        link = links(county, fault_world, path)
        assert (link.outcome, link.status) == ("ok", 200)
        page = next(p for p in county.pages if p.url == link.url)
        assert page.size <= cap < BOMB_BYTES
    assert any(n.startswith("oversized: ") and "/bomb/br.html" in n for n in county.notes)


def test_a_session_id_trap_costs_a_handful_of_requests(fresh_world: RunningWorld) -> None:
    snap = crawl(fresh_world, county_site(fresh_world.bases), settings(), max_depth=8)
    into_trap = sum(n for path, n in fresh_world.hits[COUNTY].items() if path.startswith("/app/"))
    assert into_trap <= 10  # index + five pages, whatever ids each answer mints (issue bound: 100)
    assert [p.url for p in snap.pages if "/app/" in p.url and (";" in p.url or "sid=" in p.url)] == []
    assert any(n.startswith("trap: session ids") for n in snap.notes)


def test_without_session_normalisation_the_trap_would_run_to_the_page_limit(fresh_world: RunningWorld) -> None:
    crawl(fresh_world, county_site(fresh_world.bases), settings(session_params=[], tracking_params=[], max_pages=60),
          max_depth=8)
    into_trap = sum(n for path, n in fresh_world.hits[COUNTY].items() if path.startswith("/app/"))
    assert into_trap > 40  # what the normalisation saves


def test_private_addresses_are_refused_off_the_registry_unless_allowed(fresh_world: RunningWorld) -> None:
    snap = crawl(fresh_world, county_site(fresh_world.bases), settings(allow_private=False))
    portal = next(link for link in snap.links if link.url == fresh_world.url(PORTAL, "/"))
    assert (portal.outcome, portal.error) == ("skipped", "private_address")
    assert fresh_world.hits[PORTAL] == {}
    assert rows(findings(snap, county_site(fresh_world.bases)), Severity.DEDUCT) == expected(fresh_world.bases, COUNTY)


def test_dead_link_precision_and_recall_on_the_fault_world_are_one(fault_world: RunningWorld,
                                                                   county: SiteSnapshot) -> None:
    found, truth = set(), set()
    for key, site, snap in ((PORTAL, site_of(fault_world, PORTAL), crawl(fault_world, PORTAL)),
                            (DEPT, site_of(fault_world, DEPT), crawl(fault_world, DEPT)),
                            (COUNTY, county_site(fault_world.bases), county)):
        found |= {(key, f.url) for f in findings(snap, site) if f.severity == Severity.DEDUCT}
        truth |= {(key, row["url"]) for row in expected(fault_world.bases, key)}
    precision, recall = len(found & truth) / len(found), len(found & truth) / len(truth)
    assert (precision, recall, len(truth)) == (1.0, 1.0, 17)
