"""Fast multi-pattern matching over page text, and the rule that a hit inside a longer correct
word is not an error.

Why Aho–Corasick (pyahocorasick): a site has hundreds of pages and a dictionary hundreds of
patterns; one automaton pass is linear in the text whatever the number of patterns. Automata
are built once per pattern set and cached (``pattern_set``), so judging a month of sites
builds each one once.

Vocabulary: a *hit* is one occurrence ``[start, end)`` of a pattern; *superstrings* of a
pattern are longer correct words containing it (截止 in 截止日期, 环保局 in 生态环保局); a
*clause* is text between clause punctuation, where words that qualify a hit must stand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import ahocorasick

SENTENCE_BREAKS = frozenset("。！？；;!?\n\r")
CLAUSE_BREAKS = SENTENCE_BREAKS | frozenset("，,：:")
_YEAR_RE = re.compile(r"(?<![0-9])(1[89][0-9]{2}|20[0-9]{2})年")
_DATE_RE = re.compile(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2})\s*[-/.年]\s*([01]?[0-9])\s*[-/.月]\s*([0-3]?[0-9])(?![0-9])")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a pattern: ``text[start:end] == key``; ``value`` is its payload."""

    start: int
    end: int
    key: str
    value: Any


class PatternSet:
    """An Aho–Corasick automaton over fixed patterns, each with a payload."""

    def __init__(self, patterns: Iterable[tuple[str, Any]]) -> None:
        self._auto = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        self.size = 0
        for key, value in patterns:
            if not key:
                raise ValueError("empty pattern")
            self._auto.add_word(key, (key, value))
            self.size += 1
        if self.size:
            self._auto.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Every occurrence of every pattern, overlapping ones included, by start then length."""
        if not self.size or not text:
            return []
        hits = [Hit(end + 1 - len(key), end + 1, key, value) for end, (key, value) in self._auto.iter(text)]
        hits.sort(key=lambda h: (h.start, -h.end))
        return hits


@lru_cache(maxsize=64)
def pattern_set(patterns: tuple[tuple[str, Any], ...]) -> PatternSet:
    """The automaton for ``patterns`` (hashable key/payload pairs), built once per distinct set."""
    return PatternSet(patterns)


def outermost(hits: Sequence[Hit]) -> list[Hit]:
    """Drop hits lying inside a longer hit: the most specific pattern decides (国务院法制办公室
    over 法制办). ``hits`` must be sorted by start, then longest first (as ``find`` returns)."""
    kept: list[Hit] = []
    reach = -1
    for hit in hits:
        if hit.end <= reach:
            continue
        kept.append(hit)
        reach = max(reach, hit.end)
    return kept


def superstring_offsets(word: str, superstrings: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """Each superstring with every offset at which it contains ``word``; raises ValueError for
    a superstring that does not contain it (a typo in a rule)."""
    found: list[tuple[str, int]] = []
    for sup in superstrings:
        offsets = [i for i in range(len(sup) - len(word) + 1) if sup.startswith(word, i)]
        if not offsets:
            raise ValueError(f"exception {sup!r} does not contain {word!r}")
        found.extend((sup, i) for i in offsets)
    return tuple(found)


def inside_superstring(text: str, start: int, offsets: Iterable[tuple[str, int]]) -> bool:
    """True when the hit at ``start`` is part of one of the superstrings (see above)."""
    for sup, offset in offsets:
        begin = start - offset
        if begin >= 0 and text.startswith(sup, begin):
            return True
    return False


def clause_span(text: str, start: int, end: int, limit: int,
                breaks: frozenset[str] = CLAUSE_BREAKS) -> tuple[int, int]:
    """The clause (or sentence, with ``SENTENCE_BREAKS``) around ``[start, end)``, at most
    ``limit`` characters either side."""
    left = start
    while left > 0 and start - left < limit and text[left - 1] not in breaks:
        left -= 1
    right = end
    while right < len(text) and right - end < limit and text[right] not in breaks:
        right += 1
    return left, right


def near(text: str, start: int, end: int, words: Iterable[str], window: int) -> bool:
    """True when one of ``words`` occurs within ``window`` characters of ``[start, end)``
    (overlapping the hit counts when the word reaches outside it)."""
    lo, hi = max(0, start - window), min(len(text), end + window)
    around = text[lo:hi]
    inner = (start - lo, end - lo)
    for word in words:
        pos = around.find(word)
        while pos != -1:
            if not (inner[0] <= pos and pos + len(word) <= inner[1]):
                return True
            pos = around.find(word, pos + 1)
    return False


def in_clause(text: str, start: int, end: int, words: Iterable[str], limit: int) -> bool:
    """True when one of ``words`` stands in the same clause as the hit (outside the hit)."""
    left, right = clause_span(text, start, end, limit)
    before, after = text[left:start], text[end:right]
    return any(w in before or w in after for w in words)


def years_around(text: str, start: int, end: int, limit: int) -> list[int]:
    """Years written as ``2016年`` in the sentence of the hit: a sentence about 2016 may name
    what existed in 2016."""
    left, right = clause_span(text, start, end, limit, SENTENCE_BREAKS)
    return [int(m.group(1)) for m in _YEAR_RE.finditer(text, left, right)]


def dates_near(text: str, start: int, end: int, window: int) -> list[date]:
    """Full dates (2021-05-01, 2021/5/1, 2021.05.01, 2021年5月1日) within ``window`` characters of
    the hit, across line breaks: on a list page the row's date stands on the next line."""
    lo, hi = max(0, start - window), min(len(text), end + window)
    found = []
    for m in _DATE_RE.finditer(text, lo, hi):
        try:
            found.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            continue
    return found


