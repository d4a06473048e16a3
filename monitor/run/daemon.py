"""``govmon daemon``: the scheduled monitor that runs all month.

Jobs (schedules from ``[daemon]`` in settings, time zone from ``[general]``):

- ``probe:<site id>`` — home-page availability probe, every ``probe_minutes``, sites spread
  over the interval;
- ``feeds`` — poll every account's source, every ``feed_hours``;
- ``snapshot`` — daily crawl of each site's home and column pages (content hashes kept);
- ``monthly`` — inspect the previous month, then render its notice;
- ``prune`` — monthly: delete data older than ``retention_months``, then vacuum (``monitor.run.retention``).

Schedules live in APScheduler's SQLAlchemy job store in the govmon database, so a restart
keeps them and a monthly run missed while down runs once (coalesce + misfire grace). Every
run is keyed (e.g. ``monthly`` / ``2021-08``) and guarded by a database lease (a compare-and-set,
renewed while the job runs), so two daemons on one database never run the same job twice.
Storage calls go through the store's writer thread (``Store.call``), never blocking the loop. SIGTERM/SIGINT: stop taking work, let running
jobs finish within the grace period, cancel the rest (inspections resume from stored results).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config.settings import Settings
from monitor.model.errors import StorageError
from monitor.model.period import Period
from monitor.registry.model import Registry, load_registry
from monitor.run import daemon_jobs
from monitor.store.db import create_tables
from monitor.store.store import Store

log = logging.getLogger("govmon.daemon")
JOB_TABLE = "apscheduler_jobs"
_ACTIVE: "Daemon | None" = None


async def run_job(kind: str, target: str = "") -> None:
    """The callable stored in the job store: runs on the daemon of this process."""
    if _ACTIVE is not None:
        try:
            await _ACTIVE.execute(kind, target)
        except asyncio.CancelledError:  # shutdown cancelled it; already recorded as "cancelled"
            return
        except StorageError as exc:  # the database failed after its retries: one line, the next run tries again
            log.error("job=%s outcome=error %s", job_name(kind, target), exc)


def job_name(kind: str, target: str) -> str:
    return f"{kind}:{target}" if target else kind


def _same_trigger(old: Any, new: Any) -> bool:
    """Whether a stored job's trigger still matches the settings (start offsets aside)."""
    if type(old) is not type(new):
        return False
    if isinstance(new, IntervalTrigger):
        return old.interval == new.interval
    return str(old) == str(new)


