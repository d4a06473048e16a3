"""The inspection period: the calendar month of as-of, up to as-of.

Nothing below the CLI reads the clock; everything takes a ``Period``. Also the calendar
arithmetic of the rules' windows (14d, 6m, 1y back from as-of) that checks and content share,
and the natural weeks (Monday–Sunday) a month's account checks judge.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

CHINA_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class Period:
    """A month being inspected (``start`` = first day) judged at ``as_of`` (inclusive)."""

    start: date
    as_of: date

    @classmethod
    def for_as_of(cls, as_of: date) -> "Period":
        return cls(start=as_of.replace(day=1), as_of=as_of)

    @classmethod
    def for_month(cls, month: str) -> "Period":
        """``YYYY-MM`` → the whole month, as-of its last day."""
        year, mon = (int(p) for p in month.split("-"))
        last = calendar.monthrange(year, mon)[1]
        return cls(start=date(year, mon, 1), as_of=date(year, mon, last))

    @property
    def month(self) -> str:
        return f"{self.start.year:04d}-{self.start.month:02d}"

    @property
    def end(self) -> date:
        """Last day of the calendar month (may be after as-of)."""
        return self.start.replace(day=calendar.monthrange(self.start.year, self.start.month)[1])

    def as_of_end(self, tz: ZoneInfo = CHINA_TZ) -> datetime:
        """The instant the period closes: the end of the as-of day in China time."""
        return datetime.combine(self.as_of + timedelta(days=1), time(0), tz)

    def start_at(self, tz: ZoneInfo = CHINA_TZ) -> datetime:
        return datetime.combine(self.start, time(0), tz)

    def previous(self) -> "Period":
        prev_last = self.start - timedelta(days=1)
        return Period.for_month(f"{prev_last.year:04d}-{prev_last.month:02d}")


@dataclass(frozen=True, slots=True)
class Week:
    """One natural week (Monday–Sunday) in the inspection time zone, named by its ISO week."""

    monday: date
    tz: tzinfo

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year:04d}-W{week:02d}"

    @property
    def thursday(self) -> date:
        """The day that decides the week's month (and its ISO year)."""
        return self.monday + timedelta(days=3)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.monday, time(0), self.tz)

    @property
    def end(self) -> datetime:
        """Exclusive end: the next Monday 00:00."""
        return datetime.combine(self.monday + timedelta(days=7), time(0), self.tz)

    def holds(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def natural_weeks(period: Period, tz: tzinfo) -> list[Week]:
    """The weeks a month judges: those whose Thursday lies in the month, up to as-of.

    The ISO week rule: a week that crosses the month's end belongs to the month holding its
    Thursday (4 of its 7 days), so every week is judged once — the week of Mon 30 Aug to Sun
    5 Sep 2021 in September, the week of Mon 26 Jul to Sun 1 Aug in July. A week whose Thursday
    is after as-of is not judged yet; one whose Sunday is after as-of is judged on what is known
    of it (``update_frequency`` says when it has not ended)."""
    monday = period.start + timedelta(days=(3 - period.start.weekday()) % 7 - 3)
    last = min(period.as_of, period.end)
    weeks = []
    while monday + timedelta(days=3) <= last:
        weeks.append(Week(monday, tz))
        monday += timedelta(days=7)
    return weeks


WINDOW_RE = re.compile(r"^(\d+)([dmy])$")


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, clamped to that month's last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def window_start(as_of: date, window: str) -> date:
    """The earliest date that still counts as updated for a window like ``14d``, ``6m``, ``1y``."""
    match = WINDOW_RE.match(window)
    if match is None:
        raise ValueError(f"invalid window {window!r}: expected <number>d, <number>m or <number>y")
    count, unit = int(match.group(1)), match.group(2)
    if unit == "d":
        return as_of - timedelta(days=count)
    return months_before(as_of, count * (12 if unit == "y" else 1))


def parse_as_of(text: str) -> date:
    """Parse ``YYYY-MM-DD``; raises ValueError with the offending text."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"invalid date {text!r}: expected YYYY-MM-DD") from exc
