"""Check each distinct link once per run, whichever page and site it is found on.

A run-wide cache maps the normalised URL to one ``asyncio.Task`` while it is in flight, then to
a slim result tuple, so concurrent callers (the same link on 500 pages, or on two sites of one
inspection) await a single request and later callers none. A result
the crawler already holds (``known``, a page it fetched) or a stored one inside the freshness
window (``fresh``) is reused without a request.

Method choice: HEAD is only safe where a soft 404 cannot hide. Attachments and URLs that do
not look like pages (.pdf, .jpg, .css, .js …) get ``head_or_get`` — HEAD, falling back to GET
on 405/403/501, on a HEAD that fails while GET may work, or on any 4xx/5xx answer to HEAD. URLs
that may be HTML pages get a GET capped at ``LINK_MAX_BYTES`` (256 KB), because a soft 404
("页面不存在" with status 200) is only visible in the body. A link is dead only after the
fetcher's retries agree. Link checks send one request like a browser following a link, so
robots.txt (a crawling rule) is not consulted here.

Soft 404s a site dresses as 200: a short HTML answer without a date line (or a file link
answered by HTML) is compared with what the site answers for a URL that cannot exist — one probe
per host, first path segment and extension (``NotFoundPrints``), fetched once per run.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import datetime
from typing import NamedTuple

from monitor.config.settings import LinkSettings
from monitor.model.snapshots import LinkResult
from monitor.model.urls import host_key, is_attachment, normalize, url_path
from monitor.net.classify import NotFoundPrint, judge, needs_fingerprint, not_found_print
from monitor.net.fetch import Fetcher
from monitor.net.result import FetchResult

LINK_MAX_BYTES = 262_144
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".jspx", ".asp", ".aspx", ".php",
                 ".do", ".action", ".cgi", ".nsf", ".xml")
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "ftp:", "file:", "sms:", "weixin:")


def looks_like_page(url: str) -> bool:
    """True when the URL may serve HTML: no file extension, or a page-ish one (.html, .jsp …)."""
    last = url_path(url).rsplit("/", 1)[-1].lower()
    return "." not in last or last.endswith(PAGE_SUFFIXES)


class Checked(NamedTuple):
    """What the cache keeps per URL: a slim tuple, not a model (35,000 links per site add up)."""

    outcome: str
    status: int | None
    error: str | None
    final_url: str
    checked_at: datetime
    internal: bool


PROBE_NAME = "govmon-nf-"


def probe_url(url: str) -> tuple[tuple[str, str, str], str]:
    """The (origin, path prefix, extension) a URL's not-found answer depends on, and a URL under
    that prefix with that extension that cannot exist (a random name)."""
    scheme, _, rest = url.partition("://")
    origin = f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}"
    segments = url_path(url).split("/")
    prefix = f"/{segments[1]}/" if len(segments) > 2 and segments[1] else "/"
    last = segments[-1]
    ext = "." + last.rsplit(".", 1)[1].lower() if "." in last else ""
    return (origin, prefix, ext), f"{origin}{prefix}{PROBE_NAME}{secrets.token_hex(6)}{ext}"


class NotFoundPrints:
    """Each site's not-found fingerprint per path prefix and extension, probed once per run."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self._prints: dict[tuple[str, str, str], asyncio.Future[NotFoundPrint | None]] = {}

    async def for_url(self, url: str) -> NotFoundPrint | None:
        key, probe = probe_url(url)
        found = self._prints.get(key)
        if found is None:
            found = self._prints[key] = asyncio.ensure_future(self._probe(probe))
        return await asyncio.shield(found)

    async def _probe(self, probe: str) -> NotFoundPrint | None:
        return not_found_print(await self.fetcher.get(probe, max_bytes=LINK_MAX_BYTES, retries=0, guard=True))

    def __len__(self) -> int:
        return len(self._prints)


