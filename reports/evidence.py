"""What every statement of the notice rests on, and the check that refuses one resting on nothing.

The notice names units publicly, so each span of text that names a unit carries a ``Claim``:
what it states (a fault of one category, a failing unit, a notice for the office, a unit not
inspected) and the ids of the findings that prove it. ``verify`` runs before anything is
rendered: a claim without ids, with ids the document does not hold, or whose findings do not
say what the claim says (a notice finding stated as a fault, a finding of another category or
another unit), and any unit named in text that carries no claim, stop the rendering with
``UnprovenStatement``.

Finding ids (``"<target id>/<check>/<hash>"``) and verdicts are the engine's
(``monitor.model.document.finding_id``, ``verdict_of``): a stored document without ids (written before
ids existed) gets them computed the same way, and its ``error`` verdict reads as not inspected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from monitor.model.document import NOT_INSPECTED
from monitor.model.document import finding_id as engine_finding_id
from monitor.model.document import verdict_of as verdict
from monitor.model.findings import FAULT

KINDS = (("site", "sites"), ("account", "accounts"))


class UnprovenStatement(ValueError):
    """The notice would state something its findings do not prove."""


def finding_id(target_id: str, finding: dict[str, Any]) -> str:
    """The finding's stored ``id``; for an older document, the id the engine gives it."""
    return str(finding["id"]) if finding.get("id") else engine_finding_id(target_id, finding)


def is_fault(finding: dict[str, Any]) -> bool:
    return str(finding.get("severity")) in FAULT


@dataclass(frozen=True, slots=True)
class Cited:
    """A finding as the notice may cite it."""

    id: str
    unit: tuple[str, str]  # (kind, target id)
    check: str
    severity: str


@dataclass(frozen=True, slots=True)
class Unit:
    kind: str
    id: str
    name: str
    verdict: str
    reason: str


@dataclass(frozen=True, slots=True)
class Claim:
    """What a span or table row states about which units, and the findings that prove it.

    ``states``: ``fault`` (the units have veto/deduct findings of ``check``), ``failing`` (the
    units failed; ids = the fault findings that failed them), ``notice`` (notice findings, for
    the office), ``stated`` (notice findings the notice states as what they are, never as a
    fault: ``[report] stated_notices``), ``not_inspected`` (the units' verdict; no finding needed).
    """

    states: str
    units: tuple[tuple[str, str], ...]
    ids: tuple[str, ...] = ()
    check: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Every finding and unit of one findings document, by id."""

    findings: dict[str, Cited]
    units: dict[tuple[str, str], Unit]

    def ids(self, kind: str, target: dict[str, Any], findings: Iterable[dict[str, Any]]) -> tuple[str, ...]:
        """Distinct ids of ``findings`` of ``target``, in order."""
        return tuple(dict.fromkeys(finding_id(str(target.get("id")), f) for f in findings))


def collect(document: dict[str, Any]) -> Evidence:
    findings: dict[str, Cited] = {}
    units: dict[tuple[str, str], Unit] = {}
    for kind, key in KINDS:
        for target in document.get(key) or []:
            unit = (kind, str(target.get("id")))
            units[unit] = Unit(kind, unit[1], str(target.get("name") or unit[1]), verdict(target),
                               str(target.get("reason") or ""))
            for f in target.get("findings") or []:
                fid = finding_id(unit[1], f)
                findings[fid] = Cited(fid, unit, str(f.get("check")), str(f.get("severity")))
    return Evidence(findings, units)


def _refuse(text: str, why: str) -> UnprovenStatement:
    return UnprovenStatement(f"the notice refuses to state “{text}”: {why}")


def check_claim(claim: Claim, text: str, evidence: Evidence, stated_checks: frozenset[str], *,
                named: bool = True) -> None:
    """Raise ``UnprovenStatement`` unless ``claim``'s findings prove it and (``named``) ``text`` names its units.

    ``named=False`` for a table's problem row, whose unit is named in the cells spanning it."""
    if not claim.units:
        raise _refuse(text, "it names no unit")
    for unit in claim.units:
        found = evidence.units.get(unit)
        if found is None:
            raise _refuse(text, f"{unit[0]} {unit[1]} is not in the findings document")
        if named and found.name not in text:
            raise _refuse(text, f"the text does not name {found.name}")
        if claim.states == NOT_INSPECTED:
            if found.verdict != NOT_INSPECTED:
                raise _refuse(text, f"{found.name} was inspected (verdict {found.verdict})")
        elif claim.states in ("fault", "failing") and found.verdict == NOT_INSPECTED:
            raise _refuse(text, f"{found.name} could not be inspected; it has no faults to state")
        elif claim.states == "failing" and found.verdict != "fail":
            raise _refuse(text, f"{found.name} did not fail (verdict {found.verdict})")
    if claim.states == NOT_INSPECTED:
        return
    if not claim.ids:
        raise _refuse(text, "it carries no finding ids")
    for fid in claim.ids:
        cited = evidence.findings.get(fid)
        if cited is None:
            raise _refuse(text, f"finding {fid} is not in the findings document")
        if cited.unit not in claim.units:
            raise _refuse(text, f"finding {fid} belongs to another unit")
        if claim.states in ("fault", "failing") and cited.severity not in FAULT:
            raise _refuse(text, f"finding {fid} is a {cited.severity}, not a fault")
        if claim.states == "fault" and claim.check and cited.check != claim.check:
            raise _refuse(text, f"finding {fid} is {cited.check}, not {claim.check}")
        if claim.states in ("notice", "stated") and cited.severity in FAULT:
            raise _refuse(text, f"finding {fid} is a fault; it belongs in the notice's problems")
        if claim.states == "stated" and cited.check not in stated_checks:
            raise _refuse(text, f"{cited.check} is not among [report] stated_notices")


def check_unclaimed(text: str, evidence: Evidence) -> None:
    """Text carrying no claim must not name a unit (a quoted name is how the notice names one)."""
    for unit in evidence.units.values():
        if f"“{unit.name}”" in text:
            raise _refuse(text, f"it names {unit.name} without citing a finding")
