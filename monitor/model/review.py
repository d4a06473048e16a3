"""A person's review decision (人工复核) as recorded: confirm or dismiss a finding, or override a
target's verdict, with who, when and why. Kept append-only by the store; applied by
``monitor.judge.review``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitor.model.document import FAIL, NOT_INSPECTED, PASS

CONFIRM, DISMISS, OVERRIDE = "confirm", "dismiss", "override"
ACTIONS = (CONFIRM, DISMISS, OVERRIDE)
VERDICTS = (PASS, FAIL, NOT_INSPECTED)


class InvalidDecision(ValueError):
    """A decision that may not be recorded (no reviewer, no reason where one is required …)."""


@dataclass(frozen=True, slots=True)
class Decision:
    """One recorded review decision. ``finding_id`` is empty for a verdict override."""

    period: str  # the month it was taken on (YYYY-MM)
    kind: str  # site | account
    target_id: str
    action: str  # confirm | dismiss | override
    reviewer: str
    reason: str
    at: datetime
    finding_id: str = ""
    verdict: str = ""  # override only
    id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out = {"decision": self.action, "reviewer": self.reviewer, "reason": self.reason,
               "at": self.at.isoformat(), "period": self.period}
        return out | ({"verdict": self.verdict} if self.verdict else {})


def validate(decision: Decision) -> Decision:
    """The decision as given; ``InvalidDecision`` naming what is missing or wrong."""
    if decision.action not in ACTIONS:
        raise InvalidDecision(f"unknown decision {decision.action!r} (known: {', '.join(ACTIONS)})")
    if decision.kind not in ("site", "account"):
        raise InvalidDecision(f"unknown target kind {decision.kind!r}")
    if not decision.reviewer.strip():
        raise InvalidDecision("a decision needs the reviewer's name")
    if decision.action in (DISMISS, OVERRIDE) and not decision.reason.strip():
        raise InvalidDecision(f"a {decision.action} needs a reason")
    if decision.action == OVERRIDE:
        if decision.verdict not in VERDICTS:
            raise InvalidDecision(f"override verdict must be one of {', '.join(VERDICTS)}")
    elif not decision.finding_id:
        raise InvalidDecision(f"a {decision.action} names a finding")
    return decision
