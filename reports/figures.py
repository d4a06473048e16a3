"""The figures of 一、总体情况: totals, failing counts, pass rates and the breakdown by district.

Computed from the document's targets, never copied from its ``summary``: the notice must
agree with the tables it appends. A target that could not be inspected (``verdict`` =
``error``) is counted in the scope but not in the pass rate's base, as the notices compute
合格率 = (checked − failed) / checked; the sentence then says how many could not be checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from monitor.engine import NOT_INSPECTED, verdict_of
from reports.wording import pass_rate, percent, platform_name


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts for one kind of target (sites or accounts) in one scope."""

    total: int
    failed: int
    errors: int

    @property
    def checked(self) -> int:
        return self.total - self.errors

    @property
    def rate(self) -> Decimal | None:
        return pass_rate(self.checked, self.failed)

    @property
    def rate_text(self) -> str:
        return percent(self.rate)


def tally(targets: list[dict[str, Any]]) -> Tally:
    return Tally(
        total=len(targets),
        failed=sum(1 for t in targets if t.get("verdict") == "fail"),
        errors=sum(1 for t in targets if verdict_of(t) == NOT_INSPECTED),
    )


def district_order(document: dict[str, Any], preferred: list[str]) -> list[str]:
    """Districts of the document: the configured order first, then by first appearance (ids sort by region code)."""
    seen = list(preferred)
    for target in list(document.get("sites") or []) + list(document.get("accounts") or []):
        district = str(target.get("district") or "市直")
        if district not in seen:
            seen.append(district)
    present = {str(t.get("district") or "市直") for t in (document.get("sites") or []) + (document.get("accounts") or [])}
    return [d for d in seen if d in present]


def overall_sentence(sites: Tally, accounts: Tally, scope: str) -> str:
    """The head sentence with totals and pass rates, in the wording of the notices."""
    text = (f"{scope}普查范围内政府网站{sites.total}家，政务新媒体账号{accounts.total}个。"
            f"经检查，{sites.checked}家政府网站中，不合格政府网站{sites.failed}家，合格率为{sites.rate_text}；"
            f"{accounts.checked}个政务新媒体账号中，不合格政务新媒体{accounts.failed}个，合格率为{accounts.rate_text}。")
    missing = []
    if sites.errors:
        missing.append(f"政府网站{sites.errors}家")
    if accounts.errors:
        missing.append(f"政务新媒体账号{accounts.errors}个")
    if missing:
        text += f"另有{'、'.join(missing)}因无法完成检查未计入合格率（见附件）。"
    return text


def _part(tally_: Tally, noun: str, measure: str) -> str:
    if tally_.total == 0:
        return ""
    part = f"{noun}{tally_.total}{measure}"
    return part + (f"（不合格{tally_.failed}{measure}）" if tally_.failed else "")


def breakdown_sentence(document: dict[str, Any], preferred: list[str]) -> str:
    """按地区分: per district (and 市直) the sites and accounts with their failing counts."""
    parts = []
    for district in district_order(document, preferred):
        sites = tally([t for t in document.get("sites") or [] if (t.get("district") or "市直") == district])
        accounts = tally([t for t in document.get("accounts") or [] if (t.get("district") or "市直") == district])
        items = [p for p in (_part(sites, "政府网站", "家"), _part(accounts, "政务新媒体账号", "个")) if p]
        name = "市直单位" if district == "市直" else district
        verdict = "，均合格" if sites.failed + accounts.failed == 0 and sites.errors + accounts.errors == 0 else ""
        parts.append(f"{name}{'、'.join(items)}{verdict}")
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
