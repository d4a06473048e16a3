"""Near misses of canonical key terms: the same term with one or two characters replaced by a
homophone or near-homophone (共和国→共合国, 习近平→习进平, 政协→正协).

Why: a fixed dictionary only catches the typos someone already saw, while most real 严重错别字
come from a pinyin input method picking the wrong character of the right sound.

How, fast: every Han character is mapped to a *sound class* (its main reading, tone dropped,
near-homophones merged per ``fuzzy``), so the page text becomes a class string in one
``str.translate``; one Aho–Corasick pass over it finds each window that reads like a term.
Each window is then judged on the real characters (see ``NearMissFinder.judge``):
1..max_replaced characters replaced, the others exact and at least half of the term exact,
each replaced character able to read as the term's (any of its readings), not an ordinary
word of the lexicon nor cut by a word of the context lexicon running across its edge
(正|协调), valid on the text's date, and — for leaders and two-character terms — context
words nearby.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from checks.expression_error.rules import ContextLexicon, KeyTerm
from checks.expression_error.textmatch import Hit, PatternSet, inside_superstring, near, outermost, superstring_offsets

FUZZY_CHOICES = ("zh=z", "ch=c", "sh=s", "n=l", "f=h", "an=ang", "en=eng", "in=ing")
DEFAULT_FUZZY = ("zh=z", "ch=c", "sh=s", "an=ang", "en=eng", "in=ing")
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r",
             "z", "c", "s", "y", "w")
_CLASS_BASE = 0xE000  # private use area; a stray one in page text is rejected by the real-character check


def plain(reading: str) -> str:
    """'lǜ' → 'lv', 'zhōng' → 'zhong': tone marks dropped, ü written v."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_INITIAL_PAIRS = {"zh=z": ("zh", "z"), "ch=c": ("ch", "c"), "sh=s": ("sh", "s"), "n=l": ("n", "l"), "f=h": ("h", "f")}
_FINAL_PAIRS = {"an=ang": "ang", "en=eng": "eng", "in=ing": "ing"}


def sound_key(syllable: str, fuzzy: frozenset[str]) -> str:
    """The class of a toneless syllable under the active near-homophone pairs (zhi ~ zi …)."""
    initial = next((i for i in _INITIALS if syllable.startswith(i)), "")
    final = syllable[len(initial):]
    for pair in fuzzy & _INITIAL_PAIRS.keys():
        source, target = _INITIAL_PAIRS[pair]
        if initial == source:
            initial = target
    for pair, ending in _FINAL_PAIRS.items():
        if pair in fuzzy and final.endswith(ending):
            final = final[:-1]
    return initial + final


@lru_cache(maxsize=1)
def readings_table() -> dict[int, str]:
    """pypinyin's codepoint → readings table, loaded on first use (it costs ~60 MB, which a crawl
    that never judges expression errors should not pay)."""
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


@lru_cache(maxsize=8)
def class_table(fuzzy: frozenset[str]) -> tuple[dict[int, str], dict[str, str]]:
    """(codepoint → class character for ``str.translate``, sound key → class character)."""
    classes: dict[str, str] = {}
    table: dict[int, str] = {}
    for codepoint, readings in readings_table().items():
        key = sound_key(plain(readings.split(",")[0]), fuzzy)
        table[codepoint] = classes.setdefault(key, chr(_CLASS_BASE + len(classes)))
    return table, classes


@lru_cache(maxsize=65536)
def char_keys(char: str, fuzzy: frozenset[str]) -> frozenset[str]:
    """Every sound key a character can have (all its readings)."""
    readings = readings_table().get(ord(char), "")
    return frozenset(sound_key(plain(r), fuzzy) for r in readings.split(",") if r)


@dataclass(frozen=True, slots=True)
class NearMiss:
    start: int
    end: int
    found: str
    term: KeyTerm


