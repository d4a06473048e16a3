"""The data behind the expression_error check: the wrong→right dictionary and the key terms.

Both ship as TOML under ``checks/expression_error/data/`` (``expression_rules.toml``, ``key_terms.toml``) and
users extend the dictionary from settings. Why data, not code: leaders change, institutions are
renamed, and a city adds the typos its inspectors saw — none of that should need a release.
Every error names the file, the entry and the field, e.g.
``my_rules.toml: rules[3] (wrong='秸杆'): category: Input should be 'A', 'B', …``.

Entries are dated: ``valid_from`` / ``valid_until`` (both inclusive) bound the days on which an
entry is an error at all (a name becomes outdated on the day its successor takes over; a
leader's title holds only while in office). One wrong form may have several entries whose
periods do not overlap (国务院扶贫办 → 国家乡村振兴局 in 2021–2023, → 农业农村部 after).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from checks.expression_error.textmatch import Enumeration, inside_superstring, superstring_offsets
from monitor.config.shipped import read_toml
from monitor.model.errors import ConfigError

DATA_DIR = Path(__file__).resolve().parent / "data"
RULES_FILE = DATA_DIR / "expression_rules.toml"
TERMS_FILE = DATA_DIR / "key_terms.toml"
Category = Literal["A", "B", "C", "D", "E", "F"]


class RuleEntry(BaseModel):
    """One dictionary entry as written in a rules file or in ``extra_rules``."""

    model_config = {"extra": "forbid", "frozen": True}
    wrong: str = Field(min_length=1)
    right: str = Field(min_length=1)
    category: Category
    note: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    after: date | None = None
    context: list[str] = []
    exceptions: list[str] = []
    unless: list[str] = []
    followed_by: str = ""

    @model_validator(mode="after")
    def _coherent(self) -> "RuleEntry":
        if self.after is not None:
            if self.valid_from is not None:
                raise ValueError("give valid_from or the older `after`, not both")
            object.__setattr__(self, "valid_from", self.after + timedelta(days=1))
            object.__setattr__(self, "after", None)
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError(f"valid_until {self.valid_until} is before valid_from {self.valid_from}")
        if self.wrong != self.wrong.strip() or self.wrong == self.right:
            raise ValueError(f"wrong {self.wrong!r} must differ from right and carry no surrounding spaces")
        superstring_offsets(self.wrong, self.exceptions)
        if any(not w for w in (*self.context, *self.unless)):
            raise ValueError("context/unless words must not be empty")
        try:
            re.compile(self.followed_by)
        except re.error as exc:
            raise ValueError(f"followed_by is not a regular expression: {exc}") from None
        return self


@dataclass(frozen=True, slots=True)
class Rule:
    """A validated dictionary rule, hashable (payload of the matching automaton)."""

    wrong: str
    right: str
    category: str
    note: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    context: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    followed_by: str = ""
    offsets: tuple[tuple[str, int], ...] = ()

    @property
    def dated(self) -> bool:
        """The entry holds only on some days (a rename, a term of office)."""
        return self.valid_from is not None or self.valid_until is not None

    def valid_on(self, day: date) -> bool:
        """Whether the wrong form is an error in a text of ``day``."""
        return within(day, self.valid_from, self.valid_until)

    @classmethod
    def of(cls, entry: RuleEntry, defaults: dict[str, dict[str, list[str]]]) -> "Rule":
        extra = defaults.get(entry.category, {})
        return cls(entry.wrong, entry.right, entry.category, entry.note, entry.valid_from, entry.valid_until,
                   tuple(dict.fromkeys([*extra.get("context", []), *entry.context])),
                   tuple(dict.fromkeys([*extra.get("unless", []), *entry.unless])),
                   entry.followed_by, superstring_offsets(entry.wrong, entry.exceptions))


def within(day: date, valid_from: date | None, valid_until: date | None) -> bool:
    """``valid_from <= day <= valid_until``, an open bound being no bound."""
    return (valid_from is None or valid_from <= day) and (valid_until is None or day <= valid_until)


def _overlap(a: RuleEntry, b: RuleEntry) -> bool:
    lo = max(a.valid_from or date.min, b.valid_from or date.min)
    hi = min(a.valid_until or date.max, b.valid_until or date.max)
    return lo <= hi


def check_periods(origin: str, table: str, entries: Sequence[RuleEntry]) -> None:
    """Entries sharing a wrong form must cover disjoint periods: otherwise which one holds is
    a guess, and the finding's suggestion with it."""
    seen: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        for other in seen.get(entry.wrong, []):
            if _overlap(entries[other], entry):
                raise ConfigError(f"{origin}: {table}[{index}] ({entry.wrong!r}): repeats {table}[{other}] for "
                                  "overlapping dates (give each entry its own valid_from/valid_until)")
        seen.setdefault(entry.wrong, []).append(index)


