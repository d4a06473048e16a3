"""expression_error: serious wrong forms in page and post text (严重表述错误 / 错敏词).

What: three detectors over the text of every crawled page (home page included) and of every
post of an account published in the period:
- ``dictionary`` — wrong→right pairs from ``checks/data/expression_rules.toml`` plus the user's
  (``extra_rules``, ``extra_rules_file``); a hit inside a longer correct word is no error;
  time-aware rules (``after``) use the page's/post's publication date;
- ``near_miss`` — a key term of ``checks/data/key_terms.toml`` with one or two characters
  replaced by a (near-)homophone (``monitor.phonetic``);
- ``enumeration`` — a fixed list (四个意识 …) with all its members in another order.
Why: category A/B/C errors (names of the state, the Party, its organs and leaders, fixed
formulations) are evidence for the 严重问题 veto; D/E/F are deductions (inspection-rules §5).
A time-aware hit in a sentence naming a year up to the rule's (2016年，县环保局…) speaks of the
past and is no error. A page whose publication date is unknown cannot be judged by a
time-aware rule once fetched after the rule's date: such a hit is a notice (发布日期不明，请人工
核实), never a deduction; fetched on or before that date, the old name was still right.
Keys: url, text (the wrong span exactly), suggestion, category, rule, context (±15 characters);
notices add ``undated: true``. One finding per distinct (url, text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import ClassVar

from pydantic import BaseModel, Field, field_validator, model_validator

from checks.base import CheckContext, Finding, Severity, TargetKind
from monitor.errors import ConfigError
from monitor.expression_rules import Rule, RuleEntry, build_rules, load_key_terms
from monitor.feeds import zone
from monitor.phonetic import DEFAULT_FUZZY, FUZZY_CHOICES, NearMissFinder
from monitor.registry import Account, Site
from monitor.snapshots import AccountSnapshot, SiteSnapshot
from monitor.textmatch import (Enumeration, Hit, PatternSet, excerpt, in_clause, inside_superstring, misordered,
                               near, outermost, years_around)

VETO_CATEGORIES = frozenset("ABC")
CATEGORY_NAMES = {"A": "国名、党名、机关名称错误", "B": "党和国家领导人姓名错误", "C": "固定提法错误",
                  "D": "使用过时机构名称", "E": "涉台港澳及外交用语不规范", "F": "错别字"}


class Options(BaseModel):
    """``[checks.expression_error]`` in settings.toml (defaults mirrored there)."""

    model_config = {"extra": "forbid"}
    extra_rules: list[RuleEntry] = []
    extra_rules_file: str = ""
    disabled_rules: list[str] = []
    near_miss: bool = True
    enumerations: bool = True
    max_replaced: int = Field(2, ge=1, le=3)
    context_window: int = Field(20, ge=1, le=200)
    short_context_window: int = Field(8, ge=1, le=50)
    fuzzy: list[str] = list(DEFAULT_FUZZY)

    @field_validator("fuzzy")
    @classmethod
    def _known_pairs(cls, value: list[str]) -> list[str]:
        unknown = [p for p in value if p not in FUZZY_CHOICES]
        if unknown:
            raise ValueError(f"unknown pair(s) {unknown} (choose from {', '.join(FUZZY_CHOICES)})")
        return value

    @model_validator(mode="after")
    def _rules_load(self) -> "Options":
        try:
            build_rules(self.extra_rules, self.extra_rules_file, self.disabled_rules)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return self


@dataclass(frozen=True, slots=True)
class Match:
    """One wrong span found in a text, before it becomes a finding."""

    start: int
    end: int
    suggestion: str
    category: str
    rule: str
    undated: bool = False


@dataclass(frozen=True, slots=True)
class Scanner:
    """Everything built from one set of options: automata are built once and reused."""

    rules: PatternSet
    finder: NearMissFinder | None
    enumerations: tuple[Enumeration, ...]
    window: int


@lru_cache(maxsize=8)
def _scanner(key: str) -> Scanner:
    options = Options.model_validate_json(key)
    rules = build_rules(options.extra_rules, options.extra_rules_file, options.disabled_rules)
    terms = load_key_terms()
    finder = NearMissFinder(terms.terms, terms.lexicon, fuzzy=options.fuzzy, max_replaced=options.max_replaced,
                            context_window=options.context_window,
                            short_context_window=options.short_context_window) if options.near_miss else None
    enums = terms.enumerations if options.enumerations else ()
    return Scanner(PatternSet((r.wrong, r) for r in rules), finder, enums, options.context_window)


def scanner(options: BaseModel) -> Scanner:
    """The scanner for these options (built on first use, then shared)."""
    return _scanner(options.model_dump_json())


def dated(after: date | None, published: date | None, seen: date | None) -> bool | None:
    """True: flag; None: not an error at that date; False: date unknown, only a notice."""
    if after is None:
        return True
    if published is not None:
        return True if published > after else None
    if seen is not None and seen <= after:
        return None
    return False


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _applies(rule: Rule, text: str, hit: Hit, window: int) -> bool:
    """The hit is the rule's error here: not inside a longer correct word, followed and
    surrounded as the rule requires, and (time-aware rules) not in a sentence about the past."""
    if inside_superstring(text, hit.start, rule.offsets):
        return False
    if rule.followed_by and not _regex(rule.followed_by).match(text, hit.end):
        return False
    if rule.context and not near(text, hit.start, hit.end, rule.context, window):
        return False
    if rule.unless and in_clause(text, hit.start, hit.end, rule.unless, window):
        return False
    years = years_around(text, hit.start, hit.end, 4 * window) if rule.after is not None else []
    return not any(rule.after is not None and year <= rule.after.year for year in years)


def dictionary_matches(text: str, hits: list[Hit], window: int, published: date | None,
                       seen: date | None) -> Iterator[Match]:
    """The dictionary hits that are errors in this text at its date."""
    for hit in hits:
        rule: Rule = hit.value
        verdict = dated(rule.after, published, seen)
        if verdict is not None and _applies(rule, text, hit, window):
            yield Match(hit.start, hit.end, rule.right, rule.category, "dictionary", undated=not verdict)


def scan(text: str, scan_with: Scanner, published: date | None = None, seen: date | None = None) -> list[Match]:
    """Every wrong span of ``text``, in text order (dictionary first where spans overlap)."""
    hits = outermost(scan_with.rules.find(text))
    found = list(dictionary_matches(text, hits, scan_with.window, published, seen))
    taken = [(h.start, h.end) for h in hits]
    extra: list[Match] = []
    if scan_with.finder is not None:
        extra += [Match(m.start, m.end, m.term.text, m.term.category, "near_miss") for m in scan_with.finder.find(text)]
    extra += [Match(s, e, "、".join(en.members), en.category, "enumeration")
              for s, e, en in misordered(text, scan_with.enumerations)]
    for match in extra:
        if not any(match.start < end and start < match.end for start, end in taken):
            found.append(match)
            taken.append((match.start, match.end))
    return sorted(found, key=lambda m: (m.start, m.end))


def findings(url: str, text: str, matches: list[Match], seen_texts: set[tuple[str, str]]) -> Iterator[Finding]:
    """One finding per distinct (url, text) not yet in ``seen_texts``."""
    for m in matches:
        wrong = text[m.start:m.end]
        if (url, wrong) in seen_texts:
            continue
        seen_texts.add((url, wrong))
        severity = Severity.NOTICE if m.undated else Severity.VETO if m.category in VETO_CATEGORIES else Severity.DEDUCT
        data = {"text": wrong, "suggestion": m.suggestion, "category": m.category, "rule": m.rule,
                "context": excerpt(text, m.start, m.end)}
        if m.undated:
            data["undated"] = True
        head = "严重表述错误" if m.category in VETO_CATEGORIES else "表述错误"
        clause = f"{head}：{CATEGORY_NAMES[m.category]}" + ("（发布日期不明，请人工核实）" if m.undated else "")
        yield Finding("expression_error", severity, url, data, 0.0, clause)


class ExpressionError:
    """The check object registered as ``expression_error`` (sites and accounts)."""

    id: ClassVar[str] = "expression_error"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.SITE, TargetKind.ACCOUNT})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_site(self, site: Site, snap: SiteSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        scan_with = scanner(ctx.options)
        seen_texts: set[tuple[str, str]] = set()
        pages = ([snap.home] if snap.home else []) + snap.pages
        done: set[str] = set()
        tz = zone(ctx.settings)
        for page in pages:
            if page.url in done or not page.text:
                continue
            done.add(page.url)
            fetched = page.fetched_at.astimezone(tz).date()
            yield from findings(page.url, page.text, scan(page.text, scan_with, page.published, fetched), seen_texts)

    def run_account(self, account: Account, snap: AccountSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        scan_with = scanner(ctx.options)
        seen_texts: set[tuple[str, str]] = set()
        tz = zone(ctx.settings)
        for post in snap.posts:
            day = post.published_at.astimezone(tz).date()
            if not ctx.period.start <= day <= ctx.period.as_of:
                continue
            text = f"{post.title}\n{post.text}" if post.title else post.text
            url = post.url or f"post:{post.key}"
            yield from findings(url, text, scan(text, scan_with, day, day), seen_texts)


CHECK = ExpressionError()
