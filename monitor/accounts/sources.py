"""Sources of an account's posts: one interface, a registry of sources by the feed's scheme.

An account's ``feed`` in the registry names its source:

* ``http://…`` / ``https://…`` — an RSS 2.0, Atom or JSON Feed document;
* ``rsshub:/weibo/user/123`` — an RSSHub route, resolved against ``[accounts].rsshub_base``
  (the usual self-hosted way to read Weibo, Douyin, Bilibili, Toutiao, WeChat accounts);
* ``csv:PATH`` — a back-end export of post times (columns ``published_at[,title,url,text]``).
  PATH is taken from ``[accounts].csv_dir``, or, when that is empty, from the folder of the
  registry file (``[general].registry``), so a registry and its exports travel together; it is
  confined there (absolute paths, ``..`` and links leading out are refused).

Adding a platform API means writing one class with ``complete``, ``fetch`` and ``covers_all`` and
calling ``register_source(scheme, instance)``; the checks never see sources.

A source never raises for a failure: it returns ``FeedFetch(ok=False, status, error)``. Error
names besides the fetcher's: ``parse_error`` (malformed document), ``not_a_feed``,
``not_found`` / ``read_error`` (export file), ``refused_path`` (a ``csv:`` path outside
``[accounts] csv_dir``), ``no_feed`` (account without a feed),
``unsupported_feed`` (unknown scheme). ``ok=True`` with ``error="undated_items"`` means the
document was read but some items had no date: its posts are kept, the source counts as alive,
and the fetch covers no time (see ``monitor.accounts.coverage``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from monitor.accounts.parse import ParsedFeed, parse_csv_posts, parse_feed
from monitor.model.errors import RegistryError
from monitor.model.snapshots import FeedFetch, Post

if TYPE_CHECKING:
    from monitor.config.settings import Settings
    from monitor.net.fetch import Fetcher


class FeedOwner(Protocol):
    """What a source reads of a registry account: its id and its ``feed`` (a URL or ``scheme:…``)."""

    id: str
    feed: str


PINNED_MAX = 3


def csv_feed_problem(feed: str) -> str | None:
    """Why a ``csv:PATH`` feed is refused, or None: PATH must stay inside ``[accounts] csv_dir``
    (relative, no ``..``), so a registry passed between offices cannot make govmon read any file."""
    scheme, sep, rest = feed.partition(":")
    if not sep or scheme.strip().lower() != "csv":
        return None
    path = rest.strip().replace("\\", "/")
    if not path:
        return "csv: feed without a file path"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or Path(path).is_absolute():
        return f"csv: path {rest!r} is absolute; give it relative to [accounts] csv_dir"
    if ".." in path.split("/"):
        return f"csv: path {rest!r} leaves [accounts] csv_dir ('..' is not allowed)"
    return None


@dataclass(frozen=True, slots=True)
class SourceResult:
    """One read of a source: the attempt as stored, the posts it listed, a human detail."""

    fetch: FeedFetch
    posts: list[Post]
    detail: str = ""


class Source(Protocol):
    """How posts of one kind of source are read.

    ``complete``: the source declares that one successful read lists every post up to its
    time (a back-end export, a paginated platform API) — unlike a feed of latest items, whose
    silence a single read cannot confirm (``monitor.accounts.coverage.silence_confirmed``)."""

    complete: bool

    async def fetch(self, account: FeedOwner, *, fetcher: "Fetcher", settings: "Settings",
                    now: datetime) -> SourceResult: ...

    def covers_all(self, fetch: FeedFetch, settings: "Settings") -> bool:
        """Whether this successful read listed the account's whole history up to ``fetch.at``."""
        ...


def coverage_start(posts: Sequence[Post]) -> datetime | None:
    """Oldest post of the feed's run of latest items, pinned items left out.

    Feeds list newest first; a platform's pinned post (置顶, Weibo) comes first while being
    old. Counting it as the oldest item would claim coverage for the weeks between it and the
    real run, so up to ``PINNED_MAX`` leading items older than the item after them are skipped.
    """
    times = [p.published_at for p in posts]
    if not times:
        return None
    for skip in range(0, min(PINNED_MAX, len(times) - 2) + 1):
        rest = times[skip:]
        descending = all(a >= b for a, b in zip(rest, rest[1:]))
        if descending and all(t < rest[0] for t in times[:skip]):
            return rest[-1]
    return min(times)


def result_of(url: str, at: datetime, parsed: ParsedFeed, status: int | None = None) -> SourceResult:
    """The stored attempt for a parsed document (failure when the parser reported one)."""
    if parsed.error:
        return failure(url, at, error=parsed.error, status=status, detail=parsed.detail)
    times = [p.published_at for p in parsed.posts]
    fetch = FeedFetch(at=at, ok=True, url=url, status=status, items=parsed.entries,
                      error="undated_items" if parsed.undated else None,
                      oldest=coverage_start(parsed.posts), newest=max(times) if times else None)
    detail = f"{parsed.undated} item(s) without a date" if parsed.undated else ""
    return SourceResult(fetch, parsed.posts, detail)


