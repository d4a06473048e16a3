"""Units failing month after month: the notice's 多次督促后仍未整改.

Rule (one place, documented in settings.toml [report]): a unit (same kind and id) that fails
this month is *repeated* when it also failed in the directly preceding month's stored
inspection; its streak counts back over consecutive months only (a month without a stored
inspection ends the streak). It is *not rectified* (未整改) when at least one veto problem
kind of this month also failed it in the previous month — the problem it was told to fix is
still there. A unit failing again for a different problem is called out as failing
consecutively, not as unrectified.

When the previous month's notice was issued with rectification cases (``govmon notice issue``),
a case's last decided re-check settles it instead: re-checked *not fixed* → not rectified,
re-checked *fixed* → failing again is a new problem. A case never re-checked to a decision
(and a month issued without cases) falls back to the inference above. Each ``Repeat`` says
which (``basis``: ``rectification`` or ``inferred``), and the attachment tables say it too.
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
    basis: str = "inferred"  # "rectification": from last month's case; "inferred": from the veto kinds
    rechecked: str = ""  # YYYY-MM-DD of the re-check that decided it (basis "rectification")


@dataclass(frozen=True, slots=True)
class Rectified:
    """What the previous month's rectification case of a unit says (read from the store)."""

    state: str
    outcome: str | None = None  # the last decided re-check: "fixed" | "not_fixed"; None = never decided
    rechecked: str = ""  # its date, YYYY-MM-DD (China time)


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


def find_repeats(document: dict[str, Any], history: list[dict[str, Any]],
                 rectification: dict[tuple[str, str], Rectified] | None = None) -> dict[tuple[str, str], Repeat]:
    """Repeats among this month's failing units; ``history`` may hold any earlier documents, in any order;
    ``rectification``: the previous month's cases by (kind, id), when that notice was issued with cases."""
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
            case = (rectification or {}).get(unit)
            if case is not None and case.outcome in ("fixed", "not_fixed"):
                repeats[unit] = Repeat(unit[0], unit[1], streak, case.outcome == "not_fixed", since,
                                       "rectification", case.rechecked)
            else:
                repeats[unit] = Repeat(unit[0], unit[1], streak, same, since)
    return repeats
