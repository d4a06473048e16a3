"""Availability probes against served pages: the whole load is timed, refusals are apart, and a
slot where govmon itself could not reach the world (control URL down, event loop stalled) is void.

The rules' 15 s limit is ``[probes] timeout_seconds``; here it is 0.3 s against pages served
with delays, so nothing sleeps long.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from checks import BY_ID, check_options
from checks.base import CheckContext
from monitor.config.load import load_settings
from monitor.config.settings import Settings
from monitor.crawl.crawler import crawl_site
from monitor.crawl.linkcheck import LinkChecker
from monitor.crawl.probes import LagWatch, probe_settings, probe_with_control, take_probe
from monitor.model.period import CHINA_TZ, Period
from monitor.model.snapshots import Probe, SiteSnapshot
from monitor.net.fetch import Fetcher
from monitor.registry.model import Registry, Site
from monitor.run.daemon import Daemon
from monitor.sandbox.server import Host, Route, RunningWorld, serve_world
from monitor.store.store import Store

LIMIT = 0.3
PAGE = "<html><head><title>测试县人民政府</title></head><body><h1>测试县人民政府</h1></body></html>"
WAF = "<html><head><title>网站防火墙</title></head><body>您的访问被拦截（安全狗）</body></html>"


def world(bases: dict[str, str]) -> dict[str, Host]:
    site = bases["site"]
    return {
        "site": Host(routes={
            "/": Route(PAGE),
            "/slow": Route(PAGE, delay=LIMIT + 0.3),
            "/hop1": Route("", status=302, location=f"{site}/hop2", delay=0.2),
            "/hop2": Route("", status=302, location=f"{site}/hop3", delay=0.2),
            "/hop3": Route(PAGE, delay=0.05),
            "/forbidden": Route("<html><body>Forbidden</body></html>", status=403),
            "/waf": Route(WAF, status=200),
            "/broken": Route("<html><body>error</body></html>", status=500),
        }),
        "control": Host(routes={"/": Route("<html><title>中国政府网</title></html>")}),
    }


@pytest.fixture(scope="module")
def web() -> Iterator[RunningWorld]:
    with serve_world(world, ["site", "control"], dead=("gone",)) as served:
        yield served


def settings(control: str = "") -> Settings:
    return load_settings(environ={"GOVMON_PROBES__TIMEOUT_SECONDS": str(LIMIT),
                                  "GOVMON_PROBES__CONTROL_URL": control,
                                  "GOVMON_CRAWL__TIMEOUT_CONNECT": "0.5"})


def probe(url: str, chosen: Settings | None = None, *, stall: float = 0.0) -> Probe:
    chosen = chosen or settings()

    async def go() -> Probe:
        async with LagWatch(chosen.probes.max_loop_lag_seconds) as watch, \
                Fetcher(probe_settings(chosen), chosen.links) as fetcher:
            await asyncio.sleep(0.1)
            if stall:
                loop = asyncio.get_running_loop()
                loop.call_later(0.05, time.sleep, stall)  # the loop stalls while the probe is in flight
            return await take_probe(url, fetcher, chosen, source="scheduled", watch=watch)

    return asyncio.run(go())


def test_a_page_loaded_within_the_limit_is_a_success_timed_on_the_wire(web: RunningWorld) -> None:
    found = probe(web.url("site", "/"))
    assert (found.ok, found.status, found.error, found.blocked, found.void, found.source) == (
        True, 200, None, False, None, "scheduled")
    assert found.elapsed_ms < LIMIT * 1000


def test_a_page_slower_than_the_limit_failed_with_a_timeout(web: RunningWorld) -> None:
    found = probe(web.url("site", "/slow"))
    assert (found.ok, found.error, found.blocked, found.void) == (False, "timeout", False, None)


def test_redirect_hops_count_towards_the_whole_load(web: RunningWorld) -> None:
    # each hop answers well within the limit; the three together (≈0.45 s) do not
    found = probe(web.url("site", "/hop1"))
    assert (found.ok, found.status, found.error) == (False, 200, "timeout")
    assert found.elapsed_ms >= 400


@pytest.mark.parametrize("path", ["/forbidden", "/waf"])
def test_a_refusal_is_blocked_neither_success_nor_failure(web: RunningWorld, path: str) -> None:
    found = probe(web.url("site", path))
    assert (found.ok, found.blocked, found.void) == (False, True, None)
    assert not found.counted


def test_a_server_error_is_a_failure(web: RunningWorld) -> None:
    found = probe(web.url("site", "/broken"))
    assert (found.ok, found.status, found.blocked, found.counted) == (False, 500, False, True)


def test_a_probe_taken_while_the_event_loop_stalled_is_void(web: RunningWorld) -> None:
    found = probe(web.url("site", "/slow"), stall=1.3)
    assert (found.ok, found.void, found.counted) == (False, "loop_lag", False)
    assert probe(web.url("site", "/slow")).void is None


def control_probe(site_url: str, control_url: str) -> Probe:
    chosen = settings(control_url)

    async def go() -> Probe:
        async with Fetcher(probe_settings(chosen), chosen.links) as fetcher:
            return await probe_with_control(site_url, fetcher, chosen)

    return asyncio.run(go())


def test_a_failure_while_the_control_url_also_failed_is_a_void_slot(web: RunningWorld) -> None:
    found = control_probe(web.url("gone", "/"), web.url("gone", "/control"))
    assert (found.ok, found.error, found.void, found.counted) == (False, "connect_error", "control_failed", False)


def test_a_failure_while_the_control_url_answered_is_the_sites_own(web: RunningWorld) -> None:
    found = control_probe(web.url("gone", "/"), web.url("control", "/"))
    assert (found.ok, found.error, found.void, found.counted) == (False, "connect_error", None, True)


def test_a_success_is_kept_whatever_the_control_did(web: RunningWorld) -> None:
    found = control_probe(web.url("site", "/"), web.url("gone", "/control"))
    assert (found.ok, found.void) == (True, None)


def test_the_daemon_stores_scheduled_probes_with_their_void_slots(web: RunningWorld, tmp_path: Path) -> None:
    chosen = settings(web.url("gone", "/control"))
    registry = Registry(sites=[Site(id="1401000001", name="测试县人民政府", url=web.url("site", "/")),
                               Site(id="1401000002", name="停止服务的网站", url=web.url("gone", "/"))])
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    daemon = Daemon(chosen, registry, store)

    async def go() -> list[str]:
        daemon._watch = LagWatch(1.0)
        async with daemon._watch, Fetcher(probe_settings(chosen), chosen.links) as fetcher:
            daemon._fetcher = fetcher
            return [await daemon._probe(site.id) for site in registry.sites]

    assert asyncio.run(go()) == ["ok", "void (control_failed)"]
    ever = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    stored = {site.id: store.probes(site.id, *ever) for site in registry.sites}
    assert [(p.ok, p.source, p.void) for p in stored["1401000001"]] == [(True, "scheduled", None)]
    assert [(p.ok, p.source, p.void) for p in stored["1401000002"]] == [(False, "scheduled", "control_failed")]
    assert store.probe_counts(*ever) == {"1401000001": (1, 0)}
    store.close()


def test_a_week_of_scheduled_probes_with_five_percent_over_the_limit_is_a_veto(web: RunningWorld,
                                                                             tmp_path: Path) -> None:
    """20 probes a day for 7 days: 133 of the served home page, 7 of a page slower than the limit."""
    chosen = settings()
    days = [datetime(2021, 8, 9 + d, tzinfo=CHINA_TZ) for d in range(7)]

    async def go() -> list[Probe]:
        async with Fetcher(probe_settings(chosen), chosen.links) as fetcher:
            taken = []
            for day in days:
                for hour in range(20):
                    path = "/slow" if hour == 3 else "/"
                    taken.append(await take_probe(web.url("site", path), fetcher, chosen, source="scheduled",
                                                  at=day + timedelta(hours=hour)))
            return taken

    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    store.add_probes(SITE.id, asyncio.run(go()))
    period = Period.for_as_of(date(2021, 8, 31))
    snap = SiteSnapshot(site_id=SITE.id, url=SITE.url, started_at=days[0],
                        probes=store.probes(SITE.id, period.start_at(), period.as_of_end()))
    store.close()
    found = [f.to_dict() for f in BY_ID["unreachable"].run_site(SITE, snap, ctx(chosen, period))]
    assert [(f["severity"], f["reason"], f["probes"], f["failed"], f["days"]) for f in found] == [
        ("veto", "ratio", 140, 7, 7)]
    assert {p.error for p in snap.probes if not p.ok} == {"timeout"}


def test_three_failing_crawl_probes_of_a_dead_site_are_a_notice(web: RunningWorld) -> None:
    chosen = settings()
    dead = Site(id="1401000009", name="停止服务的网站", url=web.url("gone", "/"))

    async def go() -> SiteSnapshot:
        async with Fetcher(chosen.crawl, chosen.links) as fetcher:
            return await crawl_site(dead, settings=chosen, fetcher=fetcher,
                                    linkchecker=LinkChecker(fetcher, chosen.links), as_of=date(2021, 8, 31))

    snap = asyncio.run(go())
    assert [(p.ok, p.source) for p in snap.probes] == [(False, "adhoc")] * 3
    found = [f.to_dict() for f in BY_ID["unreachable"].run_site(dead, snap, ctx(chosen, Period.for_as_of(date(2021, 8, 31))))]
    assert [(f["severity"], f["reason"], f["probes"], f["failed"]) for f in found] == [
        ("notice", "too_few_probes", 3, 3)]


SITE = Site(id="1401000001", name="测试县人民政府", url="http://127.0.0.1:9/")


def ctx(chosen: Settings, period: Period) -> CheckContext:
    return CheckContext(period, check_options(chosen, "unreachable"), chosen)


def test_a_stall_that_ended_before_the_probe_began_does_not_void_it(web: RunningWorld) -> None:
    chosen = settings()

    async def go() -> tuple[Probe, int]:
        async with LagWatch(chosen.probes.max_loop_lag_seconds) as watch, \
                Fetcher(probe_settings(chosen), chosen.links) as fetcher:
            await asyncio.sleep(0.1)
            time.sleep(1.2)  # the loop stalls, then recovers before the probe
            await asyncio.sleep(0.2)
            return await take_probe(web.url("site", "/"), fetcher, chosen, source="scheduled", watch=watch), \
                len(watch.stalls)

    found, stalls = asyncio.run(go())
    assert (stalls, found.ok, found.void) == (1, True, None)
