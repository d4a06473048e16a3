"""Per-host politeness across workers: one host's concurrency and request rate, enforced in Redis.

In one process ``monitor.net.fetch.HostGate`` keeps a host to ``per_host_concurrency`` requests at
once and one request start per ``1 / per_host_rate`` seconds. Ten workers with ten such gates
would hit a county server ten times harder; ``SharedHostGates`` gives every worker's ``Fetcher``
gates with the same meaning whose state lives in Redis (two Lua scripts, atomic on the server,
timed by the server's clock so workers' clocks need not agree):

* **concurrency**: a sorted set per host of the requests in flight, each with a lease; a slot is
  taken when fewer than the limit are held (leases of a killed worker run out after
  ``SLOT_LEASE_MS``), released when the request ends.
* **rate**: a token bucket of one token per host (the host's next free start time): each request
  takes the next start at least ``1 / rate`` after the previous one and waits for it.

Host keys and limits are the fetcher's own (``host_overrides`` included), so the settings mean the
same with or without workers.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from typing import Any

import redis.asyncio as aioredis

#: A slot held longer than this (a worker killed mid-request) is given back; longer than any request.
SLOT_LEASE_MS = 300_000
#: How long a request waits before asking again for a slot of a busy host (jittered).
SLOT_POLL_S = 0.02

_TAKE_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0
"""

_NEXT_START = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(now, free)
redis.call('SET', KEYS[1], string.format('%.0f', start + tonumber(ARGV[1])), 'PX', math.ceil(tonumber(ARGV[1]) / 1000) + 1000)
return string.format('%.0f', start - now)
"""


class SharedHostGate:
    """One host's gate (an async context manager like ``HostGate``) with its state in Redis."""

    def __init__(self, gates: SharedHostGates, key: str, limit: int, rate: float) -> None:
        self.gates, self.limit = gates, max(1, limit)
        self.interval_us = int(1_000_000 / rate) if rate > 0 else 0
        self.slots, self.next_key = f"govmon:host:{key}:slots", f"govmon:host:{key}:next"
        self._held: list[str] = []

    async def __aenter__(self) -> None:
        client = self.gates.client()
        token = uuid.uuid4().hex
        while not await client.eval(_TAKE_SLOT, 1, self.slots, self.limit, token, SLOT_LEASE_MS):
            await asyncio.sleep(SLOT_POLL_S * (1 + random.random()))
        self._held.append(token)
        if self.interval_us:
            wait_us = int(await client.eval(_NEXT_START, 1, self.next_key, self.interval_us))
            if wait_us > 0:
                await asyncio.sleep(wait_us / 1_000_000)

    async def __aexit__(self, *exc: object) -> None:
        # Any of this gate's tokens will do: slots are counted, not owned by one request.
        await self.gates.client().zrem(self.slots, self._held.pop())


class SharedHostGates:
    """Makes ``SharedHostGate``s for a ``Fetcher`` (its ``shared_gates`` argument) on one Redis."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._clients: dict[int, Any] = {}

    def client(self) -> aioredis.Redis:
        """A client of the running event loop (a redis.asyncio client belongs to one loop)."""
        loop = id(asyncio.get_running_loop())
        if loop not in self._clients:
            self._clients[loop] = aioredis.Redis.from_url(self.url)
        return self._clients[loop]

    def __call__(self, key: str, limit: int, rate: float) -> SharedHostGate:
        return SharedHostGate(self, key, limit, rate)
