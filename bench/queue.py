"""Celery or Dramatiq for govmon's distributed engine: the properties it needs, measured on a real Redis.

    /work/main/.venv/bin/python bench/queue.py            # both libraries, every scenario
    /work/main/.venv/bin/python bench/queue.py --only dramatiq --tasks 500

Each library runs its own worker as a child process (4 threads) against a throwaway
``redis-server`` on 127.0.0.1; tasks count their attempts and completions in Redis, so the figures
come from the broker's side, not from the library's own reporting. Scenarios:

1. ``overhead``: N no-op tasks: time to enqueue, time until all completed (tasks/s).
2. ``asyncio``: 40 tasks that ``await asyncio.sleep(0.5)``: native async or a loop per task, wall time.
3. ``retry``: 20 tasks that raise on their first attempt: attempts counted, all completed?
4. ``kill``: 4 tasks of 4 s; the worker is SIGKILLed after 1 s and a new one started:
   seconds until all 4 completed, completions per task (lost = 0, duplicates = 0 wanted).
5. ``long``: one 12 s task (``--long-seconds``), two live workers, redelivery timeout 5 s: how many times it ran
   (a crawl of a large site runs for minutes: it must run once while its worker lives).

Redelivery timeouts are set to 5 s for both (Celery ``visibility_timeout``, Dramatiq
``heartbeat_timeout``); their defaults are 1 h and 60 s.
"""

from __future__ import annotations

import sys

# This file is named like the standard library's ``queue``: keep bench/ off the import path.
sys.path[:] = [p for p in sys.path if p not in ("", __file__.rsplit("/", 1)[0])]

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import redis

TIMEOUT_S = 5
LONG_S = 12

COMMON = '''
import asyncio, os, time
import redis
R = redis.Redis.from_url(os.environ["BENCH_REDIS"])

def _begin(key):
    return R.incr(f"attempts:{key}")

def _done(key):
    R.rpush("done", key)
'''

CELERY = COMMON + f'''
from celery import Celery
app = Celery("qtasks", broker=os.environ["BENCH_REDIS"])
app.conf.update(task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
                broker_transport_options={{"visibility_timeout": {TIMEOUT_S}}}, task_default_queue="bench")

@app.task(name="noop")
def noop(key):
    _begin(key); _done(key)

@app.task(name="sleepy")
def sleepy(key, seconds):
    async def body():
        await asyncio.sleep(seconds)
    _begin(key)
    asyncio.run(body())   # Celery runs no coroutine itself: a loop per task
    _done(key)

@app.task(name="flaky", bind=True, max_retries=3)
def flaky(self, key):
    if _begin(key) == 1:
        raise self.retry(countdown=0.1)
    _done(key)

@app.task(name="slow")
def slow(key, seconds):
    _begin(key); time.sleep(seconds); _done(key)
'''

