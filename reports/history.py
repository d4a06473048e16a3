"""Units failing month after month: the notice's 多次督促后仍未整改.

Rule (one place, documented in settings.toml [report]): a unit (same kind and id) that fails
this month is *repeated* when it also failed in the directly preceding month's stored
inspection; its streak counts back over consecutive months only (a month without a stored
inspection ends the streak). It is *not rectified* (未整改) when at least one veto problem
kind of this month also failed it in the previous month — the problem it was told to fix is
still there. A unit failing again for a different problem is called out as failing
consecutively, not as unrectified.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitor.model.period import Period


@dataclass(frozen=True, slots=True)
class Repeat:
    """A unit failing this month and in the month(s) right before it."""

    kind: str  # "site" | "account"
    id: str
    months: int  # consecutive failing months including this one
    same_problem: bool  # a veto kind of this month failed it last month too
    since: str  # first month of the streak, YYYY-MM


def _previous_month(period: str) -> str:
    return Period.for_month(period).previous().month


def _failed(document: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    """(kind, id) → the veto check ids of every failing target of a document."""
    out: dict[tuple[str, str], set[str]] = {}
    for kind, key in (("site", "sites"), ("account", "accounts")):
        for target in document.get(key) or []:
            if target.get("verdict") == "fail":
                vetoes = {str(f.get("check")) for f in target.get("findings") or [] if f.get("severity") == "veto"}
                out[(kind, str(target.get("id")))] = vetoes
    return out


def find_repeats(document: dict[str, Any], history: list[dict[str, Any]]) -> dict[tuple[str, str], Repeat]:
    """Repeats among this month's failing units; ``history`` may hold any earlier documents, in any order."""
    by_period = {str(d.get("period")): _failed(d) for d in history if d.get("period")}
    current = _failed(document)
    repeats: dict[tuple[str, str], Repeat] = {}
    for unit, vetoes in current.items():
        month, streak, since = str(document.get("period")), 1, str(document.get("period"))
        previous = by_period.get(_previous_month(month), {})
        same = bool(vetoes & previous.get(unit, set()))
        while unit in by_period.get(_previous_month(month), {}):
            month = _previous_month(month)
            streak, since = streak + 1, month
        if streak > 1:
            repeats[unit] = Repeat(unit[0], unit[1], streak, same, since)
    return repeats
