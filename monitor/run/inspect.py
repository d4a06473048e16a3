"""The monthly inspection: every site crawled and every account polled, judged, stored, summed up.

Data flow: one ``Fetcher`` and one ``LinkChecker`` serve the whole inspection, so a link found
on several sites is checked once. Sites are crawled a few at a time (``concurrency``); each
site's snapshot gets the month's stored availability probes (the daemon's) merged in before it
is judged. Accounts are polled once at ``now`` and judged over their whole stored history.
Each target's result is stored under its period as soon as it is judged, so an interrupted
inspection resumes: targets already stored for this period and as-of are reused, never
redone, and the final document equals an uninterrupted run's. A target that cannot be
inspected at all (its crawl or judgement crashed) is kept as ``verdict = "not_inspected"`` with
the reason (``error = "internal_error"``); it is stored as an error, so the next run tries it again.
A site whose home page could not be read is ``not_inspected`` too (``monitor.judge.engine.judge_site``),
but that is an outcome of the inspection, stored as done.
Nothing here reads the clock: ``now`` is given; timestamps of fetches run on from it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from checks import check_options
from monitor.accounts.poll import poll_account
from monitor.config.settings import Settings
from monitor.crawl.crawler import crawl_site
from monitor.crawl.linkcheck import LinkChecker
from monitor.crawl.progress import CrawlProgress
from monitor.judge.engine import judge_account, judge_site, not_inspected_account, not_inspected_site
from monitor.model.document import FAIL, NOT_INSPECTED, findings_document, upgrade_target
from monitor.model.errors import StorageError
from monitor.model.period import Period, window_start
from monitor.model.snapshots import LinkResult, SiteSnapshot
from monitor.net.fetch import Fetcher
from monitor.registry.model import Account, Registry, Site
from monitor.store.store import Store

log = logging.getLogger(__name__)



class InspectProgress(CrawlProgress):
    """Crawl counters plus targets: how many there are, how many are finished (or reused)."""

    def __init__(self) -> None:
        super().__init__()
        self.targets = 0
        self.finished = 0
        self.reused = 0
        self.failed: list[tuple[str, str]] = []
        self.not_inspected: list[tuple[str, str]] = []

    def begin(self, targets: int, reused: int) -> None:
        self.targets, self.reused, self.finished = targets, reused, reused
        self.changed()

    def target(self, kind: str, target_id: str, verdict: str) -> None:
        self.finished += 1
        if verdict == FAIL:
            self.failed.append((kind, target_id))
        elif verdict == NOT_INSPECTED:
            self.not_inspected.append((kind, target_id))
        self.changed()


class _Run:
    """One inspection's shared state: store, period, clock, fetcher, link cache, progress."""

    def __init__(self, registry: Registry, settings: Settings, store: Store, period: Period, now: datetime,
                 progress: InspectProgress, clock: Callable[[], datetime] | None) -> None:
        self.registry, self.settings, self.store, self.period, self.now = registry, settings, store, period, now
        self.progress = progress
        self.as_of = period.as_of.isoformat()
        self.clock = clock or _running_from(now)

    async def fresh_links(self) -> dict[str, LinkResult]:
        """Stored link results checked within the freshness window before ``now`` (none after it)."""
        since = self.now - timedelta(hours=self.settings.crawl.freshness_hours)
        stored = await self.store.call(self.store.fresh_links, since)
        return {url: r for url, r in stored.items() if r.checked_at <= self.now}

    def history_start(self) -> datetime:
        """Stored content marks are read back as far as the longest column window reaches."""
        windows = check_options(self.settings, "stale_column").windows.values()  # type: ignore[attr-defined]
        earliest = min((window_start(self.period.as_of, w) for w in windows), default=self.period.start)
        return datetime(earliest.year, earliest.month, earliest.day, tzinfo=UTC) - timedelta(days=1)

    async def merge_probes(self, site: Site, snap: SiteSnapshot) -> SiteSnapshot:
        """The month's stored probes (the daemon's, ``govmon check``'s) followed by the crawl's own.

        The crawl's probes are not stored (only inside the snapshot), so a resumed inspection
        never counts a probe twice."""
        stored = await self.store.call(self.store.probes, site.id, self.period.start_at(), self.period.as_of_end())
        snap.probes = [*stored, *snap.probes]
        return snap

    async def save(self, kind: str, target_id: str, result: dict[str, Any]) -> None:
        status = "error" if result.get("error") == "internal_error" else "done"
        await self.store.call(self.store.save_result, self.period.month, kind, target_id, self.as_of, result,
                              at=self.now, status=status)
        self.progress.target(kind, target_id, str(result.get("verdict")))

    async def site(self, site: Site, fetcher: Fetcher, checker: LinkChecker) -> dict[str, Any]:
        from monitor.run import evidence

        try:
            recorded = evidence.recorder(fetcher, self.settings)  # keeps the pages a fault finding will cite
            snap = await crawl_site(site, settings=self.settings, fetcher=recorded,  # type: ignore[arg-type]
                                    linkchecker=checker, as_of=self.period.as_of, progress=self.progress)
            snap = await self.merge_probes(site, snap)
            marks = await self.store.call(self.store.content_marks, site.id, self.history_start(), self.now)
            snap.history = [*marks, *snap.marks()]
            # Judging is pure CPU work: on a thread the loop keeps serving fetches and probes meanwhile.
            result = await asyncio.to_thread(judge_site, site, snap, period=self.period, settings=self.settings,
                                             registry=self.registry)
            await self.store.call(self.store.save_site_snapshot, snap)
            await self.store.call(self.store.save_links, snap.links)
            await evidence.keep(self.store, self.settings, self.period.month, "site", site.id, result, recorded, snap)
        except StorageError:
            raise  # the database failed after its retries: the run ends with one line, nothing is misjudged
        except Exception as exc:  # noqa: BLE001 — one site's crash is reported, never sinks the inspection
            log.exception("inspecting site %s failed", site.id)
            result = not_inspected_site(site, "internal_error", detail=f"{type(exc).__name__}: {exc}")
        await self.save("site", site.id, result)
        return result

    async def account(self, account: Account, fetcher: Fetcher) -> dict[str, Any]:
        try:
            polled = (await self.store.call(self.store.account_snapshot, account.id, until=self.now)).fetches
            if not any(f.at == self.now for f in polled):
                await poll_account(account, fetcher=fetcher, store=self.store, settings=self.settings, now=self.now)
            snap = await self.store.call(self.store.account_snapshot, account.id, until=self.now)
            result = await asyncio.to_thread(judge_account, account, snap, period=self.period,
                                             settings=self.settings, registry=self.registry)
        except StorageError:
            raise
        except Exception as exc:  # noqa: BLE001
            log.exception("inspecting account %s failed", account.id)
            result = not_inspected_account(account, "internal_error", detail=f"{type(exc).__name__}: {exc}")
        await self.save("account", account.id, result)
        return result


