"""Per-host politeness shared by workers through Redis: a counting server on 127.0.0.1 sees one
host's limits held across several fetchers (threads with their own event loops, as workers are
processes with their own), where fetchers with their own gates each take the whole allowance."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from monitor.net.fetch import Fetcher
from monitor.run.politeness import SharedHostGates
from monitor.config.load import load_settings

REDIS_URL = os.environ.get("GOVMON_TEST_REDIS_URL", "")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="GOVMON_TEST_REDIS_URL not set (.ci/run starts Redis)")


class Counter:
    """What the server saw: request start times and the most requests in flight at once."""

    def __init__(self, service_s: float) -> None:
        self.service_s = service_s
        self.lock = threading.Lock()
        self.starts: list[float] = []
        self.in_flight = 0
        self.most = 0


@pytest.fixture()
def counting_server() -> Iterator[tuple[str, Counter]]:
    counter = Counter(service_s=0.1)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 — http.server's name
            with counter.lock:
                counter.starts.append(time.monotonic())
                counter.in_flight += 1
                counter.most = max(counter.most, counter.in_flight)
            time.sleep(counter.service_s)
            with counter.lock:
                counter.in_flight -= 1
            body = b"<html><body>ok</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", counter
    server.shutdown()
    server.server_close()


@pytest.fixture()
def redis_url() -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter("govmon:host:*"):
        client.delete(key)
    yield REDIS_URL
    client.close()


def workers_fetch(base: str, workers: int, each: int, *, limit: int, rate: float, shared: str | None) -> None:
    """``workers`` fetchers (one thread and event loop each) fetch ``each`` pages of ``base`` at once."""
    settings = load_settings()
    crawl = settings.crawl.model_copy(update={"per_host_concurrency": limit, "per_host_rate": rate,
                                              "concurrency": 32, "retries": 0})

    async def one(worker: int) -> None:
        gates = SharedHostGates(shared) if shared else None
        async with Fetcher(crawl, shared_gates=gates) as fetcher:
            results = await asyncio.gather(*(fetcher.get(f"{base}/p{worker}-{i}.html") for i in range(each)))
        assert all(r.status == 200 for r in results), [r.error for r in results if r.status != 200]

    threads = [threading.Thread(target=lambda w=w: asyncio.run(one(w))) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


@pytest.mark.timeout(120)
def test_three_workers_together_keep_one_hosts_concurrency_limit(counting_server: tuple[str, Counter],
                                                                redis_url: str) -> None:
    base, counter = counting_server
    workers_fetch(base, 3, 8, limit=2, rate=0.0, shared=redis_url)
    assert len(counter.starts) == 24
    assert counter.most == 2


@pytest.mark.timeout(120)
def test_three_workers_with_their_own_gates_each_take_the_whole_limit(counting_server: tuple[str, Counter]) -> None:
    base, counter = counting_server
    workers_fetch(base, 3, 8, limit=2, rate=0.0, shared=None)
    assert counter.most > 2  # what the shared gates prevent: the server sees up to 3 × 2 at once


def busiest_half_second(starts: list[float]) -> int:
    """The most request starts the server saw within any 0.5 s."""
    starts = sorted(starts)
    return max(sum(1 for t in starts[i:] if t - first < 0.5) for i, first in enumerate(starts))


@pytest.mark.timeout(120)
def test_three_workers_together_keep_one_hosts_request_rate(counting_server: tuple[str, Counter],
                                                           redis_url: str) -> None:
    base, counter = counting_server
    counter.service_s = 0.0
    workers_fetch(base, 3, 5, limit=8, rate=10.0, shared=redis_url)
    starts = sorted(counter.starts)
    assert len(starts) == 15
    # 1 / rate = 0.1 s between request starts whichever worker sends: 15 starts span 1.4 s and any
    # 0.5 s holds 5 or 6. The bounds leave room for a loaded machine delaying some arrivals.
    assert starts[-1] - starts[0] >= 1.0, starts
    assert busiest_half_second(starts) <= 8, starts


@pytest.mark.timeout(120)
def test_three_workers_with_their_own_gates_each_take_the_whole_rate(counting_server: tuple[str, Counter]) -> None:
    base, counter = counting_server
    counter.service_s = 0.0
    workers_fetch(base, 3, 5, limit=8, rate=10.0, shared=None)
    assert busiest_half_second(counter.starts) >= 12  # what the shared gates prevent: 3 × 5 in 0.4 s
