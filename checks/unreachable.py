"""unreachable: the home page cannot be opened (站点无法访问).

Why: the veto rule is "during monitoring (≥20 probes a day), the share of probes where the
home page has not loaded after 15 s is ≥5%". The probes are ``snap.probes``: the caller fills
them with the period's stored probes (daemon) plus the crawl's own; this check counts them all
and never reads the clock. A probe failed when ``ok`` is False (timeout, error or bad status).

Reasons (``reason`` key; severities are ``[scoring.rules.unreachable]``):
- ``ratio``: at least ``min_probes`` probes and ``failed / probes ≥ fail_ratio`` — the official
  rule; 1 failure in 20 (exactly 5%) is a veto, 1 in 21 is not.
- ``all_failed``: fewer than ``min_probes`` probes, at least ``all_failed_min_probes`` of them,
  and every one failed — the home page did not load at any moment of the inspection
  (首页无法访问). A single crawl's 3 probes with 1 failure (33%) is *not* a veto: that ratio
  over 3 probes says nothing about a month.
- ``below_ratio``: enough probes, some failed, under the ratio → notice (availability below
  the veto level; the rules' proportional deduction is unconfirmed [U]).
- ``too_few_probes``: fewer than ``min_probes`` probes, some but not all failed (or too few
  to call "all failed") → notice: could not be judged.
No probe failed, or no probe at all → no finding.
Keys: url (the home page), probes, failed, reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import ClassVar

from pydantic import BaseModel, Field

from checks.base import CheckContext, Finding, Severity, TargetKind
from monitor.registry import Site
from monitor.snapshots import SiteSnapshot


class Options(BaseModel):
    model_config = {"extra": "forbid"}
    fail_ratio: float = Field(default=0.05, gt=0, le=1)
    min_probes: int = Field(default=20, ge=1)
    all_failed_min_probes: int = Field(default=3, ge=1)


def classify(probes: int, failed: int, options: Options) -> str | None:
    """The reason for a finding (see the module docstring), or None when there is nothing to say."""
    if probes == 0 or failed == 0:
        return None
    if probes >= options.min_probes:
        meets = Fraction(failed, probes) >= Fraction(str(options.fail_ratio))
        return "ratio" if meets else "below_ratio"
    if failed == probes and probes >= options.all_failed_min_probes:
        return "all_failed"
    return "too_few_probes"


class Unreachable:
    id: ClassVar[str] = "unreachable"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.SITE})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_site(self, site: Site, snap: SiteSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        probes = len(snap.probes)
        failed = sum(1 for probe in snap.probes if not probe.ok)
        reason = classify(probes, failed, options)
        if reason is None:
            return
        severity = Severity.VETO if reason in ("ratio", "all_failed") else Severity.NOTICE
        yield Finding(self.id, severity, snap.url, {"probes": probes, "failed": failed, "reason": reason})


CHECK = Unreachable()