class LinkChecker:
    """Run-wide link cache over one Fetcher; ``check`` returns a LinkResult without sources."""

    def __init__(self, fetcher: Fetcher, links: LinkSettings, *, fresh: dict[str, LinkResult] | None = None) -> None:
        self.fetcher = fetcher
        self.links = links
        self.fresh = fresh or {}
        self._done: dict[str, Checked] = {}
        self._pending: dict[str, asyncio.Future[Checked]] = {}
        self.prints = NotFoundPrints(fetcher)
        self.reused = 0

    def __len__(self) -> int:
        return len(self._done) + len(self._pending)

    async def check(self, url: str, *, known: FetchResult | None = None) -> LinkResult:
        """The outcome of ``url``: one request per distinct normalised URL per run."""
        key = normalize(url)
        checked = self._unusable(url) if key is None else await self._lookup(key, known)
        return LinkResult.model_construct(url=key or url, sources=[], **checked._asdict())

    async def verdict(self, url: str, *, known: FetchResult | None = None) -> Checked:
        """What ``check`` says, as the slim tuple (no model built): for the crawler's hot path."""
        key = normalize(url)
        return self._unusable(url) if key is None else await self._lookup(key, known)

    async def _lookup(self, key: str, known: FetchResult | None) -> Checked:
        checked = self._done.get(key)
        if checked is not None:
            self.reused += 1
            return checked
        pending = self._pending.get(key)
        if pending is not None:
            self.reused += 1
            return await asyncio.shield(pending)
        checked = self._fresh(key)
        if checked is None and known is not None:
            checked = await self._classified(key, known)
        if checked is not None:
            self._done[key] = checked
            return checked
        pending = self._pending[key] = asyncio.ensure_future(self._run(key))
        pending.add_done_callback(lambda task, key=key: self._settle(key, task))
        return await asyncio.shield(pending)

    def _settle(self, key: str, task: asyncio.Future[Checked]) -> None:
        """Move a finished check from the in-flight table to the results (dropping the task)."""
        self._pending.pop(key, None)
        if not task.cancelled() and task.exception() is None:
            self._done[key] = task.result()

    def _fresh(self, key: str) -> Checked | None:
        """A result without a request: stored within the freshness window."""
        cached = self.fresh.get(key)
        if cached is None:
            return None
        final = cached.final_url if cached.final_url and cached.final_url != key else key
        return Checked(cached.outcome, cached.status, cached.error, final, cached.checked_at, self._internal(key))

    async def _run(self, url: str) -> Checked:
        internal = self._internal(url)
        if not internal and not self.links.check_external:
            return Checked("skipped", None, "external_not_checked", url, self.fetcher.now(), False)
        crawl = self.fetcher.crawl
        if is_attachment(url, crawl.attachment_extensions) or not looks_like_page(url):
            fetched = await self.fetcher.head_or_get(url, max_bytes=LINK_MAX_BYTES, guard=True)
        else:
            fetched = await self.fetcher.get(url, max_bytes=LINK_MAX_BYTES, guard=True)
        return await self._classified(url, fetched)

    async def _classified(self, url: str, fetched: FetchResult) -> Checked:
        """``monitor.net.classify.judge`` of a fetch, with the site's not-found fingerprint when it may matter."""
        fingerprint = None
        if self.links.not_found_probes and needs_fingerprint(fetched):
            fingerprint = await self.prints.for_url(fetched.url if fetched.url.startswith("http") else url)
        outcome, status, error = judge(fetched, self.links, fingerprint=fingerprint).triple()
        final = fetched.final_url if fetched.final_url != url else url
        return Checked(outcome, status, error, final, fetched.fetched_at, self._internal(url))

    def _internal(self, url: str) -> bool:
        return self.fetcher.is_site_host(host_key(url))

    def _unusable(self, url: str) -> Checked:
        """A href that is not an http(s) URL: skipped if it is another scheme, else invalid (dead)."""
        lowered = url.strip().lower()
        skipped = lowered.startswith(_SKIP_SCHEMES) or lowered.startswith("#") or not lowered
        return Checked("skipped" if skipped else "dead", None, "invalid_url", url, self.fetcher.now(), not skipped)
