"""The judge phase: run every applicable check over a stored snapshot, then score.

Pure: no network, no database, no clock — so a past month judged again from storage gives
the same document. A check that raises is isolated: it is logged, its partial output is
dropped, and the target gets one notice ``{"check": "check_error", "failed_check": id,
"error": "ExcType: message"}``; the other checks still judge the target.
Output is deterministic: findings sorted by (check, url, keys), targets by id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import checks
from checks.base import CheckContext, Finding, Severity, TargetKind
from monitor.period import Period
from monitor.registry import Account, Registry, Site
from monitor.scoring import CHECK_ERROR, Judgement, check_rules, judge
from monitor.settings import Settings
from monitor.snapshots import AccountSnapshot, SiteSnapshot

log = logging.getLogger(__name__)


def run_checks(target: Site | Account, snap: SiteSnapshot | AccountSnapshot, *, kind: TargetKind, url: str,
               period: Period, settings: Settings, registry: Registry | None,
               registered: Sequence[Any] | None = None) -> list[Finding]:
    """Every registered check that applies to ``kind``, each isolated from the others' failures."""
    found: list[Finding] = []
    for check in checks.ALL_CHECKS if registered is None else registered:
        if kind not in check.targets:
            continue
        ctx = CheckContext(period, settings.check_options(check.id), settings, registry)
        run = check.run_site if kind == TargetKind.SITE else check.run_account
        try:
            found.extend(list(run(target, snap, ctx)))
        except Exception as exc:  # noqa: BLE001 — one broken check must not sink the target
            log.exception("check %s crashed on %s %s", check.id, kind, target.id)
            data = {"failed_check": check.id, "error": f"{type(exc).__name__}: {exc}"}
            found.append(Finding(CHECK_ERROR, Severity.NOTICE, url, data))
    return found


def _judgement(findings: list[Finding], url: str, settings: Settings, *, scored: bool,
               pass_by_score: bool) -> Judgement:
    check_rules(settings.scoring, checks.BY_ID)
    return judge(findings, target_url=url, scoring=settings.scoring, scored=scored, pass_by_score=pass_by_score)


def judge_site(site: Site, snap: SiteSnapshot, *, period: Period, settings: Settings,
               registry: Registry | None = None, registered: Sequence[Any] | None = None) -> dict[str, Any]:
    """The site object of the findings document."""
    found = run_checks(site, snap, kind=TargetKind.SITE, url=site.url, period=period, settings=settings,
                       registry=registry, registered=registered)
    result = _judgement(found, site.url, settings, scored=site.kind in settings.scoring.scored_site_kinds,
                        pass_by_score=True)
    return {"id": site.id, "name": site.name, "url": site.url, "owner": site.owner, "district": site.district,
            **_verdict(result)}


def judge_account(account: Account, snap: AccountSnapshot, *, period: Period, settings: Settings,
                  registry: Registry | None = None, registered: Sequence[Any] | None = None) -> dict[str, Any]:
    """The account object of the findings document (pass/fail by vetoes unless settings say otherwise)."""
    url = account.feed or ""
    found = run_checks(account, snap, kind=TargetKind.ACCOUNT, url=url, period=period, settings=settings,
                       registry=registry, registered=registered)
    result = _judgement(found, url, settings, scored=True,
                        pass_by_score=settings.scoring.accounts_use_pass_line)
    return {"id": account.id, "name": account.name, "platform": account.platform, "owner": account.owner,
            "district": account.district, **_verdict(result)}


def _verdict(result: Judgement) -> dict[str, Any]:
    return {"verdict": result.verdict, "score": result.score, "reason": result.reason,
            "findings": [f.to_dict() for f in result.findings]}


def error_site(site: Site, error: str) -> dict[str, Any]:
    """A site that could not be inspected: kept in the document, never dropped or counted as failed."""
    return {"id": site.id, "name": site.name, "url": site.url, "owner": site.owner, "district": site.district,
            "verdict": "error", "score": None, "reason": f"未能完成检查：{error}", "error": error, "findings": []}


def error_account(account: Account, error: str) -> dict[str, Any]:
    return {"id": account.id, "name": account.name, "platform": account.platform, "owner": account.owner,
            "district": account.district, "verdict": "error", "score": None, "reason": f"未能完成检查：{error}",
            "error": error, "findings": []}


def pass_rate(total: int, failed: int) -> float | None:
    """合格率 = (total − failed) / total × 100, one decimal, rounded half up; None without targets."""
    if total == 0:
        return None
    rate = Decimal((total - failed) * 100) / Decimal(total)
    return float(rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def summary(sites: Iterable[dict[str, Any]], accounts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Totals of the notice's 总体情况. Every target counts in its total; ``error`` targets are not
    failed (a unit is never named failing because govmon could not inspect it) and are counted apart."""
    out: dict[str, Any] = {}
    for name, targets in (("sites", list(sites)), ("accounts", list(accounts))):
        failed = sum(1 for t in targets if t.get("verdict") == "fail")
        errors = sum(1 for t in targets if t.get("verdict") == "error")
        out |= {f"{name}_total": len(targets), f"{name}_failed": failed, f"{name}_errors": errors,
                f"{name}_pass_rate": pass_rate(len(targets), failed)}
    return out


def findings_document(period: Period, sites: Iterable[dict[str, Any]],
                      accounts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The whole findings document (``govmon inspect --json``), targets sorted by id."""
    site_list = sorted(sites, key=lambda t: t["id"])
    account_list = sorted(accounts, key=lambda t: t["id"])
    return {"period": period.month, "as_of": period.as_of.isoformat(),
            "summary": summary(site_list, account_list), "sites": site_list, "accounts": account_list}
