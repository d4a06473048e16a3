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


def enqueue(daemon: Any, kind: str, target: str, key: str) -> str:
    """``daemon --broker`` (``daemon`` is the running ``Daemon``, with its ``broker`` URL and registry): put this slot's probe (once per vantage point) or every account's poll on the
    queue for the workers; the run description (registry, settings) is keyed by its content."""
    import hashlib
    import json

    from monitor.run.broker import enqueue as send, make_broker, put_run, redis_client
    from monitor.run.tasks import probe_queue

    registry = daemon.current_registry()
    description = {"registry": registry_text(daemon), "settings": daemon.settings.model_dump(mode="json")}
    run_id = "daemon-" + hashlib.sha256(json.dumps(description, sort_keys=True, ensure_ascii=False)
                                        .encode()).hexdigest()[:16]
    client = redis_client(daemon.broker or "")
    broker = make_broker(daemon.broker or "")
    try:
        put_run(client, description, run_id=run_id)
        if kind == "probe":
            slot = key.replace("Z", "+00:00")
            vantage_points = sorted(set(daemon.settings.probes.vantage_points)) or [None]
            for vantage in vantage_points:
                broker.declare_queue(probe_queue(vantage))
                send(broker, probe_queue(vantage), "probe_site", run_id=run_id, site_id=target, slot=slot,
                     vantage=vantage)
            return f"queued for {len(vantage_points)} vantage point(s)"
        at = daemon.now().isoformat()
        for account in registry.accounts:
            send(broker, "feeds", "poll_account", run_id=run_id, account_id=account.id, at=at)
        return f"{len(registry.accounts)} polls queued"
    finally:
        broker.close()
        client.close()


def registry_text(daemon: Any) -> str:
    """The registry as workers read it: the file's text, or the loaded registry written out."""
    if daemon.registry_path is not None:
        return daemon.registry_path.read_text(encoding="utf-8")
    from monitor.registry.spreadsheet import registry_toml
    return registry_toml(daemon.registry, ["the daemon's registry"])


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
