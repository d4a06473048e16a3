"""The date of a list row: which of the dates around an item's link is its own.

The row's date is read from the row's text outside the title — short pieces (a ``span``, ``td``,
``em``, ``[08-13]``) before prose —, else from a date-only part of the link, else, for flat
markup such as ``<a>…</a>(2021.08.13)<br>`` or ``<dt>/<dd>``, from the siblings up to the next
row (before the link when the list's first date precedes its first link). Several dates in a
row: the latest not after ``ref``. A year-less date (``[08-13]``, ``08-13``, a bare ``08.13`` cell)
takes its year from the item's URL (``t20171013_…``, ``/2017-10/13/``, ``/art/2017/10/13/``,
``/202110/``): the year that puts the shown month and day nearest the URL's date (a URL dated
2022-01-02 and a shown ``12-31`` give 2021-12-31; the shown day always stands, a URL day a few days
off never overrides it), else from ``ref`` (the as-of): the latest such day not after it. A year
that would put the item after ``ref`` is never taken. A clock (今天是2021年8月31日 星期二) is never
an item date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from monitor.pages.anchors import DATE_ONLY
from monitor.pages.dates import WEEKDAY, Found, infer_year, normalize, scan, valid_date
from monitor.pages.text import SKIP_TAGS, one_line

URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[-/_](1[0-2]|0?[1-9])(?!\d)|[-/_]?(1[0-2]|0[1-9]))"
                      r"(?:/(3[01]|[12]\d|0?[1-9])(?!\d)|(3[01]|[12]\d|0[1-9])(?!\d))?")
URL_SLACK = timedelta(days=92)  # a shown date further than this from its URL's date takes no year from it
BARE_DOT = re.compile(r"^\s*([01]?\d)\.([0-3]\d)\s*$")  # a cell showing only "10.13" (MM.DD)
CLOCK = re.compile(r"(?:今天|今日|当前日期|当前时间|现在时间|现在)\s*(?:是|为)?\s*[:：]?\s*$")


def item_dates(text: str) -> list[Found]:
    """Dates shown beside an item, leaving out a clock ("今天是2021年8月31日 星期二")."""
    work = normalize(text)
    return [f for f in scan(work) if not CLOCK.search(work[max(0, f.start - 8): f.start])
            and not WEEKDAY.match(work[f.end: f.end + 4])]


def _texts(node: LexborNode, leave: LexborNode | None = None) -> list[str]:
    """Text pieces under ``node`` (scripts never reach here), skipping the subtree ``leave``."""
    out: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if leave is not None and current.mem_id == leave.mem_id:
            continue
        if current.is_text_node:
            out.append(current.text_content or "")
            continue
        if current.tag in SKIP_TAGS:
            continue
        kids, child = [], current.child
        while child is not None:
            kids.append(child)
            child = child.next
        stack.extend(reversed(kids))
    return out


def outside_text(row: LexborNode, anchor: LexborNode) -> str:
    """The row's text beside its link (the link's own text left out), spaces collapsed."""
    return one_line(" ".join(_texts(row, anchor)))


def row_dates(row: LexborNode, anchor: LexborNode, holders: dict[int, set[str]]) -> list[Found]:
    """A row's dates: short pieces beside the link (a date cell or span) before prose, else a
    date-only part of the link, else the row's siblings (flat markup)."""
    texts = [_bare_dot(t) for t in _texts(row, anchor)]
    for pieces in ([t for t in texts if len(t.strip()) <= 40], texts):
        found = item_dates(" ".join(pieces))
        if found:
            return found
    inside = [t for t in _texts(anchor) if DATE_ONLY.match(t)]
    if inside:
        return item_dates(" ".join(inside))
    shown = (anchor.text() or "").split()
    for edge in (" ".join(shown[-2:]), shown[-1] if shown else "", shown[0] if shown else ""):
        if len(shown) > 1 and DATE_ONLY.match(edge):
            return item_dates(edge)
    return _sibling_dates(row, holders)


def _bare_dot(text: str) -> str:
    """A piece that is only ``10.13`` is a year-less date cell: written ``[10-13]`` so it reads as
    one (in running text ``10.13`` stays a number)."""
    match = BARE_DOT.match(text)
    return f" [{match.group(1)}-{match.group(2)}] " if match else text


def _sibling_dates(row: LexborNode, holders: dict[int, set[str]]) -> list[Found]:
    """Flat markup: the date is a sibling of the row, after it (or before it when the list's
    first date precedes its first link), up to the neighbouring row."""
    step = "prev" if _date_first(row) else "next"
    pieces: list[str] = []
    node = getattr(row, step)
    while node is not None and node.mem_id not in holders:
        pieces.extend(_texts(node))
        node = getattr(node, step)
    return item_dates(" ".join(pieces))


def _date_first(row: LexborNode) -> bool:
    node = row.parent.child if row.parent is not None else None
    pieces: list[str] = []
    while node is not None and node.mem_id != row.mem_id:
        if node.is_element_node and node.css_first("a[href]") is not None:
            break
        pieces.extend(_texts(node))
        node = node.next
    return bool(item_dates(" ".join(pieces)))


def pick_date(found: list[Found], url: str, ref: date | None) -> date | None:
    """The row's date: the latest not after ``ref`` (the latest of all if every one is later)."""
    dates: list[date] = []
    hint = url_date(url)
    for f in found:
        got = f.date
        if not f.has_year:
            got = (year_from_url(f.month, f.day, hint, ref) if hint else None) or (
                infer_year(f.month, f.day, ref) if ref else None)
        if got is not None:
            dates.append(got)
    usable = [d for d in dates if ref is None or d <= ref]
    return max(usable or dates) if dates else None


def url_date(url: str) -> date | None:
    """The date an item's URL carries (``t20171013_``, ``/2017-10/13/``, ``/art/2017/10/13/``;
    ``/202110/`` reads as the 15th, the middle of its month), or None."""
    matches = list(URL_DATE.finditer(urlsplit(url).path))
    match = next((m for m in matches if m.group(4) or m.group(5)), matches[0] if matches else None)
    if match is None:
        return None
    day = match.group(4) or match.group(5)
    return valid_date(int(match.group(1)), int(match.group(2) or match.group(3)), int(day) if day else 15)


def year_from_url(month: int, day: int, hint: date, ref: date | None) -> date | None:
    """The shown month and day in the year nearest the URL's date (within ``URL_SLACK``), never
    after ``ref``."""
    near = [d for y in (hint.year - 1, hint.year, hint.year + 1)
            if (d := valid_date(y, month, day)) is not None and abs(d - hint) <= URL_SLACK]
    best = min(near, key=lambda d: abs(d - hint), default=None)
    return best if best is not None and (ref is None or best <= ref) else None
