"""The 正文 of the notice: 一、总体情况, 二、存在的主要问题, 三、下一步工作要求.

二、 is written from fault findings (veto, deduct) only, grouped by kind — （一）网站方面 /
（二）政务新媒体方面 — with 一是/二是… inside one paragraph (§4.4); every unit clause carries
the ids of the findings it states (``reports.evidence``). Repeat offenders get their own
paragraph; notice findings the office chose to state (``[report] stated_notices``: duplicate
accounts, positive evidence from the registry) get a separate 管理规范方面 paragraph that
says they do not count. Every other notice — units not inspected, feeds that could not be
read, suspected problems, near misses — goes to the office's checklist (``reports.review``),
never into the public text. 三、 comes from an editable jinja2 text template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from monitor.config.settings import ReportSettings
from reports.evidence import FAULT, NOT_INSPECTED, Claim, finding_id, is_fault, verdict
from reports.figures import breakdown_sentence, not_inspected_reasons, overall_sentence, platform_sentence, tally
from reports.history import Repeat
from reports.problems import ACCOUNT_CHECKS, SEVERITY_RANK, SITE_CHECKS, Problem, unit_problems
from reports.requirements import render_requirements
from reports.wording import account_label, ordinal, platform_name, site_label

NOTICE = frozenset({"notice"})
LABELS = {
    "unreachable": "站点无法访问", "stale_homepage": "首页更新不及时", "stale_column": "栏目更新不及时",
    "empty_column": "存在空白栏目", "expression_error": "存在表述错误", "interaction_unanswered": "互动回应差",
    "service_guide_incomplete": "办事指南要素不全", "dead_link": "存在无效链接", "stale_account": "内容长期不更新",
    "update_frequency": "更新频次不足", "account_not_retired": "应关停、迁移的账号未按期完成",
    "duplicate_account": "同一平台重复开设账号", "feed_unreachable": "部分账号无法获取更新情况",
}


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with its role: ``body``, ``heading2`` (run-in （一）…。) or ``strong``.

    A span naming units carries the ``Claim`` that proves it; text without a claim names no unit."""

    text: str
    role: str = "body"
    claim: Claim | None = None


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

    def targets(self, key: str) -> list[dict[str, Any]]:
        return list(self.document.get(key) or [])


def _heading1(text: str) -> Paragraph:
    return Paragraph((Span(text),), "heading1")


def fault_ids(target: dict[str, Any]) -> tuple[str, ...]:
    """The distinct veto/deduct findings of a unit: what its 不合格 rests on."""
    return tuple(dict.fromkeys(finding_id(str(target.get("id")), f) for f in target.get("findings") or []
                               if is_fault(f)))


def failing_span(ctx: BodyContext, kind: str, target: dict[str, Any], text: str | None = None) -> Span:
    claim = Claim("failing", ((kind, str(target.get("id"))),), fault_ids(target))
    return Span(text if text is not None else ctx.label(kind, target), claim=claim)


def _joined(parts: list[Span], sep: str) -> list[Span]:
    out: list[Span] = []
    for index, part in enumerate(parts):
        if index:
            out.append(Span(sep))
        out.append(part)
    return out


def _overall(ctx: BodyContext) -> list[Paragraph]:
    sites, accounts = ctx.targets("sites"), ctx.targets("accounts")
    spans = [Span(overall_sentence(tally(sites), tally(accounts), ctx.settings.scope,
                                   not_inspected_reasons(sites + accounts)))]
    named: list[list[Span]] = []
    for kind, targets, noun in (("site", sites, "政府网站"), ("account", accounts, "政务新媒体")):
        failing = [failing_span(ctx, kind, t) for t in targets if verdict(t) == "fail"]
        if failing:
            named.append([Span(f"不合格{noun}为"), *_joined(failing, "、")])
    if named:
        spans += [Span("其中，"), *[s for i, part in enumerate(named) for s in ([Span("；")] if i else []) + part],
                  Span("。")]
    spread = breakdown_sentence(ctx.document, ctx.settings.district_order) + platform_sentence(accounts, ctx.names)
    return [Paragraph(tuple(spans))] + ([Paragraph((Span(spread),))] if spread else [])


def _check_item(ctx: BodyContext, kind: str, check: str, targets: list[dict[str, Any]]) -> list[Span]:
    """``栏目更新不及时，“A”网站…，“B”网站…`` — the units with fault findings of this check, worst first."""
    hits: list[tuple[Problem, int, dict[str, Any]]] = []
    for index, target in enumerate(targets):
        if verdict(target) == NOT_INSPECTED:
            continue
        for problem in unit_problems(target, ctx.as_of, FAULT):
            if problem.check == check:
                hits.append((problem, index, target))
    if not hits:
        return []
    hits.sort(key=lambda h: (SEVERITY_RANK.get(h[0].severity, 9), -h[0].count, h[1]))
    limit = ctx.settings.max_named_units
    clauses = [Span(ctx.label(kind, t) + p.clause, claim=Claim("fault", ((kind, str(t.get("id"))),), p.ids, check))
               for p, _, t in hits[:limit]]
    label = LABELS.get(check, check)
    if check == "expression_error" and any(p.severity == "veto" for p, _, _ in hits):
        label = "存在严重表述错误"
    more = [Span(f"等{len(hits)}{'家网站' if kind == 'site' else '个账号'}")] if len(hits) > limit else []
    return [Span(f"{label}，"), *_joined(clauses, "，"), *more]


def _account(ctx: BodyContext, account_id: str) -> dict[str, Any]:
    """The account from the document (every registry account is in it); else a stub with its id."""
    for account in ctx.targets("accounts"):
        if str(account.get("id")) == account_id:
            return account
    return {"id": account_id, "name": account_id}


