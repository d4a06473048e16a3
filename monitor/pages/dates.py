"""Dates as government pages show them: every date in a text, and the first one.

Forms read by ``find_dates`` / ``parse_date`` (full-width digits and punctuation are folded
first, so ``２０２１年８月１３日`` and ``2021－08－13`` read like their ASCII forms):

* with a year: ``2021-08-13``, ``2021/08/13``, ``2021.08.13``, ``2021-8-3``, ``2021年8月13日``,
  Chinese numerals ``二〇二一年八月十三日``; a time after the date (``2019-09-18 06:23``) is
  ignored; ISO stamps with a zone (``2021-08-12T20:00:00Z``) are read in China time.
* a two-digit year ``21-08-13`` / ``21/08/13`` (TRS ``yy-MM-dd`` list templates): read as 20yy;
  all three parts must have two digits, so ranges such as ``1-3`` never match.
* no year: ``[08-13]`` / ``(8.13)`` in brackets, bare zero-padded ``08-13`` / ``08/13`` and
  ``8月13日``. The year comes from ``ref`` (as-of or page context): the latest year in which
  the date is not after ``ref``, so ``12-28`` seen on 2022-01-05 is 2021-12-28. Without
  ``ref`` such dates are skipped (never guessed).
* impossible dates (``2021-02-30``, month 13) are rejected; years outside 1900–2099 too.

Where a page's dates are: ``monitor.pages.article_date`` (an article page), ``monitor.pages.row_dates``
(the items of a list).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from monitor.model.period import CHINA_TZ

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "一二三四五六七八九十"
_CN_DATE = re.compile(rf"(?:([〇○零O{_CN_NUM[:-1]}]{{4}})\s*年\s*)?([{_CN_NUM}]{{1,2}})\s*月\s*([{_CN_NUM}]{{1,3}})\s*[日号]")
_FULL = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})(?!\d)\s*[日号]?"
    r"|(?P<sep>[-/.])\s?(?P<m2>\d{1,2})(?P=sep)\s?(?P<d2>\d{1,2})(?!\d))")
_SHORT_YEAR = re.compile(r"(?<![\d.\-/:])(?P<y>\d{2})(?P<sep>[-/])(?P<m>\d{2})(?P=sep)(?P<d>\d{2})(?![\d\-/:])")
_MONTH_DAY = (
    re.compile(r"(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    re.compile(r"[\[(【〔]\s*(?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\s*[\])】〕]"),
    re.compile(r"(?<![\d.\-/:])(?P<m>[01]\d)[-/](?P<d>[0-3]\d)(?![\d\-/:])"),
)
_COMPACT = re.compile(r"^\s*((?:19|20)\d{2})([01]\d)([0-3]\d)(?:[0-2]\d[0-5]\d(?:[0-5]\d)?)?\s*$")
_ISO_ZONED = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\s*$")
WEEKDAY = re.compile(r"^\s*(?:星期|周|礼拜)[一二三四五六日天]")  # right after a date: a header clock, not a publication date


@dataclass(frozen=True, slots=True)
class Found:
    """One date in a text: the date (None when its year is unknown), span, and whether the year was shown."""

    date: date | None
    month: int
    day: int
    start: int
    has_year: bool
    end: int = 0


_HAS_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]+")
_FULL_WIDTH = {**{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}


def _fold(match: re.Match[str]) -> str:
    return match.group().translate(_FULL_WIDTH)


def normalize(text: str) -> str:
    """Fold full-width forms to ASCII and write Chinese-numeral dates with digits."""
    text = _HAS_FULL_WIDTH.sub(_fold, text)
    if not unicodedata.is_normalized("NFKC", text):  # e.g. Kangxi radicals ⽉⽇ pasted from PDFs
        text = unicodedata.normalize("NFKC", text)
    return _CN_DATE.sub(_cn_date, text)


def _cn_number(text: str) -> int:
    if "十" not in text:
        return _CN_DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def _cn_date(match: re.Match[str]) -> str:
    year = "".join(str(_CN_DIGITS[c]) for c in match.group(1)) + "年" if match.group(1) else ""
    return f"{year}{_cn_number(match.group(2))}月{_cn_number(match.group(3))}日"


def valid_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist or its year is outside 1900–2099."""
    if not 1900 <= year <= 2099:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def infer_year(month: int, day: int, ref: date) -> date | None:
    """The latest date with this month and day that is not after ``ref`` (29 Feb looks back to a leap year)."""
    for year in range(ref.year, ref.year - 8, -1):
        found = valid_date(year, month, day)
        if found is not None and found <= ref:
            return found
    return None


def scan(text: str, *, ref: date | None = None) -> list[Found]:
    """Every date-looking span of ``text`` in order of position (already normalised text keeps positions)."""
    work = normalize(text)
    found: list[Found] = []

    def take(pattern: re.Pattern[str], make: Callable[[re.Match[str]], Found | None]) -> None:
        nonlocal work
        for match in pattern.finditer(work):
            item = make(match)
            if item is not None:
                found.append(item)
                work = work[: match.start()] + " " * (match.end() - match.start()) + work[match.end():]

    def full(m: re.Match[str]) -> Found | None:
        month, day = int(m.group("m1") or m.group("m2")), int(m.group("d1") or m.group("d2"))
        got = valid_date(int(m.group("y")), month, day)
        return Found(got, month, day, m.start(), True, m.end()) if got else None

    def short(m: re.Match[str]) -> Found | None:
        got = valid_date(2000 + int(m.group("y")), int(m.group("m")), int(m.group("d")))
        return Found(got, got.month, got.day, m.start(), True, m.end()) if got else None

    def partial(m: re.Match[str]) -> Found | None:
        month, day = int(m.group("m")), int(m.group("d"))
        if valid_date(2000, month, day) is None:
            return None
        return Found(infer_year(month, day, ref) if ref else None, month, day, m.start(), False, m.end())

    take(_FULL, full)
    take(_SHORT_YEAR, short)
    for pattern in _MONTH_DAY:
        take(pattern, partial)
    return sorted(found, key=lambda f: f.start)


def find_dates(text: str, *, ref: date | None = None) -> list[date]:
    """All dates in ``text`` in reading order (year-less ones only when ``ref`` is given)."""
    return [f.date for f in scan(text, ref=ref) if f.date is not None]


def parse_date(text: str | None, *, ref: date | None = None) -> date | None:
    """The first date in ``text``; also reads bare ``20210813`` and zoned ISO stamps."""
    if not text:
        return None
    if _ISO_ZONED.match(text):
        try:
            return datetime.fromisoformat(text.strip().replace(" ", "T")).astimezone(CHINA_TZ).date()
        except ValueError:
            pass
    compact = _COMPACT.match(normalize(text))
    if compact:
        return valid_date(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
    dates = find_dates(text, ref=ref)
    return dates[0] if dates else None
