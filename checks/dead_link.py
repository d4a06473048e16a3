"""dead_link (无效链接 / 不可用链接): one finding per broken URL, with every page it is on.

Why: the 2019 indicators deduct points for each unusable link — more on the home page than on
other pages — and notices cite "存在大量无效链接". What: a link the crawl found ``dead`` (4xx/5xx
after retries, DNS or connection failure, timeout, redirect loop, soft 404) is a ``deduct``
finding; a link a firewall refused (``blocked``: 403/429, WAF/captcha page) could not be
checked, so it is a ``notice`` with ``blocked: true``, never a dead link.
Keys: ``url`` (the broken target), ``sources`` (pages it is on, sorted), ``status`` (HTTP status
or error name), ``home`` (found on the home page: the scoring rules weigh it), ``seen_at``
(when it was checked, ISO), ``source_hashes`` (page → content hash of the page as fetched).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from pydantic import BaseModel, field_validator

from checks.base import CheckContext, CheckOptions
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.snapshots import LinkResult, SiteSnapshot
from monitor.registry.model import Site

HOME_CLAUSE = "网站可用性：首页不可用链接"
OTHER_CLAUSE = "网站可用性：其他页面不可用链接"
BLOCKED_CLAUSE = "链接被防火墙拦截，未能检查（不计为无效链接）"


class Options(CheckOptions):
    """``[checks.dead_link]``."""

    include_external: bool
    ignore_patterns: list[str]
    report_blocked: bool

    @field_validator("ignore_patterns")
    @classmethod
    def _regexes(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
        return value


class DeadLink:
    """See the module docstring."""

    id: ClassVar[str] = "dead_link"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.SITE})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_site(self, site: Site, snap: SiteSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        ignore = [re.compile(p) for p in options.ignore_patterns]
        home_pages = {snap.home.url, snap.home.final_url} if snap.home else set()
        broken = (lk for lk in snap.links if lk.outcome in ("dead", "blocked"))  # a big crawl's links are a file
        for link in sorted(broken, key=lambda lk: lk.url):
            if link.outcome == "blocked" and not options.report_blocked:
                continue
            if (not options.include_external and not link.internal) or any(p.search(link.url) for p in ignore):
                continue
            yield self._finding(link, home_pages)

    def _finding(self, link: LinkResult, home_pages: set[str]) -> Finding:
        sources = sorted({s.page for s in link.sources})
        home = not home_pages.isdisjoint(sources)
        blocked = link.outcome == "blocked"
        status = (link.status if link.status is not None else link.error) if blocked else (link.error or link.status)
        data: dict[str, object] = {
            "sources": sources,
            "status": status,
            "home": home,
            "seen_at": link.checked_at.isoformat(),
            "source_hashes": {s.page: s.content_hash for s in sorted(link.sources, key=lambda s: s.page)},
        }
        if blocked:
            data["blocked"] = True
            return Finding(self.id, Severity.NOTICE, link.url, data, clause=BLOCKED_CLAUSE)
        return Finding(self.id, Severity.DEDUCT, link.url, data, clause=HOME_CLAUSE if home else OTHER_CLAUSE)


CHECK = DeadLink()
