"""Scoring: from the checks' findings to severities, points, clauses, a score and a verdict.

Why its own step: the official rules (2019 指标) are data in ``[scoring]`` of settings.toml, so
a city can change points or thresholds without touching a check, and every finding carries
the clause that produced it, so each verdict can be explained and appealed.

1. Rule: each finding takes the most specific matching rule of ``[scoring.rules.<check>]``
   (most ``when`` / ``at_least`` keys; ties: the rule agreeing with the check's own severity,
   then variant name). A finding a check emits as a *notice* (could not be judged,
   informational) stays a notice: only notice rules give it a clause. No matching rule → the
   check's own severity and clause, no points.
2. Counting: findings whose rule names a ``group`` are counted per target; ``veto_at`` of them
   turn all into vetoes (栏目不更新 ≥5 …); ``near_miss_at`` (below veto) adds one 接近单否 notice.
3. Site kinds not in ``scored_site_kinds``: deductions become notices without points.
4. Caps: points count towards their rule's ``indicator`` up to its cap, in finding order;
   so the findings' points always add up to ``full_marks − score``.
5. Verdict: fail on any veto, or (sites; accounts only with ``accounts_use_pass_line``) on a
   score below ``pass_line``. The score is computed for every target, vetoed or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from monitor.config.settings import ScoringRule, ScoringSettings
from monitor.model.errors import ConfigError
from monitor.model.findings import Finding, Severity

CHECK_ERROR = "check_error"


@dataclass(slots=True)
class Scored:
    """A finding with the rule that judged it (None when no rule matched)."""

    finding: Finding
    rule: ScoringRule | None = None


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: str
    score: float
    reason: str
    findings: list[Finding]


def check_rules(scoring: ScoringSettings, known: Iterable[str]) -> None:
    """Rules for a check id nobody registered are a typo in settings: name it."""
    names = set(known) | {CHECK_ERROR}
    for check_id in scoring.rules:
        if check_id not in names:
            raise ConfigError(f"scoring.rules.{check_id}: unknown check (known: {', '.join(sorted(names))})")


def _same(value: Any, allowed: Any) -> bool:
    return type(value) is type(allowed) and value == allowed


def _size(value: Any) -> float | None:
    if isinstance(value, (list, tuple, dict, str)):
        return len(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return None


def matches(rule: ScoringRule, data: dict[str, Any]) -> bool:
    """Every ``when`` key holds one of its listed values and every ``at_least`` key is big enough."""
    for key, allowed in rule.when.items():
        if key not in data or not any(_same(data[key], a) for a in allowed):
            return False
    for key, least in rule.at_least.items():
        size = _size(data.get(key))
        if size is None or size < least:
            return False
    return True


def find_rule(finding: Finding, scoring: ScoringSettings) -> ScoringRule | None:
    variants = scoring.rules.get(finding.check, {})
    notice_only = finding.severity == Severity.NOTICE
    found = [(-(len(r.when) + len(r.at_least)), r.severity != finding.severity, name, r)
             for name, r in variants.items()
             if (not notice_only or r.severity == "notice") and matches(r, finding.data)]
    return min(found, key=lambda t: t[:3])[3] if found else None


def apply_rule(finding: Finding, rule: ScoringRule | None) -> Scored:
    if rule is None:
        return Scored(finding if finding.severity == Severity.DEDUCT else replace(finding, points=0.0))
    severity = Severity.NOTICE if finding.severity == Severity.NOTICE else Severity(rule.severity)
    points = rule.points if severity == Severity.DEDUCT else 0.0
    return Scored(replace(finding, severity=severity, points=points, clause=rule.clause), rule)


def apply_groups(items: list[Scored], scoring: ScoringSettings, target_url: str) -> list[Scored]:
    """Count grouped findings: all become vetoes at ``veto_at``; a near miss adds one notice."""
    extra: list[Scored] = []
    for group_id, group in sorted(scoring.groups.items()):
        members = [s for s in items if s.rule and s.rule.group == group_id and s.finding.severity != Severity.NOTICE]
        count = len(members)
        if count and count >= group.veto_at:
            for s in members:
                s.finding = replace(s.finding, severity=Severity.VETO, points=0.0,
                                    clause=f"{s.finding.clause}（累计{count}个，≥{group.veto_at}个单项否决）")
        elif count and group.near_miss_at and count >= group.near_miss_at:
            data = {"near_miss": True, "group": group_id, "count": count, "veto_at": group.veto_at}
            clause = f"接近单否：{group.name}{count}个（{group.veto_at}个单项否决）"
            extra.append(Scored(Finding(members[0].finding.check, Severity.NOTICE, target_url, data, 0.0, clause)))
    return items + extra


def unscored(items: list[Scored]) -> None:
    """For site kinds outside ``scored_site_kinds``: deductions are reported, not counted."""
    for s in items:
        if s.finding.severity == Severity.DEDUCT:
            s.finding = replace(s.finding, severity=Severity.NOTICE, points=0.0,
                                clause=f"{s.finding.clause}（该类网站不计扣分）")


def apply_caps(items: list[Scored], scoring: ScoringSettings) -> None:
    """Spend each indicator's cap over its findings in order; a capped finding says so."""
    left = {name: Decimal(str(ind.cap)) for name, ind in scoring.indicators.items()}
    for s in items:
        points = Decimal(str(s.finding.points))
        if s.rule is None or not s.rule.indicator or points <= 0:
            continue
        take = min(points, max(left[s.rule.indicator], Decimal(0)))
        left[s.rule.indicator] -= take
        if take < points:
            ind = scoring.indicators[s.rule.indicator]
            clause = f"{s.finding.clause}（{ind.name}扣分已达上限{fmt(ind.cap)}分）"
            s.finding = replace(s.finding, points=float(take), clause=clause)


