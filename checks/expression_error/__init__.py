"""expression_error: serious wrong forms in page and post text (严重表述错误 / 错敏词).

What: three detectors over the text of every crawled page (home page included) and of every
post of an account published in the period:
- ``dictionary`` — wrong→right entries from ``checks/expression_error/data/expression_rules.toml`` plus the
  user's (``extra_rules``, ``extra_rules_file``); a hit inside a longer correct word is no error;
- ``near_miss`` — a key term of ``checks/expression_error/data/key_terms.toml`` with one or two characters
  replaced by a (near-)homophone (``checks.expression_error.phonetic``);
- ``enumeration`` — a fixed list (四个意识 …) with all its members in another order.
Why: category A/B/C errors (names of the state, the Party, its organs and leaders, fixed
formulations) are evidence for the 严重问题 veto; D/E/F are deductions (inspection-rules §5).
An official notice names the unit, so only what holds up in an appeal is a fault:
- dates: entries and key terms are valid from/until a date (新冠肺炎 is an error only from
  2022-12-26); a page is judged on its publication date, an undated page on the inspection's
  as-of. An entry not valid on that day is no hit at all. A dated entry that is valid at as-of
  on an undated page is a notice (发布日期不明，请人工核实), never a deduction. A hit in a sentence
  naming a year before the entry took effect (2016年，县环保局…) speaks of the past, and so does one
  next to a full date before it (a list page's row “…新冠肺炎…通知 2021-05-01”), followed by an
  earlier document number (…决定书〔2021〕4号) or inside a 《title》: no error; the issuer in a
  document title without a year (…行政监管措施决定书) may predate the rename: a notice;
- sound: a near miss or a misordered list is a *suspected* error — a notice worded
  疑似……，请人工核实 (``promote_suspected`` makes it a fault of its category); exact
  dictionary hits of A–C stay vetoes;
- pages: the addresses of one content (``?from=next``, ``index.html``, http/https) are one page
  (``monitor.pages.identity``); one finding per distinct (page, wrong text), so a count of
  findings is a count of distinct errors.
Keys: url, text (the wrong span exactly), suggestion, category, rule, context (±15 characters);
notices add ``undated: true`` or ``suspected: true``; ``urls`` lists every address of the page
when there are several; a hit of a dated entry says on which day it was judged (``judged_on``:
the publication date, or the as-of for an undated page) and the entry's ``valid_from`` /
``valid_until`` — the evidence an appeal asks for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import chain
from typing import ClassVar

from pydantic import BaseModel, Field, field_validator, model_validator

from checks.base import CheckContext, CheckOptions
from checks.expression_error.phonetic import FUZZY_CHOICES, NearMissFinder
from checks.expression_error.rules import Rule, RuleEntry, build_rules, load_key_terms
from checks.expression_error.textmatch import (
    Enumeration,
    Hit,
    PatternSet,
    dates_near,
    doc_number_years,
    excerpt,
    in_book_title,
    in_clause,
    inside_superstring,
    misordered,
    near,
    outermost,
    years_around,
)
from monitor.model.errors import ConfigError
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.snapshots import AccountSnapshot, PageSnapshot, SiteSnapshot
from monitor.pages.identity import page_keys, same_groups
from monitor.registry.model import Account, Site

VETO_CATEGORIES = frozenset("ABC")
CATEGORY_NAMES = {"A": "国名、党名、机关名称错误", "B": "党和国家领导人姓名错误", "C": "固定提法错误",
                  "D": "使用过时机构名称", "E": "涉台港澳及外交用语不规范", "F": "错别字"}


class Options(CheckOptions):
    """``[checks.expression_error]`` in settings.toml."""

    extra_rules: list[RuleEntry]
    extra_rules_file: str
    disabled_rules: list[str]
    near_miss: bool
    enumerations: bool
    promote_suspected: bool
    max_replaced: int = Field(ge=1, le=3)
    context_window: int = Field(ge=1, le=200)
    short_context_window: int = Field(ge=1, le=50)
    fuzzy: list[str]

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
    judged_on: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None

    @property
    def suspected(self) -> bool:
        """Found by sound or order, not by the dictionary: for a person to confirm."""
        return self.rule != "dictionary"


@dataclass(frozen=True, slots=True)
class Scanner:
    """Everything built from one set of options: automata are built once and reused."""

    rules: PatternSet
    finder: NearMissFinder | None
    enumerations: tuple[Enumeration, ...]
    window: int
    promote: bool = False


@lru_cache(maxsize=8)
def _scanner(key: str) -> Scanner:
    options = Options.model_validate_json(key)
    rules = build_rules(options.extra_rules, options.extra_rules_file, options.disabled_rules)
    terms = load_key_terms()
    finder = NearMissFinder(terms.terms, terms.lexicon, fuzzy=options.fuzzy, max_replaced=options.max_replaced,
                            context_window=options.context_window,
                            short_context_window=options.short_context_window,
                            edges=terms.edges) if options.near_miss else None
    enums = terms.enumerations if options.enumerations else ()
    by_wrong: dict[str, tuple[Rule, ...]] = {}
    for rule in rules:
        by_wrong[rule.wrong] = by_wrong.get(rule.wrong, ()) + (rule,)
    return Scanner(PatternSet(by_wrong.items()), finder, enums, options.context_window, options.promote_suspected)


def scanner(options: BaseModel) -> Scanner:
    """The scanner for these options (built on first use, then shared)."""
    return _scanner(options.model_dump_json())


def holding(rules: tuple[Rule, ...], day: date) -> Rule | None:
    """The entry of one wrong form valid on ``day`` (entries of one form never overlap)."""
    return next((r for r in rules if r.valid_on(day)), None)


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
    if rule.valid_from is None:
        return True
    last_old_year = (rule.valid_from - timedelta(days=1)).year
    if any(year <= last_old_year for year in years_around(text, hit.start, hit.end, 4 * window)):
        return False
    if any(year <= last_old_year for year in doc_number_years(text, hit.end, 2 * window)):
        return False
    if in_book_title(text, hit.start, hit.end):
        return False
    return not any(day < rule.valid_from for day in dates_near(text, hit.start, hit.end, 2 * window))


_DOCUMENT_TITLE = re.compile(r"[^，。；！？,;!?\n]{0,24}?(?:决定书|通知书|告知书|意见书|规章|批复)")


def old_document_title(rule: Rule, text: str, hit: Hit) -> bool:
    """A dated name as the issuer in a document's title (…行政监管措施决定书) with no year on it:
    the document may predate the rename, so only a person can tell (a notice, never a fault)."""
    return rule.valid_from is not None and _DOCUMENT_TITLE.match(text, hit.end) is not None


def dictionary_matches(text: str, hits: list[Hit], window: int, day: date, undated: bool) -> Iterator[Match]:
    """The dictionary hits that are errors in this text on ``day``."""
    for hit in hits:
        rule = holding(hit.value, day)
        if rule is None or not _applies(rule, text, hit, window):
            continue
        if rule.dated:
            unsure = undated or old_document_title(rule, text, hit)
            yield Match(hit.start, hit.end, rule.right, rule.category, "dictionary", unsure, day, rule.valid_from,
                        rule.valid_until)
        else:
            yield Match(hit.start, hit.end, rule.right, rule.category, "dictionary")


def scan(text: str, scan_with: Scanner, published: date | None, as_of: date) -> list[Match]:
    """Every wrong span of ``text`` on its publication date (undated: ``as_of``), in text order
    (dictionary first where spans overlap)."""
    day = published or as_of
    hits = outermost(scan_with.rules.find(text))
    found = list(dictionary_matches(text, hits, scan_with.window, day, published is None))
    taken = [(h.start, h.end) for h in hits]
    extra: list[Match] = []
    if scan_with.finder is not None:
        extra += [Match(m.start, m.end, m.term.text, m.term.category, "near_miss")
                  for m in scan_with.finder.find(text, day)]
    extra += [Match(s, e, "、".join(en.members), en.category, "enumeration")
              for s, e, en in misordered(text, scan_with.enumerations)]
    for match in extra:
        if not any(match.start < end and start < match.end for start, end in taken):
            found.append(match)
            taken.append((match.start, match.end))
    return sorted(found, key=lambda m: (m.start, m.end))


def severity(match: Match, promote: bool) -> Severity:
    """A notice for what a person must confirm (undated page, a sound or an order), else the
    category's: A–C veto, D–F deduction."""
    if match.undated or (match.suspected and not promote):
        return Severity.NOTICE
    return Severity.VETO if match.category in VETO_CATEGORIES else Severity.DEDUCT


