"""unreachable: the home page cannot be opened (站点无法访问).

Why: the veto rule is "during monitoring (≥20 probes a day), the share of probes where the
home page has not loaded after 15 s is ≥5%". It is a rule about monitoring through the period,
so only the daemon's scheduled probes (``source = "scheduled"``) can make it, and only when they
ran on at least ``min_days`` days with at least ``min_per_day`` probes each (days in the
``[general]`` time zone). A crawl's own probes (``govmon check``, an inspection: ``adhoc``) are
evidence, never the veto alone. ``snap.probes`` is filled by the caller (the period's stored
probes plus the crawl's); this check counts them and never reads the clock.

A probe failed when ``ok`` is False (an error, a status other than 2xx, or a whole load over
``[probes] timeout_seconds``). Blocked probes (403/429, firewall pages) and void ones (the
control URL failed in the same slot, or govmon's event loop stalled) are in neither count:
blocked ones are reported apart, void ones are only counted.

Reasons (``reason`` key; severities are ``[scoring.rules.unreachable]``):
- ``ratio``: the monitoring is enough and ``failed / probes ≥ fail_ratio`` over the scheduled
  probes — the official rule; 1 failure in 20 (exactly 5%) is a veto, 1 in 21 is not.
- ``below_ratio``: the monitoring is enough, some probes failed, under the ratio → notice.
- ``too_few_probes``: not enough monitoring and some probe (of any source) failed → notice
  监测期内探测次数不足: could not be judged, however many of the few probes failed.
- ``blocked``: no probe failed but some were refused → notice: availability could not be seen.
- ``one_vantage``: with two or more ``[probes] vantage_points``, no slot failed from every vantage
  point but some failed from some of them → notice: the failure may be the monitor's network's.
No probe failed or was refused, or no probe at all → no finding.

Vantage points (``[probes] vantage_points``, two or more): the scheduled probes of the configured
vantage points are taken slot by slot (``[daemon] probe_minutes``): a slot loaded from any vantage
point is loaded, a slot counts failed only when every vantage point failed it, and a slot failed
from some only counts neither way and is reported in ``vantage_failed`` (that key only then).
Keys: url (the home page), probes and failed (the probes the reason rests on: scheduled ones for
ratio/below_ratio, all counted ones otherwise), scheduled (counted scheduled probes), days (days
with at least min_per_day of them), blocked, void, reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from fractions import Fraction
from typing import ClassVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from checks.base import CheckContext, CheckOptions
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.snapshots import Probe, SiteSnapshot
from monitor.registry.model import Site


class Options(CheckOptions):
    fail_ratio: float = Field(gt=0, le=1)
    min_per_day: int = Field(ge=1)
    min_days: int = Field(ge=1)


def monitored_days(scheduled: list[Probe], tz: ZoneInfo, min_per_day: int) -> int:
    """Days (in ``tz``) holding at least ``min_per_day`` counted scheduled probes."""
    per_day = Counter(p.at.astimezone(tz).date() for p in scheduled)
    return sum(1 for n in per_day.values() if n >= min_per_day)


def across_vantage_points(probes: list[Probe], vantage_points: list[str], slot_seconds: float) -> tuple[list[Probe], int]:
    """One probe per slot from the scheduled probes of the configured vantage points, and the number
    of slots failed from some vantage points only.

    A slot (``slot_seconds`` long, the daemon's probe interval) is loaded when any vantage point
    loaded the page, failed when every configured vantage point failed it, and otherwise — failed
    from some, not probed from the others — counts neither way: it is returned in the count, for a
    notice. Other probes (ad hoc, untagged, refused, void) pass unchanged."""
    names = set(vantage_points)
    merged: list[Probe] = []
    slots: dict[int, list[Probe]] = {}
    for probe in probes:
        if probe.counted and probe.source == "scheduled" and probe.vantage in names:
            slots.setdefault(int(probe.at.timestamp() // slot_seconds), []).append(probe)
        else:
            merged.append(probe)
    partial = 0
    for slot in slots.values():
        loaded = next((p for p in slot if p.ok), None)
        if loaded is not None:
            merged.append(loaded)
        elif {p.vantage for p in slot} >= names:
            merged.append(min(slot, key=lambda p: p.at))
        else:
            partial += 1
    return sorted(merged, key=lambda p: p.at), partial


def assess(probes: list[Probe], tz: ZoneInfo, options: Options, vantage_points: list[str] | None = None,
           slot_seconds: float = 3600.0) -> dict[str, object] | None:
    """The finding's keys (see the module docstring), or None when there is nothing to say."""
    partial: int | None = None
    if vantage_points is not None and len(set(vantage_points)) >= 2:
        probes, partial = across_vantage_points(probes, vantage_points, slot_seconds)
    found = _assess(probes, tz, options)
    if partial is None:
        return found
    if found is None:
        if not partial:
            return None
        counted = [p for p in probes if p.counted]
        scheduled = [p for p in counted if p.source == "scheduled"]
        found = {"probes": len(counted), "failed": 0, "scheduled": len(scheduled),
                 "days": monitored_days(scheduled, tz, options.min_per_day),
                 "blocked": sum(1 for p in probes if p.blocked and p.void is None),
                 "void": sum(1 for p in probes if p.void is not None), "reason": "one_vantage"}
    return {**found, "vantage_failed": partial}


def _assess(probes: list[Probe], tz: ZoneInfo, options: Options) -> dict[str, object] | None:
    counted = [p for p in probes if p.counted]
    scheduled = [p for p in counted if p.source == "scheduled"]
    blocked = sum(1 for p in probes if p.blocked and p.void is None)
    void = sum(1 for p in probes if p.void is not None)
    days = monitored_days(scheduled, tz, options.min_per_day)
    facts: dict[str, object] = {"scheduled": len(scheduled), "days": days, "blocked": blocked, "void": void}
    if days >= options.min_days:
        failed = sum(1 for p in scheduled if not p.ok)
        if failed:
            meets = Fraction(failed, len(scheduled)) >= Fraction(str(options.fail_ratio))
            return {"probes": len(scheduled), "failed": failed, **facts, "reason": "ratio" if meets else "below_ratio"}
    else:
        failed = sum(1 for p in counted if not p.ok)
        if failed:
            return {"probes": len(counted), "failed": failed, **facts, "reason": "too_few_probes"}
    if blocked:
        return {"probes": len(counted), "failed": 0, **facts, "reason": "blocked"}
    return None


class Unreachable:
    id: ClassVar[str] = "unreachable"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.SITE})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_site(self, site: Site, snap: SiteSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        data = assess(snap.probes, ctx.settings.general.zone(), options, ctx.settings.probes.vantage_points,
                      ctx.settings.daemon.probe_minutes * 60)
        if data is None:
            return
        severity = Severity.VETO if data["reason"] == "ratio" else Severity.NOTICE
        yield Finding(self.id, severity, snap.url, data)


CHECK = Unreachable()
