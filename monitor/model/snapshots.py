"""What the crawl phase stores and the judge phase reads.

Snapshots are plain data (pydantic models, JSON round-trip) so that a past month can be
judged again from storage with identical output. Checks read only these types.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

LinkOutcome = Literal["ok", "dead", "blocked", "skipped"]
#: How a page's fetch was read: ``ok`` (readable), the link checker's ``blocked`` / ``soft_404`` /
#: ``dead`` (``monitor.net.classify``), ``not_parsed`` (not HTML, oversized, robots, a parse crash),
#: ``script_rendered`` (its content is loaded by script: nothing to read in the served HTML),
#: ``out_of_scope`` (it ended on another site). Checks judge only ``ok`` pages.
ReadState = Literal["ok", "blocked", "soft_404", "dead", "not_parsed", "script_rendered", "out_of_scope"]


class Snap(BaseModel):
    """Base: forbids unknown fields so a schema drift is loud."""

    model_config = {"extra": "forbid"}


class ListItem(Snap):
    """One entry of a list page (or of the home page): a linked title and its shown date."""

    title: str
    url: str
    date: dt.date | None = None
    pinned: bool = False  # marked 置顶: kept at the top whatever its date, so it says nothing of the list's order


class PageSnapshot(Snap):
    """One fetched page, with the facts extracted from it. ``state``/``parsed``: how its fetch was
    read (``ReadState``); ``script_list``: an empty list container on it is filled by script."""

    url: str
    final_url: str
    status: int | None = None
    error: str | None = None
    content_type: str = ""
    size: int = 0
    content_hash: str = ""
    title: str = ""
    fetched_at: datetime
    encoding: str = ""
    depth: int = 0
    published: dt.date | None = None
    items: list[ListItem] = Field(default_factory=list)
    text: str = ""
    state: ReadState = "ok"
    parsed: bool = True
    script_list: bool = False

    def read_state(self) -> ReadState:
        """``state``, except that a page stored before read states existed is judged by its fetch."""
        return _read_state(self.state, self.parsed, self.status, self.error)

    def readable(self) -> bool:
        """Whether checks may judge what the page shows (or does not show)."""
        return self.read_state() == "ok"


def _read_state(state: ReadState, parsed: bool, status: int | None, error: str | None) -> ReadState:
    """The recorded state; an "ok" without a 2xx/3xx answer or a parse (older snapshots) is not ok."""
    if state != "ok":
        return state
    if error is not None or status is None or not 200 <= status < 400:
        return "dead"
    return state if parsed else "not_parsed"


class LinkSource(Snap):
    """A page a link was found on, with that page's content hash as evidence."""

    page: str
    content_hash: str = ""


class LinkResult(Snap):
    """The outcome of checking one distinct (normalised) URL."""

    url: str
    outcome: LinkOutcome
    status: int | None = None
    error: str | None = None
    final_url: str = ""
    checked_at: datetime
    sources: list[LinkSource] = Field(default_factory=list)
    internal: bool = True


class ColumnSection(Snap):
    """A dated sub-list of a channel overview page (栏目首页): a sub-column shown by its heading,
    with its own kind and newest date (``monitor.pages.sections``)."""

    name: str
    url: str | None = None
    kind: str = "other"
    newest: dt.date | None = None
    items: int = 0


class ColumnSnapshot(Snap):
    """A column (栏目): its list page(s) and the dated items found there."""

    name: str
    url: str
    kind: str = "other"
    parent: str | None = None
    level: int = 1
    pinned: bool = False
    status: int | None = None
    error: str | None = None
    items: list[ListItem] = Field(default_factory=list)
    empty_reason: str | None = None
    pages_fetched: int = 0
    content_hash: str = ""
    sections: list[ColumnSection] = Field(default_factory=list)  # overview page: its items are theirs
    state: ReadState = "ok"
    parsed: bool = True

    def read_state(self) -> ReadState:
        """The first list page's read state (a column stored before read states: by its fetch)."""
        return _read_state(self.state, self.parsed, self.status, self.error)

    def readable(self) -> bool:
        return self.read_state() == "ok"


