"""Pieces of a site crawl kept apart from the frontier logic: page facts, links, probes, content.

* ``page_snapshot`` — the facts of one fetched page (hash, title, main text, date, home items).
* ``build_links`` — one ``LinkResult`` per distinct URL with every page it was found on.
* ``Probes`` — ``probes_per_check`` ad-hoc home-page probes spread over the run.
* ``ContentTask`` — ``collect_content`` run beside the crawl, its failure isolated as a note.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import date

from selectolax.lexbor import LexborHTMLParser

from monitor.config.settings import Settings
from monitor.crawl.content import ContentResult, Judge, collect_content
from monitor.crawl.linkcheck import Checked
from monitor.crawl.probes import LagWatch, probe_from, take_probe
from monitor.crawl.spill import LinkSpill
from monitor.model.snapshots import LinkResult, LinkSource, PageSnapshot, Probe, ReadState, SiteSnapshot
from monitor.model.urls import in_scope
from monitor.net.fetch import Fetcher
from monitor.net.result import FetchResult
from monitor.pages.article_date import article_date
from monitor.pages.links import parse
from monitor.pages.listing import list_items
from monitor.pages.text import page_texts, tree_title
from monitor.registry.model import Site

log = logging.getLogger(__name__)


# pydantic keeps, per instance, the set of fields given (≈700 bytes). Snapshots built here get
# every field, so one shared full set serves them all (adding a name already in it is a no-op):
# ~40 MB less for a 18,000-page, 35,000-link crawl. Values come from typed code: no validation.
PAGE_FIELDS = set(PageSnapshot.model_fields)
LINK_FIELDS = set(LinkResult.model_fields)
SOURCE_FIELDS = set(LinkSource.model_fields)


def link_source(page: str, digest: str) -> LinkSource:
    return LinkSource.model_construct(_fields_set=SOURCE_FIELDS, page=page, content_hash=digest)


def read_state(outcome: str, error: str | None, parsed: bool, in_site: bool) -> ReadState:
    """A page's read state from the link checker's verdict (``monitor.net.classify``) and whether it was parsed."""
    if outcome == "ok":
        return "ok" if parsed else "out_of_scope" if not in_site else "not_parsed"
    if error == "soft_404":
        return "soft_404"
    return "blocked" if outcome == "blocked" else "dead" if outcome == "dead" else "not_parsed"


def page_snapshot(url: str, final: str, result: FetchResult, digest: str, depth: int, html: str | None, *,
                  is_home: bool, as_of: date, tree: LexborHTMLParser | None = None, state: ReadState = "ok",
                  script_list: bool = False) -> PageSnapshot:
    """One page's snapshot; text facts only when it was parsed (``html`` given; ``tree`` is its
    parse, with 大汉 datastore records expanded, when the caller already has one). ``state``: how
    the fetch was read; ``script_list``: an empty list on it is filled by script."""
    facts: dict[str, object] = {"title": "", "text": "", "encoding": "", "published": None, "items": []}
    if html is not None:
        tree = tree if tree is not None else parse(html)
        main, article = page_texts(tree.body) if tree.body is not None else ("", "")
        facts.update(title=tree_title(tree), text=main, encoding=result.encoding)
        if is_home:
            facts["items"] = list_items(html, final, ref=as_of)
        else:
            facts["published"] = article_date(html, tree=tree, text=article)
    return PageSnapshot.model_construct(
        _fields_set=PAGE_FIELDS, url=url, final_url=url if final == url else final, status=result.status,
        error=result.error, content_type=result.content_type, size=len(result.body), content_hash=digest,
        fetched_at=result.fetched_at, depth=depth, state=state, parsed=html is not None, script_list=script_list,
        **facts)


def build_links(sources: dict[str, list[int]], results: dict[str, Checked], refs: list[LinkSource],
                hosts: tuple[str, ...], *, spill: bool = False) -> list[LinkResult] | LinkSpill:
    """Every checked URL with its sources (sorted by page), sorted by URL; empties both dicts.

    ``results`` holds the ``LinkChecker``'s own verdict tuples (shared with its cache, no copy);
    ``internal`` is decided here by the site's ``hosts``, not by the run-wide fetcher's.
    ``refs`` holds one shared ``LinkSource`` per page: 350,000 occurrences cost list slots only.
    ``spill``: the links go to a ``LinkSpill`` (a temporary file) as they are built, not to a list.
    """
    if spill:
        return _spilled_links(sources, results, refs, hosts)
    links = []
    for url in sorted(sources):
        pages = sources.pop(url)
        found = results.pop(url, None)
        if found is None:
            continue
        outcome, status, error, final, at, _ = found
        links.append(LinkResult.model_construct(
            _fields_set=LINK_FIELDS, url=url, outcome=outcome, status=status, error=error, final_url=final,
            checked_at=at, sources=sorted((refs[i] for i in pages), key=lambda ref: ref.page),
            internal=in_scope(url, hosts)))
    return links


def _spilled_links(sources: dict[str, list[int]], results: dict[str, Checked], refs: list[LinkSource],
                   hosts: tuple[str, ...]) -> LinkSpill:
    links = LinkSpill(refs)
    for url in sorted(sources):
        pages = sources.pop(url)
        found = results.pop(url, None)
        if found is not None:
            links.append(url, found, sorted(pages, key=lambda i: refs[i].page), in_scope(url, hosts))
    return links


class Probes:
    """Availability probes of the home page: the crawl's own home fetch, middles, one at the end.

    They are ad-hoc probes (``source = "adhoc"``): evidence, never the 站点无法访问 veto alone.
    ``watch`` (entered around the crawl) voids a probe taken while the event loop stalled."""

    def __init__(self, fetcher: Fetcher, url: str, count: int, settings: Settings) -> None:
        self.fetcher, self.url, self.count, self.settings = fetcher, url, max(1, count), settings
        self.taken: list[Probe] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.group: asyncio.TaskGroup | None = None
        self.watch = LagWatch(settings.probes.max_loop_lag_seconds)

    def first(self, result: FetchResult) -> None:
        # the home page was parsed since its load ended: a stall of that parse is not the probe's
        end = time.monotonic()
        lagged = self.watch.lagged(end - result.elapsed_ms / 1000, end, pending=False)
        self.taken.append(probe_from(result, self.settings.links, limit_seconds=self.settings.probes.timeout_seconds,
                                     void="loop_lag" if lagged else None))

    def progress(self, ratio: float) -> None:
        """Start the next middle probe once the crawl has done its share of the work."""
        middles = self.count - 2
        while len(self.tasks) < middles and ratio >= (len(self.tasks) + 1) / (self.count - 1):
            assert self.group is not None
            self.tasks.append(self.group.create_task(self._probe()))

    async def _probe(self) -> None:
        self.taken.append(await take_probe(self.url, self.fetcher, self.settings, source="adhoc", watch=self.watch))

    async def finish(self) -> None:
        """Take the middles the crawl did not reach, then the last probe."""
        while len(self.tasks) < self.count - 2:
            self.tasks.append(asyncio.ensure_future(self._probe()))
        await asyncio.gather(*self.tasks)
        if self.count > 1:
            await self._probe()

    def done(self) -> list[Probe]:
        return sorted(self.taken, key=lambda probe: probe.at)


class ContentTask:
    """``collect_content`` for columns, messages and guides, started once the home page is parsed."""

    def __init__(self, site: Site, settings: Settings, as_of: date,
                 fetch: Callable[[str], Awaitable[FetchResult]], judge: Judge | None = None) -> None:
        self.site, self.settings, self.as_of, self.fetch, self.judge = site, settings, as_of, fetch, judge
        self.group: asyncio.TaskGroup | None = None
        self.task: asyncio.Task[None] | None = None
        self.result: ContentResult | None = None
        self.notes: list[str] = []

    def start(self, home_html: str, home_url: str, hosts: tuple[str, ...]) -> None:
        assert self.group is not None
        self.task = self.group.create_task(self._run(home_html, home_url, hosts))

    async def _run(self, home_html: str, home_url: str, hosts: tuple[str, ...]) -> None:
        try:
            self.result = await collect_content(self.site, home_html, home_url, self.fetch, self.settings, self.as_of,
                                                judge=self.judge, hosts=hosts)
        except Exception as exc:  # a content bug must not sink the site's dead-link results
            log.exception("collect_content failed for %s", home_url)
            self.notes.append(f"content: {type(exc).__name__}: {exc}")

    async def wait(self) -> None:
        if self.task is not None:
            await asyncio.wait([self.task])

    def fill(self, snap: SiteSnapshot) -> SiteSnapshot:
        """Copy the content result (columns, messages, guides, channels, notes) into ``snap``."""
        found = self.result
        if found is None:
            return snap
        snap.columns = list(found.columns)
        snap.messages = list(found.messages)
        snap.guides = list(found.guides)
        snap.has_interaction_channel = found.has_interaction_channel
        snap.has_service = found.has_service
        snap.notes = sorted({*snap.notes, *found.notes})
        return snap
