"""The units of work a worker runs: "inspect target T for period P" (more to come: probes, feed polls).

Each task is idempotent and keyed by (period, as-of, kind, target): a target whose result is
already stored for the run's period and as-of is only reported again, never redone; a target is
inspected by one worker at a time (``broker.Claim``), so two workers never store it twice; a
task is acknowledged only after its result is stored, so a killed worker's task is redelivered
and the redelivered copy finds either the result (reports it) or nothing (inspects the target).
The inspection itself is ``monitor.run.inspect._Run``: the same code and the same stored result as a
single-process run.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import dramatiq
import redis
from dramatiq.middleware import CurrentMessage

from monitor.config.settings import Settings
from monitor.crawl.linkcheck import LinkChecker
from monitor.model.errors import StorageError
from monitor.model.period import Period
from monitor.net.fetch import Fetcher
from monitor.registry.model import Registry, parse_registry
from monitor.run.broker import CLAIM_LEASE_MS, Claim, get_run, report
from monitor.run.inspect import InspectProgress, _Run
from monitor.run.politeness import SharedHostGates
from monitor.store.store import Store

log = logging.getLogger(__name__)

#: How often a redelivered duplicate comes back while another worker holds the target (ms).
BUSY_BACKOFF_MS = (2_000, 30_000)
BUSY_RETRIES = 200
STORAGE_RETRIES = 5
#: A crawl of a large site runs for hours; Dramatiq's default limit (10 min) would kill it.
TIME_LIMIT_MS = 12 * 3600 * 1000


class Busy(Exception):
    """Another worker holds this target's claim: come back later."""


@dataclass
class RunSpec:
    """A run as a worker sees it: registry, settings, period and the coordinator's ``now``."""

    registry: Registry
    settings: Settings
    period: Period | None  # None for the daemon's probes and polls
    now: datetime | None


class WorkerContext:
    """What one worker process shares between its tasks: Redis, the store, its vantage point."""

    def __init__(self, broker_url: str, db_url: str, vantage: str = "") -> None:
        self.redis = redis.Redis.from_url(broker_url)
        self.store = Store(db_url)
        self.vantage = vantage
        self.host_gates = SharedHostGates(broker_url)
        self.claim_lease_ms = int(os.environ.get("GOVMON_QUEUE_CLAIM_MS", CLAIM_LEASE_MS))
        self._runs: dict[str, RunSpec] = {}

    def run(self, run_id: str) -> RunSpec:
        if run_id not in self._runs:
            raw = get_run(self.redis, run_id)
            self._runs[run_id] = RunSpec(registry=parse_registry(raw["registry"], "registry (from the broker)"),
                                         settings=Settings.model_validate(raw["settings"]),
                                         period=Period.for_as_of(date.fromisoformat(raw["as_of"]))
                                         if raw.get("as_of") else None,
                                         now=datetime.fromisoformat(raw["now"]) if raw.get("now") else None)
        return self._runs[run_id]

    def close(self) -> None:
        self.store.close()
        self.redis.close()


_context: WorkerContext | None = None


def set_context(context: WorkerContext | None) -> None:
    """Install the worker process's context (``govmon worker`` does, before its threads start)."""
    global _context
    _context = context


def context() -> WorkerContext:
    if _context is None:
        raise RuntimeError("no worker context: tasks run inside `govmon worker`")
    return _context


def _retries() -> int:
    message = CurrentMessage.get_current_message()
    return 0 if message is None else int(message.options.get("retries", 0))


def retry_when(retries: int, exc: BaseException) -> bool:
    """A busy target comes back until its holder is done; a failing database a few times; nothing else."""
    if isinstance(exc, Busy):
        return retries < BUSY_RETRIES
    return isinstance(exc, StorageError) and retries < STORAGE_RETRIES


