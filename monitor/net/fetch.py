"""The one HTTP client of a run: limits, redirects, retries, and failures as values.

``Fetcher`` owns one ``httpx.AsyncClient`` (HTTP/1.1 keep-alive) whose transport is chosen by
``crawl.transport`` — "aiohttp" (httpx-aiohttp, measured fastest, see bench/README.md) or
"httpx" — unless a ``transport=`` is injected (MockTransport, tests), which always wins.
The exchange itself is ``monitor.net.wire``'s: with our own aiohttp transport the request goes
straight to its aiohttp session (same bytes on the wire, ≈ 100 µs less CPU a request).

* Limits: a global semaphore (``crawl.concurrency``) and a per-host gate (semaphore + minimum
  spacing from ``per_host_rate``; ``host_overrides`` by "host:port"). Hosts not registered with
  ``add_site_hosts`` get ``links.external_per_host_concurrency`` once any site host is registered.
* Timeouts: ``timeout_total`` bounds one exchange (connect, headers and body of one hop).
* Redirects are followed by hand: hop limit → "too_many_redirects"; a URL seen again without a
  cookie being set in between (WAF cookie bounces are allowed once) → "redirect_loop".
* Retries with exponential backoff only for transient failures: timeout, connection errors,
  protocol errors, 5xx (500/502/503/504), 408, 429 (Retry-After honoured up to
  ``retry_after_max``; longer gives up at once). 4xx are never retried.
* Bodies are streamed (decompressed with bounded output, see monitor.net.wire) and cut at ``max_bytes``:
  ``truncated=True`` but no error — the prefix is still a page worth parsing, and the status the
  server sent is the truth. The error name "too_large" is left to callers that refuse prefixes.
* Private, loopback and link-local addresses are refused (error "private_address", no request)
  for a ``guard=True`` fetch — a URL found on a page: links, crawl, redirect targets — whose host
  is not a registry site's, unless ``crawl.allow_private``: by the URL's literal IP, and for a
  host name by its resolved addresses before connecting (``fetch_wire.GuardedResolver``).
* A GET answered by a firewall (``classify.judge`` says blocked; not 429, which has its own
  retries) is fetched once more after ``links.blocked_retry_seconds``.
* Every exception of httpx/aiohttp/OS maps to an error name in ``error_name``; ``get`` never raises
  for network problems.
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from monitor.config.settings import CrawlSettings, LinkSettings
from monitor.model.urls import host_key, host_of, is_private_address, normalize
from monitor.net.classify import judge
from monitor.net.errors import DNS_AGAIN, NETWORK_ERRORS, chain_text, error_name
from monitor.net.result import FetchResult
from monitor.net.robots import RobotsCache
from monitor.net.wire import REDIRECT_STATUSES, REFUSE_PRIVATE, AiohttpWire, HttpxWire, Reply, make_transport

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
TRANSIENT_ERRORS = frozenset({"timeout", "connect_error", "protocol_error"})
HEAD_FALLBACK_SKIP = frozenset({"timeout", "dns_error", "tls_error", "invalid_url"})
_SCHEME_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):")
NOT_APP_SCHEMES = frozenset({"http", "https", "javascript", "data", "file", "about", "blob", "vbscript"})
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@dataclass
class FetchStats:
    """Counters for the progress bar and the benchmark."""

    requests: int = 0
    bytes: int = 0
    errors: int = 0
    retries: int = 0
    in_flight: int = 0


async def backoff_sleep(seconds: float) -> None:
    """The wait between attempts (a seam so tests can record delays instead of sleeping)."""
    await asyncio.sleep(seconds)


class HostGate:
    """Per-host semaphore plus minimum spacing between request starts."""

    def __init__(self, limit: int, rate: float) -> None:
        self.sem = asyncio.Semaphore(max(1, limit))
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at = 0.0

    async def __aenter__(self) -> None:
        await self.sem.acquire()
        if self.interval:
            now = time.monotonic()
            slot = max(now, self.next_at)
            self.next_at = slot + self.interval
            if slot > now:
                await asyncio.sleep(slot - now)

    async def __aexit__(self, *exc: object) -> None:
        self.sem.release()


def _retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds of a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - now).total_seconds()) if when.tzinfo else None


class Fetcher:
    """One HTTP client per run; see the module docstring for the rules it enforces."""

    def __init__(self, crawl: CrawlSettings, links: LinkSettings | None = None, *,
                 transport: httpx.AsyncBaseTransport | None = None, user_agent: str | None = None,
                 clock: Callable[[], datetime] | None = None,
                 shared_gates: Callable[[str, int, float], AbstractAsyncContextManager[None]] | None = None) -> None:
        """``shared_gates(key, limit, rate)``: per-host gates shared with other processes
        (``monitor.run.politeness``, for workers); default: this fetcher's own ``HostGate``s."""
        self.crawl = crawl
        self.links = links
        self.user_agent = user_agent or crawl.user_agent
        self.stats = FetchStats()
        self._transport = transport
        self._clock = clock or (lambda: datetime.now(UTC))
        self._client: httpx.AsyncClient | None = None
        self._wire: AiohttpWire | HttpxWire | None = None
        self._global = asyncio.Semaphore(max(1, crawl.concurrency))
        self._gates: dict[str, AbstractAsyncContextManager[None]] = {}
        self._shared_gates = shared_gates
        self._site_hosts: set[str] = set()
        self._registry_hosts: set[str] = set()
        self.robots = RobotsCache(self.get, self.user_agent)

    async def __aenter__(self) -> Fetcher:
        transport = self._transport or make_transport(self.crawl)
        self._client = httpx.AsyncClient(
            transport=transport, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(self.crawl.timeout_total, connect=self.crawl.timeout_connect),
            headers={"User-Agent": self.user_agent, "Accept": ACCEPT, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
        self._wire = self._pick_wire(transport)
        return self

    def _pick_wire(self, transport: httpx.AsyncBaseTransport) -> AiohttpWire | HttpxWire:
        """Our own aiohttp transport is driven directly; anything else (injected) through httpx."""
        assert self._client is not None
        if self._transport is None and self.crawl.transport == "aiohttp":
            from httpx_aiohttp import AiohttpTransport

            if isinstance(transport, AiohttpTransport):
                transport.client = session = transport.get_client()
                return AiohttpWire(self._client, session, self.crawl.max_decompression_ratio)
        return HttpxWire(self._client, transport, self.crawl.max_decompression_ratio)

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def add_site_hosts(self, hosts: Iterable[str]) -> None:
        """Register the "host:port" keys (or URLs) of crawled sites; other hosts count as external."""
        for host in hosts:
            self._site_hosts.add(host_key(host) if "://" in host else host.lower())

    def add_registry_hosts(self, hosts: Iterable[str]) -> None:
        """Register every registry site's hosts ("host:port", bare names or URLs) before any crawl
        starts: a link from one site to another registry site on a private address is that site's
        own host, not a refusal (whichever site is crawled first). Concurrency limits are unchanged."""
        for host in hosts:
            self._registry_hosts.add(host_key(host) if "://" in host else host.lower())

    def _registry_host(self, key: str) -> bool:
        return key in self._registry_hosts or key.rsplit(":", 1)[0] in self._registry_hosts

    def is_site_host(self, key: str) -> bool:
        """True for a registered site host ("host:port" or bare name), or for any host if none is."""
        return not self._site_hosts or key in self._site_hosts or key.rsplit(":", 1)[0] in self._site_hosts

    def now(self) -> datetime:
        """The fetcher's clock (aware UTC); injectable for tests."""
        return self._clock()

    def gate(self, key: str) -> AbstractAsyncContextManager[None]:
        gate = self._gates.get(key)
        if gate is None:
            over = self.crawl.host_overrides.get(key, {})
            limit = self.crawl.per_host_concurrency
            if self.links is not None and not self.is_site_host(key):
                limit = self.links.external_per_host_concurrency
            limit, rate = int(over.get("concurrency", limit)), float(over.get("rate", self.crawl.per_host_rate))
            gate = HostGate(limit, rate) if self._shared_gates is None else self._shared_gates(key, limit, rate)
            self._gates[key] = gate
        return gate

    async def allowed(self, url: str) -> bool:
        """robots.txt says this URL may be crawled (always True when ``obey_robots`` is off)."""
        if not self.crawl.obey_robots:
            return True
        return await self.robots.allowed(url)

    async def get(self, url: str, *, max_bytes: int | None = None, retries: int | None = None,
                  guard: bool = False) -> FetchResult:
        """GET with redirects, retries (``retries`` overrides the setting; availability probes
        use 0) and limits; network failures come back as ``error``. ``guard``: a URL found on a
        page (link, crawl) — private addresses off the registry's hosts are refused (``refused``)."""
        return await self._fetch("GET", url, max_bytes, self.crawl.retries if retries is None else retries, guard)

    async def head_or_get(self, url: str, *, max_bytes: int | None = None, guard: bool = False) -> FetchResult:
        """HEAD (one try, no body); GET with retries unless HEAD answered 2xx/3xx (not with an HTML
        page) or failed in a way GET cannot fix (timeout, DNS, TLS, invalid URL, a refused private
        address). ``links.head_first = false``: GET only."""
        if self.links is not None and not self.links.head_first:
            return await self.get(url, max_bytes=max_bytes, guard=guard)
        head = await self._fetch("HEAD", url, 0, 0, guard)
        html = head.content_type in ("text/html", "application/xhtml+xml") and head.status is not None \
            and head.status < 300  # a file answered by a page: only its body tells a soft 404
        if (head.ok and not html) or head.error in HEAD_FALLBACK_SKIP or head.error == "private_address":
            return head
        return await self.get(url, max_bytes=max_bytes, guard=guard)

    async def _fetch(self, method: str, url: str, max_bytes: int | None, retries: int, guard: bool) -> FetchResult:
        start_url = normalize(url)
        if start_url is None:
            return FetchResult(url=url, final_url=url, error="invalid_url", fetched_at=self._clock(), method=method)
        limit = self.crawl.max_body_bytes if max_bytes is None else max_bytes
        attempt, blocked_retried = 0, False
        while True:
            attempt += 1
            result = await self._follow(method, url, start_url, limit, guard)
            result.attempts = attempt
            delay = self._retry_delay(result, attempt, retries)
            if delay is None and not blocked_retried and retries > 0 and self._blocked(result):
                delay, blocked_retried = self.links.blocked_retry_seconds if self.links else 0.0, True
            if delay is None:
                if result.error:
                    self.stats.errors += 1
                return result
            self.stats.retries += 1
            await backoff_sleep(delay)

    def _blocked(self, result: FetchResult) -> bool:
        """A GET answered by a firewall (403 or a block page, not 429: that one has its own retries)."""
        if self.links is None or result.method != "GET" or result.status == 429:
            return False
        return judge(result, self.links).outcome == "blocked"

    def _retry_delay(self, result: FetchResult, attempt: int, retries: int) -> float | None:
        """Seconds to wait before the next attempt, or None to stop here."""
        if attempt > retries:
            return None
        backoff = self.crawl.retry_backoff * (2 ** (attempt - 1))
        if result.error is not None:
            transient = result.error in TRANSIENT_ERRORS or result.dns_again
            return backoff if transient else None
        if result.status not in RETRY_STATUSES:
            return None
        wait = _retry_after(result.headers.get("retry-after"), self._clock())
        if wait is None:
            return backoff
        return max(wait, backoff) if wait <= self.crawl.retry_after_max else None

    async def _follow(self, method: str, url: str, start_url: str, limit: int, guard: bool) -> FetchResult:
        started = time.monotonic()
        current, redirects, seen = start_url, [], {start_url: 0}
        wire = 0
        while True:
            if self.refused(current, guard):
                result = FetchResult(url=url, final_url=current, method=method, fetched_at=self._clock(),
                                     error="private_address", redirects=redirects)
                return result
            result = await self._exchange(method, url, current, limit, guard)
            wire += result.wire_ms
            result.wire_ms = wire
            result.redirects = redirects
            result.elapsed_ms = int((time.monotonic() - started) * 1000)
            location = result.headers.get("location") if result.status in REDIRECT_STATUSES else None
            if result.error or not location or not location.strip():
                return result  # a final 3xx without Location is classified dead ("redirect")
            target = normalize(location, base=current)
            if target is None:
                scheme = _SCHEME_RE.match(location)
                app = scheme is not None and scheme.group(1).lower() not in NOT_APP_SCHEMES
                result.error = "app_scheme" if app else "redirect"
                result.final_url = location.strip() if app else current
                return result
            redirects.append(current)
            if len(redirects) > self.crawl.max_redirects:
                result.error = "too_many_redirects"
                return result
            cookie_set = "set-cookie" in result.headers
            if target in seen and (not cookie_set or seen[target] >= 1):
                result.error = "redirect_loop"
                return result
            seen[target] = seen.get(target, -1) + 1
            current = target

    def _refuses_name(self, host: str, port: int) -> bool:
        """For ``GuardedResolver``: a host name that is not a registry site's must not resolve privately."""
        key = f"{host.lower()}:{port}"
        return not (self.is_site_host(key) or self._registry_host(key))

    def refused(self, url: str, guard: bool = True) -> bool:
        """A URL on a private/loopback/link-local literal address that is not a registry site's host
        (``crawl.allow_private`` lifts the refusal). Decided without any lookup; ``guard=False``
        (the registry's own feed and probe URLs) never refuses."""
        if not guard or self.crawl.allow_private or not is_private_address(host_of(url)):
            return False
        key = host_key(url)
        return not (self.is_site_host(key) or self._registry_host(key))

    async def _exchange(self, method: str, url: str, current: str, limit: int, guard: bool = False) -> FetchResult:
        """One request/response of one hop, inside the host and global limits and the total timeout."""
        assert self._client is not None, "use Fetcher as an async context manager"
        result = FetchResult(url=url, final_url=current, method=method, fetched_at=self._clock())
        REFUSE_PRIVATE.set(self._refuses_name if guard and not self.crawl.allow_private else None)
        async with self.gate(host_key(current)), self._global:
            self.stats.requests += 1
            self.stats.in_flight += 1
            began = time.monotonic()
            try:
                async with asyncio.timeout(self.crawl.timeout_total):
                    await self._send(method, current, limit, result)
            except NETWORK_ERRORS as exc:
                result.error = error_name(exc)
                result.dns_again = result.error == "dns_error" and DNS_AGAIN.search(chain_text(exc)) is not None
            finally:
                self.stats.in_flight -= 1
                result.wire_ms = int((time.monotonic() - began) * 1000)
        return result

    async def _send(self, method: str, url: str, limit: int, result: FetchResult) -> None:
        """One exchange through the wire (see monitor.net.wire), copied into ``result``."""
        assert self._wire is not None
        reply: Reply = await self._wire.send(method, url, limit)
        result.status = reply.status
        result.headers = reply.headers
        result.content_type = reply.headers.get("content-type", "").split(";")[0].strip().lower()
        result.body = reply.body
        result.truncated = reply.truncated
        self.stats.bytes += reply.size