def pick_stored(registry: Registry, rows: list[dict[str, Any]], keys: set[tuple[str, str]]
                ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The registry's sites and accounts among the stored result ``rows`` (``Store.results``) whose
    (kind, id) is in ``keys``, by id: the targets a run reuses, or the ones workers stored."""
    stored = {(r["_kind"], r["id"]): upgrade_target({k: v for k, v in r.items() if not k.startswith("_")})
              for r in rows if (r["_kind"], r["id"]) in keys}
    sites = {s.id: stored[("site", s.id)] for s in registry.sites if ("site", s.id) in stored}
    accounts = {a.id: stored[("account", a.id)] for a in registry.accounts if ("account", a.id) in stored}
    return sites, accounts


def _first(group: BaseExceptionGroup[Any]) -> BaseException:
    """The first leaf exception of a (nested) exception group."""
    first = group.exceptions[0]
    return _first(first) if isinstance(first, BaseExceptionGroup) else first


def _running_from(start: datetime) -> Callable[[], datetime]:
    """A clock that starts at ``start`` and runs on in real time (no wall clock read)."""
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


async def _bounded(limit: asyncio.Semaphore, job: Callable[[], Any]) -> dict[str, Any]:
    async with limit:
        return await job()


async def inspect(registry: Registry, *, settings: Settings, store: Store, period: Period, now: datetime,
                  progress: InspectProgress | None = None, concurrency: int | None = None,
                  clock: Callable[[], datetime] | None = None) -> dict[str, Any]:
    """Inspect every target of ``registry`` for ``period`` and return the findings document.

    ``now`` (aware) is the moment of the inspection: accounts are polled "at" it and results
    stamped with it. ``concurrency``: sites crawled at once (default ``[crawl] sites_at_once``).
    ``clock`` stamps the fetches (default: running on from ``now``; a simulation passes a fixed one).
    """
    run = _Run(registry, settings, store, period, now, progress or InspectProgress(), clock)
    await store.call(store.start_inspection, period.month, run.as_of, now)
    done = await store.call(store.done_targets, period.month, run.as_of)
    sites, accounts = pick_stored(registry, await store.call(store.results, period.month), done)
    run.progress.begin(len(registry.sites) + len(registry.accounts), len(sites) + len(accounts))
    site_limit = asyncio.Semaphore(max(1, concurrency or settings.crawl.sites_at_once))
    account_limit = asyncio.Semaphore(max(1, settings.crawl.accounts_at_once))
    async with Fetcher(settings.crawl, settings.links, clock=run.clock) as fetcher:
        fetcher.add_registry_hosts([h for s in registry.sites for h in (s.url, *s.hosts)])
        checker = LinkChecker(fetcher, settings.links, fresh=await run.fresh_links())
        try:
            async with asyncio.TaskGroup() as group:
                site_tasks = {s.id: group.create_task(_bounded(site_limit, lambda s=s: run.site(s, fetcher, checker)))
                              for s in registry.sites if s.id not in sites}
                account_tasks = {a.id: group.create_task(_bounded(account_limit, lambda a=a: run.account(a, fetcher)))
                                 for a in registry.accounts if a.id not in accounts}
        except ExceptionGroup as group_error:
            failed = group_error.subgroup(StorageError)
            if failed is None:
                raise
            raise _first(failed) from None  # one line for the CLI; stored targets resume next run
    sites.update({key: task.result() for key, task in site_tasks.items()})
    accounts.update({key: task.result() for key, task in account_tasks.items()})
    document = findings_document(period, sites.values(), accounts.values())
    await store.call(store.finish_inspection, period.month, document, now)
    return document