def clause_of(match: Match, wrong: str, level: Severity) -> str:
    """The finding's sentence; a suspected error says so and asks for a person (疑似……，请人工核实)."""
    name = CATEGORY_NAMES[match.category]
    if match.suspected and level == Severity.NOTICE:
        return f"疑似{name}：“{wrong}”疑似应为“{match.suggestion}”，请人工核实"
    head = "严重表述错误" if match.category in VETO_CATEGORIES else "表述错误"
    return f"{head}：{name}" + ("（发布日期不明，请人工核实）" if match.undated else "")


RANK = {Severity.VETO: 0, Severity.DEDUCT: 1, Severity.NOTICE: 2}


def findings(urls: list[str], scanned: list[tuple[str, list[Match]]], promote: bool = False) -> Iterator[Finding]:
    """One finding per wrong text of one page (its texts and their matches): the most severe
    occurrence — a name in an old document's title is a notice, the same name in the page's own
    header a fault."""
    best: dict[str, tuple[str, Match, Severity]] = {}
    for text, matches in scanned:
        for m in matches:
            wrong, level = text[m.start:m.end], severity(m, promote)
            if wrong not in best or RANK[level] < RANK[best[wrong][2]]:
                best[wrong] = (text, m, level)
    for wrong, (text, m, level) in best.items():
        data: dict[str, object] = {"text": wrong, "suggestion": m.suggestion, "category": m.category, "rule": m.rule,
                                   "context": excerpt(text, m.start, m.end)}
        if m.undated:
            data["undated"] = True
        if m.judged_on is not None:
            data["judged_on"] = m.judged_on.isoformat()
            data.update({k: v.isoformat() for k, v in (("valid_from", m.valid_from), ("valid_until", m.valid_until))
                         if v is not None})
        if m.suspected and level == Severity.NOTICE:
            data["suspected"] = True
        if len(urls) > 1:
            data["urls"] = list(urls)
        yield Finding("expression_error", level, urls[0], data, 0.0, clause_of(m, wrong, level))