class NearMissFinder:
    """Finds near misses of ``terms`` in text; build once per (terms, options), reuse for pages."""

    def __init__(self, terms: Iterable[KeyTerm], lexicon: frozenset[str], *, fuzzy: Iterable[str] = DEFAULT_FUZZY,
                 max_replaced: int = 2, context_window: int = 20, short_context_window: int = 8,
                 edges: ContextLexicon = ContextLexicon()) -> None:
        from pypinyin import Style, lazy_pinyin

        table = readings_table()
        self.terms = tuple(t for t in terms if all(ord(c) in table for c in t.text))
        self.exact = frozenset(t.text for t in self.terms)
        self.lexicon = lexicon
        self.edges = edges
        self.edge_longest = max((len(w) for w in (*edges.right, *edges.left)), default=1)
        self.lexicon_sizes = sorted({len(w) for w in lexicon})
        self.longest = max(self.lexicon_sizes, default=1)
        self.fuzzy = frozenset(fuzzy)
        self.max_replaced = max_replaced
        self.windows = (context_window, short_context_window)
        self.table, classes = class_table(self.fuzzy)
        self.keys = [tuple(sound_key(s, self.fuzzy) for s in lazy_pinyin(t.text, style=Style.NORMAL))
                     for t in self.terms]
        self.patterns = PatternSet(self._patterns(classes).items())

    def _patterns(self, classes: dict[str, str]) -> dict[str, tuple[int, ...]]:
        """Class strings of each term: its reading in the term, or its characters' main reading."""
        found: dict[str, tuple[int, ...]] = {}
        for idx, (term, keys) in enumerate(zip(self.terms, self.keys)):
            options = [{classes.get(k), self.table[ord(c)]} - {None} for c, k in zip(term.text, keys)]
            for combo in itertools.product(*options):
                pattern = "".join(str(c) for c in combo)
                found[pattern] = found.get(pattern, ()) + (idx,)
        return found

    def find(self, text: str, day: date | None = None) -> list[NearMiss]:
        """Near misses in ``text`` (of ``day``: terms not valid then are not looked for), the
        longest where they overlap, in text order."""
        classed = text.translate(self.table)
        kept: list[Hit] = []
        for hit in self.patterns.find(classed):
            for idx in hit.value:
                if day is not None and not self.terms[idx].valid_on(day):
                    continue
                if self.judge(text, hit.start, idx):
                    kept.append(Hit(hit.start, hit.end, text[hit.start:hit.end], self.terms[idx]))
                    break
        return [NearMiss(h.start, h.end, h.key, h.value) for h in outermost(kept)]

    def judge(self, text: str, start: int, idx: int) -> bool:
        """Whether the window at ``start`` is a near miss of term ``idx`` (see module doc)."""
        term, keys = self.terms[idx], self.keys[idx]
        size = len(term.text)
        window = text[start:start + size]
        replaced = [j for j in range(size) if window[j] != term.text[j]]
        if not replaced or len(replaced) > self.max_replaced or size - len(replaced) < math.ceil(size / 2):
            return False
        if window in self.exact or any(keys[j] not in char_keys(window[j], self.fuzzy) for j in replaced):
            return False
        if self._ordinary(text, start, size, replaced, term):
            return False
        if term.context or term.leader or size < 3:
            limit = self.windows[1] if size < 3 else self.windows[0]
            words = (*term.context, term.text) if term.leader else term.context
            return near(text, start, start + size, words, limit)
        return True

    def _ordinary(self, text: str, start: int, size: int, replaced: list[int], term: KeyTerm) -> bool:
        """The window reads as ordinary words: it is one or one of the term's look-alikes; a
        lexicon word lies wholly on replaced characters or leaves the window through one; lexicon
        words leave it on both sides (or, for a name, on its left: names do not glue to a word)."""
        window = text[start:start + size]
        if window in self.lexicon or self._cut_at_edge(text, start, start + size):
            return True
        for other in term.not_:
            if window in other and inside_superstring(text, start, superstring_offsets(window, [other])):
                return True
        end, marks = start + size, {start + j for j in replaced}
        left = right = False
        for begin in range(max(0, start - self.longest + 1), end):
            for length in self.lexicon_sizes:
                stop = begin + length
                if stop <= start or text[begin:stop] not in self.lexicon:
                    continue
                covered = marks.intersection(range(begin, stop))
                if len(covered) == length:
                    return True
                crosses_left, crosses_right = begin < start < stop, begin < end < stop
                if (crosses_left or crosses_right) and covered:
                    return True
                left, right = left or crosses_left, right or crosses_right
        return (left and right) or (left and term.leader)

    def _cut_at_edge(self, text: str, start: int, end: int) -> bool:
        """A context-lexicon word runs across the window's right edge (begins inside, ends after)
        or its left edge (begins before, ends inside)."""
        for begin in range(start + 1, end):
            for word in self.edges.right:
                if begin + len(word) > end and text.startswith(word, begin):
                    return True
        for stop in range(start + 1, end):
            for word in self.edges.left:
                if stop - len(word) < start and text.startswith(word, stop - len(word)) and stop - len(word) >= 0:
                    return True
        return False
