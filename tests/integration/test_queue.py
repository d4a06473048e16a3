"""``govmon inspect --broker`` with ``govmon worker``s on a real Redis and PostgreSQL (CI starts both).

Part of the simulated city (as of 2021-08-31) is served on 127.0.0.1 and inspected by worker
subprocesses; the findings document must equal a single-process run's, also when a worker is
SIGKILLed mid-task, and a target sent twice is inspected and stored once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from monitor.registry.model import Registry, parse_registry
from monitor.sandbox.city import city_registry, serve_city
from monitor.sandbox.server import RunningWorld
from monitor.store.store import Store

PG_URL = os.environ.get("GOVMON_TEST_PG_URL", "")
REDIS_URL = os.environ.get("GOVMON_TEST_REDIS_URL", "")
pytestmark = [
    pytest.mark.postgres, pytest.mark.slow,
    pytest.mark.skipif(not PG_URL, reason="GOVMON_TEST_PG_URL not set (.ci/run starts PostgreSQL)"),
    pytest.mark.skipif(not REDIS_URL, reason="GOVMON_TEST_REDIS_URL not set (.ci/run starts Redis)"),
]

AS_OF = date(2021, 8, 31)
SITE_IDS = ("1403030001", "1403000024", "1403000003", "1403000013", "1403000002", "1403000005", "1403000010",
            "1403220001")
ACCOUNT_IDS = ("xigua-yangquangaoxinqu", "wechat-yangquanfabu", "douyin-yuxianfabu", "weibo-yangquanwenlv",
               "wechat-yangquanshifeigongqiyedangjian", "wechat-yangquanshishichangjianduguanliju")
GOVMON = str(Path(sys.executable).parent / "govmon")
#: A dead worker is noticed after 2 s without heartbeat; its claim on a target runs out after 4 s.
WORKER_ENV = {"GOVMON_QUEUE_HEARTBEAT_MS": "2000", "GOVMON_QUEUE_CLAIM_MS": "4000"}


@pytest.fixture(scope="module")
def city() -> Iterator[RunningWorld]:
    with serve_city(AS_OF) as world:
        yield world


@pytest.fixture(scope="module")
def registry_file(city: RunningWorld, tmp_path_factory: pytest.TempPathFactory) -> Path:
    full = parse_registry(city_registry(city.bases))
    part = Registry(sites=[s for s in full.sites if s.id in SITE_IDS],
                    accounts=[a for a in full.accounts if a.id in ACCOUNT_IDS])
    lines = []
    for site in part.sites:
        lines += ["[[sites]]", *(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in
                                 site.model_dump(include={"id", "name", "url", "owner", "district", "kind"}).items())]
    for account in part.accounts:
        lines += ["[[accounts]]", *(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in account.model_dump(
            include={"id", "name", "platform", "owner", "district", "feed"}).items())]
    path = tmp_path_factory.mktemp("queue") / "registry.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def without_times(document: dict[str, Any]) -> dict[str, Any]:
    """The document minus ``seen_at`` (when a dead link was checked: evidence, different every run)."""
    text = json.dumps(document, ensure_ascii=False)
    return json.loads(text, object_hook=lambda obj: {k: v for k, v in obj.items() if k != "seen_at"})


@pytest.fixture(scope="module")
def single_process(registry_file: Path) -> dict[str, Any]:
    """The document of the same registry inspected in one process on SQLite (no services)."""
    out = registry_file.parent / "single.json"
    done = subprocess.run([GOVMON, "inspect", "--registry", str(registry_file), "--as-of", AS_OF.isoformat(),
                           "--db", str(registry_file.parent / "single.db"), "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return without_times(json.loads(out.read_text(encoding="utf-8")))


@pytest.fixture()
def database() -> Iterator[str]:
    """A fresh PostgreSQL database on the test server, dropped afterwards."""
    import psycopg

    name = f"govmon_q_{uuid.uuid4().hex[:12]}"
    admin = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    Store(url).close()  # the schema, so the test can watch the results table from the start
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture()
def broker() -> Iterator[str]:
    """The test Redis, emptied (it is a throwaway server: CI's or one started for the tests)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


class Workers:
    """``govmon worker`` subprocesses, each logging to its own file; all stopped on exit."""

    def __init__(self, broker: str, db: str, logs: Path) -> None:
        self.broker, self.db, self.logs = broker, db, logs
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, concurrency: int) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"worker{len(self.procs)}.log", "wb")  # noqa: SIM115 — closed with the process
        proc = subprocess.Popen([GOVMON, "worker", "--broker", self.broker, "--db", self.db, "--concurrency",
                                 str(concurrency), "--queues", "inspect"], stdout=log, stderr=log,
                                env={**os.environ, **WORKER_ENV})
        self.procs.append(proc)
        return proc

    def log(self, proc: subprocess.Popen[bytes]) -> str:
        return (self.logs / f"worker{self.procs.index(proc)}.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def workers(broker: str, db: str, logs: Path) -> Iterator[Workers]:
    pool = Workers(broker, db, logs)
    try:
        yield pool
    finally:
        pool.stop()


def inspect_command(registry_file: Path, broker: str, db: str, out: Path) -> list[str]:
    return [GOVMON, "inspect", "--broker", broker, "--db", db, "--registry", str(registry_file), "--as-of",
            AS_OF.isoformat(), "--json", str(out), "--timeout", "240"]


def result_rows(db: str) -> list[tuple[str, str]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(text("select kind, target_id from results")).all()
    engine.dispose()
    return [(k, t) for k, t in rows]


def snapshot_count(db: str, site_id: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(db)
    with engine.connect() as conn:
        count = conn.execute(text("select count(*) from snapshots where target_id = :t"), {"t": site_id}).scalar()
    engine.dispose()
    return int(count or 0)


@pytest.mark.timeout(420)
def test_two_workers_give_the_single_process_document(registry_file: Path, single_process: dict[str, Any],
                                                      database: str, broker: str, tmp_path: Path) -> None:
    out = tmp_path / "queued.json"
    with workers(broker, database, tmp_path) as pool:
        first, second = pool.start(2), pool.start(2)
        done = subprocess.run(inspect_command(registry_file, broker, database, out), capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        logs = pool.log(first), pool.log(second)
    assert without_times(json.loads(out.read_text(encoding="utf-8"))) == single_process
    assert "阳泉市林业局" in done.stdout and "pass rate" in done.stdout
    rows = result_rows(database)
    assert sorted(rows) == sorted({*rows}) and len(rows) == len(SITE_IDS) + len(ACCOUNT_IDS)
    assert all(log.count(": inspected ") >= 1 for log in logs), logs
    assert sum(log.count(": inspected ") for log in logs) == len(SITE_IDS) + len(ACCOUNT_IDS)


@pytest.mark.timeout(420)
def test_a_worker_killed_mid_task_loses_nothing_and_the_document_is_the_same(
        registry_file: Path, single_process: dict[str, Any], database: str, broker: str, tmp_path: Path) -> None:
    import redis

    client = redis.Redis.from_url(broker)
    out = tmp_path / "queued.json"
    with workers(broker, database, tmp_path) as pool:
        doomed, survivor = pool.start(1), pool.start(1)
        coordinator = subprocess.Popen(inspect_command(registry_file, broker, database, out),
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline, held = time.monotonic() + 180, None
        while held is None and time.monotonic() < deadline and coordinator.poll() is None:
            if result_rows(database):  # mid-run: something stored already, and the doomed worker busy
                held = next((key.decode() for key in client.scan_iter("govmon:claim:*")
                             if (client.get(key) or b"").decode().startswith(f"{doomed.pid}:")), None)
            time.sleep(0.05)
        assert held is not None, "the worker to kill never held a target"
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=30)
        kind, target_id = held.split(":")[-2:]
        # The doomed worker may have stored its target between the claim being read and the kill:
        # then nothing was left to redeliver, and only the document and the row count can tell.
        finished_before_kill = (kind, target_id) in result_rows(database)
        stdout, stderr = coordinator.communicate(timeout=300)
        assert coordinator.returncode == 0, stderr
        survivor_log = pool.log(survivor)
    assert finished_before_kill or f"{kind} {target_id}:" in survivor_log, \
        "the killed worker's target was done by the other one"
    assert without_times(json.loads(out.read_text(encoding="utf-8"))) == single_process
    rows = result_rows(database)
    assert len(rows) == len({*rows}) == len(SITE_IDS) + len(ACCOUNT_IDS)
    client.close()


@pytest.mark.timeout(300)
def test_a_target_sent_twice_is_inspected_and_stored_once(registry_file: Path, database: str, broker: str,
                                                          tmp_path: Path) -> None:
    import redis

    from monitor.run.broker import enqueue, make_broker, next_report, put_run
    from monitor.config.load import load_settings

    client = redis.Redis.from_url(broker)
    run_id = put_run(client, {"registry": registry_file.read_text(encoding="utf-8"),
                              "settings": load_settings().model_dump(mode="json"), "as_of": AS_OF.isoformat(),
                              "now": datetime(2021, 8, 31, 15, 0, tzinfo=UTC).isoformat()})
    site_id = "1403000003"
    queue = make_broker(broker)
    with workers(broker, database, tmp_path) as pool:
        first, second = pool.start(1), pool.start(1)
        for _ in range(2):
            enqueue(queue, "inspect", "inspect_target", run_id=run_id, kind="site", target_id=site_id)
        reports = [next_report(client, run_id, 120) for _ in range(2)]
        logs = pool.log(first) + pool.log(second)
    queue.close()
    assert all(r is not None and r["id"] == site_id for r in reports), reports
    assert reports[0]["verdict"] == reports[1]["verdict"]
    assert logs.count(f"inspected site {site_id}") == 1 and logs.count(f"found site {site_id} stored") == 1, logs
    assert snapshot_count(database, site_id) == 1
    assert result_rows(database) == [("site", site_id)]
    client.close()


def probe_rows(db: str) -> list[tuple[str, str | None, str]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(text("select site_id, vantage, source from probes")).all()
    engine.dispose()
    return [(s, v, src) for s, v, src in rows]


def feed_fetch_count(db: str, account_id: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(db)
    with engine.connect() as conn:
        count = conn.execute(text("select count(*) from feed_fetches where account_id = :a"), {"a": account_id}).scalar()
    engine.dispose()
    return int(count or 0)


@pytest.mark.timeout(300)
def test_the_daemon_with_a_broker_has_each_vantage_point_probe_and_workers_poll(
        city: RunningWorld, database: str, broker: str, tmp_path: Path) -> None:
    full = parse_registry(city_registry(city.bases))
    site = next(s for s in full.sites if s.id == "1403000003")
    account = next(a for a in full.accounts if a.id == "wechat-yangquanfabu")
    registry = tmp_path / "registry.toml"
    registry.write_text("\n".join([
        "[[sites]]", *(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in
                       site.model_dump(include={"id", "name", "url", "owner", "district", "kind"}).items()),
        "[[accounts]]", *(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in account.model_dump(
            include={"id", "name", "platform", "owner", "district", "feed"}).items())]) + "\n", encoding="utf-8")
    env = {**os.environ, **WORKER_ENV, "GOVMON_PROBES__VANTAGE_POINTS": '["telecom-sx", "unicom-bj"]',
           "GOVMON_CRAWL__ALLOW_PRIVATE": "true"}
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for vantage, queues in (("telecom-sx", "probe,feeds"), ("unicom-bj", "probe")):
            log = open(tmp_path / f"{vantage}.log", "wb")  # noqa: SIM115 — closed with the process
            procs.append(subprocess.Popen([GOVMON, "worker", "--broker", broker, "--db", database, "--queues", queues,
                                           "--vantage", vantage], stdout=log, stderr=log, env=env))
        daemon_log = open(tmp_path / "daemon.log", "wb")  # noqa: SIM115
        procs.append(subprocess.Popen([GOVMON, "daemon", "--broker", broker, "--db", database, "--registry",
                                       str(registry)], stdout=daemon_log, stderr=daemon_log, env=env))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (len(probe_rows(database)) >= 2
                                                   and feed_fetch_count(database, account.id) >= 1):
            time.sleep(0.2)
        time.sleep(1.0)  # a late duplicate would show up here
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    logs = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.glob("*.log")}
    assert sorted(probe_rows(database)) == [(site.id, "telecom-sx", "scheduled"), (site.id, "unicom-bj", "scheduled")], logs
    assert feed_fetch_count(database, account.id) == 1, logs
    assert f"probed site {site.id} from unicom-bj" in logs["unicom-bj.log"]
    assert f"polled account {account.id}" in logs["telecom-sx.log"]
