"""The 正文 of the notice: 一、总体情况, 二、存在的主要问题, 三、下一步工作要求.

Problems are grouped by kind — （一）网站方面 / （二）政务新媒体方面 — with 一是/二是…
inside one paragraph (§4.4), each naming its units; repeat offenders get their own
（三） paragraph; 三、 comes from an editable jinja2 text template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from monitor.engine import NOT_INSPECTED, verdict_of
from monitor.settings import ReportSettings
from reports.figures import breakdown_sentence, overall_sentence, platform_sentence, tally
from reports.history import Repeat
from reports.problems import ACCOUNT_CHECKS, SEVERITY_RANK, SITE_CHECKS, Problem, unit_problems
from reports.requirements import render_requirements
from reports.wording import account_label, ordinal, platform_name, site_label

ALL = frozenset({"veto", "deduct", "notice"})
LABELS = {
    "unreachable": "站点无法访问", "stale_homepage": "首页更新不及时", "stale_column": "栏目更新不及时",
    "empty_column": "存在空白栏目", "expression_error": "存在表述错误", "interaction_unanswered": "互动回应差",
    "service_guide_incomplete": "办事指南要素不全", "dead_link": "存在无效链接", "stale_account": "内容长期不更新",
    "update_frequency": "更新频次不足", "account_not_retired": "应关停、迁移的账号未按期完成",
    "duplicate_account": "同一平台重复开设账号", "feed_unreachable": "部分账号无法获取更新情况",
}


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with its role: ``body``, ``heading2`` (run-in （一）…。) or ``strong``."""

    text: str
    role: str = "body"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of the 正文: ``body``, ``heading1`` (一、) or ``heading2`` (stand-alone （一）)."""

    spans: tuple[Span, ...]
    role: str = "body"

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True, slots=True)
class BodyContext:
    document: dict[str, Any]
    settings: ReportSettings
    as_of: date
    deadline: date
    names: dict[str, str]  # [report] platform_names: overrides of wording.PLATFORM_NAMES
    repeats: dict[tuple[str, str], Repeat]
    month_text: str

    def label(self, kind: str, target: dict[str, Any]) -> str:
        name = str(target.get("name") or target.get("id"))
        if kind == "site":
            return site_label(name)
        return account_label(name, platform_name(str(target.get("platform")), self.names))


def _heading1(text: str) -> Paragraph:
    return Paragraph((Span(text),), "heading1")


def _overall(ctx: BodyContext) -> list[Paragraph]:
    sites, accounts = list(ctx.document.get("sites") or []), list(ctx.document.get("accounts") or [])
    text = overall_sentence(tally(sites), tally(accounts), ctx.settings.scope)
    named = []
    for kind, targets, noun in (("site", sites, "政府网站"), ("account", accounts, "政务新媒体")):
        failing = [ctx.label(kind, t) for t in targets if t.get("verdict") == "fail"]
        if failing:
            named.append(f"不合格{noun}为{'、'.join(failing)}")
    if named:
        text += "其中，" + "；".join(named) + "。"
    errors = [f"{ctx.label(k, t)}（{t.get('error') or '检查出错'}）" for k, ts in (("site", sites), ("account", accounts))
              for t in ts if verdict_of(t) == NOT_INSPECTED]
    if errors:
        text += f"未能完成检查的有：{'、'.join(errors)}。"
    spread = breakdown_sentence(ctx.document, ctx.settings.district_order) + platform_sentence(accounts, ctx.names)
    return [Paragraph((Span(text),))] + ([Paragraph((Span(spread),))] if spread else [])


def _check_item(ctx: BodyContext, kind: str, check: str, targets: list[dict[str, Any]]) -> str | None:
    """``栏目更新不及时，“A”网站…，“B”网站…`` — the units with this check's findings, worst first."""
    hits: list[tuple[Problem, int, dict[str, Any]]] = []
    for index, target in enumerate(targets):
        for problem in unit_problems(target, ctx.as_of, ALL):
            if problem.check == check:
                hits.append((problem, index, target))
    if not hits:
        return None
    hits.sort(key=lambda h: (SEVERITY_RANK.get(h[0].severity, 9), -h[0].count, h[1]))
    limit = ctx.settings.max_named_units
    clauses = [ctx.label(kind, t) + p.clause for p, _, t in hits[:limit]]
    more = f"等{len(hits)}{'家网站' if kind == 'site' else '个账号'}" if len(hits) > limit else ""
    label = LABELS.get(check, check)
    if check == "expression_error" and any(p.severity == "veto" for p, _, _ in hits):
        label = "存在严重表述错误"
    return f"{label}，{'，'.join(clauses)}{more}"