DRAMATIQ = COMMON + f'''
import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AsyncIO
broker = RedisBroker(url=os.environ["BENCH_REDIS"], heartbeat_timeout={TIMEOUT_S * 1000},
                     maintenance_chance=100_000)
broker.add_middleware(AsyncIO())
dramatiq.set_broker(broker)

@dramatiq.actor(queue_name="bench", max_retries=0)
def noop(key):
    _begin(key); _done(key)

@dramatiq.actor(queue_name="bench", max_retries=0)
async def sleepy(key, seconds):
    _begin(key)
    await asyncio.sleep(seconds)   # a coroutine actor on the worker's event-loop thread
    _done(key)

@dramatiq.actor(queue_name="bench", max_retries=3, min_backoff=100, max_backoff=100)
def flaky(key):
    if _begin(key) == 1:
        raise RuntimeError("first attempt fails")
    _done(key)

@dramatiq.actor(queue_name="bench", max_retries=0, time_limit=3_600_000)
def slow(key, seconds):
    _begin(key); time.sleep(seconds); _done(key)
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Lib:
    """One library: its task module, worker command and enqueue call."""

    def __init__(self, name: str, workdir: Path, url: str) -> None:
        self.name, self.workdir, self.url = name, workdir, url
        (workdir / "qtasks.py").write_text(CELERY if name == "celery" else DRAMATIQ, encoding="utf-8")
        self.env = {**os.environ, "PYTHONPATH": str(workdir), "BENCH_REDIS": url}
        sys.path.insert(0, str(workdir))
        os.environ["BENCH_REDIS"] = url
        import importlib
        sys.modules.pop("qtasks", None)
        self.module = importlib.import_module("qtasks")

    def worker(self) -> subprocess.Popen[bytes]:
        if self.name == "celery":
            cmd = [sys.executable, "-m", "celery", "-A", "qtasks", "worker", "-P", "threads", "-c", "4", "-Q", "bench",
                   "--without-gossip", "--without-mingle", "-l", "warning"]
        else:
            cmd = [sys.executable, "-m", "dramatiq", "qtasks", "-p", "1", "-t", "4", "-Q", "bench"]
        return subprocess.Popen(cmd, cwd=self.workdir, env=self.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)

    def send(self, task: str, *args: Any) -> None:
        fn = getattr(self.module, task)
        if self.name == "celery":
            fn.apply_async(args=args)
        else:
            fn.send(*args)


def wait_done(r: redis.Redis, count: int, limit: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if r.llen("done") >= count:
            return time.monotonic() - start
        time.sleep(0.01)
    return None


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def warm(lib: Lib, r: redis.Redis) -> None:
    lib.send("noop", "warm")
    wait_done(r, 1, 60)
    r.flushdb()


def scenario(lib: Lib, r: redis.Redis, which: str, tasks: int) -> dict[str, Any]:
    r.flushdb()
    worker = lib.worker()
    second: subprocess.Popen[bytes] | None = None
    try:
        warm(lib, r)
        if which == "overhead":
            t0 = time.monotonic()
            for i in range(tasks):
                lib.send("noop", f"n{i}")
            enqueue = time.monotonic() - t0
            took = wait_done(r, tasks, 300)
            total = None if took is None else enqueue + took
            return {"tasks": tasks, "enqueue_s": round(enqueue, 2), "all_done_s": round(total or -1, 2),
                    "tasks_per_s": round(tasks / total) if total else None}
        if which == "asyncio":
            for i in range(40):
                lib.send("sleepy", f"a{i}", 0.5)
            took = wait_done(r, 40, 120)
            return {"tasks": 40, "wall_s": round(took or -1, 2), "native_async": lib.name == "dramatiq"}
        if which == "retry":
            for i in range(20):
                lib.send("flaky", f"f{i}")
            took = wait_done(r, 20, 60)
            attempts = sum(int(r.get(f"attempts:f{i}") or 0) for i in range(20))
            return {"tasks": 20, "completed": r.llen("done"), "attempts": attempts, "wall_s": round(took or -1, 2)}
        if which == "kill":
            for i in range(4):
                lib.send("slow", f"k{i}", 4)
            time.sleep(1.0)
            stop(worker, signal.SIGKILL)
            t_kill = time.monotonic()
            second = lib.worker()
            took = wait_done(r, 4, 120)
            time.sleep(TIMEOUT_S + 2)   # a late duplicate would show up here
            done = [d.decode() for d in r.lrange("done", 0, -1)]
            return {"tasks": 4, "completed_distinct": len(set(done)), "completions": len(done),
                    "lost": 4 - len(set(done)), "duplicates": len(done) - len(set(done)),
                    "all_done_after_kill_s": None if took is None else round(took, 1)}
        if which == "long":
            second = lib.worker()
            lib.send("slow", "long", LONG_S)
            took = wait_done(r, 1, LONG_S * 3)
            time.sleep(TIMEOUT_S + 8)
            return {"task_s": LONG_S, "redelivery_timeout_s": TIMEOUT_S, "executions": int(r.get("attempts:long") or 0),
                    "completions": r.llen("done"), "first_done_s": round(took or -1, 1)}
        raise ValueError(which)
    finally:
        stop(worker)
        if second is not None:
            stop(second)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="celery,dramatiq")
    parser.add_argument("--scenarios", default="overhead,asyncio,retry,kill,long")
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--long-seconds", type=int, default=LONG_S, help="length of the 'long' task (12)")
    parser.add_argument("--json", dest="json_out")
    args = parser.parse_args()
    globals()["LONG_S"] = args.long_seconds
    server = shutil.which("redis-server")
    if server is None:
        sys.exit("redis-server not found (apt-get install -y redis-server)")
    tmp = Path(tempfile.mkdtemp(prefix="govmon-bench-queue-"))
    port = free_port()
    redis_proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                   "no", "--dir", str(tmp)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    r = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            r.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    results: dict[str, dict[str, Any]] = {}
    try:
        for name in args.only.split(","):
            workdir = tmp / name
            workdir.mkdir()
            lib = Lib(name, workdir, url)
            results[name] = {}
            for which in args.scenarios.split(","):
                results[name][which] = scenario(lib, r, which, args.tasks)
                print(f"{name:9s} {which:9s} {json.dumps(results[name][which])}", flush=True)
            sys.path.remove(str(workdir))
    finally:
        redis_proc.terminate()
        redis_proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
