"""人工复核: a person's decisions applied to a stored findings document, giving the reviewed document.

Why its own pure step: the notice, the checklist, the pass rates, the CLI and the web workbench
must all read one reviewed state, and the machine's document must stay as it was stored (a
decision can be superseded; nothing is ever deleted). No I/O, no clock: the decisions and the
scoring rules come in as arguments.

- ``confirm`` / ``dismiss`` a finding (by its id, ``monitor.model.document.finding_id``). The latest
  decision for an id taken in this month or an earlier one applies, so a dismissal carries over
  to later months while the finding is the same (same check, target and evidence: a changed page
  gives a new id and the dismissal no longer applies).
- A dismissed finding leaves ``findings`` (it goes to ``dismissed``): the notice never cites it,
  the checklist no longer lists it. When a dismissed finding was a fault, the target is scored
  again from the findings left (``monitor.judge.scoring.judge``), so a dismissed veto no longer fails it.
- A confirmed finding stays as it was, marked reviewed. Confirming a notice (疑似……) does not
  make it a fault: only fault findings enter the notice.
- ``override`` sets one target's verdict for one month (``pass``, ``fail``, ``not_inspected``)
  with a reason; it does not carry over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitor.config.settings import ScoringSettings
from monitor.judge.scoring import judge
from monitor.model.document import FAIL, NOT_INSPECTED, PASS, finding_id, summary, verdict_of
from monitor.model.findings import FAULT, Finding, Severity
from monitor.model.review import DISMISS, OVERRIDE, Decision

#: Finding keys that are not the check's own data (rebuilt into ``Finding`` fields or dropped).
NOT_DATA = frozenset({"check", "severity", "url", "points", "clause", "id", "review"})
#: The clause suffix scoring gives a deduction of a site kind that is not scored.
UNSCORED_MARK = "不计扣分"


def _order(decision: Decision) -> tuple[datetime, int]:
    return decision.at, decision.id or 0


def in_force(decisions: Iterable[Decision], month: str) -> tuple[dict[str, Decision], dict[tuple[str, str], Decision]]:
    """The decisions that apply to ``month``: finding id → latest decision taken in or before the
    month; (kind, target id) → latest override taken for this month."""
    by_finding: dict[str, Decision] = {}
    by_target: dict[tuple[str, str], Decision] = {}
    for d in sorted(decisions, key=_order):
        if d.action == OVERRIDE:
            if d.period == month:
                by_target[(d.kind, d.target_id)] = d
        elif d.period <= month:
            by_finding[d.finding_id] = d
    return by_finding, by_target


def not_superseded(decisions: Iterable[Decision]) -> list[Decision]:
    """The decisions no later one replaces: the latest per finding, and per (month, unit) for overrides
    (the rest stay recorded, shown struck through in the unit's review log)."""
    latest: dict[tuple[str, ...], Decision] = {}
    for d in sorted(decisions, key=_order):
        latest[(d.finding_id,) if d.action != OVERRIDE else (d.period, d.kind, d.target_id)] = d
    return list(latest.values())


def _finding(record: dict[str, Any]) -> Finding:
    data = {k: v for k, v in record.items() if k not in NOT_DATA}
    return Finding(str(record.get("check")), Severity(str(record.get("severity"))), str(record.get("url") or ""),
                   data, float(record.get("points") or 0.0), str(record.get("clause") or ""))


def rescore(kind: str, target: dict[str, Any], kept: list[dict[str, Any]], scoring: ScoringSettings) -> dict[str, Any]:
    """The target judged again from the findings ``kept``: verdict, score, reason and findings.

    Scoring's own near-miss notices are dropped and made again from the new counts; a finding kept
    keeps its id (and review), a new near-miss notice gets the engine's id."""
    own = [f for f in kept if not f.get("near_miss")]
    by_key = {_finding(f).sort_key(): f for f in own}
    scored = kind == "account" or not any(UNSCORED_MARK in str(f.get("clause") or "") for f in own)
    pass_by_score = kind == "site" or scoring.accounts_use_pass_line
    result = judge([_finding(f) for f in own], target_url=str(target.get("url") or ""), scoring=scoring,
                   scored=scored, pass_by_score=pass_by_score)
    findings = []
    for f in result.findings:
        new = f.to_dict()
        old = by_key.get(f.sort_key())
        if old is not None and not f.data.get("near_miss"):
            new = {**new, "id": old["id"], **({"review": old["review"]} if "review" in old else {})}
        else:
            new["id"] = finding_id(str(target.get("id")), new)
        findings.append(new)
    return {"verdict": result.verdict, "score": result.score, "reason": result.reason, "findings": findings}


def _marked(finding: dict[str, Any], by_finding: dict[str, Decision], month: str) -> dict[str, Any]:
    """The finding with its decision in force under ``review`` (``carried_from``: the month it was taken)."""
    decision = by_finding.get(str(finding.get("id")))
    if decision is None or "review" in finding:
        return finding
    carried = {"carried_from": decision.period} if decision.period != month else {}
    return {**finding, "review": decision.as_dict() | carried}


def review_target(kind: str, target: dict[str, Any], month: str, by_finding: dict[str, Decision],
                  override: Decision | None, scoring: ScoringSettings) -> dict[str, Any]:
    """One target of the document with the decisions in force applied (see the module docstring)."""
    kept: list[dict[str, Any]] = []
    dismissed: list[dict[str, Any]] = []
    for f in target.get("findings") or []:
        marked = _marked(f, by_finding, month)
        (dismissed if marked.get("review", {}).get("decision") == DISMISS else kept).append(marked)
    if not dismissed and override is None and kept == list(target.get("findings") or []):
        return target
    out = dict(target)
    out["findings"] = kept
    if dismissed:
        out["dismissed"] = dismissed
    machine = {"verdict": verdict_of(target), "score": target.get("score"), "reason": target.get("reason")}
    if any(str(f.get("severity")) in FAULT for f in dismissed) and verdict_of(target) != NOT_INSPECTED:
        out |= rescore(kind, target, kept, scoring)
        again = [_marked(f, by_finding, month) for f in out["findings"]]
        out["findings"] = [f for f in again if f.get("review", {}).get("decision") != DISMISS]
        out["dismissed"] = dismissed + [f for f in again if f.get("review", {}).get("decision") == DISMISS
                                        and f not in dismissed]
    if override is not None:
        out["verdict"] = override.verdict
        words = {PASS: "合格", FAIL: "不合格", NOT_INSPECTED: "未能完成检查"}[override.verdict]
        out["reason"] = f"{words}：人工复核——{override.reason}"
        out["override"] = override.as_dict()
        if override.verdict == NOT_INSPECTED:
            out["error"] = "review"
            out["score"] = None
    if (out.get("verdict"), out.get("score"), out.get("reason")) != (machine["verdict"], machine["score"],
                                                                      machine["reason"]):
        out["machine"] = machine
    return out


def apply_review(document: dict[str, Any], decisions: Iterable[Decision], scoring: ScoringSettings) -> dict[str, Any]:
    """The reviewed findings document of one month; the stored document is not changed. Its summary
    (totals, failing, pass rates) is computed again when any verdict changed."""
    month = str(document.get("period") or "")
    by_finding, by_target = in_force(decisions, month)
    if not by_finding and not by_target:
        return document
    out = dict(document)
    changed = False
    for kind, key in (("site", "sites"), ("account", "accounts")):
        targets = []
        for target in document.get(key) or []:
            reviewed = review_target(kind, target, month, by_finding, by_target.get((kind, str(target.get("id")))),
                                     scoring)
            changed |= reviewed.get("verdict") != target.get("verdict")
            targets.append(reviewed)
        out[key] = targets
    if changed or "summary" not in document:
        out["summary"] = summary(out.get("sites") or [], out.get("accounts") or [])
    out["reviewed"] = True
    return out


@dataclass(frozen=True, slots=True)
class Progress:
    """How much of one reviewed month a person has looked at."""

    faults: int  # fault findings (decided or not), dismissed ones included
    notices: int  # notice findings, dismissed ones included
    decided: int  # of both, those with a decision in force
    dismissed: int
    overrides: int

    @property
    def total(self) -> int:
        return self.faults + self.notices


def progress(reviewed: dict[str, Any]) -> Progress:
    faults = notices = decided = dismissed = overrides = 0
    for key in ("sites", "accounts"):
        for target in reviewed.get(key) or []:
            overrides += "override" in target
            gone = target.get("dismissed") or []
            dismissed += len(gone)
            for f in list(target.get("findings") or []) + list(gone):
                if str(f.get("severity")) in FAULT:
                    faults += 1
                else:
                    notices += 1
                decided += "review" in f
    return Progress(faults, notices, decided, dismissed, overrides)
