"""Service guides (办事指南): the label → value pairs a guide page shows.

Pairs are read from table rows (``th``/``td`` or ``td``/``td``; four-cell rows hold two pairs;
a leading group cell such as 基本信息 is passed over), ``dl`` (``dt`` → ``dd``), "标签：值" lines,
and headings that name a known element (``<h3>一、申请条件</h3>`` followed by its paragraphs).

Labels are normalised: spaces, numbering (一、 1. （一）) and ``：:、*`` are stripped, then a label
that equals a synonym of ``[extract] guide_fields`` takes its canonical name (事项名称, 设定依据 …);
otherwise a label containing a synonym does (the longest synonym wins). Unknown labels stay as
cleaned. The first non-blank value of a name wins.

Blank values: empty text, text made only of dashes/slashes/dots, and the words of
``[extract] guide_blank_values`` (暂无, 待定 …) are stored as "". "无" is a value, not a blank:
收费标准 "无" means free of charge, and whether 无 is acceptable for another element is the
check's business.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.model.snapshots import ServiceGuide
from monitor.pages.dates import normalize
from monitor.pages.text import child_elements, clean_tree, no_spaces, one_line, page_title

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．)）]|[（(][一二三四五六七八九十\d]+[)）])\s*")
_LABEL_LINE = re.compile(r"^\s*((?:[一二三四五六七八九十]+[、.．]|\d+[、.．)）]|[（(][一二三四五六七八九十\d]+[)）])?"
                         r"[^：:。，,；;\n\d]{2,16}?)\s*[:：]\s*(.*)$", re.S)
_PUNCT_ONLY = re.compile(r"^[\s\-—–_/／\\.。·…~～*]*$")
_HEADINGS = "h1, h2, h3, h4, h5, h6, strong, b, dt"


def clean_label(label: str) -> str:
    """A label without spaces, numbering and trailing colons or marks."""
    flat = no_spaces(normalize(label))
    return _NUMBERING.sub("", flat).strip(":：、*★●·")


def canonical(label: str, synonyms: Mapping[str, Sequence[str]]) -> str:
    """The canonical element name of a label (exact synonym first, then the longest contained one)."""
    clean = clean_label(label)
    best: tuple[int, str] | None = None
    for name, words in synonyms.items():
        for word in (name, *words):
            if clean == word:
                return name
            if word in clean and (best is None or len(word) > best[0]):
                best = (len(word), name)
    return best[1] if best else clean


def is_blank(value: str, blank_values: Sequence[str] = ()) -> bool:
    flat = no_spaces(value)
    return bool(_PUNCT_ONLY.match(flat)) or flat.strip("。.") in blank_values


def field_pairs(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """Every (label, value) shown on a cleaned page, in reading order, labels cleaned."""
    if tree.body is None:
        return []
    pairs: list[tuple[str, str]] = []
    for row in tree.body.css("tr"):
        pairs.extend(_row_pairs(row))
    for term in tree.body.css("dt"):
        if (value := _next_element(term)) is not None and value.tag == "dd":
            pairs.append((clean_label(_text(term)), _text(value)))
    for node in tree.body.css("p, li, div, span, td"):
        if _leafish(node) and (match := _LABEL_LINE.match(_text(node))):
            value = match.group(2).strip() or _following_text(node)
            pairs.append((clean_label(match.group(1)), value))
    return [(label, value) for label, value in pairs if label]


def parse_guide(html: str, url: str, *, synonyms: Mapping[str, Sequence[str]] | None = None,
                blank_values: Sequence[str] = ()) -> ServiceGuide:
    """A guide's elements: canonical label → value ("" when shown blank)."""
    synonyms = synonyms or {}
    tree = clean_tree(html)
    pairs = field_pairs(tree) + _heading_sections(tree, synonyms)
    fields: dict[str, str] = {}
    for label, value in pairs:
        name = canonical(label, synonyms)
        value = "" if is_blank(value, blank_values) else one_line(value)
        if not fields.get(name):
            fields[name] = value
    title = fields.get("事项名称") or page_title(html)
    return ServiceGuide(url=url, title=title, fields=fields)


def _text(node: LexborNode) -> str:
    return one_line(node.text(separator=" "))


def row_cells(row: LexborNode) -> list[LexborNode]:
    """The ``td``/``th`` cells of a table row (not those of a nested table)."""
    return child_elements(row, ("td", "th"))


def _is_label(cell: LexborNode) -> bool:
    text = _text(cell)
    return 1 < len(clean_label(text)) <= 20 and "。" not in text and cell.css_first("table") is None


def _row_pairs(row: LexborNode) -> list[tuple[str, str]]:
    cells = row_cells(row)
    if len(cells) == 3 and _is_label(cells[0]) and _is_label(cells[1]) and cells[0].attributes.get("rowspan"):
        cells = cells[1:]
    if len(cells) < 2 or len(cells) % 2:
        return []
    pairs = []
    for label, value in zip(cells[::2], cells[1::2]):
        if _is_label(label):
            pairs.append((clean_label(_text(label)), _text(value)))
    return pairs


def _leafish(node: LexborNode) -> bool:
    """A text line: no block children that hold their own lines."""
    return all(n.mem_id == node.mem_id for n in node.css("p, div, li, table, ul, ol, dl, tr"))


def _next_element(node: LexborNode) -> LexborNode | None:
    sibling = node.next
    while sibling is not None and not sibling.is_element_node:
        sibling = sibling.next
    return sibling


def _following_text(node: LexborNode, limit: int = 20) -> str:
    """Text of the siblings after a label line, up to the next label line or heading."""
    pieces: list[str] = []
    sibling = _next_element(node)
    while sibling is not None and limit:
        text = _text(sibling)
        if sibling.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or _LABEL_LINE.match(text) and len(text) < 40:
            break
        pieces.append(text)
        sibling, limit = _next_element(sibling), limit - 1
    return " ".join(p for p in pieces if p)


def _heading_sections(tree: LexborHTMLParser, synonyms: Mapping[str, Sequence[str]]) -> list[tuple[str, str]]:
    """Document-style guides: a heading naming a known element, then its paragraphs."""
    known = {w for name, words in synonyms.items() for w in (name, *words)}
    pairs = []
    for heading in tree.css(_HEADINGS):
        label = clean_label(_text(heading))
        if label not in known:
            continue
        holder = heading
        while _next_element(holder) is None and holder.parent is not None and holder.parent.tag in ("p", "div", "span"):
            holder = holder.parent
        pairs.append((label, _following_text(holder)))
    return pairs
