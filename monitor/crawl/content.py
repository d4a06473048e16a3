"""Columns, messages and service guides of one site, fetched through the caller's ``fetch``.

The only module of the content part that does I/O, and only through ``fetch`` (a
``Callable[[str], Awaitable[FetchResult]]``; failures come back as values). Steps:

1. Columns: the registry's pinned columns when the site has any (a pinned column without a kind is
   classified by name), else the home page's navigation and 更多 links merged with the site map
   page, at most ``[extract] max_columns``.
2. Each column's list page is read; pagination is followed only while no item falls inside the
   kind's window (the stale_column / interaction_unanswered check windows) (kinds without a window read one page), at most ``max_list_pages`` pages;
   a message board (interaction) is followed while its pages still show messages inside the window.
   A column page without items gets ``empty_reason`` (暂无信息, 共0条, empty list container).
   Every fetch is classified by ``judge`` — in a crawl the run's link checker, so a URL is the same
   thing as a link and as a column (a firewall challenge is ``blocked``, never a blank column);
   alone, ``monitor.net.classify.classify``. A column records its first page's read ``state`` (ok /
   blocked / soft_404 / dead / not_parsed / script_rendered) and whether it was ``parsed``: a page
   without items whose empty list is filled by script (``monitor.pages.scripted.script_list``) is
   ``script_rendered``, not blank.
   Item dates after as-of are dropped from the item (the item counts as undated) and noted.
   ``status``/``error`` are the first page's; ``error`` is also "not_html" (a PDF or other file
   where the list should be) and "content_error" (parsing crashed; noted, the others go on).
3. Interaction columns: their fetched pages are read as message boards; messages whose row shows
   neither a state nor a reply date get their detail page read (``max_message_details`` per site).
4. Service columns on the site: links named like a guide (``guide_link_words``) and the column's
   list items are read as guides, one level deeper for sub-lists; a page with at least three known
   guide elements is a guide (``max_guides`` per site).
5. ``has_interaction_channel`` / ``has_service``: an interaction / service column, or a home-page
   link whose name (its text, title, or its image's ``alt``: a 领导信箱 banner) classifies so (a link
   to a city-wide platform counts); None without a home page.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, TypeVar
from urllib.parse import urljoin

from checks import check_options
from monitor.config.settings import ExtractSettings, Settings
from monitor.model.period import months_before, window_start
from monitor.model.snapshots import ColumnSection, ColumnSnapshot, ListItem, Message, ReadState, ServiceGuide
from monitor.net.classify import PAGE_TYPES
from monitor.net.classify import classify as classify_fetch
from monitor.pages.anchors import link_name, link_url
from monitor.pages.columns import (
    ColumnRef,
    classify,
    columns_from_sitemap,
    discover_columns,
    merge_columns,
    same_site,
    sitemap_url,
)
from monitor.pages.empty import EMPTY_CONTAINER, empty_reason
from monitor.pages.guides import parse_guide
from monitor.pages.listing import column_sections, list_items
from monitor.pages.messages import parse_message_detail, parse_messages
from monitor.pages.pagination import next_page_url
from monitor.pages.scripted import script_list
from monitor.pages.text import clean_tree
from monitor.registry.model import Site

T = TypeVar("T")


class FetchedPage(Protocol):
    """What ``collect_content`` reads of a ``monitor.net.result.FetchResult``."""

    status: int | None
    error: str | None
    final_url: str
    body: bytes
    content_type: str

    @property
    def ok(self) -> bool: ...

    def text(self) -> str: ...


Fetch = Callable[[str], Awaitable[Any]]
#: A fetch result → ``(outcome, status, error)`` as the link checker says (``monitor.net.classify``).
Judge = Callable[[Any], Awaitable[tuple[str, int | None, str | None]]]


@dataclass
class ContentResult:
    """What the content collector found on one site."""

    columns: list[ColumnSnapshot] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    guides: list[ServiceGuide] = field(default_factory=list)
    has_interaction_channel: bool | None = None
    has_service: bool | None = None
    notes: list[str] = field(default_factory=list)


async def collect_content(site: Site, home_html: str, home_url: str, fetch: Fetch, settings: Settings,
                          as_of: date, *, judge: Judge | None = None,
                          hosts: Sequence[str] | None = None) -> ContentResult:
    """Columns (with items), messages and guides of ``site``, judged later by the checks.

    ``judge`` classifies each fetch (default: ``monitor.net.classify.classify`` with ``settings.links``);
    ``hosts``: the site's hosts as the crawl knows them (default: the registry's ``site.hosts``)."""

    async def classified(result: Any) -> tuple[str, int | None, str | None]:
        return classify_fetch(result, settings.links)

    run = _Run(site, home_url, fetch, settings.extract, as_of, window_starts(settings, as_of), judge or classified,
               list(site.hosts if hosts is None else hosts))
    refs = await run.column_refs(home_html)
    pages: dict[str, list[tuple[str, str]]] = {}
    columns = await run.each(refs, lambda ref: run.column(ref, pages), run.failed_column)
    messages = await run.messages([r for r in refs if r.kind == "interaction"], pages)
    guides = await run.guides([r for r in refs if r.kind == "service"], pages)
    kinds = {ref.kind for ref in refs} | run.home_link_kinds(home_html)
    has_home = bool(home_html.strip())
    return ContentResult(columns=columns, messages=messages, guides=guides,
                         has_interaction_channel=("interaction" in kinds) if has_home or refs else None,
                         has_service=("service" in kinds) if has_home or refs else None,
                         notes=sorted(set(run.notes)))


def window_starts(settings: Settings, as_of: date) -> dict[str, date]:
    """Kind → the earliest date the checks still count (stale_column's and interaction_unanswered's windows),
    so pagination reads exactly as far as the judgement needs."""

    columns = check_options(settings, "stale_column").windows  # type: ignore[attr-defined]
    starts = {kind: window_start(as_of, window) for kind, window in columns.items()}
    months = check_options(settings, "interaction_unanswered").window_months  # type: ignore[attr-defined]
    starts["interaction"] = months_before(as_of, months)
    return starts


class _Run:
    """One site's collection: the fetch gate, settings, as-of and the notes gathered."""

    def __init__(self, site: Site, home_url: str, fetch: Fetch, extract: ExtractSettings, as_of: date,
                 windows: dict[str, date], judge: Judge, hosts: list[str]) -> None:
        self.site, self.home_url, self.fetch, self.ex, self.as_of = site, home_url, fetch, extract, as_of
        self.windows, self.judge, self.hosts = windows, judge, hosts
        self.gate = asyncio.Semaphore(max(1, extract.concurrency))
        self.notes: list[str] = []

    async def get(self, url: str) -> tuple[FetchedPage, str | None]:
        """The fetch result and its HTML text (None unless it was classified ok and is HTML)."""
        result, html, _state = await self.read(url)
        return result, html

    async def read(self, url: str) -> tuple[FetchedPage, str | None, ReadState]:
        """The fetch result, its HTML text (None unless readable) and its read state."""
        async with self.gate:
            result: FetchedPage = await self.fetch(url)
        outcome, _status, error = await self.judge(result)
        if outcome != "ok":
            state: ReadState = "soft_404" if error == "soft_404" else "blocked" if outcome == "blocked" else \
                "dead" if outcome == "dead" else "not_parsed"
            return result, None, state
        if not result.body or (result.content_type or "").split(";")[0].strip().lower() not in PAGE_TYPES:
            return result, None, "not_parsed"
        return result, result.text(), "ok"

    async def each(self, things: Sequence[T], work: Callable[[T], Awaitable[Any]],
                   fallback: Callable[[T], Any] | None = None) -> list[Any]:
        """``work`` over ``things`` concurrently, results in input order; a crash becomes a note
        (and ``fallback(thing)`` when given), never the loss of the other results."""
        results: list[Any] = [None] * len(things)

        async def one(index: int, thing: T) -> None:
            try:
                results[index] = await work(thing)
            except Exception as exc:  # one page's parsing bug must not lose the site's other columns
                self.notes.append(f"content error on {thing}: {type(exc).__name__}: {exc}")
                results[index] = fallback(thing) if fallback is not None else None

        async with asyncio.TaskGroup() as group:
            for index, thing in enumerate(things):
                group.create_task(one(index, thing))
        return [r for r in results if r is not None]

    async def column_refs(self, home_html: str) -> list[ColumnRef]:
        if self.site.columns:
            return [ColumnRef(p.name, urljoin(self.home_url, p.url),
                              p.kind if "kind" in p.model_fields_set else classify(p.name, self.ex.column_kinds),
                              None, p.level) for p in self.site.columns]
        kinds, hosts = self.ex.column_kinds, self.hosts
        found = discover_columns(home_html, self.home_url, kinds, hosts=hosts, nav_selectors=self.ex.nav_selectors)
        mapped: list[ColumnRef] = []
        if (sitemap := sitemap_url(home_html, self.home_url)) and same_site(sitemap, self.home_url, hosts):
            result, html = await self.get(sitemap)
            if html is None:
                self.notes.append(f"site map not read: {sitemap} ({result.error or result.status})")
            else:
                mapped = columns_from_sitemap(html, result.final_url or sitemap, kinds, hosts=hosts)
        refs = merge_columns(found, mapped)
        if len(refs) > self.ex.max_columns:
            self.notes.append(f"{len(refs)} columns found; the first {self.ex.max_columns} were read")
        return refs[: self.ex.max_columns]

    async def column(self, ref: ColumnRef, pages: dict[str, list[tuple[str, str]]]) -> ColumnSnapshot:
        snap = ColumnSnapshot(name=ref.name, url=ref.url, kind=ref.kind, parent=ref.parent, level=ref.level,
                              pinned=bool(self.site.columns))
        items: dict[str, ListItem] = {}
        url: str | None = ref.url
        visited: set[str] = set()
        window = self.windows.get(ref.kind)
        while url is not None and snap.pages_fetched < max(1, self.ex.max_list_pages):
            visited.add(url)
            result, html, state = await self.read(url)
            if snap.pages_fetched == 0:
                self.first_page(snap, result, html, state)
            if html is None:
                if snap.pages_fetched:
                    self.notes.append(f"list page not read: {url} ({result.error or result.status}) ({ref.name})")
                break
            base = result.final_url or url
            snap.pages_fetched += 1
            pages.setdefault(ref.url, []).append((base, html))
            found = self.dated(list_items(html, base, ref=self.as_of, scope="main"), ref.name)
            if snap.pages_fetched == 1 and not found:
                reason = empty_reason(html, self.ex.empty_patterns)
                if (reason is None or reason.startswith(EMPTY_CONTAINER)) and script_list(html):
                    snap.state = "script_rendered"
                else:
                    snap.empty_reason = reason
                break
            if snap.pages_fetched == 1:
                snap.sections = self.sections(html, base)
            for item in found:
                items.setdefault(item.url, item)
            if self.enough(ref.kind, window, found, items.values()):
                break
            following = next_page_url(html, base)
            url = following if following and following not in visited else None
        snap.items = list(items.values())
        return snap

    def sections(self, html: str, base: str) -> list[ColumnSection]:
        """A channel overview page's sub-lists, each with its newest date on or before as-of."""
        return [ColumnSection(name=s.name, url=s.url, kind=s.kind, items=len(s.items),
                              newest=max((i.date for i in s.items if i.date and i.date <= self.as_of), default=None))
                for s in column_sections(html, base, ref=self.as_of, kinds=self.ex.column_kinds)]

    @staticmethod
    def first_page(snap: ColumnSnapshot, result: FetchedPage, html: str | None, state: ReadState) -> None:
        """The column's status, error ("not_html" for a file), read state and evidence hash are its first page's."""
        snap.status, snap.error = result.status, result.error
        snap.state, snap.parsed = state, html is not None
        if state == "not_parsed" and result.ok:
            snap.error = "not_html"
        snap.content_hash = hashlib.sha256(result.body).hexdigest() if result.body else ""

    def enough(self, kind: str, window: date | None, page: list[ListItem], items: Iterable[ListItem]) -> bool:
        """Whether pagination can stop: a column needs one item inside its window; a message board
        needs every message of the window, so it goes on while a page's oldest item is inside it."""
        if window is None:
            return True
        if kind == "interaction":
            dates = [i.date for i in page if i.date and not i.pinned]  # a pinned old message ends nothing
            return not dates or min(dates) < window
        return any(i.date and i.date >= window for i in items)

    def failed_column(self, ref: ColumnRef) -> ColumnSnapshot:
        return ColumnSnapshot(name=ref.name, url=ref.url, kind=ref.kind, parent=ref.parent, level=ref.level,
                              pinned=bool(self.site.columns), error="content_error", state="not_parsed",
                              parsed=False)

    def dated(self, items: Iterable[ListItem], where: str) -> list[ListItem]:
        """Items with dates after as-of made undated (a forged or mistyped date proves no update)."""
        out = []
        for item in items:
            if item.date is not None and item.date > self.as_of:
                self.notes.append(f"date {item.date} after as-of {self.as_of} ignored: {item.url} ({where})")
                item = item.model_copy(update={"date": None})
            out.append(item)
        return out

    async def messages(self, boards: list[ColumnRef], pages: dict[str, list[tuple[str, str]]]) -> list[Message]:
        found: dict[str, Message] = {}
        for board in boards:
            for base, html in pages.get(board.url, []):
                for message in parse_messages(html, base, board.name, ref=self.as_of):
                    if message.url not in found:
                        found[message.url] = self.asked_checked(message)
        unknown = [m for m in found.values() if m.answered is None][: self.ex.max_message_details]
        for detail in await self.each(unknown, self.detail):
            found[detail.url] = detail
        return list(found.values())

    def asked_checked(self, message: Message) -> Message:
        """A message with its ask or reply date after as-of ignored (and noted)."""
        update = {}
        for name in ("asked", "replied"):
            value = getattr(message, name)
            if value is not None and value > self.as_of:
                self.notes.append(f"date {value} after as-of {self.as_of} ignored: {message.url}")
                update[name] = None
        return message.model_copy(update=update) if update else message

    async def detail(self, message: Message) -> Message:
        result, html = await self.get(message.url)
        if html is None:
            return message
        page = self.asked_checked(parse_message_detail(html, message.url, message.column, ref=self.as_of))
        return message.model_copy(update={
            "title": message.title or page.title, "asked": message.asked or page.asked,
            "replied": message.replied or page.replied,
            "answered": page.answered if page.answered is not None else (True if page.replied else None)})

    async def guides(self, services: list[ColumnRef], pages: dict[str, list[tuple[str, str]]]) -> list[ServiceGuide]:
        """Guide pages linked from the site's service columns, one level of sub-lists deep."""
        queue = [(base, html) for ref in services if same_site(ref.url, self.home_url, self.hosts)
                 for base, html in pages.get(ref.url, [])]
        seen: set[str] = set()
        guides: list[ServiceGuide] = []
        for _depth in range(2):
            links = [u for base, html in queue for u in self.guide_links(html, base) if u not in seen]
            links = list(dict.fromkeys(links))[: self.ex.max_guides * 2]
            seen.update(links)
            fetched = await self.each(links, self.get_with_url)
            queue = []
            for url, html in fetched:
                guide = parse_guide(html, url, synonyms=self.ex.guide_fields, blank_values=self.ex.guide_blank_values)
                if sum(name in self.ex.guide_fields for name in guide.fields) >= 3:
                    guides.append(guide)
                else:
                    queue.append((url, html))
            if len(guides) >= self.ex.max_guides or not queue:
                break
        return guides[: self.ex.max_guides]

    async def get_with_url(self, url: str) -> tuple[str, str] | None:
        result, html = await self.get(url)
        return (result.final_url or url, html) if html is not None else None

    def guide_links(self, html: str, base: str) -> list[str]:
        tree = clean_tree(html)
        named = [u for a in tree.css("a[href]") if any(w in (a.text() or "") for w in self.ex.guide_link_words)
                 and (u := link_url(a, base))]
        listed = [item.url for item in list_items(html, base, ref=self.as_of, scope="main")]
        return [u for u in named + listed if same_site(u, self.home_url, self.hosts)]

    def home_link_kinds(self, home_html: str) -> set[str]:
        """Kinds named by any home-page link (a 领导信箱 banner, a 政务服务网 link, an image link's alt)."""
        tree = clean_tree(home_html, frozenset())
        names = {link_name(a) for a in tree.css("a[href]")}
        return {classify(name, self.ex.column_kinds) for name in names if 2 <= len(name) <= 16}
