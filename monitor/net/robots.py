"""robots.txt: fetched once per origin through the run's own client, parsed by urllib.robotparser.

Decisions are memoised per directory ("http://h/a/b/" for "http://h/a/b/c.html") when every rule
path of the file ends with "/": urllib matches rule paths as prefixes, so such a rule matches a URL
exactly when it matches the URL's directory, unless the last segment holds a "%" (an escaped "/").

Policy (as the major search engines do it): a 2xx file is obeyed; a 4xx (no file, or a file
we may not read) allows everything; a 5xx, a timeout or any network failure also allows
everything — an unreadable robots.txt must not silence an inspection — and leaves a note.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

if TYPE_CHECKING:
    from monitor.net.result import FetchResult

log = logging.getLogger(__name__)
ROBOTS_MAX_BYTES = 512_000
DIR_MEMO_MAX = 50_000


class RobotsCache:
    """Origin → parsed robots.txt (or None = allow all); concurrent callers share one fetch."""

    def __init__(self, fetch: Callable[..., Awaitable[FetchResult]], user_agent: str) -> None:
        self._fetch = fetch
        self.user_agent = user_agent
        self._rules: dict[str, asyncio.Task[RobotFileParser | None]] = {}
        self._dirs: dict[str, bool] = {}
        self.notes: list[str] = []

    async def allowed(self, url: str) -> bool:
        cut = url.rfind("/") + 1
        known = self._dirs.get(url[:cut])
        if known is not None and _plain_tail(url, cut):
            return known
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return True
        origin = f"{parts.scheme}://{parts.netloc}"
        task = self._rules.get(origin)
        if task is None:
            task = asyncio.ensure_future(self._load(origin))
            self._rules[origin] = task
        parser = task.result() if task.done() else await asyncio.shield(task)
        if parser is None:
            return True
        verdict = parser.can_fetch(self.user_agent, url)
        if getattr(parser, "by_directory", False) and url.count("/", 0, cut) >= 3 and _plain_tail(url, cut):
            if len(self._dirs) >= DIR_MEMO_MAX:
                self._dirs.clear()
            self._dirs[url[:cut]] = verdict
        return verdict

    async def _load(self, origin: str) -> RobotFileParser | None:
        result = await self._fetch(f"{origin}/robots.txt", max_bytes=ROBOTS_MAX_BYTES)
        if result.error is not None or result.status is None or result.status >= 500:
            why = result.error or f"HTTP {result.status}"
            self.notes.append(f"{origin}/robots.txt unreadable ({why}); crawling as if allowed")
            log.info("robots.txt of %s unreadable (%s): allowing all", origin, why)
            return None
        if result.status >= 400:
            return None
        parser = RobotFileParser()
        parser.parse(result.text().splitlines())
        parser.by_directory = _directory_rules(parser)  # type: ignore[attr-defined]
        return parser


def _directory_rules(parser: RobotFileParser) -> bool:
    """True when every rule path ends with "/" (or is "" / "*"): decisions then depend on the directory only."""
    entries = [*parser.entries, *([parser.default_entry] if parser.default_entry else [])]
    return all(line.path in ("", "*") or line.path.endswith("/") for entry in entries for line in entry.rulelines)


def _plain_tail(url: str, cut: int) -> bool:
    """The last path segment (and query) can add no "/" to the path robotparser matches."""
    return url.find("%", cut) < 0 and url.find("#", cut) < 0