async def _keep(claim: Claim, every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        await asyncio.to_thread(claim.renew)


async def _inspect_one(ctx: WorkerContext, spec: RunSpec, kind: str, target_id: str) -> dict[str, Any]:
    assert spec.period is not None and spec.now is not None, "an inspection run has a period and a moment"
    run = _Run(spec.registry, spec.settings, ctx.store, spec.period, spec.now, InspectProgress(), None)
    async with Fetcher(spec.settings.crawl, spec.settings.links, clock=run.clock,
                       shared_gates=ctx.host_gates) as fetcher:
        fetcher.add_registry_hosts([h for s in spec.registry.sites for h in (s.url, *s.hosts)])
        if kind == "site":
            site = next(s for s in spec.registry.sites if s.id == target_id)
            checker = LinkChecker(fetcher, spec.settings.links, fresh=await run.fresh_links())
            return await run.site(site, fetcher, checker)
        account = next(a for a in spec.registry.accounts if a.id == target_id)
        return await run.account(account, fetcher)


async def inspect_target(run_id: str, kind: str, target_id: str) -> None:
    """Inspect one site or account of run ``run_id`` (or find it stored) and report it to the coordinator."""
    ctx = context()
    spec = ctx.run(run_id)
    assert spec.period is not None
    as_of = spec.period.as_of.isoformat()
    claim = Claim(ctx.redis, f"{spec.period.month}:{as_of}:{kind}:{target_id}", ctx.claim_lease_ms)
    if not await asyncio.to_thread(claim.take):
        raise Busy(f"{kind} {target_id} is being inspected by another worker")
    keeper = asyncio.create_task(_keep(claim, ctx.claim_lease_ms / 3000))
    try:
        stored = await ctx.store.call(ctx.store.result_of, spec.period.month, kind, target_id, as_of)
        if stored is None:
            stored = await _inspect_one(ctx, spec, kind, target_id)
            log.info("inspected %s %s: %s", kind, target_id, stored.get("verdict"))
        else:
            log.info("found %s %s stored: %s", kind, target_id, stored.get("verdict"))
        await asyncio.to_thread(report, ctx.redis, run_id, kind=kind, id=target_id,
                                verdict=str(stored.get("verdict")), worker=os.getpid())
    except StorageError as exc:
        if _retries() >= STORAGE_RETRIES:
            await asyncio.to_thread(report, ctx.redis, run_id, kind=kind, id=target_id, error=str(exc))
        raise
    except Exception as exc:  # a bug outside the inspection's own guard: the coordinator must not wait for ever
        await asyncio.to_thread(report, ctx.redis, run_id, kind=kind, id=target_id,
                                error=f"worker {os.getpid()}: {type(exc).__name__}: {exc}")
        raise
    finally:
        keeper.cancel()
        await asyncio.to_thread(claim.release)


async def _held(ctx: WorkerContext, key: str, job: Any) -> None:
    """Run ``job()`` holding the claim ``key``; a claim held elsewhere is ``Busy`` (retried later)."""
    claim = Claim(ctx.redis, key, ctx.claim_lease_ms)
    if not await asyncio.to_thread(claim.take):
        raise Busy(f"{key} is being done by another worker")
    keeper = asyncio.create_task(_keep(claim, ctx.claim_lease_ms / 3000))
    try:
        await job()
    finally:
        keeper.cancel()
        await asyncio.to_thread(claim.release)


async def probe_site(run_id: str, site_id: str, slot: str, vantage: str | None = None) -> None:
    """The scheduled probe of one site for the slot starting at ``slot`` (ISO), from this worker's vantage
    point; stored once per (site, slot, vantage point): a redelivered task finds it stored and stops."""
    from monitor.crawl.probes import LagWatch, probe_settings, probe_with_control

    ctx = context()
    if (vantage or None) != (ctx.vantage or None):
        log.warning("probe of %s for vantage %s reached worker of vantage %s: skipped", site_id, vantage, ctx.vantage)
        return
    spec = ctx.run(run_id)
    settings, site = spec.settings, spec.registry.site(site_id)
    start = datetime.fromisoformat(slot)
    end = start + timedelta(minutes=settings.daemon.probe_minutes)

    async def job() -> None:
        stored = await ctx.store.call(ctx.store.probes, site_id, start, end)
        if any(p.source == "scheduled" and p.vantage == (vantage or None) for p in stored):
            log.info("found probe of site %s for %s stored", site_id, slot)
            return
        async with LagWatch(settings.probes.max_loop_lag_seconds) as watch, \
                Fetcher(probe_settings(settings), settings.links) as fetcher:
            fetcher.add_registry_hosts([h for s in spec.registry.sites for h in (s.url, *s.hosts)])
            probe = await probe_with_control(site.url, fetcher, settings, watch=watch, at=datetime.now(UTC))
        probe = probe.model_copy(update={"vantage": vantage or None})
        await ctx.store.call(ctx.store.add_probes, site_id, [probe])
        log.info("probed site %s%s: %s", site_id, f" from {vantage}" if vantage else "",
                 "ok" if probe.ok else probe.void or ("blocked" if probe.blocked else f"failed {probe.error or probe.status}"))

    await _held(ctx, f"probe:{site_id}:{slot}:{vantage or ''}", job)


async def poll_account_task(run_id: str, account_id: str, at: str) -> None:
    """Read one account's source "at" ``at`` (the daemon's feed slot moment); stored once per moment."""
    from monitor.accounts.poll import poll_account

    ctx = context()
    spec = ctx.run(run_id)
    account, now = spec.registry.account(account_id), datetime.fromisoformat(at)

    async def job() -> None:
        polled = (await ctx.store.call(ctx.store.account_snapshot, account_id, until=now)).fetches
        if any(f.at == now for f in polled):
            log.info("found poll of account %s at %s stored", account_id, at)
            return
        async with Fetcher(spec.settings.crawl, spec.settings.links, shared_gates=ctx.host_gates) as fetcher:
            fetch = await poll_account(account, fetcher=fetcher, store=ctx.store, settings=spec.settings, now=now)
        log.info("polled account %s: %s", account_id, "ok" if fetch.ok else "failed")

    await _held(ctx, f"poll:{account_id}:{at}", job)


def probe_queue(vantage: str | None) -> str:
    """The queue of probes for one vantage point (``probe`` when there is none)."""
    return f"probe-{vantage}" if vantage else "probe"


def declare(broker: dramatiq.Broker) -> None:
    """Register this module's actors on ``broker`` (workers run them; the coordinator only enqueues)."""
    dramatiq.actor(inspect_target, broker=broker, actor_name="inspect_target", queue_name="inspect",
                   retry_when=retry_when, min_backoff=BUSY_BACKOFF_MS[0], max_backoff=BUSY_BACKOFF_MS[1],
                   time_limit=TIME_LIMIT_MS)
    for fn, name, queue in ((probe_site, "probe_site", "probe"), (poll_account_task, "poll_account", "feeds")):
        dramatiq.actor(fn, broker=broker, actor_name=name, queue_name=queue, retry_when=retry_when,
                       min_backoff=BUSY_BACKOFF_MS[0], max_backoff=BUSY_BACKOFF_MS[1], time_limit=3_600_000)

