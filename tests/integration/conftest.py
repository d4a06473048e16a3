"""Fixtures serving the fault world (monitor.sandbox.faults) on 127.0.0.1, and fast crawl settings."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date

import pytest

from monitor.config.load import load_settings
from monitor.config.settings import Settings
from monitor.crawl.crawler import crawl_site
from monitor.crawl.linkcheck import LinkChecker
from monitor.model.snapshots import SiteSnapshot
from monitor.net.fetch import Fetcher
from monitor.registry.model import Site
from monitor.sandbox import faults
from monitor.sandbox.server import RunningWorld, serve_world

AS_OF = date(2021, 8, 31)

#: Small timeouts so the hanging page costs well under two seconds; no back-off to speak of.
FAST_ENV: dict[str, str] = {
    "GOVMON_CRAWL__TIMEOUT_TOTAL": "0.6",
    "GOVMON_CRAWL__TIMEOUT_CONNECT": "0.5",
    "GOVMON_CRAWL__RETRIES": "1",
    "GOVMON_CRAWL__RETRY_BACKOFF": "0.01",
    "GOVMON_CRAWL__RETRY_AFTER_MAX": "0.1",
    "GOVMON_CRAWL__CONCURRENCY": "8",
    "GOVMON_CRAWL__ALLOW_PRIVATE": "true",
    "GOVMON_LINKS__BLOCKED_RETRY_SECONDS": "0.05",
}


def fast_settings(**crawl: object) -> Settings:
    """The project's settings with FAST_ENV applied (and ``crawl`` overrides on top)."""
    settings = load_settings(environ=FAST_ENV)
    if crawl:
        settings = settings.model_copy(update={"crawl": settings.crawl.model_copy(update=crawl)})
    return settings


def site_of(world: RunningWorld, key: str) -> Site:
    return next(s for s in faults.fault_sites(world.bases) if s.id == faults.SITE_IDS[key])


def crawl(world: RunningWorld, key: str | Site, settings: Settings | None = None, **kw: object) -> SiteSnapshot:
    """Crawl a fault-world site (by key, or any Site) with its own Fetcher/LinkChecker, as ``govmon check`` does."""
    settings = settings or fast_settings()
    site = key if isinstance(key, Site) else site_of(world, key)

    async def run() -> SiteSnapshot:
        async with Fetcher(settings.crawl, settings.links) as fetcher:
            checker = LinkChecker(fetcher, settings.links)
            return await crawl_site(site, settings=settings, fetcher=fetcher, linkchecker=checker,
                                    as_of=AS_OF, **kw)  # type: ignore[arg-type]

    return asyncio.run(run())


@pytest.fixture(scope="module")
def fault_world() -> Iterator[RunningWorld]:
    """The fault world, shared by a test module (do not count hits on it)."""
    with serve_world(faults.build_fault_world, faults.KEYS, dead=faults.DEAD_KEYS) as world:
        yield world


@pytest.fixture
def fresh_world() -> Iterator[RunningWorld]:
    """A fault world of one's own, for tests that count requests."""
    with serve_world(faults.build_fault_world, faults.KEYS, dead=faults.DEAD_KEYS) as world:
        yield world
