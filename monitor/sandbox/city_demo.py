"""``govmon demo``'s run: the simulated city inspected for August and September 2021.

How history accumulates, as the daemon would gather it: each month has three weekly rounds
(21, 14 and 7 days before as-of). In a round the feeds are moved to that day and every
account's feed is polled at 23:00, and every site's home page is probed ``PROBES_PER_ROUND``
times (hourly from 09:00, China time; the sites' pages are not rebuilt for a round, since only
their availability is probed). Then the whole city is moved to as-of and ``inspect`` runs "at"
as-of 23:00: it crawls every site, polls every feed once more and judges the month. Feeds list
only their latest posts, so the weekly polls are what lets every natural week of the month be
judged; the probes give the availability check the ≥20 probes a month it needs. The notices
are then rendered from the stored inspections by ``monitor.run.report.render_month``, as
``govmon report`` and the daemon render them.
All times are simulated (every fetch is stamped with its simulated moment): nothing here
reads the clock, and two runs give the same documents but for the served ports.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from monitor.accounts.poll import poll_account
from monitor.config.settings import Settings
from monitor.crawl.probes import probe_settings, take_probe
from monitor.model.period import CHINA_TZ, Period
from monitor.net.fetch import Fetcher
from monitor.registry.model import Registry, Site, load_registry
from monitor.run.inspect import InspectProgress, inspect
from monitor.run.report import render_month
from monitor.sandbox.city import city_builder, city_registry, serve_city
from monitor.sandbox.server import RunningWorld
from monitor.store.files import write_atomic
from monitor.store.store import Store

DEMO_AS_OF = (date(2021, 8, 31), date(2021, 9, 30))
ROUND_DAYS = (21, 14, 7)
PROBES_PER_ROUND = 7
POLL_AT = time(23, 0)
PROBE_FROM = time(9, 0)


@dataclass
class DemoMonth:
    """One inspected month: its findings document and the files written for it."""

    period: Period
    document: dict[str, Any]
    files: list[Path] = field(default_factory=list)


Say = Callable[[str], None]


def rounds(as_of: date) -> list[date]:
    """The days of the simulated daemon's weekly rounds before ``as_of``."""
    return [as_of - timedelta(days=days) for days in ROUND_DAYS]


def at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, CHINA_TZ)


async def daemon_round(registry: Registry, store: Store, settings: Settings, day: date) -> None:
    """Probe every home page and poll every feed as the daemon would have on ``day``."""
    async def probe(site: Site, fetcher: Fetcher) -> None:
        found = []
        for hour in range(PROBES_PER_ROUND):
            found.append(await take_probe(site.url, fetcher, settings, source="scheduled",
                                          at=at(day, PROBE_FROM) + timedelta(hours=hour)))
        await store.call(store.add_probes, site.id, found)

    async with Fetcher(probe_settings(settings), settings.links, clock=lambda: at(day, PROBE_FROM)) as prober, \
            Fetcher(settings.crawl, settings.links, clock=lambda: at(day, POLL_AT)) as poller:
        await asyncio.gather(*(probe(site, prober) for site in registry.sites),
                             *(poll_account(account, fetcher=poller, store=store, settings=settings, now=at(day, POLL_AT))
                               for account in registry.accounts))


def inspect_month(world: RunningWorld, registry: Registry, store: Store, settings: Settings, as_of: date,
                  out: Path, say: Say, progress: Callable[[str], InspectProgress]) -> DemoMonth:
    """Weekly daemon rounds, the inspection at as-of, the findings JSON and the two notices."""
    period = Period.for_as_of(as_of)
    for day in rounds(as_of):
        world.swap(city_builder(day, feeds_only=True))
        asyncio.run(daemon_round(registry, store, settings, day))
        say(f"  {day}: {len(registry.sites) * PROBES_PER_ROUND} home-page probes, {len(registry.accounts)} feeds polled")
    world.swap(city_builder(as_of))
    bar = progress(f"inspect {period.month}")
    with bar if isinstance(bar, AbstractContextManager) else nullcontext():
        moment = at(as_of, POLL_AT)
        document = asyncio.run(inspect(registry, settings=settings, store=store, period=period, now=moment,
                                       progress=bar, clock=lambda: moment))
    findings = out / f"findings-{period.month}.json"
    write_atomic(findings, json.dumps(document, ensure_ascii=False, indent=2) + "\n", what="findings document (JSON)")
    return DemoMonth(period, document, [findings, *render_month(store, period.month, settings, out)])


def sandbox_settings(settings: Settings) -> Settings:
    """``settings`` for a simulated world: its "external" sites are other 127.0.0.1 ports, so
    private addresses are allowed (``[crawl] allow_private``)."""
    return settings.model_copy(update={"crawl": settings.crawl.model_copy(update={"allow_private": True})})


def run_demo(out: Path, database_url: str, settings: Settings, *, say: Say,
             progress: Callable[[str], InspectProgress], keep: Callable[[RunningWorld], None] | None = None,
             ) -> list[DemoMonth]:
    """Serve the city, inspect both months, render the notices; the servers always stop."""
    settings = sandbox_settings(settings)
    out.mkdir(parents=True, exist_ok=True)
    months: list[DemoMonth] = []
    with serve_city(rounds(DEMO_AS_OF[0])[0]) as world:
        registry_file = out / "registry.toml"
        registry_file.write_text(city_registry(world.bases), encoding="utf-8")
        registry = load_registry(registry_file)
        say(f"Simulated city of 阳泉市 on 127.0.0.1: {len(registry.sites)} sites, {len(registry.accounts)} accounts "
            f"(registry: {registry_file})")
        store = Store(database_url)
        try:
            for as_of in DEMO_AS_OF:
                say(f"{as_of:%Y-%m}: the daemon's weekly rounds, then the inspection as of {as_of}")
                months.append(inspect_month(world, registry, store, settings, as_of, out, say, progress))
        finally:
            store.close()
        if keep is not None:
            keep(world)
    return months
