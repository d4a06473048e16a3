"""The daemon against the fake web: cadence, restarts, two daemons on one database, SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

from monitor.config.load import load_settings
from monitor.registry.model import parse_registry
from monitor.run.daemon import JOB_TABLE, Daemon
from monitor.sandbox.server import serve_world
from monitor.store.store import Store
from tests.integration import daemon_world

FAST = {"GOVMON_DAEMON__PROBE_MINUTES": "0.02", "GOVMON_DAEMON__FEED_HOURS": "0.0005",
        "GOVMON_DAEMON__SHUTDOWN_GRACE_SECONDS": "5", "GOVMON_CRAWL__TIMEOUT_TOTAL": "5",
        "GOVMON_CRAWL__RETRIES": "0", "GOVMON_CRAWL__OBEY_ROBOTS": "false"}


@pytest.fixture()
def web():
    with serve_world(daemon_world.build(), daemon_world.KEYS) as running:
        yield running


def _daemon(tmp_path: Path, bases: dict[str, str], **kw) -> Daemon:  # type: ignore[no-untyped-def]
    settings = load_settings(environ=FAST)
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    return Daemon(settings, parse_registry(daemon_world.registry_text(bases)), store, out_dir=tmp_path / "out", **kw)


async def _run_for(daemon: Daemon, seconds: float, until=None) -> int:  # type: ignore[no-untyped-def]
    """Run the daemon for ``seconds`` or, with ``until``, until it holds (at most 60 s on a slow machine)."""
    task = asyncio.create_task(daemon.run())
    deadline = time.monotonic() + (60.0 if until else seconds)
    await asyncio.sleep(seconds if until is None else 0.2)
    while until is not None and not until() and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    daemon.stop()
    return await asyncio.wait_for(task, 30)


EVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


async def test_probes_and_posts_are_stored_at_the_set_cadence(tmp_path: Path, web) -> None:  # type: ignore[no-untyped-def]
    daemon = _daemon(tmp_path, web.bases)

    def enough() -> bool:
        counts = daemon.store.probe_counts(*EVER)
        return (len(counts) == 2 and min(total for total, _ in counts.values()) >= 3
                and len(daemon.store.job_runs("feeds")) >= 2)

    assert await _run_for(daemon, 0, until=enough) == 0
    counts = daemon.store.probe_counts(*EVER)
    assert set(counts) == {"1403000001", "1403000002"}
    assert all(total >= 3 and failed == 0 for total, failed in counts.values())  # start-up probe + ≥2 at 1.2 s
    snap = daemon.store.account_snapshot("wx1")
    assert len(snap.posts) == 5  # polled several times, every post stored once
    assert len(snap.fetches) >= 2 and all(f.ok for f in snap.fetches)
    runs = daemon.store.job_runs("feeds")
    assert len(runs) >= 2 and {r.outcome for r in runs} == {"ok"}


@pytest.mark.slow
def test_status_shows_next_runs_last_outcomes_and_this_months_data(tmp_path: Path, web) -> None:  # type: ignore[no-untyped-def]
    daemon = _daemon(tmp_path, web.bases)
    asyncio.run(_run_for(daemon, 0, until=lambda: len(daemon.store.job_runs("feeds")) >= 1
                         and len(daemon.store.job_runs("probe")) >= 2))
    registry = tmp_path / "registry.toml"
    registry.write_text(daemon_world.registry_text(web.bases), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "monitor", "status", "--registry", str(registry), "--db",
                          f"sqlite:///{tmp_path / 'govmon.db'}", "--json"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert {"probe", "feeds", "monthly", "snapshot"} <= set(data["jobs"])
    assert data["jobs"]["monthly"]["next_run"] is not None
    assert data["jobs"]["feeds"]["last_run"]["outcome"] == "ok"
    assert data["accounts"]["wx1"] == {"name": "甲市发布", "posts": 0}  # its posts date from 2021, not this month
    assert data["probes_total"] >= 2 and data["sites"]["1403000001"]["failed"] == 0


async def test_restart_keeps_the_schedule_and_runs_a_missed_monthly_job_once(tmp_path: Path, web) -> None:  # type: ignore[no-untyped-def]
    first = _daemon(tmp_path, web.bases)
    await _run_for(first, 0.5)
    jobstore = SQLAlchemyJobStore(engine=first.store.engine, tablename=JOB_TABLE)
    monthly = jobstore.lookup_job("monthly")
    assert monthly is not None and monthly.next_run_time > datetime.now(UTC)
    # The service was down when the monthly run was due: make its stored run time lie in the past.
    missed = datetime.now(UTC) - timedelta(hours=3)
    monthly.next_run_time = missed
    jobstore.update_job(monthly)
    second = _daemon(tmp_path, web.bases)
    await _run_for(second, 0, until=lambda: any(r.outcome != "running" for r in second.store.job_runs("monthly")))
    runs = second.store.job_runs("monthly")
    assert len(runs) == 1, [(r.run_key, r.outcome, r.detail) for r in runs]
    assert runs[0].outcome in ("ok", "error")
    after = SQLAlchemyJobStore(engine=second.store.engine, tablename=JOB_TABLE).lookup_job("monthly")
    assert after.next_run_time > datetime.now(UTC)
    third = _daemon(tmp_path, web.bases)
    await _run_for(third, 1.0)
    assert len(third.store.job_runs("monthly")) == 1


_SPAWNED: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_daemon_left_behind():  # type: ignore[no-untyped-def]
    """A failing assertion must not leave a daemon process running after the test."""
    yield
    while _SPAWNED:
        proc = _SPAWNED.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def _spawn(tmp_path: Path, registry: Path, name: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, **FAST, "GOVMON_GENERAL__DATA_DIR": str(tmp_path), "GOVMON_DAEMON__SHUTDOWN_GRACE_SECONDS": "0.5"}
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "daemon", "--registry", str(registry),
                             "--db", f"sqlite:///{tmp_path / 'govmon.db'}", "--out", str(tmp_path / "out"), *extra],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / f"{name}.log", "wb"))
    _SPAWNED.append(proc)
    return proc


@pytest.mark.slow
def test_two_daemons_on_one_database_never_run_the_same_job_twice(tmp_path: Path, web) -> None:  # type: ignore[no-untyped-def]
    registry = tmp_path / "registry.toml"
    registry.write_text(daemon_world.registry_text(web.bases), encoding="utf-8")
    procs = [_spawn(tmp_path, registry, f"d{i}") for i in range(2)]
    db = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    both = lambda: len({r.owner for r in db.job_runs("") if r.outcome == "ok"}) == 2  # noqa: E731
    assert _wait_for(lambda: both() and len(db.job_runs("probe")) >= 8, 60)
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    assert [proc.wait(30) for proc in procs] == [0, 0]
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    runs = store.job_runs("")
    ok = Counter((r.job, r.run_key) for r in runs if r.outcome == "ok")
    assert ok and max(ok.values()) == 1, ok
    assert len({r.owner for r in runs}) == 2  # both daemons did work, never the same run
    assert store.probe_counts(*EVER)["1403000001"][0] >= 2


def _wait_for(predicate, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_sigterm_during_a_crawl_leaves_the_database_consistent_and_the_next_run_resumes(tmp_path: Path) -> None:
    with serve_world(daemon_world.build(page_delay=1.5), daemon_world.KEYS) as slow:
        registry = tmp_path / "registry.toml"
        registry.write_text(daemon_world.registry_text(slow.bases), encoding="utf-8")
        db = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
        first = _spawn(tmp_path, registry, "first", "--run-now", "monthly")
        running = lambda: any(r.outcome == "running" for r in db.job_runs("monthly"))  # noqa: E731
        assert _wait_for(running, 20), (tmp_path / "first.log").read_text()
        time.sleep(1.0)
        first.send_signal(signal.SIGTERM)
        assert first.wait(60) == 0
        runs = db.job_runs("monthly")
        assert [r.outcome for r in runs] == ["cancelled"] or [r.outcome for r in runs] == ["ok"]
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        month = runs[0].run_key
        stored_before = {(r["_kind"], r["id"]) for r in db.results(month)}
        second = _spawn(tmp_path, registry, "second", "--run-now", "monthly")
        done = lambda: any(r.outcome == "ok" for r in db.job_runs("monthly"))  # noqa: E731
        assert _wait_for(done, 90), (tmp_path / "second.log").read_text()
        second.send_signal(signal.SIGTERM)
        assert second.wait(60) == 0
    document = db.inspection(month)
    assert document is not None
    assert [s["id"] for s in document["sites"]] == ["1403000001", "1403000002"]
    assert [a["id"] for a in document["accounts"]] == ["wb1", "wx1"]
    assert document["summary"]["sites_total"] == 2 and document["summary"]["accounts_total"] == 2
    assert stored_before <= {(r["_kind"], r["id"]) for r in db.results(month)}
    written = {p.name for p in (tmp_path / "out").iterdir()}
    notices = {f"通报-{month}.docx", f"通报-{month}.html"}
    # the office's checklist (核实清单) is written beside the notice when the month has items to verify
    assert notices <= written and written - notices <= {f"通报-{month}-核实清单.docx", f"通报-{month}-核实清单.html"}
