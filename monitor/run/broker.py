"""The task queue's plumbing: a Dramatiq broker on Redis, run descriptions, claims and reports.

Dramatiq was chosen over Celery by measurement (bench/queue.py, bench/README.md): coroutine
actors run natively on one event loop per worker, a message is acknowledged only after its task
finished, and a killed worker's messages are redelivered once its heartbeat stops (18.7 s after a
kill against Celery's 104 s in the benchmark); liveness by heartbeat, so a long crawl needs no
timeout longer than itself.

Everything a worker needs to inspect a target travels through Redis with the run: the registry
text and the settings (``put_run``), so workers on other machines need no copy of either; only
the database URL is the worker's own (``--db``). Keys:

* ``govmon:run:<id>`` — the run's description (JSON), kept ``RUN_TTL_S``.
* ``govmon:run:<id>:reports`` — one JSON line per finished target, read by the coordinator.
* ``govmon:claim:<key>`` — the worker inspecting a target now (a lease renewed while it works):
  a redelivered duplicate waits for it instead of inspecting the target a second time.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from typing import Any

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AsyncIO, CurrentMessage

from monitor.model.errors import GovmonError

QUEUES = ("inspect", "probe", "feeds")
RUN_TTL_S = 14 * 24 * 3600
#: A worker that stops sending heartbeats for this long is dead: its unacknowledged messages go back
#: on the queue (Dramatiq's default is 60 s; GOVMON_QUEUE_HEARTBEAT_MS shortens it in tests).
HEARTBEAT_TIMEOUT_MS = 60_000
CLAIM_LEASE_MS = 60_000
#: Out of a million broker commands, how many also look for dead workers to requeue their messages.
#: Dramatiq's default (1,000) finds a dead worker after minutes when the queues are idle; 50,000
#: (a few seconds with two idle workers) costs one short Lua script per 20 fetches.
MAINTENANCE_CHANCE = 50_000

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class BrokerError(GovmonError):
    """The broker URL is unusable or Redis does not answer."""


def redis_client(url: str) -> redis.Redis:
    """A client for ``url`` that has answered a ping (one-line error otherwise)."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise BrokerError(f"--broker: expected a redis:// URL, got {url!r}")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise BrokerError(f"broker {url}: {exc}") from None
    return client


def make_broker(url: str, heartbeat_timeout_ms: int = HEARTBEAT_TIMEOUT_MS) -> RedisBroker:
    """The Dramatiq broker of ``url`` with coroutine actors and the current message available to them."""
    broker = RedisBroker(url=url, heartbeat_timeout=heartbeat_timeout_ms, maintenance_chance=MAINTENANCE_CHANCE)
    broker.add_middleware(AsyncIO())
    broker.add_middleware(CurrentMessage())
    for queue in QUEUES:
        broker.declare_queue(queue)
    return broker


def enqueue(broker: RedisBroker, queue: str, actor: str, **kwargs: Any) -> None:
    """Put one message for ``actor`` on ``queue`` (the coordinator needs no actor objects)."""
    broker.enqueue(dramatiq.Message(queue_name=queue, actor_name=actor, args=(), kwargs=kwargs, options={}))


def put_run(client: redis.Redis, description: dict[str, Any], run_id: str | None = None) -> str:
    """Store a run's description (under ``run_id``, or a new id); returns its id."""
    run_id = run_id or uuid.uuid4().hex
    client.set(f"govmon:run:{run_id}", json.dumps(description, ensure_ascii=False), ex=RUN_TTL_S)
    return run_id


def get_run(client: redis.Redis, run_id: str) -> dict[str, Any]:
    raw = client.get(f"govmon:run:{run_id}")
    if raw is None:
        raise BrokerError(f"run {run_id} is not (or no longer) described in the broker")
    return json.loads(raw)


def report(client: redis.Redis, run_id: str, **fields: Any) -> None:
    """Tell the coordinator of ``run_id`` that a target finished (or could not be done)."""
    key = f"govmon:run:{run_id}:reports"
    client.rpush(key, json.dumps(fields, ensure_ascii=False))
    client.expire(key, RUN_TTL_S)


def next_report(client: redis.Redis, run_id: str, timeout_s: float) -> dict[str, Any] | None:
    """The next report of ``run_id``, or None after ``timeout_s`` without one."""
    deadline = time.monotonic() + timeout_s
    while True:  # short waits: a client's socket timeout (redis-py: 5 s) must not cut a long one
        left = deadline - time.monotonic()
        got = client.blpop([f"govmon:run:{run_id}:reports"], timeout=max(0.01, min(1.0, left)))
        if got is not None:
            return json.loads(got[1])
        if left <= 1.0:
            return None


class Claim:
    """A lease on one target: taken with SET NX, renewed while held, released only by its holder.

    A holder that dies stops renewing: the lease runs out and the target's redelivered task takes it."""

    def __init__(self, client: redis.Redis, key: str, lease_ms: int = CLAIM_LEASE_MS) -> None:
        self.client, self.key, self.lease_ms = client, f"govmon:claim:{key}", lease_ms
        self.token = f"{os.getpid()}:{uuid.uuid4().hex}"  # the holder's pid first: operators (and tests) see who

    def take(self) -> bool:
        return bool(self.client.set(self.key, self.token, nx=True, px=self.lease_ms))

    def renew(self) -> bool:
        return bool(self.client.eval(_RENEW, 1, self.key, self.token, self.lease_ms))

    def release(self) -> None:
        self.client.eval(_RELEASE, 1, self.key, self.token)