def failure(url: str, at: datetime, *, error: str | None, status: int | None = None, detail: str = "") -> SourceResult:
    return SourceResult(FeedFetch(at=at, ok=False, url=url, status=status, error=error), [], detail)


async def read_http(url: str, *, fetcher: "Fetcher", settings: "Settings", now: datetime) -> SourceResult:
    """GET a feed document and read it; HTTP and network failures become failure values."""
    result = await fetcher.get(url)
    if not result.ok:
        return failure(url, now, error=result.error, status=result.status)
    if result.truncated:
        return failure(url, now, error="parse_error", status=result.status, detail="feed cut at max_body_bytes")
    return result_of(url, now, parse_feed(result.body, result.content_type, settings.general.zone()), result.status)


class HttpFeedSource:
    """An RSS 2.0, Atom or JSON Feed document at an http(s) URL."""

    complete = False

    async def fetch(self, account: FeedOwner, *, fetcher: "Fetcher", settings: "Settings",
                    now: datetime) -> SourceResult:
        return await read_http(account.feed, fetcher=fetcher, settings=settings, now=now)

    def covers_all(self, fetch: FeedFetch, settings: "Settings") -> bool:
        """Feeds show their latest items only: fewer than a full page means all of them."""
        return 0 < fetch.items < settings.accounts.full_page


class RssHubSource(HttpFeedSource):
    """An RSSHub route (``rsshub:/weibo/user/123``) on the instance named in settings."""

    @staticmethod
    def resolve(feed: str, base: str) -> str:
        route = feed.split(":", 1)[1].lstrip("/")
        return f"{base.rstrip('/')}/{route}"

    async def fetch(self, account: FeedOwner, *, fetcher: "Fetcher", settings: "Settings",
                    now: datetime) -> SourceResult:
        url = self.resolve(account.feed, settings.accounts.rsshub_base)
        return await read_http(url, fetcher=fetcher, settings=settings, now=now)


class CsvSource:
    """A back-end export of an account's posts; it lists the whole history up to its time."""

    complete = True

    @staticmethod
    def base(settings: "Settings") -> Path:
        """The folder ``csv:`` paths are confined to: ``[accounts] csv_dir``, else the registry's folder."""
        folder = settings.accounts.csv_dir or str(Path(settings.general.registry).parent)
        return Path(folder).expanduser()

    @staticmethod
    def path(feed: str, settings: "Settings") -> Path:
        """The export file of ``feed``; a ``RegistryError`` when it would lie outside ``base``
        (absolute, ``..``, or a link leading out — the registry check refuses the first two)."""
        if problem := csv_feed_problem(feed):
            raise RegistryError(f"feed {feed!r}: {problem}")
        base = CsvSource.base(settings)
        path = base / feed.split(":", 1)[1].strip()
        if not path.resolve().is_relative_to(base.resolve()):
            raise RegistryError(f"feed {feed!r}: {path} resolves outside [accounts] csv_dir {base}")
        return path

    async def fetch(self, account: FeedOwner, *, fetcher: "Fetcher", settings: "Settings",
                    now: datetime) -> SourceResult:
        """Read the file; the read is dated by the file's modification time when that is earlier."""
        try:
            path = self.path(account.feed, settings)
        except RegistryError as exc:
            return failure(account.feed, now, error="refused_path", detail=f"account {account.id}: {exc}")
        try:
            body = path.read_bytes()
            modified = datetime.fromtimestamp(path.stat().st_mtime, now.tzinfo)
        except FileNotFoundError:
            return failure(account.feed, now, error="not_found", detail=f"{path}: no such file")
        except OSError as exc:
            return failure(account.feed, now, error="read_error", detail=f"{path}: {exc.strerror}")
        return result_of(account.feed, min(now, modified), parse_csv_posts(body, settings.general.zone()))

    def covers_all(self, fetch: FeedFetch, settings: "Settings") -> bool:
        return fetch.items > 0


_SOURCES: dict[str, Source] = {}


def register_source(scheme: str, source: Source) -> None:
    """Make ``scheme:`` feeds read by ``source`` (a platform API adapter, say)."""
    _SOURCES[scheme.lower()] = source


def scheme_of(feed: str) -> str:
    head, sep, _ = feed.partition(":")
    return head.lower() if sep else ""


def source_for(feed: str) -> Source | None:
    """The source that reads ``feed`` (also a stored ``FeedFetch.url``), or None."""
    return _SOURCES.get(scheme_of(feed))


async def read_source(account: FeedOwner, *, fetcher: "Fetcher", settings: "Settings", now: datetime) -> SourceResult:
    """Read the account's source once; failures (no feed, unknown scheme) are values."""
    if not account.feed.strip():
        return failure("", now, error="no_feed", detail=f"account {account.id} has no feed in the registry")
    source = source_for(account.feed)
    if source is None:
        return failure(account.feed, now, error="unsupported_feed",
                       detail=f"no source reads {scheme_of(account.feed) or 'feeds without a scheme'}:")
    return await source.fetch(account, fetcher=fetcher, settings=settings, now=now)


register_source("http", HttpFeedSource())
register_source("https", HttpFeedSource())
register_source("rsshub", RssHubSource())
register_source("csv", CsvSource())