def entry_error(origin: str, table: str, index: int, raw: Any, exc: ValidationError) -> ConfigError:
    """One line naming where the bad entry is and which field is wrong."""
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "entry"
    label = raw.get("wrong") or raw.get("term") or raw.get("name") if isinstance(raw, dict) else None
    hint = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
    named = f" ({label!r})" if label else ""
    return ConfigError(f"{origin}: {table}[{index}]{named}: {field}: {hint}")


def parse_entries(origin: str, table: str, raws: Any, model: type[BaseModel]) -> list[Any]:
    if not isinstance(raws, list):
        raise ConfigError(f"{origin}: {table}: must be a list of tables")
    entries = []
    for index, raw in enumerate(raws):
        try:
            entries.append(model.model_validate(raw))
        except ValidationError as exc:
            raise entry_error(origin, table, index, raw, exc) from None
    return entries


def _rules_of(origin: str, data: dict[str, Any]) -> tuple[list[RuleEntry], dict[str, dict[str, list[str]]]]:
    unknown = set(data) - {"rules", "defaults"}
    if unknown:
        raise ConfigError(f"{origin}: unknown key(s) {', '.join(sorted(unknown))} (expected rules, defaults)")
    defaults = data.get("defaults", {})
    for cat, table in defaults.items():
        if cat not in "ABCDEF" or not isinstance(table, dict) or set(table) - {"context", "unless"}:
            raise ConfigError(f"{origin}: defaults.{cat}: expected a category A–F with context/unless lists")
    entries = parse_entries(origin, "rules", data.get("rules", []), RuleEntry)
    check_periods(origin, "rules", entries)
    return entries, defaults


@lru_cache(maxsize=16)
def _rules_file(path: str, mtime_ns: int) -> tuple[tuple[RuleEntry, ...], tuple[tuple[str, Any], ...]]:
    entries, defaults = _rules_of(path, read_toml(Path(path)))
    return tuple(entries), tuple((k, v) for k, v in defaults.items())


def rules_file(path: str | Path) -> tuple[list[RuleEntry], dict[str, dict[str, list[str]]]]:
    """A rules file's entries and category defaults (re-read when the file changes)."""
    resolved = Path(path).expanduser().resolve()
    try:
        mtime = resolved.stat().st_mtime_ns
    except OSError:
        raise ConfigError(f"{path}: file not found") from None
    entries, defaults = _rules_file(str(resolved), mtime)
    return list(entries), dict(defaults)


def build_rules(extra: Sequence[RuleEntry] = (), extra_file: str = "",
                disabled: Iterable[str] = ()) -> tuple[Rule, ...]:
    """Shipped rules, then the user's file, then inline ``extra``: a later source's entries for a
    wrong form replace all earlier ones of that form; minus ``disabled`` (each must name a rule)."""
    entries, defaults = rules_file(RULES_FILE)
    sources = [(str(RULES_FILE), "rules", entries)]
    if extra_file:
        more, more_defaults = rules_file(extra_file)
        sources.append((extra_file, "rules", more))
        for cat, table in more_defaults.items():
            merged = {k: [*defaults.get(cat, {}).get(k, []), *v] for k, v in table.items()}
            defaults[cat] = {**defaults.get(cat, {}), **merged}
    check_periods("extra_rules", "extra_rules", extra)
    sources.append(("extra_rules", "extra_rules", list(extra)))
    by_wrong: dict[str, list[tuple[str, RuleEntry]]] = {}
    for origin, table, source in sources:
        grouped: dict[str, list[tuple[str, RuleEntry]]] = {}
        for index, entry in enumerate(source):
            grouped.setdefault(entry.wrong, []).append((f"{origin}: {table}[{index}] ({entry.wrong!r})", entry))
        by_wrong.update(grouped)
    for name in disabled:
        if by_wrong.pop(name, None) is None:
            raise ConfigError(f"disabled_rules: {name!r} is not the `wrong` form of any rule")
    named = [(label, Rule.of(e, defaults)) for group in by_wrong.values() for label, e in group]
    _suggestions_hold_no_error(named)
    return tuple(rule for _, rule in named)


def _suggestions_hold_no_error(named: Sequence[tuple[str, Rule]]) -> None:
    """A suggestion must not contain a wrong form that is an error on the same days (outside its
    longer correct words): the finding would tell the unit to write another error. Rules that
    need context or a following pattern are left out, their hits depend on the text around."""
    plain = [(label, rule) for label, rule in named if not rule.context and not rule.followed_by]
    for label, rule in named:
        for other_label, other in plain:
            if other is rule or other.wrong not in rule.right:
                continue
            lo = max(rule.valid_from or date.min, other.valid_from or date.min)
            hi = min(rule.valid_until or date.max, other.valid_until or date.max)
            at = [i for i in range(len(rule.right)) if rule.right.startswith(other.wrong, i)]
            if lo <= hi and any(not inside_superstring(rule.right, i, other.offsets) for i in at):
                raise ConfigError(f"{label}: right {rule.right!r} holds {other.wrong!r}, itself an error "
                                  f"on overlapping dates ({other_label})")


