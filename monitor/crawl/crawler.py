"""Crawl one site into a ``SiteSnapshot``: pages, every link with its sources, columns, probes.

Data flow: the home page is fetched (it is also the first availability probe); page workers
take pages of the site (its host plus ``site.hosts``) breadth-first from a queue, parse them
once and enqueue what they link to; link workers check everything else (attachments, other
hosts, pages beyond the depth/page limits or behind a trap guard) through the run's
``LinkChecker``. A page's own fetch is its link result (``known=``), so every distinct URL is
requested once. Bodies are dropped after parsing, except those ``collect_content`` (run beside
the crawl, from the home page on) asks for: the home page's direct links are kept for it, a page
still queued is awaited, and a page it fetches first is handed to the crawl — no double fetch.
Memory is O(distinct URLs): past ``spill_after`` pages (``monitor.crawl.spill``) every page's
facts go to a temporary file as it is parsed and the links to it as they are built, so the
snapshot of a 200,000-page site holds its page texts and link results on disk, not in memory;
a link's sources are page numbers until then.

Guards: ``max_depth``/``max_pages``; trap guards (session ids and cache-busters removed from
every link before de-duplication, so a session trap's variants are one URL; URL length, a path
segment repeated more than ``max_path_repeats`` times, more than ``max_query_variants`` query
strings on one path — which also stops endless calendars); robots.txt for the site's own URLs;
oversized pages are not parsed; ``site_budget_seconds`` ends the page crawl when spent (pages
queued or in flight are then checked as links only). Each limit that bites leaves one line in
``snap.notes``. Task bodies never raise: a
failure is a value (a FetchResult error, a note).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
from datetime import date
from urllib.parse import urlsplit

from monitor.config.settings import Settings
from monitor.crawl.linkcheck import Checked, LinkChecker
from monitor.crawl.parts import ContentTask, Probes, build_links, link_source, page_snapshot, read_state
from monitor.crawl.progress import CrawlProgress
from monitor.crawl.spill import SPILL_AFTER, PageSpill
from monitor.model.snapshots import LinkSource, PageSnapshot, SiteSnapshot
from monitor.model.urls import (
    host_key,
    host_of,
    in_scope,
    is_attachment,
    normalize,
    site_hosts,
    trap_reason,
    without_query,
    without_session,
)
from monitor.net.classify import MARKUP_TYPES
from monitor.net.fetch import Fetcher
from monitor.net.result import FetchResult
from monitor.pages.links import LinkKind, Resolver, extract_links, parse
from monitor.pages.scripted import is_shell, redirect_target, script_list
from monitor.registry.model import Site

CACHE_DEPTH = 1
CACHE_MAX_PAGES = 200
HOME_HOPS = 3
CACHE_BODY_BYTES = 262_144
log = logging.getLogger(__name__)


def site_scope(site: Site) -> tuple[str, ...]:
    """The site's hosts: its home page's ``host:port`` and the registry's extra hosts, plus the bare
    host name when the registry URL names no port — http and https of one host are one site."""
    hosts = site_hosts(site.url, site.hosts)
    return hosts if urlsplit(site.url).port is not None else (*hosts, host_of(site.url))


def kept_for_content(result: FetchResult) -> FetchResult:
    """What the crawl keeps of a page for the content collector: an oversized (truncated) body is
    cut to ``CACHE_BODY_BYTES`` — 200 cached pages of 5 MB each (or 80 links to a compression
    bomb) must not hold a gigabyte; a list page's items are in its first 256 KB."""
    if not result.truncated or len(result.body) <= CACHE_BODY_BYTES:
        return result
    return dataclasses.replace(result, body=result.body[:CACHE_BODY_BYTES], _decoded=None)


