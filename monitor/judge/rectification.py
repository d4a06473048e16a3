"""Rectification (整改): the states a notified unit moves through, and its deadline in working days.

A month's notice, once issued (``govmon notice issue``), opens one case per failing unit. The case
moves ``open → notified → reported_fixed → fixed | not_fixed → closed``; every move is an event
(who, when, note) kept forever in an append-only table, and the current state is the last event's.
A re-check may also run straight from ``notified`` (the office re-checks at the deadline without a
report), and a ``not_fixed`` unit may report again. A re-check that could not read the unit
decides nothing: its event keeps the state (outcome ``not_inspected``, 未能完成检查).

Deadlines count working days after the date of issue (the issue day itself not counted) on the
official calendar: public holidays are off, make-up working days (调休上班) are on. The calendar
comes from ``chinese_calendar``; a year it does not know is an error naming the year, never a
guess from weekdays alone. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from monitor.model.errors import GovmonError
from monitor.model.findings import FAULT

State = Literal["open", "notified", "reported_fixed", "fixed", "not_fixed", "closed"]
Action = Literal["open", "notify", "report_fixed", "recheck", "close"]
Outcome = Literal["fixed", "not_fixed", "not_inspected"]

STATES: tuple[State, ...] = ("open", "notified", "reported_fixed", "fixed", "not_fixed", "closed")
#: How each state reads in Chinese (the web pages and the CLI show these).
STATE_NAMES: dict[str, str] = {"open": "待通报", "notified": "已通报待整改", "reported_fixed": "已报告整改",
                               "fixed": "复查已整改", "not_fixed": "复查未整改", "closed": "已销号"}
OUTCOME_NAMES: dict[str, str] = {"fixed": "已整改", "not_fixed": "未整改", "not_inspected": "未能完成检查"}

#: action → the states it may start from.
ALLOWED: dict[str, tuple[State | None, ...]] = {
    "open": (None,),
    "notify": ("open",),
    "report_fixed": ("notified", "not_fixed"),
    "recheck": ("notified", "reported_fixed", "not_fixed", "fixed"),
    "close": ("fixed", "not_fixed"),
}


class RectificationError(GovmonError):
    """A move the state machine refuses, or a deadline the calendar cannot count."""


def next_state(current: State | None, action: Action, outcome: Outcome | None = None) -> State:
    """The state after ``action`` from ``current``; a refused move is a ``RectificationError``
    that names both. ``recheck`` needs its ``outcome``: ``not_inspected`` keeps the state."""
    if action not in ALLOWED:
        raise RectificationError(f"unknown rectification action {action!r} (known: {', '.join(ALLOWED)})")
    if current not in ALLOWED[action]:
        allowed = ", ".join(str(s) for s in ALLOWED[action])
        raise RectificationError(f"cannot {action.replace('_', ' ')} a case in state {current or 'none'!s} "
                                 f"(allowed from: {allowed})")
    if action == "recheck":
        if outcome not in ("fixed", "not_fixed", "not_inspected"):
            raise RectificationError(f"a re-check needs an outcome fixed, not_fixed or not_inspected, not {outcome!r}")
        return current if outcome == "not_inspected" else outcome  # type: ignore[return-value]
    return {"open": "open", "notify": "notified", "report_fixed": "reported_fixed", "close": "closed"}[action]  # type: ignore[return-value]


# --- working days ----------------------------------------------------------------------------

WorkdayTest = Callable[[date], bool]


def chinese_workday(day: date) -> bool:
    """Whether ``day`` is a working day in mainland China (``chinese_calendar``: State Council
    holidays and make-up days); a year the library does not cover is a ``RectificationError``."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        years = calendar_years()
        raise RectificationError(
            f"the holiday calendar (chinese-calendar {getattr(chinese_calendar, '__version__', '?')}) covers "
            f"{years[0]}–{years[1]}, not {day.year}: a deadline in {day.year} cannot be counted in working days; "
            "upgrade chinese-calendar once the State Council has published that year's holidays") from None


def calendar_years() -> tuple[int, int]:
    """The first and last year the installed holiday calendar knows."""
    from chinese_calendar import constants

    known = [*constants.holidays, *constants.workdays]
    return min(known).year, max(d.year for d in constants.holidays)


def add_working_days(start: date, days: int, workday: WorkdayTest = chinese_workday) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted); ``days`` ≥ 1."""
    if days < 1:
        raise RectificationError(f"a deadline needs at least 1 working day, not {days}")
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if workday(day):
            counted += 1
    return day


def working_days_left(today: date, deadline: date, workday: WorkdayTest = chinese_workday) -> int:
    """Working days after ``today`` up to and including ``deadline`` (0 on or after it)."""
    left, day = 0, today
    while day < deadline:
        day += timedelta(days=1)
        left += workday(day)
    return left


# --- what a re-check says about the case's problems ------------------------------------------

@dataclass(frozen=True, slots=True)
class RecheckVerdict:
    """A re-check's outcome and, per check the case was notified for, what it found."""

    outcome: Outcome
    problems: dict[str, str]  # check id → "fault" | "undecided" | "gone"
    note: str


def judge_recheck(notified_checks: Iterable[str], result: dict[str, Any]) -> RecheckVerdict:
    """Fixed only on positive evidence: the re-check judged the unit (verdict pass or fail), and
    none of the notified checks faulted nor left a notice (could not decide) on it.

    Any notified check still faulting → ``not_fixed``. A unit not inspected (未能完成检查), or a
    notified check that only left a notice, → ``not_inspected``: could not read is never fixed."""
    verdict = str(result.get("verdict") or "")
    findings = list(result.get("findings") or [])
    problems: dict[str, str] = {}
    for check in sorted(set(notified_checks)):
        own = [f for f in findings if f.get("check") == check]
        if any(str(f.get("severity")) in FAULT for f in own):
            problems[check] = "fault"
        elif own or verdict not in ("pass", "fail"):
            problems[check] = "undecided"
        else:
            problems[check] = "gone"
    if "fault" in problems.values():
        still = "、".join(c for c, v in problems.items() if v == "fault")
        return RecheckVerdict("not_fixed", problems, f"复查仍存在问题：{still}")
    if verdict not in ("pass", "fail") or not problems:
        reason = str(result.get("reason") or verdict or "no verdict")
        return RecheckVerdict("not_inspected", problems, f"未能完成检查：{reason}")
    if "undecided" in problems.values():
        open_ = "、".join(c for c, v in problems.items() if v == "undecided")
        return RecheckVerdict("not_inspected", problems, f"未能确认已整改（需人工核实）：{open_}")
    return RecheckVerdict("fixed", problems, "复查未再发现通报的问题")