class Daemon:
    """One scheduler process over one database."""

    def __init__(self, settings: Settings, registry: Registry, store: Store, *,
                 registry_path: str | Path | None = None, out_dir: str | Path | None = None,
                 owner: str | None = None, now: Callable[[], datetime] | None = None,
                 transport: Any = None, run_now: tuple[str, ...] = (), broker: str | None = None) -> None:
        self.settings = settings
        self.registry = registry
        self.registry_path = Path(registry_path) if registry_path else None
        self.store = store
        self.out_dir = Path(out_dir) if out_dir else None
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.now = now or (lambda: datetime.now(UTC))
        self.transport = transport
        self.run_now = run_now
        self.broker = broker  # a Redis URL: probes and feed polls go to `govmon worker`s through it
        self.tz = settings.general.zone()
        self._stopping: asyncio.Event | None = None
        self._running: set[asyncio.Task[Any]] = set()
        self._leases: set[str] = set()
        self._fetcher: Any = None
        self._watch: Any = None

    # scheduling -------------------------------------------------------------
    def desired_jobs(self) -> dict[str, tuple[Any, tuple[str, str]]]:
        """Job id → (trigger, args) wanted by the current settings and registry."""
        d = self.settings.daemon
        now = self.now()
        jobs: dict[str, tuple[Any, tuple[str, str]]] = {}
        interval = timedelta(minutes=d.probe_minutes)
        sites = sorted(self.registry.sites, key=lambda s: s.id)
        for index, site in enumerate(sites):
            start = now + interval * (index + 1) / max(len(sites), 1)
            jobs[job_name("probe", site.id)] = (IntervalTrigger(seconds=interval.total_seconds(), start_date=start,
                                                                timezone=self.tz), ("probe", site.id))
        if self.registry.accounts:
            jobs["feeds"] = (IntervalTrigger(seconds=d.feed_hours * 3600, start_date=now + timedelta(hours=d.feed_hours),
                                             timezone=self.tz), ("feeds", ""))
        if self.registry.sites:
            jobs["snapshot"] = (CronTrigger.from_crontab(d.snapshot_cron, timezone=self.tz), ("snapshot", ""))
        jobs["monthly"] = (CronTrigger.from_crontab(d.monthly_cron, timezone=self.tz), ("monthly", ""))
        jobs["prune"] = (CronTrigger.from_crontab(d.prune_cron, timezone=self.tz), ("prune", ""))
        return jobs

    def _sync_jobs(self, scheduler: AsyncIOScheduler) -> None:
        """Add new jobs, replace changed ones, drop obsolete ones; keep unchanged ones (and their due runs)."""
        wanted = self.desired_jobs()
        for job in scheduler.get_jobs(jobstore="default"):
            if job.id not in wanted:
                job.remove()
        for job_id, (trigger, args) in wanted.items():
            existing = scheduler.get_job(job_id, jobstore="default")
            if existing is not None and _same_trigger(existing.trigger, trigger):
                continue
            scheduler.add_job(run_job, trigger, args=args, id=job_id, name=job_id, jobstore="default",
                              replace_existing=True)

    def _startup_runs(self, scheduler: AsyncIOScheduler) -> None:
        """Probes and feeds run once right away (probes staggered over at most a minute)."""
        now = self.now()
        sites = sorted(self.registry.sites, key=lambda s: s.id)
        step = min(60.0, self.settings.daemon.probe_minutes * 60) / max(len(sites), 1)
        for index, site in enumerate(sites):
            scheduler.add_job(run_job, "date", run_date=now + timedelta(seconds=index * step),
                              args=("probe", site.id), jobstore="startup", misfire_grace_time=None)
        if self.registry.accounts:
            scheduler.add_job(run_job, "date", run_date=now, args=("feeds", ""), jobstore="startup",
                              misfire_grace_time=None)
        for kind in self.run_now:
            scheduler.add_job(run_job, "date", run_date=now, args=(kind, ""), jobstore="startup",
                              misfire_grace_time=None)

    def make_scheduler(self) -> AsyncIOScheduler:
        d = self.settings.daemon
        jobstore = SQLAlchemyJobStore(engine=self.store.engine, tablename=JOB_TABLE)
        create_tables(self.store.engine, jobstore.jobs_t.metadata)  # before start(): daemons may race to make it
        return AsyncIOScheduler(
            jobstores={"default": jobstore, "startup": MemoryJobStore()},
            job_defaults={"coalesce": True, "misfire_grace_time": d.misfire_grace_seconds, "max_instances": 1},
            timezone=self.tz,
        )

    # running ----------------------------------------------------------------
    async def run(self) -> int:
        """Run until ``stop()`` or SIGTERM/SIGINT; returns the exit code (0)."""
        global _ACTIVE
        from monitor.crawl.probes import LagWatch, probe_settings
        from monitor.net.fetch import Fetcher

        self._stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(sig, self.stop)
            except (NotImplementedError, RuntimeError):
                pass
        _ACTIVE = self
        scheduler = self.make_scheduler()
        probing = probe_settings(self.settings).model_copy(
            update={"concurrency": self.settings.daemon.probe_concurrency})
        self._watch = LagWatch(self.settings.probes.max_loop_lag_seconds)
        async with self._watch, Fetcher(probing, self.settings.links, transport=self.transport) as fetcher:
            self._fetcher = fetcher
            fetcher.add_registry_hosts([h for s in self.registry.sites for h in (s.url, *s.hosts)])
            scheduler.start(paused=True)
            self._sync_jobs(scheduler)
            self._startup_runs(scheduler)
            scheduler.resume()
            log.info("daemon started owner=%s sites=%d accounts=%d", self.owner, len(self.registry.sites),
                     len(self.registry.accounts))
            await self._stopping.wait()
            scheduler.pause()
            await self._drain()
            scheduler.shutdown(wait=False)
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.remove_signal_handler(sig)
            except (NotImplementedError, RuntimeError):
                pass
        _ACTIVE = None
        log.info("daemon stopped owner=%s", self.owner)
        return 0

    def stop(self) -> None:
        if self._stopping is not None and not self._stopping.is_set():
            log.info("stop requested: finishing running jobs (grace %.1fs)", self.settings.daemon.shutdown_grace_seconds)
            self._stopping.set()

    async def _drain(self) -> None:
        running = {t for t in self._running if not t.done()}
        if not running:
            return
        _, pending = await asyncio.wait(running, timeout=self.settings.daemon.shutdown_grace_seconds)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=10)

    # one job run --------------------------------------------------------------
    def run_key(self, kind: str, now: datetime) -> str:
        """What one run covers: the probe/feed slot's start, the snapshot's day, the inspected month."""
        d = self.settings.daemon
        local = now.astimezone(self.tz)
        if kind in ("probe", "feeds"):
            step = d.probe_minutes * 60 if kind == "probe" else d.feed_hours * 3600
            slot = datetime.fromtimestamp(now.timestamp() // step * step, UTC)
            return slot.isoformat(timespec="seconds").replace("+00:00", "Z")
        if kind == "snapshot":
            return local.date().isoformat()
        if kind == "prune":
            return f"{local:%Y-%m}"
        return Period.for_as_of(local.date()).previous().month

    async def execute(self, kind: str, target: str) -> None:
        """Run one job unless stopping, already done for its key, or leased by another daemon.

        The lease is renewed every third of its length while the job runs, so a job longer
        than ``lease_seconds`` is never taken over (and run twice) by another daemon."""
        if self._stopping is None or self._stopping.is_set():
            return
        store, now = self.store, self.now()
        name, key = job_name(kind, target), self.run_key(kind, now)
        if await store.call(store.job_done, name, key):
            return
        lease, ttl = f"{name}@{key}", timedelta(seconds=self.settings.daemon.lease_seconds)
        if lease in self._leases:  # this daemon runs it already (a start-up run meeting its scheduled one)
            return
        self._leases.add(lease)
        try:
            if not await store.call(store.acquire_lease, lease, self.owner, ttl, now):
                self._log(name, key, "skipped", 0.0, "held by another daemon")
                return
            if await store.call(store.job_done, name, key):  # finished elsewhere between the check and the lease
                await store.call(store.release_lease, lease, self.owner)
                return
            await self._run_leased(kind, target, name, key, lease, ttl, now)
        finally:
            self._leases.discard(lease)

    async def _run_leased(self, kind: str, target: str, name: str, key: str, lease: str, ttl: timedelta,
                          now: datetime) -> None:
        """Run the job under its lease (renewed meanwhile); record the run; release the lease."""
        store = self.store
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        heartbeat = asyncio.create_task(self._heartbeat(lease, ttl))
        started = time.monotonic()
        outcome, detail = "error", ""
        try:
            run_id = await store.call(store.start_job_run, name, key, self.owner, now)
            try:
                detail = await self._body(kind, target, key)
                outcome = "ok"
            except asyncio.CancelledError:
                outcome, detail = "cancelled", "stopped before finishing; the next run resumes"
                raise
            except Exception as exc:  # a failing job is logged and recorded, never kills the daemon
                outcome, detail = "error", f"{type(exc).__name__}: {exc}"
                log.debug("job %s failed", name, exc_info=True)
            finally:
                await asyncio.shield(store.call(store.finish_job_run, run_id, outcome, detail, self.now()))
        finally:
            heartbeat.cancel()
            await asyncio.shield(store.call(store.release_lease, lease, self.owner))
            if task is not None:
                self._running.discard(task)
            self._log(name, key, outcome, time.monotonic() - started, detail)

    async def _heartbeat(self, lease: str, ttl: timedelta) -> None:
        """Renew the lease every third of its length; a lost lease is logged (the job goes on)."""
        while True:
            await asyncio.sleep(ttl.total_seconds() / 3)
            if not await self.store.call(self.store.renew_lease, lease, self.owner, ttl, self.now()):
                log.warning("lease %s lost: another daemon may run this job", lease)
                return

    def _log(self, job: str, key: str, outcome: str, seconds: float, detail: str) -> None:
        level = logging.INFO if outcome in ("ok", "skipped") else logging.WARNING
        log.log(level, "job=%s run=%s outcome=%s duration=%.1fs %s", job, key, outcome, seconds, detail,
                extra={"job": job, "run": key, "outcome": outcome, "duration_s": round(seconds, 3), "detail": detail})

    async def _body(self, kind: str, target: str, key: str) -> str:
        """One job's work; returns the run's detail line (the long jobs are in ``monitor.run.daemon_jobs``)."""
        if kind in ("probe", "feeds") and self.broker is not None:
            return await asyncio.to_thread(daemon_jobs.enqueue, self, kind, target, key)
        if kind == "probe":
            return await self._probe(target)
        if kind == "feeds":
            return await daemon_jobs.feeds(self)
        if kind == "snapshot":
            return await daemon_jobs.snapshot(self)
        if kind == "monthly":
            return await daemon_jobs.monthly(self, key)
        if kind == "prune":
            return await daemon_jobs.prune(self)
        raise ValueError(f"unknown job kind {kind!r}")

    def current_registry(self) -> Registry:
        """Re-read the registry file if there is one, so edits apply without a restart."""
        if self.registry_path is not None:
            self.registry = load_registry(self.registry_path)
        return self.registry

    async def _probe(self, site_id: str) -> str:
        """One scheduled probe of the site's home page, the control URL probed in the same slot."""
        from monitor.crawl.probes import probe_with_control

        site = self.current_registry().site(site_id)
        probe = await probe_with_control(site.url, self._fetcher, self.settings, watch=self._watch, at=self.now())
        await self.store.call(self.store.add_probes, site.id, [probe])
        if probe.void:
            return f"void ({probe.void})"
        if probe.blocked:
            return f"blocked status={probe.status}"
        return "ok" if probe.ok else f"failed status={probe.status} error={probe.error}"
