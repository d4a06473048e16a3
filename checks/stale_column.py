"""stale_column: a column whose newest dated item is older than its kind's window (栏目不更新).

Why: veto item 栏目不更新 (a) counts 动态/要闻 columns not updated within 2 weeks together
with 通知公告/政策文件 first-level (一级) columns not updated within 6 months (≥5 → veto);
(b) counts "should be updated" columns left for a long time (人事、规划计划: 1 year; ≥10 → veto).
The counting is scoring's job (``[scoring.groups]``); this check measures each column.

The rule, in the rules' own terms: a column is stale when it has no item dated within the
window measured backwards from the check date (监测时间点), i.e. when its newest item dated on
or before as-of is older than the cut-off: ``14d`` → as-of minus 14 days (updated on
as-of − 14 passes, on as-of − 15 fails); ``6m`` → the same day 6 calendar months before as-of,
clamped to the month's end (as-of 2021-08-31 → 2021-02-28: updated on 2021-02-28 passes,
2021-02-27 fails). Items without a date count as not updated (official rule); dates after
as-of are ignored. Kinds without a window are not judged; kinds in ``first_level_only`` are
judged only on first-level columns (level 1), per the 2019 indicators.
Blank and script-filled columns are ``empty_column``'s; a column page that was not read (not
fetched, a firewall challenge, a soft 404, a file) is not judged: a notice with
``reason = "not_fetched"`` and its read ``state``.
Keys: url, column, kind, last_update (ISO date or null); content_changed (ISO date) only when
the stored crawls saw the list change; reason and state only on notices.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, tzinfo
from typing import ClassVar

from pydantic import BaseModel, field_validator

from checks.base import CheckContext, CheckOptions, read_options
from checks.empty_column import Options as EmptyOptions
from checks.empty_column import dead_urls, empty_state, unique_columns
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.period import WINDOW_RE, window_start
from monitor.model.snapshots import ContentMark, ListItem, SiteSnapshot
from monitor.registry.model import Site


def newest_date(items: Iterable[ListItem], as_of: date) -> date | None:
    """The newest item date on or before as-of; undated and future-dated items do not count."""
    dates = [item.date for item in items if item.date is not None and item.date <= as_of]
    return max(dates, default=None)


def content_changed(history: Iterable[ContentMark], url: str, as_of: date, tz: tzinfo) -> date | None:
    """The last day (in ``tz``, the inspection time zone) on or before as-of at which the list at ``url`` showed other items
    than at the crawl before — evidence of an update on a page that shows no (new) dates. The
    verdict keeps the official rule (undated content counts as not updated); the date is kept on
    the finding so an inspector can weigh it."""
    marks = sorted((m for m in history if m.url == url), key=lambda m: m.taken_at)
    changed = [b.taken_at.astimezone(tz).date() for a, b in zip(marks, marks[1:]) if a.items_hash != b.items_hash]
    changed = [day for day in changed if day <= as_of]
    return max(changed, default=None)


def with_change(data: dict[str, object], snap: SiteSnapshot, url: str, ctx: CheckContext) -> dict[str, object]:
    """``data`` plus ``content_changed`` when the stored crawls saw the list change."""
    changed = content_changed(snap.history, url, ctx.period.as_of, ctx.settings.general.zone())
    return data if changed is None else {**data, "content_changed": changed.isoformat()}


class Options(CheckOptions):
    windows: dict[str, str]
    first_level_only: list[str]

    @field_validator("windows")
    @classmethod
    def _valid_windows(cls, value: dict[str, str]) -> dict[str, str]:
        for kind, window in value.items():
            if WINDOW_RE.match(window) is None:
                raise ValueError(f"windows.{kind}: invalid window {window!r} (expected e.g. 14d, 6m, 1y)")
        return value


class StaleColumn:
    id: ClassVar[str] = "stale_column"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.SITE})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_site(self, site: Site, snap: SiteSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        as_of = ctx.period.as_of
        empty_options: EmptyOptions = read_options(ctx.settings, "empty_column", EmptyOptions)  # type: ignore[assignment]
        dead = dead_urls(snap)
        for column in unique_columns(snap.columns):
            window = options.windows.get(column.kind)
            if window is None or (column.kind in options.first_level_only and column.level != 1):
                continue
            data = {"column": column.name, "kind": column.kind, "last_update": None}
            state = column.read_state()
            if state == "script_rendered":
                continue
            if state != "ok":
                yield Finding(self.id, Severity.NOTICE, column.url, {**data, "reason": "not_fetched", "state": state})
                continue
            if empty_state(column, dead, empty_options.list_kinds) is not None:
                continue
            last = newest_date(column.items, as_of)
            if last is None or last < window_start(as_of, window):
                data["last_update"] = last.isoformat() if last else None
                yield Finding(self.id, Severity.DEDUCT, column.url, with_change(data, snap, column.url, ctx))


CHECK = StaleColumn()