def _duplicates_item(ctx: BodyContext) -> list[Span]:
    """微信公众号“A”“B”账号主体同为C — one clause per (platform, group of accounts), citing every account's finding."""
    groups: dict[tuple[str, tuple[str, ...]], tuple[str, dict[str, str]]] = {}
    for account in ctx.targets("accounts"):
        for f in account.get("findings") or []:
            if f.get("check") != "duplicate_account" or is_fault(f):
                continue
            ids = tuple(str(i) for i in f.get("accounts") or [account.get("id")])
            key = (str(f.get("platform") or account.get("platform")), tuple(sorted(ids)))
            text, cited = groups.get(key) or (
                f"{platform_name(key[0], ctx.names)}" + "".join(f"“{_account(ctx, i).get('name')}”" for i in ids)
                + f"账号主体同为{f.get('owner') or account.get('owner')}", {})
            cited[finding_id(str(account.get("id")), f)] = str(account.get("id"))
            groups[key] = (text, cited)
    clauses = [Span(text, claim=Claim("stated", tuple(("account", a) for a in dict.fromkeys(cited.values())),
                                      tuple(cited), "duplicate_account"))
               for text, cited in groups.values()]
    return [Span(f"{LABELS['duplicate_account']}，"), *_joined(clauses, "，")] if clauses else []


def _stated_item(ctx: BodyContext, kind: str, check: str, targets: list[dict[str, Any]]) -> list[Span]:
    """A stated notice of another check: each unit with the check's own wording."""
    clauses = []
    for target in targets:
        for problem in unit_problems(target, ctx.as_of, NOTICE):
            if problem.check == check:
                clauses.append(Span(ctx.label(kind, target) + problem.clause,
                                    claim=Claim("stated", ((kind, str(target.get("id"))),), problem.ids, check)))
    return [Span(f"{LABELS.get(check, check)}，"), *_joined(clauses, "，")] if clauses else []


def _enumerate(items: list[list[Span]]) -> list[Span]:
    out: list[Span] = []
    for i, item in enumerate(items, 1):
        out += [Span(f"{ordinal(i)}是"), *item, Span("。" if i == len(items) else "；")]
    return out


def _extra_checks(ctx: BodyContext) -> tuple[str, ...]:
    known = set(SITE_CHECKS) | set(ACCOUNT_CHECKS)
    return tuple(sorted({str(f.get("check")) for t in ctx.targets("sites") + ctx.targets("accounts")
                         for f in t.get("findings") or []} - known))


def _stated(ctx: BodyContext) -> list[list[Span]]:
    """Items of the stated notices (``[report] stated_notices``): positive evidence, never a fault."""
    items = []
    stated = set(ctx.settings.stated_notices)
    for check in SITE_CHECKS + ACCOUNT_CHECKS + _extra_checks(ctx):
        if check not in stated:
            continue
        if check == "duplicate_account":
            items.append(_duplicates_item(ctx))
            continue
        for kind, key in (("site", "sites"), ("account", "accounts")):
            items.append(_stated_item(ctx, kind, check, ctx.targets(key)))
    return [i for i in items if i]


def _problems(ctx: BodyContext) -> list[Paragraph]:
    extra = _extra_checks(ctx)
    site_items = [i for c in SITE_CHECKS + extra if (i := _check_item(ctx, "site", c, ctx.targets("sites")))]
    account_items = [i for c in ACCOUNT_CHECKS + extra
                     if (i := _check_item(ctx, "account", c, ctx.targets("accounts")))]
    out = []
    for marker, items in (("（一）网站方面。", site_items), ("（二）政务新媒体方面。", account_items)):
        body = _enumerate(items) if items else [Span("本次检查未发现此类问题。")]
        out.append(Paragraph((Span(marker, "heading2"), *body)))
    number = 3
    if ctx.repeats:
        out.append(Paragraph((Span(f"（{ordinal(number)}）整改落实方面。", "heading2"), *_repeats(ctx))))
        number += 1
    stated = _stated(ctx)
    if stated:
        lead = Span("以下情况不影响本次检查结果，请相关单位对照有关规定核实规范：")
        items = _enumerate(stated) if len(stated) > 1 else [*stated[0], Span("。")]
        out.append(Paragraph((Span(f"（{ordinal(number)}）管理规范方面。", "heading2"), lead, *items)))
    return out


def _repeats(ctx: BodyContext) -> list[Span]:
    parts = []
    for key in ("sites", "accounts"):
        kind = key[:-1]
        for target in ctx.targets(key):
            repeat = ctx.repeats.get((kind, str(target.get("id"))))
            if repeat is None:
                continue
            year, month = repeat.since.split("-")
            tail = "，经多次督促后仍未整改" if repeat.same_problem else "（本月为新出现的问题）"
            text = f"{ctx.label(kind, target)}自{year}年{int(month)}月起连续{repeat.months}个月检查不合格{tail}"
            parts.append(failing_span(ctx, kind, target, text))
    return [Span("部分单位对通报问题整改不到位："), *_joined(parts, "；"), Span("。")]


def build_body(ctx: BodyContext) -> list[Paragraph]:
    """The paragraphs after the basis sentence, in order, headings included."""
    out = [_heading1("一、总体情况"), *_overall(ctx), _heading1("二、存在的主要问题"), *_problems(ctx),
           _heading1("三、下一步工作要求")]
    for lead, text in render_requirements(ctx.settings, ctx.document, month_text=ctx.month_text,
                                          deadline=ctx.deadline, repeats=len(ctx.repeats)):
        spans = ((Span(lead, "heading2"),) if lead else ()) + ((Span(text),) if text else ())
        out.append(Paragraph(spans))
    return out