class _Crawl:
    """The state of one site's crawl; see the module docstring for the flow."""

    def __init__(self, site: Site, settings: Settings, fetcher: Fetcher, checker: LinkChecker, as_of: date,
                 progress: CrawlProgress | None, max_pages: int | None, max_depth: int | None,
                 spill_after: int = SPILL_AFTER) -> None:
        self.site, self.settings, self.fetcher, self.checker, self.as_of = site, settings, fetcher, checker, as_of
        self.crawl = settings.crawl
        self.progress = progress or CrawlProgress()
        self.max_pages = self.crawl.max_pages if max_pages is None else max_pages
        self.max_depth = self.crawl.max_depth if max_depth is None else max_depth
        self.scope = site_scope(site)
        self.attachments = tuple(self.crawl.attachment_extensions)
        self.home_url = normalize(site.url) or site.url
        self.page_q: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        self.link_q: asyncio.Queue[str] = asyncio.Queue()
        self.sources: dict[str, list[int]] = {}
        self.results: dict[str, Checked] = {}
        self.resolver = Resolver()
        self.pages: list[PageSnapshot] | PageSpill = []
        self.spill_after = spill_after
        self.page_keys: list[tuple[int, str]] = []  # (depth, url) per page: the snapshot's order
        self.page_refs: list[LinkSource] = []
        self.parsed: set[str] = set()
        self.variants: dict[str, int] = {}
        self.session_variants = 0
        self.notes: set[str] = set()
        self.pages_queued = 0
        self.cache: dict[str, asyncio.Future[FetchResult]] = {}
        self.unfinished: set[str] = set()
        self.prefetched: dict[str, FetchResult] = {}
        self.home: PageSnapshot | None = None
        self.probes = Probes(fetcher, self.home_url, self.crawl.probes_per_check, settings)
        self.content = ContentTask(site, settings, as_of, self.fetch_for_content, self.judge_for_content)

    # scheduling -------------------------------------------------------------------------
    def schedule(self, url: str, kind: LinkKind, depth: int) -> None:
        """First sighting of ``url``: crawl it as a page of the site, or only check it."""
        self.progress.queued(1)
        if self._is_page(url, kind) and self._may_crawl(url, depth):
            self.pages_queued += 1
            self.unfinished.add(url)
            if depth <= CACHE_DEPTH and len(self.cache) < CACHE_MAX_PAGES:
                self.cache[url] = asyncio.get_running_loop().create_future()
            self.page_q.put_nowait((url, depth))
        else:
            self.link_q.put_nowait(url)

    def _is_page(self, url: str, kind: LinkKind) -> bool:
        """A navigable link to the site itself that is not an attachment."""
        return kind == "page" and in_scope(url, self.scope) and not is_attachment(url, self.attachments)

    def _may_crawl(self, url: str, depth: int) -> bool:
        if depth > self.max_depth:
            return False
        trap = self._trap(url)
        if trap is not None:
            self.notes.add(f"trap: {trap}; further URLs like it are checked, not crawled")
            return False
        if self.pages_queued >= self.max_pages:
            self.notes.add(f"max_pages: {self.max_pages} pages crawled; further pages are checked, not crawled")
            return False
        return True

    def _trap(self, url: str) -> str | None:
        """Why ``url`` looks like a crawler trap ("kind subject"), or None."""
        reason = trap_reason(url, max_length=self.crawl.max_url_length, max_path_repeats=self.crawl.max_path_repeats)
        if reason is not None:
            return f"{reason} {without_query(url)}"
        if "?" not in url:
            return None
        path = without_query(url)
        self.variants[path] = count = self.variants.get(path, 0) + 1
        if count > self.crawl.max_query_variants:
            return f"query_variants {path} (more than {self.crawl.max_query_variants} query strings)"
        return None

    # workers ------------------------------------------------------------------------------
    async def page_worker(self) -> None:
        while True:
            url, depth = await self.page_q.get()
            try:
                await self.crawl_page(url, depth)
            except Exception as exc:  # a parser bug on one odd page must not sink the site
                log.exception("crawling %s failed", url)
                self.notes.add(f"error: {url}: {type(exc).__name__}: {exc}")
            finally:
                self.page_q.task_done()

    async def link_worker(self) -> None:
        while True:
            url = await self.link_q.get()
            try:
                await self.check_link(url)
            except Exception as exc:  # isolated like a page: the rest of the site is still checked
                log.exception("checking %s failed", url)
                self.notes.add(f"error: {url}: {type(exc).__name__}: {exc}")
            finally:
                self.link_q.task_done()

    async def check_link(self, url: str) -> None:
        """Check a URL that is not crawled; the site's own URLs obey robots.txt."""
        known = None
        if in_scope(url, self.scope) and not await self.fetcher.allowed(url):
            known = self._disallowed(url)
        verdict = await self.checker.verdict(url, known=known)
        self.results[url] = verdict
        self.progress.link(url, verdict.outcome)

    def _disallowed(self, url: str) -> FetchResult:
        return FetchResult(url=url, final_url=url, error="robots_disallowed", fetched_at=self.fetcher.now())

    async def crawl_page(self, url: str, depth: int) -> None:
        """Fetch, classify, snapshot and parse one page of the site."""
        result = self._disallowed(url)
        try:
            prefetched = self.prefetched.pop(url, None)
            if prefetched is not None:
                result = prefetched
            elif depth == 0 or await self.fetcher.allowed(url):
                # the registry's own root (and where it sends us) is trusted; found URLs are guarded
                result = await self.fetcher.get(url, max_bytes=self.crawl.max_body_bytes, guard=depth > 0)
            if depth == 0:
                self.probes.first(result)
                result = await self.home_through(result)
            verdict = await self.checker.verdict(url, known=result)
            self.results[url] = verdict
            self.progress.page(url, verdict.outcome)
            self._absorb(url, depth, result, verdict)
        except asyncio.CancelledError:
            raise  # the budget was spent mid-page: the page stays unfinished and is checked as a link
        except BaseException:
            self._finished(url, result)
            raise
        else:
            self._finished(url, result)
        self.probes.progress(self.progress.done_ratio())

    def _finished(self, url: str, result: FetchResult) -> None:
        """The page is done: drop it from the unfinished set and hand its fetch to whoever waits."""
        self.unfinished.discard(url)
        future = self.cache.get(url)
        if future is not None and not future.done():
            future.set_result(kept_for_content(result))

    def _absorb(self, url: str, depth: int, result: FetchResult, verdict: Checked) -> None:
        digest = hashlib.sha256(result.body).hexdigest() if result.body else ""
        final = normalize(result.final_url) or url
        final = url if final == url else final
        html = self._parseable(result, verdict.outcome, final)
        tree = parse(html) if html is not None else None  # one parse for the page's facts and its links
        state = read_state(verdict.outcome, verdict.error, html is not None, in_scope(final, self.scope))
        scripted = False
        if depth == 0 and html is not None:
            state = "script_rendered" if is_shell(html) else state
            scripted = state == "ok" and script_list(html)
        snap = page_snapshot(url, final, result, digest, depth, html, is_home=depth == 0, as_of=self.as_of,
                             tree=tree, state=state, script_list=scripted)
        self._keep(snap)
        self.page_refs.append(link_source(final, digest))
        if depth == 0:
            self.home = snap
            if html is not None and state == "ok":
                self.content.start(html, final, self.scope)
        if html is None or tree is None:
            return
        self.parsed.add(final)
        index = len(self.page_refs) - 1
        for found, kind in extract_links(tree, final, encoding=result.encoding, resolver=self.resolver).items():
            target = self._one_spelling(found)
            seen = self.sources.get(target)
            if seen is None:
                self.sources[target] = [index]
                self.schedule(target, kind, depth + 1)
            else:
                seen.append(index)

    def _keep(self, page: PageSnapshot) -> None:
        """Keep the page's facts: in memory up to ``spill_after`` pages, then all in a ``PageSpill``."""
        self.page_keys.append((page.depth, page.url))
        if isinstance(self.pages, list) and len(self.pages) >= self.spill_after:
            self.pages = PageSpill(self.pages)
        self.pages.append(page)

    def _one_spelling(self, url: str) -> str:
        """``url`` without session ids and cache-busters (``crawl.session_params``/``tracking_params``):
        the variants a session trap mints on every page are one URL, requested once."""
        plain = without_session(url, self.crawl.session_params, self.crawl.tracking_params)
        if plain != url:
            self.session_variants += 1
            self.notes.add("trap: session ids or cache-busters in links; variants of one URL are checked once")
        return plain

    # the home page ---------------------------------------------------------------------------
    def adopt(self, url: str, why: str) -> None:
        """Take the host of ``url`` into the site's scope (the root redirected or forwarded there)."""
        if in_scope(url, self.scope):
            return
        key = host_key(url)
        self.scope = (*self.scope, key)
        self.fetcher.add_site_hosts([key])
        self.notes.add(f"home: {why} to {key}; that host is part of the site")

    async def home_through(self, result: FetchResult) -> FetchResult:
        """The real home page behind the root: a redirect's final host is adopted into the site's
        scope, and a stub root (meta refresh, one-line ``location.href=`` script) is followed, at
        most ``HOME_HOPS`` times, before the home snapshot is built."""
        seen = {normalize(result.url) or result.url}
        for _hop in range(HOME_HOPS + 1):
            final = normalize(result.final_url) or result.final_url
            if result.redirects and final:
                self.adopt(final, "the root redirects")
            if (result.error is not None or result.status is None or not 200 <= result.status < 300
                    or result.content_type not in MARKUP_TYPES or not result.body or result.truncated):
                return result
            target = redirect_target(result.text(), final or result.url)
            target = normalize(target) if target else None
            if target is None or target in seen or _hop == HOME_HOPS:
                return result
            seen.add(target)
            self.notes.add(f"home: {final} forwards to {target} (meta refresh or script); that page is read "
                           "as the home page")
            self.adopt(target, "the root forwards")
            result = await self.fetcher.get(target, max_bytes=self.crawl.max_body_bytes)
        return result

    def _parseable(self, result: FetchResult, outcome: str, final: str) -> str | None:
        """The page's text when it is an HTML page of the site worth parsing, else None."""
        if outcome != "ok" or result.content_type not in MARKUP_TYPES or not result.body:
            return None
        if final in self.parsed or not in_scope(final, self.scope):
            return None
        if result.truncated:
            self.notes.add(f"oversized: {final} (more than {self.crawl.max_body_bytes} bytes, not parsed)")
            return None
        return result.text()

    async def fetch_for_content(self, url: str) -> FetchResult:
        """The content collector's fetch, sharing requests with the crawl.

        A page the crawl holds (the home page's links) or has yet to finish is awaited; a page
        the crawl has not seen is fetched and kept for the crawl in case it finds it later.
        """
        key = normalize(url) or url
        future = self.cache.get(key)
        if future is None and key in self.unfinished:
            future = self.cache[key] = asyncio.get_running_loop().create_future()
        if future is not None:
            return await future
        result = await self.fetcher.get(key, max_bytes=self.crawl.max_body_bytes, guard=True)
        if key not in self.sources and in_scope(key, self.scope):
            self.prefetched[key] = result
        return result

    async def judge_for_content(self, result: FetchResult) -> tuple[str, int | None, str | None]:
        """The content collector's classification: the run's link checker's, so one URL is one thing."""
        verdict = await self.checker.verdict(result.url, known=result)
        return verdict.outcome, verdict.status, verdict.error

    # the run ------------------------------------------------------------------------------
    async def run(self) -> SiteSnapshot:
        self.fetcher.add_site_hosts(self.scope)
        self.sources[self.home_url] = []
        self.schedule(self.home_url, "page", 0)
        workers = max(1, self.crawl.concurrency)
        budget = self.crawl.site_budget_seconds
        async with self.probes.watch, asyncio.TaskGroup() as group:
            self.content.group = group
            page_tasks = [group.create_task(self.page_worker()) for _ in range(workers)]
            tasks = [*page_tasks, *(group.create_task(self.link_worker()) for _ in range(workers))]
            self.probes.group = group
            try:
                async with asyncio.timeout(budget if budget > 0 else None):
                    await self.page_q.join()
            except TimeoutError:
                await self._budget_spent(page_tasks, budget)
            await self.link_q.join()
            await self.content.wait()
            await self.probes.finish()
            for task in tasks:
                task.cancel()
        return self.snapshot()

    async def _budget_spent(self, page_tasks: list[asyncio.Task[None]], budget: float) -> None:
        """``site_budget_seconds`` is spent: stop crawling pages; every page queued or in flight
        is checked as a link only, and whoever awaits one (the content collector) gets an error."""
        for task in page_tasks:
            task.cancel()
        await asyncio.gather(*page_tasks, return_exceptions=True)
        stopped = sorted(self.unfinished)
        while not self.page_q.empty():
            self.page_q.get_nowait()
            self.page_q.task_done()
        for url in stopped:
            self.unfinished.discard(url)
            future = self.cache.get(url)
            if future is not None and not future.done():
                future.set_result(FetchResult(url=url, final_url=url, error="site_budget", fetched_at=self.fetcher.now()))
            self.link_q.put_nowait(url)
        self.notes.add(f"site_budget: {budget:g} s spent; {len(stopped)} queued pages were checked as links only, "
                       "not crawled")

    def snapshot(self) -> SiteSnapshot:
        if not self.sources[self.home_url]:
            del self.sources[self.home_url]
        links = build_links(self.sources, self.results, self.page_refs, self.scope,
                            spill=isinstance(self.pages, PageSpill))
        probes = self.probes.done()
        started = self.home.fetched_at if self.home else probes[0].at if probes else self.fetcher.now()
        finished = max([started, *(p.at for p in probes)])
        pages = self.pages
        if isinstance(pages, PageSpill):
            pages.sort(self.page_keys)
        else:
            pages.sort(key=lambda p: (p.depth, p.url))
        snap = SiteSnapshot(site_id=self.site.id, url=self.site.url, started_at=started, finished_at=finished,
                            home=self.home, pages=[], links=[], probes=probes,
                            notes=sorted(self.notes | set(self.fetcher.robots.notes) | set(self.content.notes)))
        # not validated: a spill stays a file-backed sequence, a list is not copied
        snap.pages, snap.links = pages, links  # type: ignore[assignment]
        return self.content.fill(snap)


async def crawl_site(site: Site, *, settings: Settings, fetcher: Fetcher, linkchecker: LinkChecker, as_of: date,
                     progress: CrawlProgress | None = None, max_pages: int | None = None,
                     max_depth: int | None = None, spill_after: int = SPILL_AFTER) -> SiteSnapshot:
    """Crawl ``site`` (see the module docstring); never raises on network failures. Past
    ``spill_after`` pages, the snapshot's ``pages`` is a ``PageSpill`` (a temporary file)."""
    return await _Crawl(site, settings, fetcher, linkchecker, as_of, progress, max_pages, max_depth,
                        spill_after).run()