_DOC_YEAR_RE = re.compile(r"[〔\[［【(（]\s*(19[0-9]{2}|20[0-9]{2})\s*[〕\]］】)）]\s*[0-9]{1,5}\s*号")


def doc_number_years(text: str, end: int, window: int) -> list[int]:
    """Years of document numbers (〔2021〕4号, [2022]3号) on the hit's line within ``window``
    characters after it: “…决定书〔2021〕4号” names a document of 2021."""
    stop = text.find("\n", end)
    stop = min(len(text) if stop == -1 else stop, end + window)
    return [int(m.group(1)) for m in _DOC_YEAR_RE.finditer(text, end, stop)]


def in_book_title(text: str, start: int, end: int) -> bool:
    """True when the hit stands inside 《…》 on its line: a document's title, quoted as issued."""
    line_start = text.rfind("\n", 0, start) + 1
    opened = text.rfind("《", line_start, start)
    if opened == -1 or text.rfind("》", opened, start) != -1:
        return False
    line_end = text.find("\n", end)
    return text.find("》", end, len(text) if line_end == -1 else line_end) != -1


def excerpt(text: str, start: int, end: int, width: int = 15) -> str:
    """``width`` characters either side of the hit, whitespace runs collapsed: evidence."""
    piece = text[max(0, start - width):min(len(text), end + width)]
    return _SPACE_RE.sub(" ", piece).strip()


@dataclass(frozen=True, slots=True)
class Enumeration:
    """A fixed ordered list (四个意识 …) with the category of an error in it."""

    name: str
    members: tuple[str, ...]
    category: str


_SEPARATOR_RE = re.compile(r"[\s、，,；;和与及]{0,3}")


def misordered(text: str, enumerations: Sequence[Enumeration]) -> list[tuple[int, int, Enumeration]]:
    """Runs that list every member of an enumeration, joined only by separators, in another
    order than the canonical one. Partial lists are never judged (三个自信 predates 文化自信)."""
    owners: dict[str, tuple[int, ...]] = {}
    for idx, enum in enumerate(enumerations):
        for member in enum.members:
            owners[member] = owners.get(member, ()) + (idx,)
    hits = pattern_set(tuple(sorted(owners.items()))).find(text)
    found: list[tuple[int, int, Enumeration]] = []
    for idx, enum in enumerate(enumerations):
        for run in _runs(text, outermost([h for h in hits if idx in h.value])):
            span = _wrong_order(run, enum.members)
            if span is not None:
                found.append((span[0], span[1], enum))
    found.sort(key=lambda t: t[0])
    return found


def _runs(text: str, hits: Sequence[Hit]) -> list[list[Hit]]:
    """Group hits that follow each other with only separators (、，和 …) between them."""
    runs: list[list[Hit]] = []
    for hit in hits:
        last = runs[-1][-1] if runs else None
        if last is not None and hit.start >= last.end and _SEPARATOR_RE.fullmatch(text, last.end, hit.start):
            runs[-1].append(hit)
        else:
            runs.append([hit])
    return runs


def _wrong_order(run: Sequence[Hit], members: tuple[str, ...]) -> tuple[int, int] | None:
    size = len(members)
    for i in range(len(run) - size + 1):
        keys = tuple(h.key for h in run[i:i + size])
        if set(keys) == set(members) and keys != members:
            return run[i].start, run[i + size - 1].end
    return None
