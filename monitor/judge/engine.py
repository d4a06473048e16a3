"""The judge phase: run every applicable check over a stored snapshot, then score.

Pure: no network, no database, no clock — so a past month judged again from storage gives
the same document. A check that raises is isolated: it is logged, its partial output is
dropped, and the target gets one notice ``{"check": "check_error", "failed_check": id,
"error": "ExcType: message"}``; the other checks still judge the target.
Output is deterministic: findings sorted by (check, url, keys), targets by id; every finding
carries a stable ``id`` (``monitor.model.document.finding_id``). Verdicts are ``pass``, ``fail`` and
``not_inspected`` (未能完成检查: the home page was not read, or the inspection crashed) — counted
apart, outside the pass rate's checked targets (``monitor.model.document``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import checks
from checks import check_options
from checks.base import CheckContext
from monitor.accounts.coverage import reads_since
from monitor.config.settings import Settings
from monitor.judge.scoring import CHECK_ERROR, Judgement, check_rules, judge
from monitor.model.document import FAIL, NOT_INSPECTED, not_inspected_reason, with_ids
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.period import Period
from monitor.model.snapshots import AccountSnapshot, SiteSnapshot
from monitor.registry.model import Account, Registry, Site

log = logging.getLogger(__name__)



def run_checks(target: Site | Account, snap: SiteSnapshot | AccountSnapshot, *, kind: TargetKind, url: str,
               period: Period, settings: Settings, registry: Registry | None,
               registered: Sequence[Any] | None = None) -> list[Finding]:
    """Every registered check that applies to ``kind``, each isolated from the others' failures."""
    found: list[Finding] = []
    for check in checks.ALL_CHECKS if registered is None else registered:
        if kind not in check.targets:
            continue
        ctx = CheckContext(period, check_options(settings, check.id), settings, registry)
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
    """The site object of the findings document.

    A site whose home page could not be read (``home_unread``) is judged only by the checks that do
    not read content (``CONTENT_FREE_CHECKS``: the availability probes): a fault they prove still
    fails it; otherwise it is ``not_inspected`` with the reason and its notices, never a pass."""
    unread = home_unread(snap)
    pool = checks.ALL_CHECKS if registered is None else registered
    chosen = pool if unread is None else [c for c in pool if c.id in CONTENT_FREE_CHECKS]
    found = run_checks(site, snap, kind=TargetKind.SITE, url=site.url, period=period, settings=settings,
                       registry=registry, registered=chosen)
    result = _judgement(found, site.url, settings, scored=site.kind in settings.scoring.scored_site_kinds,
                        pass_by_score=True)
    if unread is not None and result.verdict != FAIL:
        notices = [f for f in result.findings if f.severity == Severity.NOTICE]
        return not_inspected_site(site, unread, findings=[f.to_dict() for f in notices])
    return {"id": site.id, "name": site.name, "url": site.url, "owner": site.owner, "district": site.district,
            **_verdict(site.id, result)}


def judge_account(account: Account, snap: AccountSnapshot, *, period: Period, settings: Settings,
                  registry: Registry | None = None, registered: Sequence[Any] | None = None) -> dict[str, Any]:
    """The account object of the findings document (pass/fail by vetoes unless settings say otherwise).

    An account whose source is to be read (``[checks.feed_unreachable] statuses``: not a closed
    one) and gave no successful read since the period began (``source_unread``) has nothing to be judged on: a fault proven all the same still fails it; otherwise it is
    ``not_inspected`` with its notices (未能获取更新情况), never a pass."""
    url = account.feed or ""
    found = run_checks(account, snap, kind=TargetKind.ACCOUNT, url=url, period=period, settings=settings,
                       registry=registry, registered=registered)
    result = _judgement(found, url, settings, scored=True,
                        pass_by_score=settings.scoring.accounts_use_pass_line)
    read_statuses = getattr(check_options(settings, "feed_unreachable"), "statuses", ())
    unread = source_unread(snap, period, settings) if account.status in read_statuses else None
    if unread is not None and result.verdict != FAIL:
        notices = [f for f in result.findings if f.severity == Severity.NOTICE]
        return not_inspected_account(account, unread, findings=[f.to_dict() for f in notices])
    return {"id": account.id, "name": account.name, "platform": account.platform, "owner": account.owner,
            "district": account.district, **_verdict(account.id, result)}


def _verdict(target_id: str, result: Judgement) -> dict[str, Any]:
    return {"verdict": result.verdict, "score": result.score, "reason": result.reason,
            "findings": with_ids(target_id, [f.to_dict() for f in result.findings])}


# --- could not inspect ---------------------------------------------------------------------------

#: Site checks that judge evidence other than the site's content (availability probes): they still
#: run when the home page could not be read.
CONTENT_FREE_CHECKS = frozenset({"unreachable"})

def home_unread(snap: SiteSnapshot) -> str | None:
    """Why the home page of ``snap`` could not be read (a reason code), or None when it was read."""
    home = snap.home
    if home is None:
        return "home_unreachable"
    state = home.read_state()
    if state == "ok":
        return None
    return {"dead": "home_unreachable", "blocked": "home_blocked", "soft_404": "home_soft_404",
            "script_rendered": "home_script_rendered", "out_of_scope": "home_out_of_scope"}.get(state,
                                                                                               "home_not_parsed")


def source_unread(snap: AccountSnapshot, period: Period, settings: Settings) -> str | None:
    """Why no read of the account's source covers the period (a reason code), or None when one
    succeeded since the period began (the inspection's own read after as-of included)."""
    since = reads_since(snap, period, settings.general.zone())
    if any(f.ok for f in since):
        return None
    return "source_unreachable" if since else "source_not_read"


def not_inspected_site(site: Site, code: str, *, detail: str = "",
                       findings: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A site that could not be inspected: kept in the document, counted apart, never failed or passed.
    ``findings``: its notices only (nothing is judged from content never read)."""
    return {"id": site.id, "name": site.name, "url": site.url, "owner": site.owner, "district": site.district,
            **_not_inspected(site.id, code, detail, findings)}


def not_inspected_account(account: Account, code: str, *, detail: str = "",
                          findings: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": account.id, "name": account.name, "platform": account.platform, "owner": account.owner,
            "district": account.district, **_not_inspected(account.id, code, detail, findings)}


def _not_inspected(target_id: str, code: str, detail: str, findings: list[dict[str, Any]] | None) -> dict[str, Any]:
    kept = [f for f in findings or [] if f.get("severity") == Severity.NOTICE]
    out: dict[str, Any] = {"verdict": NOT_INSPECTED, "score": None, "reason": not_inspected_reason(code, detail),
                           "error": code}
    if detail:
        out["detail"] = detail
    out["findings"] = with_ids(target_id, kept)
    return out
