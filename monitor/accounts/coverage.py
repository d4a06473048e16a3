"""What an account's stored post history covers, and what its failed reads leave open.

Feeds show only their latest items, so every poll stores each post once and records the
attempt (``monitor.accounts.poll``); counts over a month come from storage. Whether the stored history can be trusted for
a span of time is *coverage*, and the account checks judge only covered time:

* A successful read (``ok`` and no ``error``) at time ``at`` whose oldest listed item (pinned
  items left out, see ``monitor.accounts.sources.coverage_start``) is ``oldest`` proves that storage holds
  every post published in ``[oldest, at]``: the feed lists its latest items without gaps.
* When the source says the read listed the whole history (``Source.covers_all``: a feed with
  fewer than ``[accounts].full_page`` items, a CSV export), the span starts at the beginning.
* A read made on the as-of day covers through the end of that day: the inspection judges what
  is known on its as-of day, and the last poll of that day is the freshest evidence there is.
* A read with no items proves nothing (an empty RSSHub route looks the same as a silent account).
* A span of time is covered when the union of these spans contains it.

Reads after as-of count too: the stored history handed to the checks ends at the inspection's
moment, and the inspection's own read (a one-shot ``govmon inspect --as-of <last month's end>``
on the 1st) is evidence for the period it inspects.

What a source could not show is not a fault. ``read_failures`` are the failed reads since the
period began; when they leave judged time uncovered, ``feed_unreachable`` names the account
(未能获取更新情况) and the other account checks stay silent about that time.

Silence is a veto only when confirmed (``silence_confirmed``): a source that declares it lists
the whole history (``Source.complete``: a CSV export, a paginated platform API), or at least two
reads ``[checks.stale_account].agree_hours`` apart that agree no post came in the window. A feed
of latest items read once is not enough: a cached or stuck route looks the same.

Natural weeks (Monday–Sunday in the ``[general]`` time zone, ISO labels such as ``2021-W33``) and
which month judges them are ``monitor.model.period``'s ``Week`` and ``natural_weeks``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from monitor.accounts.sources import source_for
from monitor.model.period import Period, natural_weeks
from monitor.model.snapshots import AccountSnapshot, FeedFetch

if TYPE_CHECKING:
    from monitor.config.settings import Settings

BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)


def day_start(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tz)


def covered_spans(snap: AccountSnapshot, *, as_of: date, settings: "Settings") -> list[tuple[datetime, datetime]]:
    """The merged time spans the stored history is complete for (see the module doc)."""
    tz = settings.general.zone()
    as_of_start = day_start(as_of, tz)
    as_of_end = as_of_start + timedelta(days=1)
    spans = []
    for fetch in snap.fetches:
        if not fetch.ok or fetch.error:
            continue
        source = source_for(fetch.url)
        if source is not None and source.covers_all(fetch, settings):
            start = BEGINNING
        elif fetch.oldest is not None and fetch.items > 0:
            start = fetch.oldest
        else:
            continue
        spans.append((start, max(fetch.at, as_of_end) if fetch.at >= as_of_start else fetch.at))
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def is_covered(spans: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    """Whether one merged span contains ``[start, end)``."""
    return any(s <= start and e >= end for s, e in spans)


def coverage(snap: AccountSnapshot, period: Period, *, settings: "Settings") -> dict[str, bool]:
    """Natural week of the period (ISO label) → whether the stored history covers it."""
    spans = covered_spans(snap, as_of=period.as_of, settings=settings)
    return {week.label: is_covered(spans, week.start, week.end) for week in natural_weeks(period, settings.general.zone())}


def reads_since(snap: AccountSnapshot, period: Period, tz: ZoneInfo) -> list[FeedFetch]:
    """Every read since the period began (the inspection's own read after as-of included)."""
    start = period.start_at(tz)
    return [f for f in snap.fetches if f.at >= start]


def read_failures(snap: AccountSnapshot, period: Period, tz: ZoneInfo) -> list[FeedFetch]:
    """Failed reads since the period began."""
    return [f for f in reads_since(snap, period, tz) if not f.ok]


def source_down(snap: AccountSnapshot, period: Period, tz: ZoneInfo) -> FeedFetch | None:
    """The last failed read when the source never answered since the period began, else None."""
    since = reads_since(snap, period, tz)
    if any(f.ok for f in since):
        return None
    failed = [f for f in since if not f.ok]
    return failed[-1] if failed else None


def silence_confirmed(snap: AccountSnapshot, start: datetime, end: datetime, *, agree_hours: float) -> bool:
    """Whether the sources prove no post was published in ``[start, end)`` (see the module doc).

    Needs a read at or after the window's last day: by a source declaring completeness, or by
    two reads ``agree_hours`` apart, both made since ``start`` and both listing nothing newer
    than ``start``."""
    def listed(fetch: FeedFetch) -> bool:
        return fetch.ok and not fetch.error and fetch.items > 0

    last_day = end - timedelta(days=1)
    for fetch in snap.fetches:
        source = source_for(fetch.url)
        if listed(fetch) and fetch.at >= last_day and source is not None and getattr(source, "complete", False):
            return True
    quiet = sorted(f.at for f in snap.fetches
                   if listed(f) and f.at >= start and (f.newest is None or f.newest < start))
    return len(quiet) >= 2 and quiet[-1] >= last_day and quiet[-1] - quiet[0] >= timedelta(hours=agree_hours)