class Dated(BaseModel):
    """``valid_from`` / ``valid_until`` (inclusive) of a key term or leader entry."""

    model_config = {"extra": "forbid", "populate_by_name": True}
    valid_from: date | None = None
    valid_until: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "Dated":
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError(f"valid_until {self.valid_until} is before valid_from {self.valid_from}")
        return self


class TermEntry(Dated):
    """A canonical key term: ``not`` lists ordinary look-alikes and longer correct words."""

    term: str = Field(min_length=2)
    category: Category
    context: list[str] = []
    not_: list[str] = Field(default=[], alias="not")

    @model_validator(mode="after")
    def _short_needs_context(self) -> "TermEntry":
        if len(self.term) < 3 and not self.context:
            raise ValueError(f"two-character term {self.term!r} needs context words")
        return self


class LeaderEntry(Dated):
    """A leader's name with the titles that identify them; dated by the term of office from
    which those titles point at this person."""

    name: str = Field(min_length=2)
    context: list[str] = Field(min_length=1)


class EnumerationEntry(BaseModel):
    model_config = {"extra": "forbid"}
    name: str
    members: list[str] = Field(min_length=2)
    category: Category


@dataclass(frozen=True, slots=True)
class KeyTerm:
    """A term near misses are searched for; leaders' names accept their own name as context."""

    text: str
    category: str
    context: tuple[str, ...] = ()
    not_: tuple[str, ...] = ()
    leader: bool = False
    valid_from: date | None = None
    valid_until: date | None = None

    def valid_on(self, day: date) -> bool:
        return within(day, self.valid_from, self.valid_until)


@dataclass(frozen=True, slots=True)
class ContextLexicon:
    """Ordinary words that run across a term's edge: ``right`` words begin inside a window and
    go on past its end (正|协调 is 正 + 协调, not 政协), ``left`` words begin before it and end
    inside it. Either makes the window ordinary text."""

    right: frozenset[str] = frozenset()
    left: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class KeyTerms:
    terms: tuple[KeyTerm, ...]
    enumerations: tuple[Enumeration, ...]
    lexicon: frozenset[str]
    edges: ContextLexicon = ContextLexicon()


def _key_terms_of(origin: str, data: dict[str, Any]) -> KeyTerms:
    unknown = set(data) - {"terms", "leaders", "enumerations", "lexicon", "context_lexicon"}
    if unknown:
        raise ConfigError(f"{origin}: unknown key(s) {', '.join(sorted(unknown))}")
    terms = [KeyTerm(t.term, t.category, tuple(t.context), tuple(t.not_), False, t.valid_from, t.valid_until)
             for t in parse_entries(origin, "terms", data.get("terms", []), TermEntry)]
    terms += [KeyTerm(x.name, "B", tuple(x.context), (), True, x.valid_from, x.valid_until)
              for x in parse_entries(origin, "leaders", data.get("leaders", []), LeaderEntry)]
    seen: set[str] = set()
    for term in terms:
        if term.text in seen:
            raise ConfigError(f"{origin}: term {term.text!r} is listed twice")
        seen.add(term.text)
    enums = [Enumeration(e.name, tuple(e.members), e.category)
             for e in parse_entries(origin, "enumerations", data.get("enumerations", []), EnumerationEntry)]
    return KeyTerms(tuple(terms), tuple(enums), _lexicon(origin, data.get("lexicon", {})),
                    _edges(origin, data.get("context_lexicon", {})))


def _edges(origin: str, table: Any) -> ContextLexicon:
    """``[context_lexicon]`` right/left: words of two or more characters."""
    if not isinstance(table, dict) or set(table) - {"right", "left"}:
        raise ConfigError(f"{origin}: context_lexicon: expected the lists right and left")
    lists = {}
    for side in ("right", "left"):
        words = table.get(side, [])
        bad = [w for w in words if not isinstance(w, str) or len(w) < 2] if isinstance(words, list) else [words]
        if bad:
            raise ConfigError(f"{origin}: context_lexicon.{side}: {bad[0]!r} is not a word of two or more characters")
        lists[side] = frozenset(words)
    return ContextLexicon(lists["right"], lists["left"])


def _lexicon(origin: str, table: dict[str, Any]) -> frozenset[str]:
    """The listed words, plus pypinyin's phrase dictionary (2–4 characters) when asked for."""
    unknown = set(table) - {"words", "pypinyin_phrases"}
    words = table.get("words", [])
    if unknown or not isinstance(words, list) or any(not isinstance(w, str) or len(w) < 2 for w in words):
        raise ConfigError(f"{origin}: lexicon: expected words (two or more characters each) and pypinyin_phrases")
    if table.get("pypinyin_phrases", False) is True:
        from pypinyin.phrases_dict import phrases_dict

        words = [*words, *(w for w in phrases_dict if 2 <= len(w) <= 4)]
    return frozenset(words)


@lru_cache(maxsize=4)
def load_key_terms(path: str | Path = TERMS_FILE) -> KeyTerms:
    """The key terms file (shipped ``checks/expression_error/data/key_terms.toml`` by default)."""
    return _key_terms_of(str(path), read_toml(Path(path)))
