"""Assertions shared by the evidence tests: what the notice states, checked against the findings document.

Ids are recomputed from the document here (``finding_id`` reads a stored ``id`` first), so the
model's claims are checked against the findings themselves, not against the model's own index.
"""

from __future__ import annotations

from typing import Any

from reports.body import Paragraph
from reports.evidence import FAULT, finding_id
from reports.model import ReportModel

PROBLEM_MARKERS = ("（一）网站方面。", "（二）政务新媒体方面。")


def findings_by_id(document: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """id → (target, finding) of every finding of the document."""
    out = {}
    for key in ("sites", "accounts"):
        for target in document.get(key) or []:
            for f in target.get("findings") or []:
                out[finding_id(str(target["id"]), f)] = (target, f)
    return out


def problem_paragraphs(model: ReportModel) -> list[Paragraph]:
    """（一）网站方面 and （二）政务新媒体方面 of 二、存在的主要问题."""
    return [p for p in model.paragraphs if p.text.startswith(PROBLEM_MARKERS)]


def assert_problems_rest_on_faults(model: ReportModel, document: dict[str, Any]) -> int:
    """Every unit named in the problem categories has a fault finding of that category; returns the
    number of unit clauses checked."""
    found = findings_by_id(document)
    checked = 0
    for paragraph in problem_paragraphs(model):
        for span in paragraph.spans:
            names = [t["name"] for key in ("sites", "accounts") for t in document[key] if f"“{t['name']}”" in span.text]
            if span.claim is None:
                assert not names, f"{names} named without findings in “{span.text}”"
                continue
            assert span.claim.states == "fault" and span.claim.ids, span
            for fid in span.claim.ids:
                target, finding = found[fid]
                assert finding["severity"] in FAULT, (span.text, finding)
                assert finding["check"] == span.claim.check, (span.text, finding)
                assert f"“{target['name']}”" in span.text, (span.text, target["name"])
            assert {found[i][0]["name"] for i in span.claim.ids} == set(names), span.text
            checked += 1
    return checked


def assert_no_notice_stated_as_fault(model: ReportModel, document: dict[str, Any]) -> None:
    """No notice finding is cited by a fault or failing statement, in the text or the tables."""
    found = findings_by_id(document)
    claims = [s.claim for p in model.paragraphs for s in p.spans if s.claim is not None]
    claims += [c for a in model.attachments for u in a.units for c in (u.claim, *u.claims) if c is not None]
    for claim in claims:
        if claim.states in ("fault", "failing"):
            for fid in claim.ids:
                assert found[fid][1]["severity"] in FAULT, (claim, found[fid][1])
