"""Findings: one problem a check found, with its evidence, and how severe it is.

Pure data, shared by the checks that make findings, the judge that scores them and the store and
reports that keep and show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """单项否决 / 扣分 / 提示."""

    VETO = "veto"
    DEDUCT = "deduct"
    NOTICE = "notice"


#: The severities that make a finding a fault (a unit named failing); a notice never is one.
FAULT = frozenset({Severity.VETO.value, Severity.DEDUCT.value})


class TargetKind(StrEnum):
    SITE = "site"
    ACCOUNT = "account"


@dataclass(slots=True)
class Finding:
    """One problem with its evidence. ``data`` holds the check's own keys."""

    check: str
    severity: Severity
    url: str
    data: dict[str, Any] = field(default_factory=dict)
    points: float = 0.0
    clause: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"check": self.check, "severity": str(self.severity), "url": self.url}
        out.update(self.data)
        out["points"] = round(self.points, 2)
        out["clause"] = self.clause
        return out

    def sort_key(self) -> tuple[str, str, str]:
        return (self.check, self.url, repr(sorted(self.data.items(), key=lambda kv: kv[0])))