class Message(Snap):
    """A citizen message (留言) on an interaction column."""

    url: str
    title: str = ""
    column: str = ""
    asked: dt.date | None = None
    replied: dt.date | None = None
    answered: bool | None = None


class ServiceGuide(Snap):
    """A service guide (办事指南) page: element label → value as shown ("" when blank)."""

    url: str
    title: str = ""
    fields: dict[str, str] = Field(default_factory=dict)


ProbeSource = Literal["scheduled", "adhoc"]


class Probe(Snap):
    """One availability probe of a home page.

    ``source``: "scheduled" (the daemon's probes through the period, the only ones the 站点无法访问
    veto rests on) or "adhoc" (a crawl's: ``govmon check``, an inspection). ``blocked``: the answer
    was a refusal (``links.blocked_statuses``, a firewall page) — neither a success nor a failure.
    ``void``: why the probe says nothing about the site ("control_failed": the control URL failed
    in the same slot, so the monitor's own network was down; "loop_lag": the monitor's event loop
    stalled over a second during the probe). ``elapsed_ms``: the whole load on the wire, every
    redirect hop and connect included, without time queued behind the monitor's own limits.
    ``vantage``: the network the probe was taken from (a worker's ``--vantage``); None = the one network.
    """

    url: str
    at: datetime
    ok: bool
    status: int | None = None
    error: str | None = None
    elapsed_ms: int = 0
    source: ProbeSource = "adhoc"
    blocked: bool = False
    void: str | None = None
    vantage: str | None = None

    @property
    def counted(self) -> bool:
        """Counts towards availability: neither a refusal nor void."""
        return not self.blocked and self.void is None


class ContentMark(Snap):
    """What a list (the home page's, or a column's) showed at one crawl: a hash of its items'
    titles and links — unlike the page hash, not moved by visit counters or a date clock."""

    url: str
    taken_at: datetime
    items_hash: str


def items_hash(items: list[ListItem]) -> str:
    return hashlib.sha256("\n".join(f"{i.title}\t{i.url}" for i in items).encode("utf-8")).hexdigest()


class SiteSnapshot(Snap):
    """Everything one crawl of one site gathered."""

    site_id: str
    url: str
    started_at: datetime
    finished_at: datetime | None = None
    home: PageSnapshot | None = None
    pages: list[PageSnapshot] = Field(default_factory=list)
    links: list[LinkResult] = Field(default_factory=list)
    columns: list[ColumnSnapshot] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    guides: list[ServiceGuide] = Field(default_factory=list)
    probes: list[Probe] = Field(default_factory=list)
    has_interaction_channel: bool | None = None
    has_service: bool | None = None
    notes: list[str] = Field(default_factory=list)
    history: list[ContentMark] = Field(default_factory=list)

    def marks(self) -> list[ContentMark]:
        """This crawl's content marks: the home page's list and each column's."""
        lists = [(self.home.url, self.home.items)] if self.home is not None else []
        lists += [(c.url, c.items) for c in self.columns]
        return [ContentMark(url=url, taken_at=self.started_at, items_hash=items_hash(items))
                for url, items in lists if items]


class Post(Snap):
    """One post of an account, stored once (dedupe key: guid, else link, else content hash)."""

    key: str
    published_at: datetime
    title: str = ""
    text: str = ""
    url: str = ""


class FeedFetch(Snap):
    """One attempt to read an account's source."""

    at: datetime
    ok: bool
    url: str = ""
    status: int | None = None
    error: str | None = None
    items: int = 0
    oldest: datetime | None = None
    newest: datetime | None = None


class AccountSnapshot(Snap):
    """An account's stored post history and source attempts, as the checks see them."""

    account_id: str
    posts: list[Post] = Field(default_factory=list)
    fetches: list[FeedFetch] = Field(default_factory=list)
