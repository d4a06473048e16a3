"""[crawl] site_budget_seconds on a tarpit host; the daily snapshot job isolates each site."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import monitor.crawl.crawler
from monitor.config.load import load_settings
from monitor.registry.model import parse_registry
from monitor.run.daemon import Daemon
from monitor.sandbox.server import RunningWorld, serve_world
from monitor.store.store import Store
from tests.integration import tarpit_world
from tests.integration.conftest import FAST_ENV, crawl, fast_settings

BUDGET = 1.5


@pytest.fixture()
def tarpit() -> Iterator[RunningWorld]:
    with serve_world(tarpit_world.build(delay=0.2), tarpit_world.KEYS) as world:
        yield world


def test_a_spent_budget_ends_the_crawl_and_checks_the_queue_as_links(tarpit: RunningWorld) -> None:
    site = parse_registry(tarpit_world.registry_text(tarpit.bases)).sites[0]
    started = time.monotonic()
    snap = crawl(tarpit, site, fast_settings(site_budget_seconds=BUDGET, obey_robots=False, max_depth=50))
    elapsed = time.monotonic() - started
    notes = [n for n in snap.notes if n.startswith("site_budget:")]
    assert len(notes) == 1 and notes[0].startswith(f"site_budget: {BUDGET:g} s spent; ")
    stopped = int(notes[0].split("; ")[1].split()[0])
    assert stopped > 0
    crawled = {p.url for p in snap.pages}
    assert 1 < len(crawled) < 200  # without the budget it would go on to max_pages (500)
    linked = {link.url: link for link in snap.links}
    queued = set(linked) - crawled
    assert len(queued) >= stopped
    assert all(linked[url].outcome == "ok" for url in queued)  # checked as links: the tarpit answers, slowly
    assert elapsed < BUDGET + 20


def test_without_a_budget_note_a_quick_site_is_crawled_whole(tarpit: RunningWorld) -> None:
    site = parse_registry(tarpit_world.registry_text(tarpit.bases)).sites[1]
    snap = crawl(tarpit, site, fast_settings(site_budget_seconds=BUDGET, obey_robots=False))
    assert not any(n.startswith("site_budget:") for n in snap.notes)
    assert len(snap.pages) == 2


async def test_one_sites_crash_does_not_stop_the_daily_snapshots(tarpit: RunningWorld, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real = monitor.crawl.crawler.crawl_site

    async def crawl_or_crash(site, **kw):  # type: ignore[no-untyped-def]
        if site.id == "1403000002":
            raise RuntimeError("parser bug on this site")
        return await real(site, **kw)

    monkeypatch.setattr(monitor.crawl.crawler, "crawl_site", crawl_or_crash)
    settings = load_settings(environ={**FAST_ENV, "GOVMON_CRAWL__SITE_BUDGET_SECONDS": "1.0",
                                      "GOVMON_CRAWL__MAX_DEPTH": "50",
                                      "GOVMON_CRAWL__OBEY_ROBOTS": "false", "GOVMON_DAEMON__PROBE_MINUTES": "600"})
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    daemon = Daemon(settings, parse_registry(tarpit_world.registry_text(tarpit.bases)), store, run_now=("snapshot",))
    task = asyncio.create_task(daemon.run())
    for _ in range(600):
        await asyncio.sleep(0.1)
        if any(r.outcome != "running" for r in store.job_runs("snapshot")):
            break
    daemon.stop()
    await asyncio.wait_for(task, 30)
    [run] = store.job_runs("snapshot")
    assert run.outcome == "ok"
    assert run.detail == "2 sites; 1 failed: 1403000002: RuntimeError: parser bug on this site"
    assert store.latest_site_snapshot("1403000002") is None
    tarpit_snap, plain_snap = store.latest_site_snapshot("1403000001"), store.latest_site_snapshot("1403000003")
    assert tarpit_snap is not None and any(n.startswith("site_budget:") for n in tarpit_snap.notes)
    assert plain_snap is not None and len(plain_snap.pages) == 2
    store.close()