def fmt(value: float | Decimal) -> str:
    """93.5 → "93.5", 100.0 → "100": numbers as a Chinese notice writes them."""
    text = format(Decimal(str(value)).quantize(Decimal("0.01")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def veto_titles(items: list[Scored], scoring: ScoringSettings) -> list[str]:
    titles: list[str] = []
    for s in items:
        if s.finding.severity != Severity.VETO:
            continue
        group = scoring.groups.get(s.rule.group) if s.rule and s.rule.group else None
        if group is not None:
            count = sum(1 for o in items if o.rule and o.rule.group == s.rule.group and o.finding.severity == Severity.VETO)
            title = f"{group.name}{count}个"
        else:
            title = (s.rule.title if s.rule else "") or s.finding.clause.split("：")[0] or s.finding.check
        if title not in titles:
            titles.append(title)
    return titles


def judge(findings: Iterable[Finding], *, target_url: str, scoring: ScoringSettings,
          scored: bool = True, pass_by_score: bool = True) -> Judgement:
    """Score one target's findings (see the module docstring for the steps)."""
    items = apply_groups([apply_rule(f, find_rule(f, scoring)) for f in findings], scoring, target_url)
    items.sort(key=lambda s: s.finding.sort_key())
    if not scored:
        unscored(items)
    apply_caps(items, scoring)
    lost = sum((Decimal(str(s.finding.points)) for s in items), Decimal(0))
    score = max(Decimal(str(scoring.full_marks)) - lost, Decimal(0))
    titles = veto_titles(items, scoring)
    if titles:
        verdict, reason = "fail", "不合格：单项否决——" + "、".join(titles)
    elif pass_by_score and score < Decimal(str(scoring.pass_line)):
        verdict, reason = "fail", f"不合格：得分{fmt(score)}分，低于{fmt(scoring.pass_line)}分合格线"
    elif pass_by_score:
        verdict, reason = "pass", f"合格：得分{fmt(score)}分，无单项否决"
    else:
        verdict, reason = "pass", "合格：无单项否决"
    return Judgement(verdict, float(round(score, 2)), reason, [s.finding for s in items])
