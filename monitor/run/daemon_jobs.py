"""The daemon's longer jobs: feed polling, the daily snapshot, the monthly inspection, the prune.

Each takes the running daemon — what ``JobHost`` names of it: settings, store, clock, registry —
and returns its run's detail line; storage goes through ``Store.call``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, Protocol

from monitor.config.settings import Settings
from monitor.model.errors import StorageError
from monitor.model.period import Period
from monitor.registry.model import Registry
from monitor.store.store import Store

log = logging.getLogger("govmon.daemon")


class JobHost(Protocol):
    """What the jobs read of the running ``monitor.run.daemon.Daemon``."""

    settings: Settings
    store: Store
    transport: Any
    out_dir: Path | None
    tz: tzinfo

    def now(self) -> datetime: ...

    def current_registry(self) -> Registry: ...


async def feeds(daemon: JobHost) -> str:
    """Poll every account's source once, a few at a time."""
    from monitor.accounts.poll import poll_account
    from monitor.net.fetch import Fetcher

    accounts = daemon.current_registry().accounts
    gate = asyncio.Semaphore(daemon.settings.crawl.concurrency)
    async with Fetcher(daemon.settings.crawl, daemon.settings.links, transport=daemon.transport) as fetcher:
        async def one(account: Any) -> bool:
            async with gate:
                fetch = await poll_account(account, fetcher=fetcher, store=daemon.store, settings=daemon.settings,
                                           now=daemon.now())
                return bool(fetch.ok)

        results = await asyncio.gather(*(one(a) for a in accounts))
    return f"{sum(results)}/{len(results)} sources answered"


async def snapshot(daemon: JobHost) -> str:
    """Each site's daily snapshot; one site's crash is logged and listed, the others go on."""
    from monitor.crawl.crawler import crawl_site
    from monitor.crawl.linkcheck import LinkChecker
    from monitor.net.fetch import Fetcher

    registry, store = daemon.current_registry(), daemon.store
    as_of = daemon.now().astimezone(daemon.tz).date()
    done, failed = 0, []
    async with Fetcher(daemon.settings.crawl, daemon.settings.links, transport=daemon.transport) as fetcher:
        checker = LinkChecker(fetcher, daemon.settings.links)
        for site in sorted(registry.sites, key=lambda s: s.id):
            try:
                snap = await crawl_site(site, settings=daemon.settings, fetcher=fetcher, linkchecker=checker,
                                        as_of=as_of, max_pages=daemon.settings.daemon.snapshot_max_pages)
                await store.call(store.save_site_snapshot, snap)
                await store.call(store.save_pages, site.id, snap.pages)
                done += 1
            except StorageError:
                raise
            except Exception as exc:  # noqa: BLE001 — isolated: the next site is still snapshotted
                log.warning("snapshot of site %s failed: %s: %s", site.id, type(exc).__name__, exc, exc_info=True)
                failed.append(f"{site.id}: {type(exc).__name__}: {exc}")
    return f"{done} sites" + (f"; {len(failed)} failed: " + "; ".join(failed) if failed else "")


async def monthly(daemon: JobHost, month: str) -> str:
    """Inspect ``month``, then render its notice (off the loop)."""
    from monitor.run.inspect import inspect
    from monitor.run.report import default_out_dir, render_month

    period = Period.for_month(month)
    document = await inspect(daemon.current_registry(), settings=daemon.settings, store=daemon.store, period=period,
                             now=daemon.now())
    out_dir = daemon.out_dir or default_out_dir(daemon.settings)
    paths = await asyncio.to_thread(render_month, daemon.store, month, daemon.settings, out_dir,
                                    daemon.settings.daemon.report_formats)
    summary = document["summary"]
    return (f"sites {summary['sites_failed']}/{summary['sites_total']} failed, accounts "
            f"{summary['accounts_failed']}/{summary['accounts_total']} failed; " + ", ".join(map(str, paths)))


async def prune(daemon: JobHost) -> str:
    """Delete data older than ``retention_months`` and vacuum, on the store's writer thread."""
    from monitor.run.retention import prune as run_prune

    return (await daemon.store.call(run_prune, daemon.store, daemon.settings, daemon.now())).line()
