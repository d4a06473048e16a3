"""The findings document: verdicts, finding ids, reasons a target was not inspected, the pass rate.

The vocabulary every layer speaks about results — the judge writes it, the store keeps and upgrades
it, the CLI and the reports read it. Pure data and arithmetic; ``docs/findings-format.md`` describes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from monitor.model.period import Period

PASS, FAIL, NOT_INSPECTED = "pass", "fail", "not_inspected"
#: Verdicts written by earlier versions, read as today's.
LEGACY_VERDICTS = {"error": NOT_INSPECTED}

#: Machine reason code → the Chinese words after 未能完成检查：.
NOT_INSPECTED_REASONS = {
    "home_unreachable": "首页无法访问，未能读取网站内容",
    "home_blocked": "首页访问被防火墙或访问限制拦截，未能读取网站内容",
    "home_soft_404": "首页返回错误提示页面，未能读取网站内容",
    "home_script_rendered": "首页内容由脚本加载，未能读取网站内容（可能由脚本加载，请人工核实）",
    "home_not_parsed": "首页不是可解析的网页，未能读取网站内容",
    "home_out_of_scope": "首页跳转到网站范围以外的地址，未能读取网站内容",
    "source_unreachable": "检查期内账号内容源均无法读取，未能获取更新情况",
    "source_not_read": "检查期内未读取过账号内容源，未能获取更新情况",
    "internal_error": "检查程序出错",
}


def not_inspected_reason(code: str, detail: str = "") -> str:
    words = NOT_INSPECTED_REASONS.get(code, code)
    return f"未能完成检查：{words}" + (f"（{detail}）" if detail else "")


# --- finding ids -----------------------------------------------------------------------------------

#: Keys left out of a finding's id: the scoring's (points, clause), the id itself, and evidence that
#: differs from run to run for the same fault (when a link was checked, its pages' content hashes).
UNHASHED_KEYS = frozenset({"points", "clause", "id", "seen_at", "source_hashes"})


def finding_id(target_id: str, finding: dict[str, Any]) -> str:
    """``<target id>/<check>/<10 hex>``: sha1 over the canonical JSON (sorted keys, UTF-8) of the
    finding without ``UNHASHED_KEYS`` — the same finding gets the same id in every run, so a notice
    sentence can cite it and a later month can recognise it."""
    core = {k: v for k, v in finding.items() if k not in UNHASHED_KEYS}
    text = json.dumps(core, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return f"{target_id}/{finding.get('check', '')}/{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


def with_ids(target_id: str, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings, each with its ``id`` (the one place ids are assigned)."""
    return [{**f, "id": finding_id(target_id, f)} for f in findings]


# --- verdicts and the summary ----------------------------------------------------------------------

def verdict_of(target: dict[str, Any]) -> str:
    """A target's verdict, a stored ``error`` read as ``not_inspected``."""
    verdict = str(target.get("verdict", ""))
    return LEGACY_VERDICTS.get(verdict, verdict)


def upgrade_target(target: dict[str, Any]) -> dict[str, Any]:
    """A stored target object in today's terms (legacy verdict renamed, finding ids assigned);
    the object itself when nothing is old."""
    legacy = target.get("verdict") in LEGACY_VERDICTS
    findings = target.get("findings") or []
    if not legacy and all("id" in f for f in findings):
        return target
    out = dict(target)
    if legacy:
        out["verdict"] = verdict_of(target)
    if findings:
        out["findings"] = with_ids(str(target.get("id", "")), findings)
    return out


def upgrade_document(document: dict[str, Any]) -> dict[str, Any]:
    """A stored findings document in today's terms: verdicts, finding ids, and the summary when it
    was written by an earlier version (``<kind>_errors``); the document itself when nothing is old."""
    out = dict(document)
    for kind in ("sites", "accounts"):
        if kind in document:
            out[kind] = [upgrade_target(t) for t in document[kind] or []]
    old_summary = any(key.endswith("_errors") for key in document.get("summary") or {})
    changed = any(out.get(k) != document.get(k) for k in ("sites", "accounts"))
    if old_summary or (changed and "summary" in document):
        out["summary"] = summary(out.get("sites") or [], out.get("accounts") or [])
    return out


def pass_rate(checked: int, failed: int) -> float | None:
    """合格率 = (checked − failed) / checked × 100, one decimal, rounded half up; None when nothing
    was checked. ``checked`` excludes the targets that could not be inspected. The one formula of
    the findings document, the CLI summary and the notice."""
    if checked == 0:
        return None
    rate = Decimal((checked - failed) * 100) / Decimal(checked)
    return float(rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def summary(sites: Iterable[dict[str, Any]], accounts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Totals of the notice's 总体情况. Every target counts in its total; not-inspected targets are
    neither failed nor checked (a unit is never named failing, nor counted as passing, because
    govmon could not inspect it) and are counted apart."""
    out: dict[str, Any] = {}
    for name, targets in (("sites", list(sites)), ("accounts", list(accounts))):
        verdicts = [verdict_of(t) for t in targets]
        failed = verdicts.count(FAIL)
        missed = verdicts.count(NOT_INSPECTED)
        checked = len(targets) - missed
        out |= {f"{name}_total": len(targets), f"{name}_checked": checked, f"{name}_failed": failed,
                f"{name}_not_inspected": missed, f"{name}_pass_rate": pass_rate(checked, failed)}
    return out


def findings_document(period: Period, sites: Iterable[dict[str, Any]],
                      accounts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The whole findings document (``govmon inspect --json``), targets sorted by id."""
    site_list = sorted(sites, key=lambda t: t["id"])
    account_list = sorted(accounts, key=lambda t: t["id"])
    return {"period": period.month, "as_of": period.as_of.isoformat(),
            "summary": summary(site_list, account_list), "sites": site_list, "accounts": account_list}
