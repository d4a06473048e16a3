"""The date of a list row: which of the dates around an item's link is its own.

The row's date is read from the row's text outside the title — short pieces (a ``span``, ``td``,
``em``, ``[08-13]``) before prose —, else from a date-only part of the link, else, for flat
markup such as ``<a>…</a>(2021.08.13)<br>`` or ``<dt>/<dd>``, from the siblings up to the next
row (before the link when the list's first date precedes its first link). Several dates in a
row: the latest not after ``ref``. A year-less date takes its year from the item's URL
(``/202009/t20200903_…``, ``/art/2022/1/3/``) when the month agrees, else from ``ref``. A clock
(今天是2021年8月31日 星期二) is never an item date.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from monitor.anchors import DATE_ONLY
from monitor.dates import WEEKDAY, Found, infer_year, normalize, scan, valid_date
from monitor.pagetext import SKIP_TAGS, one_line

URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[-/_](1[0-2]|0?[1-9])(?!\d)|[-/_]?(1[0-2]|0[1-9]))")
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
    texts = _texts(row, anchor)
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
    hint = URL_DATE.search(urlsplit(url).path)
    for f in found:
        got = f.date
        if not f.has_year:
            hinted = valid_date(int(hint.group(1)), f.month, f.day) if hint and _month(hint) == f.month else None
            got = hinted or (infer_year(f.month, f.day, ref) if ref else None)
        if got is not None:
            dates.append(got)
    usable = [d for d in dates if ref is None or d <= ref]
    return max(usable or dates) if dates else None


def _month(hint: re.Match[str]) -> int:
    return int(hint.group(2) or hint.group(3))