def page_groups(snap: SiteSnapshot) -> Iterator[tuple[list[str], list[PageSnapshot]]]:
    """Each distinct readable page once: its addresses (first as read) and its copies.

    Pages are grouped by their keys alone and read again group by group: a big crawl's pages
    live in a file (``monitor.crawl.spill``), and only one group's texts are in memory at a time."""
    pages, home = snap.pages, snap.home
    chosen: list[int] = []  # -1: the home page, else a position in ``pages``
    keys: list[list[tuple[str, str]]] = []
    for where, page in chain([(-1, home)] if home is not None else [], enumerate(pages)):
        if page.text and page.readable():
            chosen.append(where)
            keys.append(page_keys(page))
    for group in same_groups(keys):
        copies = [home if chosen[i] == -1 and home is not None else pages[chosen[i]] for i in group]
        yield list(dict.fromkeys(p.url for p in copies)), copies


class ExpressionError:
    """The check object registered as ``expression_error`` (sites and accounts)."""

    id: ClassVar[str] = "expression_error"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.SITE, TargetKind.ACCOUNT})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_site(self, site: Site, snap: SiteSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        scan_with = scanner(ctx.options)
        as_of = ctx.period.as_of
        for urls, copies in page_groups(snap):
            dates = [p.published for p in copies if p.published is not None]
            published = min(dates) if dates else None
            scanned = [(text, scan(text, scan_with, published, as_of)) for text in dict.fromkeys(p.text for p in copies)]
            yield from findings(urls, scanned, scan_with.promote)

    def run_account(self, account: Account, snap: AccountSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        scan_with = scanner(ctx.options)
        by_url: dict[str, list[tuple[str, list[Match]]]] = {}
        tz = ctx.settings.general.zone()
        for post in snap.posts:
            day = post.published_at.astimezone(tz).date()
            if not ctx.period.start <= day <= ctx.period.as_of:
                continue
            text = f"{post.title}\n{post.text}" if post.title else post.text
            by_url.setdefault(post.url or f"post:{post.key}", []).append(
                (text, scan(text, scan_with, day, ctx.period.as_of)))
        for url, scanned in by_url.items():
            yield from findings([url], scanned, scan_with.promote)


CHECK = ExpressionError()
