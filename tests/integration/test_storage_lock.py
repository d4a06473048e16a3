"""A SQLite write lock held by another connection for 5 s during an inspection of the sandbox city:
the event loop keeps running (storage waits on the store's writer thread), no probe fails
because of it, and the inspection finishes with every target judged."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

from monitor.config.load import load_settings
from monitor.model.period import CHINA_TZ, Period
from monitor.registry.model import Registry, parse_registry
from monitor.run.inspect import InspectProgress, inspect
from monitor.sandbox.city import city_registry, serve_city
from monitor.store.store import Store

AS_OF = date(2021, 8, 31)
NOW = datetime.combine(AS_OF, dtime(23, 0), CHINA_TZ)
SITE_IDS = ("1403000003", "1403000013")
ACCOUNT_IDS = ("wechat-yangquanfabu", "weibo-yangquanwenlv")
HOLD_SECONDS = 5.0


def hold_write_lock(path: Path, progress: InspectProgress, held: list[float]) -> None:
    """Once the crawl has fetched a page, take SQLite's write lock and keep it for HOLD_SECONDS."""
    deadline = time.monotonic() + 60
    while progress.pages == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    held.append(time.monotonic())
    time.sleep(HOLD_SECONDS)
    conn.execute("ROLLBACK")
    held.append(time.monotonic())
    conn.close()


async def inspect_with_ticks(registry: Registry, store: Store,
                             progress: InspectProgress) -> tuple[dict, list[float], float]:
    """Run the inspection; return its document, the times of 50 ms loop ticks, and its end."""
    ticks, done = [time.monotonic()], asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            await asyncio.sleep(0.05)
            ticks.append(time.monotonic())

    tick = asyncio.create_task(ticker())
    document = await inspect(registry, settings=load_settings(), store=store, period=Period.for_as_of(AS_OF),
                             now=NOW, clock=lambda: NOW, progress=progress)
    ended = time.monotonic()
    done.set()
    await tick
    return document, ticks, ended


def longest_stall(ticks: list[float], start: float, end: float) -> float:
    """The longest gap between loop ticks that overlaps [start, end]."""
    return max((b - a for a, b in zip(ticks, ticks[1:]) if b >= start and a <= end), default=0.0)


def test_a_held_write_lock_neither_stalls_the_loop_nor_fails_a_probe(tmp_path: Path) -> None:
    path = tmp_path / "govmon.db"
    store = Store(f"sqlite:///{path}")
    progress, held = InspectProgress(), []
    with serve_city(AS_OF) as world:
        full = parse_registry(city_registry(world.bases))
        registry = Registry(sites=[s for s in full.sites if s.id in SITE_IDS],
                            accounts=[a for a in full.accounts if a.id in ACCOUNT_IDS])
        locker = threading.Thread(target=hold_write_lock, args=(path, progress, held), daemon=True)
        locker.start()
        document, ticks, ended = asyncio.run(inspect_with_ticks(registry, store, progress))
        locker.join(30)
    assert len(held) == 2 and held[1] - held[0] >= HOLD_SECONDS and held[0] < ended
    assert ended > held[1]  # the inspection's last writes waited for the lock to be released
    # A write made on the loop would stall it until the lock is released (up to 5 s); the bound
    # leaves room for CPU work (parsing) on a loaded 2-core machine.
    stall = longest_stall(ticks, held[0], held[1])
    assert stall < HOLD_SECONDS / 2, f"the event loop stalled {stall:.2f} s while the lock was held"
    assert sorted(t["id"] for t in document["sites"]) == sorted(SITE_IDS)
    assert all(t["verdict"] != "error" for t in [*document["sites"], *document["accounts"]])
    for site_id in SITE_IDS:
        snap = store.latest_site_snapshot(site_id)
        assert snap is not None and snap.probes
        assert [p for p in snap.probes if not p.ok] == []
        unreachable = [f for t in document["sites"] if t["id"] == site_id for f in t["findings"]
                       if f["check"] == "unreachable"]
        assert unreachable == []
    assert store.inspection("2021-08") == document
    store.close()
