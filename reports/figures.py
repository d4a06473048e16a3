"""The figures of 一、总体情况: totals, failing counts, pass rates and the breakdown by district.

Computed from the document's targets, never copied from its ``summary``: the notice must
agree with the tables it appends. A target that could not be inspected (``verdict`` =
``not_inspected``, 未能完成检查; ``error`` in older documents) is counted in the scope but
outside both counts of the pass rate, 合格率 = (checked − failed) / checked
(``monitor.model.document.pass_rate``); the sentence says how many could not be checked and why,
without naming them — the names and reasons are in the office's checklist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reports.evidence import NOT_INSPECTED, verdict
from reports.wording import join_cn, pass_rate, percent, platform_name

REASON_PREFIX = "未能完成检查："


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts for one kind of target (sites or accounts) in one scope."""

    total: int
    failed: int
    not_inspected: int

    @property
    def checked(self) -> int:
        return self.total - self.not_inspected

    @property
    def rate(self) -> Decimal | None:
        return pass_rate(self.checked, self.failed)

    @property
    def rate_text(self) -> str:
        return percent(self.rate)


def tally(targets: list[dict[str, Any]]) -> Tally:
    return Tally(
        total=len(targets),
        failed=sum(1 for t in targets if verdict(t) == "fail"),
        not_inspected=sum(1 for t in targets if verdict(t) == NOT_INSPECTED),
    )


def not_inspected_reason(target: dict[str, Any]) -> str:
    """The Chinese reason of a target not inspected (``reason`` after 未能完成检查：); a machine
    code only (older documents) reads 技术原因."""
    reason = str(target.get("reason") or "")
    reason = reason[len(REASON_PREFIX):] if reason.startswith(REASON_PREFIX) else reason
    reason = reason.strip().rstrip("。")
    return reason if reason and not reason.isascii() else "技术原因"


def short_cause(target: dict[str, Any]) -> str:
    """The reason's head, for the public sentence (首页无法访问，未能读取网站内容（…） → 首页无法访问)."""
    return re.split(r"[，,；;（(]", not_inspected_reason(target), maxsplit=1)[0] or "技术原因"


def not_inspected_reasons(targets: list[dict[str, Any]]) -> list[str]:
    """Distinct short causes of the targets not inspected, most frequent first."""
    reasons = [short_cause(t) for t in targets if verdict(t) == NOT_INSPECTED]
    return sorted(dict.fromkeys(reasons), key=lambda r: (-reasons.count(r), reasons.index(r)))


def district_order(document: dict[str, Any], preferred: list[str]) -> list[str]:
    """Districts of the document: the configured order first, then by first appearance (ids sort by region code)."""
    seen = list(preferred)
    for target in list(document.get("sites") or []) + list(document.get("accounts") or []):
        district = str(target.get("district") or "市直")
        if district not in seen:
            seen.append(district)
    present = {str(t.get("district") or "市直") for t in (document.get("sites") or []) + (document.get("accounts") or [])}
    return [d for d in seen if d in present]


def overall_sentence(sites: Tally, accounts: Tally, scope: str, reasons: list[str] | None = None) -> str:
    """The head sentence with totals and pass rates, in the wording of the notices; units not
    inspected are counted (with their reasons) but not named."""
    def done(t: Tally) -> str:
        return "完成检查的" if t.not_inspected else ""

    text = (f"{scope}普查范围内政府网站{sites.total}家，政务新媒体账号{accounts.total}个。"
            f"经检查，{done(sites)}{sites.checked}家政府网站中，不合格政府网站{sites.failed}家，合格率为{sites.rate_text}；"
            f"{done(accounts)}{accounts.checked}个政务新媒体账号中，不合格政务新媒体{accounts.failed}个，"
            f"合格率为{accounts.rate_text}。")
    missing = []
    if sites.not_inspected:
        missing.append(f"政府网站{sites.not_inspected}家")
    if accounts.not_inspected:
        missing.append(f"政务新媒体账号{accounts.not_inspected}个")
    if missing:
        why = join_cn(list(reasons or []), 2)
        cause = f"因{why}{'原因' if why.endswith('等') else ''}" if why else ""
        text += f"另有{'、'.join(missing)}{cause}未能完成检查，不计入合格率，将另行核实。"
    return text


def _part(tally_: Tally, noun: str, measure: str) -> str:
    if tally_.total == 0:
        return ""
    part = f"{noun}{tally_.total}{measure}"
    notes = [f"不合格{tally_.failed}{measure}"] if tally_.failed else []
    notes += [f"未能完成检查{tally_.not_inspected}{measure}"] if tally_.not_inspected else []
    return part + (f"（{'，'.join(notes)}）" if notes else "")


def breakdown_sentence(document: dict[str, Any], preferred: list[str]) -> str:
    """按地区分: per district (and 市直) the sites and accounts with their failing counts."""
    parts = []
    for district in district_order(document, preferred):
        sites = tally([t for t in document.get("sites") or [] if (t.get("district") or "市直") == district])
        accounts = tally([t for t in document.get("accounts") or [] if (t.get("district") or "市直") == district])
        items = [p for p in (_part(sites, "政府网站", "家"), _part(accounts, "政务新媒体账号", "个")) if p]
        name = "市直单位" if district == "市直" else district
        clean = sites.failed + accounts.failed == 0 and sites.not_inspected + accounts.not_inspected == 0
        parts.append(f"{name}{'、'.join(items)}{'，均合格' if clean else ''}")
    return "从地区分布看，" + "；".join(parts) + "。" if parts else ""


def platform_sentence(accounts: list[dict[str, Any]], names: dict[str, str]) -> str:
    """按平台分: how many accounts per platform, failing ones in brackets."""
    order: list[str] = []
    for account in accounts:
        if account.get("platform") not in order:
            order.append(str(account.get("platform")))
    parts = []
    for platform in sorted(order, key=lambda p: -sum(1 for a in accounts if a.get("platform") == p)):
        t = tally([a for a in accounts if a.get("platform") == platform])
        parts.append(_part(t, platform_name(platform, names), "个"))
    return "从平台分布看，" + "、".join(parts) + "。" if parts else ""
