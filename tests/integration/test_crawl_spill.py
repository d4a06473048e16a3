"""A big crawl's pages and links go to a temporary file (monitor.crawl.spill) past ``spill_after``
pages: the snapshot reads like the in-memory one, every check judges it the same, the store keeps
it whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.crawl.spill import LinkSpill, PageSpill
from monitor.judge.engine import judge_site
from monitor.model.period import Period
from monitor.model.snapshots import SiteSnapshot
from monitor.sandbox.faults import PORTAL
from monitor.sandbox.server import RunningWorld
from monitor.store.store import Store
from tests.integration.conftest import AS_OF, crawl, fast_settings, site_of


@pytest.fixture(scope="module")
def spilled(fault_world: RunningWorld) -> SiteSnapshot:
    return crawl(fault_world, PORTAL, spill_after=3)


def in_memory(snap: SiteSnapshot) -> SiteSnapshot:
    return snap.model_copy(update={"pages": list(snap.pages), "links": list(snap.links)})


def test_pages_past_the_limit_are_read_back_from_the_file_in_snapshot_order(
        fault_world: RunningWorld, spilled: SiteSnapshot) -> None:
    kept = crawl(fault_world, PORTAL)
    assert isinstance(spilled.pages, PageSpill) and isinstance(kept.pages, list)
    assert len(spilled.pages) == len(kept.pages) > 10
    assert [(p.depth, p.url) for p in spilled.pages] == [(p.depth, p.url) for p in kept.pages]
    assert [(p.depth, p.url) for p in spilled.pages] == sorted((p.depth, p.url) for p in spilled.pages)
    assert [p.title for p in spilled.pages] == [p.title for p in kept.pages]
    assert spilled.pages[-1] == list(spilled.pages)[-1] and spilled.pages[1:3] == list(spilled.pages)[1:3]
    assert repr(spilled.pages) == f"PageSpill({len(kept.pages)} pages)"


def test_links_of_a_spilled_crawl_read_back_sorted_with_their_sources(
        fault_world: RunningWorld, spilled: SiteSnapshot) -> None:
    kept = crawl(fault_world, PORTAL)
    assert isinstance(spilled.links, LinkSpill) and isinstance(kept.links, list)
    assert [link.url for link in spilled.links] == [link.url for link in kept.links]
    assert [(lk.outcome, lk.status, lk.error, lk.internal) for lk in spilled.links] == [
        (lk.outcome, lk.status, lk.error, lk.internal) for lk in kept.links]
    assert [[s.page for s in lk.sources] for lk in spilled.links] == [[s.page for s in lk.sources] for lk in kept.links]
    assert sum(len(lk.sources) for lk in spilled.links) > len(spilled.links) > 20


def test_every_check_judges_a_spilled_snapshot_as_the_same_pages_in_memory(
        fault_world: RunningWorld, spilled: SiteSnapshot) -> None:
    settings = fast_settings()
    site = site_of(fault_world, PORTAL)
    period = Period.for_as_of(AS_OF)
    from_file = judge_site(site, spilled, period=period, settings=settings)
    from_memory = judge_site(site, in_memory(spilled), period=period, settings=settings)
    assert from_file == from_memory
    assert {f["check"] for f in from_file["findings"]} >= {"dead_link"}


def test_a_spilled_snapshot_is_stored_whole(tmp_path: Path, spilled: SiteSnapshot) -> None:
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    store.save_site_snapshot(spilled)
    back = store.latest_site_snapshot(spilled.site_id)
    store.close()
    assert back == in_memory(spilled)
