"""Home-page availability probes (站点无法访问): one request, a whole-load time limit, no retries.

A probe is a single attempt: retries would hide exactly the failures the indicator counts.
What a probe says is decided here, once, for the daemon's scheduled probes and a crawl's own:

* timed on the wire: ``FetchResult.wire_ms`` sums the exchanges of every redirect hop (connect,
  headers, body) and leaves out time queued behind govmon's own concurrency limits; over
  ``[probes] timeout_seconds`` (the rules' 15 s) the probe failed with ``error = "timeout"``;
* a refusal — a status in ``links.blocked_statuses`` (403, 429) or a firewall page
  (``monitor.net.classify``) — is ``blocked``: neither a success nor a failure;
* void (``Probe.void``) when it says nothing about the site: ``loop_lag`` when govmon's event
  loop stalled longer than ``max_loop_lag_seconds`` while it ran (``LagWatch``), and
  ``control_failed`` when the site failed and the control URL probed in the same slot failed
  too (govmon's own network was down).
The daemon's probing ``Fetcher`` is built with ``probe_settings(settings)``.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import suppress
from datetime import datetime

from monitor.config.settings import CrawlSettings, LinkSettings, Settings
from monitor.model.snapshots import Probe, ProbeSource
from monitor.net.classify import classify
from monitor.net.fetch import Fetcher
from monitor.net.result import FetchResult

LAG_TICK = 0.05


def probe_settings(settings: Settings) -> CrawlSettings:
    """The crawl settings for probing: no retries, robots not consulted (one page a user would load),
    one hop never waits longer than the whole load may take."""
    crawl = settings.crawl
    limit = min(crawl.timeout_total, settings.probes.timeout_seconds)
    return crawl.model_copy(update={"retries": 0, "obey_robots": False, "timeout_total": limit,
                                    "timeout_connect": min(crawl.timeout_connect, limit)})


def probe_from(result: FetchResult, links: LinkSettings, *, limit_seconds: float, source: ProbeSource = "adhoc",
               at: datetime | None = None, void: str | None = None) -> Probe:
    """What one home-page load says: loaded (2xx within the limit), refused (blocked) or failed."""
    outcome, _, _ = classify(result, links)
    blocked = outcome == "blocked"
    error = result.error
    ok = not blocked and error is None and result.status is not None and 200 <= result.status < 300
    if ok and result.wire_ms > limit_seconds * 1000:
        ok, error = False, "timeout"
    return Probe(url=result.url, at=at or result.fetched_at, ok=ok, status=result.status, error=error,
                 elapsed_ms=result.wire_ms, source=source, blocked=blocked, void=void)


class LagWatch:
    """Notes the moments govmon's event loop was stalled longer than ``max_lag`` seconds.

    A ticker sleeps ``LAG_TICK`` and measures how late it woke; a stall is kept as its
    (start, end) on the monotonic clock. Use as an async context manager around the probing.
    """

    def __init__(self, max_lag: float) -> None:
        self.max_lag = max_lag
        self.stalls: list[tuple[float, float]] = []
        self.last_wake = time.monotonic()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> "LagWatch":
        self._task = asyncio.create_task(self._tick())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task

    async def _tick(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(LAG_TICK)
            after = self.last_wake = time.monotonic()
            if after - before - LAG_TICK > self.max_lag:
                self.stalls.append((before, after))
                del self.stalls[:-1000]

    def lagged(self, start: float, end: float, *, pending: bool = True) -> bool:
        """Whether a stall overlapped ``[start, end]`` (monotonic seconds). With ``pending``, a ticker
        that has not woken for longer than ``max_lag`` counts as a stall not yet noted (the loop only
        just got back to it) — right for a probe that has just ended, not for one that ended earlier."""
        if any(s < end and e > start for s, e in self.stalls):
            return True
        return pending and self._task is not None and time.monotonic() - self.last_wake > self.max_lag + LAG_TICK


async def take_probe(url: str, fetcher: Fetcher, settings: Settings, *, source: ProbeSource,
                     watch: LagWatch | None = None, at: datetime | None = None) -> Probe:
    """Load ``url`` once and judge it; void ("loop_lag") when the loop stalled while it ran."""
    start = time.monotonic()
    result = await fetcher.get(url, retries=0)
    lagged = watch is not None and watch.lagged(start, time.monotonic())
    return probe_from(result, settings.links, limit_seconds=settings.probes.timeout_seconds, source=source,
                      at=at, void="loop_lag" if lagged else None)


async def probe_with_control(url: str, fetcher: Fetcher, settings: Settings, *, watch: LagWatch | None = None,
                             at: datetime | None = None) -> Probe:
    """A scheduled probe of ``url``, with ``[probes] control_url`` probed in the same slot.

    A failed probe whose control failed too is void ("control_failed"): govmon could not reach
    the outside world, which says nothing about the site."""
    control_url = settings.probes.control_url.strip()
    jobs = [take_probe(url, fetcher, settings, source="scheduled", watch=watch, at=at)]
    if control_url:
        jobs.append(take_probe(control_url, fetcher, settings, source="scheduled", watch=watch, at=at))
    found = await asyncio.gather(*jobs)
    probe = found[0]
    if len(found) > 1 and probe.void is None and not probe.ok and not probe.blocked and not found[1].ok:
        probe = probe.model_copy(update={"void": "control_failed"})
    return probe
