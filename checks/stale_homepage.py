"""stale_homepage: the home page shows no new item within the window (首页不更新).

Why: "监测时间点前2周内首页无新增内容" is a veto item. The rule, in its own terms: the home
page is stale when its newest item dated on or before as-of is more than ``max_days`` days
old, i.e. ``(as_of − last_update).days > 14``: an item dated as-of − 14 passes, as-of − 15
fails. Items without a date count as not updated (official rule); dates after as-of are ignored.

Navigation-only home pages: when the home page shows no dated item at all, the rules judge
"no second-level page has a new item" instead; with ``navigation_fallback`` the newest date
of the first-level columns that were read is used (``basis = "columns"``).
A fault needs positive evidence, so these are notices, never vetoes:
- no dated item anywhere (home page nor columns): ``reason = "no_dated_item"`` — nothing shows
  when the site was last updated (首页未发现带发布日期的更新信息，请人工核实);
- the home page's list is filled by script (``home.script_list``: an empty list container and an
  AJAX call) and shows no dated item: ``reason = "script_rendered"`` (可能由脚本加载，请人工核实),
  with the columns' newest date as ``last_update`` when there is one;
- the home page was not read (not fetched, blocked, a soft 404, a script shell, not parsed):
  ``reason = "not_fetched"`` with its read ``state``; the engine does not even run this check then
  (the site is 未能完成检查), and availability is ``unreachable``'s job.
Keys: url (the home page), last_update (ISO date or null), basis ("home" | "columns") and
content_changed (ISO date, only when the stored crawls saw the list change, see
``stale_column.content_changed``) on the veto and the no-date notices; last_update, reason (and basis, or state) on notices.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import ClassVar

from pydantic import BaseModel

from checks.base import CheckContext, CheckOptions
from checks.stale_column import newest_date, with_change
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.snapshots import SiteSnapshot
from monitor.registry.model import Site


class Options(CheckOptions):
    max_days: int
    navigation_fallback: bool


def second_level_date(snap: SiteSnapshot, as_of: date) -> date | None:
    """The newest dated item on the fetched first-level columns (the home page's second-level pages)."""
    dates = [newest_date(c.items, as_of) for c in snap.columns if c.level == 1 and c.readable()]
    return max((d for d in dates if d is not None), default=None)


class StaleHomepage:
    id: ClassVar[str] = "stale_homepage"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.SITE})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_site(self, site: Site, snap: SiteSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        as_of = ctx.period.as_of
        home = snap.home
        if home is None or not home.readable():
            url = home.url if home is not None else snap.url
            state = home.read_state() if home is not None else "dead"
            yield Finding(self.id, Severity.NOTICE, url, {"last_update": None, "reason": "not_fetched", "state": state})
            return
        last, basis = newest_date(home.items, as_of), "home"
        if last is None and options.navigation_fallback and not any(i.date for i in home.items):
            last, basis = second_level_date(snap, as_of), "columns"
        if last is None or (basis == "columns" and home.script_list):
            reason = "script_rendered" if home.script_list else "no_dated_item"
            data = {"last_update": last.isoformat() if last else None, "basis": basis, "reason": reason}
            yield Finding(self.id, Severity.NOTICE, home.url, with_change(data, snap, home.url, ctx))
            return
        if (as_of - last).days > options.max_days:
            data = {"last_update": last.isoformat(), "basis": basis}
            yield Finding(self.id, Severity.VETO, home.url, with_change(data, snap, home.url, ctx))


CHECK = StaleHomepage()
