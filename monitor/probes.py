"""Home-page availability probes (站点无法访问): one request, the official 15 s limit, no retries.

A probe is a single attempt: retries would hide exactly the failures the indicator counts.
The daemon's probing ``Fetcher`` is built with ``probe_settings(crawl)``.
"""

from __future__ import annotations

from monitor.fetch import Fetcher, FetchResult
from monitor.registry import Site
from monitor.settings import CrawlSettings
from monitor.snapshots import Probe


def probe_settings(crawl: CrawlSettings) -> CrawlSettings:
    """The crawl settings for probing: no retries, robots not consulted (one page a user would load)."""
    return crawl.model_copy(update={"retries": 0, "obey_robots": False})


def probe_from(result: FetchResult) -> Probe:
    """A probe succeeds when the home page loaded (final status 2xx) within the time limit."""
    ok = result.error is None and result.status is not None and 200 <= result.status < 300
    return Probe(url=result.url, at=result.fetched_at, ok=ok, status=result.status, error=result.error,
                 elapsed_ms=result.elapsed_ms)


async def probe_site(site: Site, fetcher: Fetcher) -> Probe:
    return probe_from(await fetcher.get(site.url, retries=0))
