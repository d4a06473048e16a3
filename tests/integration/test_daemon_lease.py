"""Two daemons on one database: a lease held by a running job is renewed, an abandoned one expires."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.config.load import load_settings
from monitor.registry.model import Registry
from monitor.run.daemon import Daemon
from monitor.store.store import Store

JOB_SECONDS = 3.0


class SlowMonthly(Daemon):
    """A daemon whose monthly job takes three lease lengths (the real body needs a whole city)."""

    async def _body(self, kind: str, target: str, key: str) -> str:
        await asyncio.sleep(JOB_SECONDS)
        return f"done by {self.owner}"


def daemon(tmp_path: Path, owner: str) -> SlowMonthly:
    settings = load_settings(environ={"GOVMON_DAEMON__LEASE_SECONDS": "1"})
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    return SlowMonthly(settings, Registry(sites=[], accounts=[]), store, owner=owner, run_now=("monthly",))


async def run_until_done(d: Daemon, runs: int = 1) -> None:
    task = asyncio.create_task(d.run())
    for _ in range(200):
        await asyncio.sleep(0.1)
        if sum(r.outcome != "running" for r in d.store.job_runs("monthly")) >= runs:
            break
    d.stop()
    await asyncio.wait_for(task, 30)


async def test_a_job_longer_than_its_lease_is_not_run_twice(tmp_path: Path) -> None:
    first, second = daemon(tmp_path, "first"), daemon(tmp_path, "second")
    first_run = asyncio.create_task(run_until_done(first))
    await asyncio.sleep(1.6)  # the lease's first length is over; the heartbeat has renewed it
    lease = next(iter(first.store.job_runs("monthly")))
    assert lease.outcome == "running" and lease.owner == "first"
    second_task = asyncio.create_task(second.run())
    await asyncio.sleep(0.8)
    second.stop()
    await asyncio.wait_for(second_task, 30)
    await first_run
    runs = first.store.job_runs("monthly")
    assert [(r.owner, r.outcome, r.detail) for r in runs] == [("first", "ok", "done by first")]
    first.store.close(), second.store.close()


def test_a_renewed_lease_outlives_its_first_expiry_and_then_lapses(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    t0, ttl = datetime(2021, 9, 1, tzinfo=UTC), timedelta(minutes=5)
    assert store.acquire_lease("monthly@2021-08", "first", ttl, t0)
    assert store.renew_lease("monthly@2021-08", "first", ttl, t0 + timedelta(minutes=4))
    assert not store.acquire_lease("monthly@2021-08", "second", ttl, t0 + timedelta(minutes=6))
    assert store.acquire_lease("monthly@2021-08", "second", ttl, t0 + timedelta(minutes=10))
    assert not store.renew_lease("monthly@2021-08", "first", ttl, t0 + timedelta(minutes=10))
    store.close()


async def test_a_lease_left_by_a_crashed_daemon_expires_and_the_job_runs(tmp_path: Path) -> None:
    second = daemon(tmp_path, "second")
    key = second.run_key("monthly", datetime.now(UTC))
    assert second.store.acquire_lease(f"monthly@{key}", "crashed", timedelta(seconds=1), datetime.now(UTC))
    await asyncio.sleep(1.1)
    await run_until_done(second)
    assert [(r.owner, r.outcome) for r in second.store.job_runs("monthly")] == [("second", "ok")]
    second.store.close()


async def test_one_daemon_does_not_run_a_key_twice_at_once(tmp_path: Path) -> None:
    settings = load_settings(environ={"GOVMON_DAEMON__LEASE_SECONDS": "1"})
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    both = SlowMonthly(settings, Registry(sites=[], accounts=[]), store, owner="only", run_now=("monthly", "monthly"))
    await run_until_done(both)
    assert [(r.owner, r.outcome) for r in store.job_runs("monthly")] == [("only", "ok")]
    store.close()