def _account_name(ctx: BodyContext, account_id: str) -> str:
    """The account's name from the document (every registry account is in it); else its id."""
    for account in ctx.document.get("accounts") or []:
        if str(account.get("id")) == account_id:
            return str(account.get("name"))
    return account_id


def _duplicates_item(ctx: BodyContext) -> str | None:
    """微信公众号“A”“B”账号主体同为C — one clause per (platform, group of accounts)."""
    groups: dict[tuple[str, tuple[str, ...]], str] = {}
    for account in ctx.document.get("accounts") or []:
        for f in account.get("findings") or []:
            if f.get("check") == "duplicate_account":
                ids = tuple(str(i) for i in f.get("accounts") or [account.get("id")])
                key = (str(f.get("platform") or account.get("platform")), tuple(sorted(ids)))
                groups.setdefault(key, f"{platform_name(key[0], ctx.names)}"
                                  + "".join(f"“{_account_name(ctx, i)}”" for i in ids)
                                  + f"账号主体同为{f.get('owner') or account.get('owner')}")
    return f"{LABELS['duplicate_account']}，{'，'.join(groups.values())}" if groups else None


def _enumerate(items: list[str]) -> str:
    return "".join(f"{ordinal(i)}是{item}{'。' if i == len(items) else '；'}" for i, item in enumerate(items, 1))


def _problems(ctx: BodyContext) -> list[Paragraph]:
    sites, accounts = list(ctx.document.get("sites") or []), list(ctx.document.get("accounts") or [])
    known = set(SITE_CHECKS) | set(ACCOUNT_CHECKS)
    extra = sorted({str(f.get("check")) for t in sites + accounts for f in t.get("findings") or []} - known)
    site_items = [i for c in SITE_CHECKS + tuple(extra) if (i := _check_item(ctx, "site", c, sites))]
    account_items = []
    for check in ACCOUNT_CHECKS + tuple(extra):
        item = _duplicates_item(ctx) if check == "duplicate_account" else _check_item(ctx, "account", check, accounts)
        if item:
            account_items.append(item)
    out = []
    for marker, items in (("（一）网站方面。", site_items), ("（二）政务新媒体方面。", account_items)):
        text = _enumerate(items) if items else "本次检查未发现此类问题。"
        out.append(Paragraph((Span(marker, "heading2"), Span(text))))
    if ctx.repeats:
        out.append(Paragraph((Span("（三）整改落实方面。", "heading2"), Span(_repeats_text(ctx)))))
    return out


def _repeats_text(ctx: BodyContext) -> str:
    parts = []
    for key in ("sites", "accounts"):
        kind = key[:-1]
        for target in ctx.document.get(key) or []:
            repeat = ctx.repeats.get((kind, str(target.get("id"))))
            if repeat is None:
                continue
            year, month = repeat.since.split("-")
            tail = "，经多次督促后仍未整改" if repeat.same_problem else "（本月为新出现的问题）"
            parts.append(f"{ctx.label(kind, target)}自{year}年{int(month)}月起连续{repeat.months}个月检查不合格{tail}")
    return "部分单位对通报问题整改不到位：" + "；".join(parts) + "。"


def build_body(ctx: BodyContext) -> list[Paragraph]:
    """The paragraphs after the basis sentence, in order, headings included."""
    out = [_heading1("一、总体情况"), *_overall(ctx), _heading1("二、存在的主要问题"), *_problems(ctx),
           _heading1("三、下一步工作要求")]
    for lead, text in render_requirements(ctx):
        spans = ((Span(lead, "heading2"),) if lead else ()) + ((Span(text),) if text else ())
        out.append(Paragraph(spans))
    return out
