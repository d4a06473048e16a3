"""The lists on a page: rows of dated, linked items under one parent, found by the page's shape.

Every list page, home page and channel overview is read through these blocks; which of them is a
column's own list is ``monitor.pages.listing``'s choice, which are headed sub-lists ``sections``'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.pages.anchors import anchor_title, is_navigation, is_short_title, is_site_root, is_title, link_url
from monitor.pages.row_dates import outside_text, pick_date, row_dates
from monitor.pages.text import SKIP_TAGS, chrome_kind

ROW_TEXT = 400
ARTICLE_URL = re.compile(r"\d{3,}|content|detail|article|info|show|view|art_|id=", re.I)


@dataclass
class Row:
    """One item of a list: its container node, link, title, text beside the title, and date."""

    node: LexborNode
    url: str
    title: str
    text: str
    date: date | None
    dated: bool
    pinned: bool = False


@dataclass
class Block:
    """A list on a page: rows under one parent (or merged sibling parents)."""

    key: tuple[int, str]
    rows: list[Row]
    aside: bool
    order: int
    urls: set[str] = field(default_factory=set)

    @property
    def dated(self) -> int:
        return sum(row.dated for row in self.rows)


def find_blocks(tree: LexborHTMLParser, base_url: str, *, ref: date | None = None) -> list[Block]:
    """Every list on a cleaned page, in document order (see the module docstring)."""
    if tree.body is None:
        return []
    links: list[tuple[LexborNode, str, str]] = []
    short: list[tuple[LexborNode, str, str]] = []
    holders: dict[int, set[str]] = {}
    for anchor in tree.body.css("a[href]"):
        url, title = link_url(anchor, base_url), anchor_title(anchor)
        if url is None or is_navigation(url, base_url) or is_site_root(url):
            continue
        if not is_title(title):
            if is_short_title(title):
                short.append((anchor, url, title))
            continue
        links.append((anchor, url, title))
        node: LexborNode | None = anchor
        while node is not None:
            holders.setdefault(node.mem_id, set()).add(url)
            node = node.parent
    sizes = _sizes(tree.body)
    blocks: dict[tuple[int, str], Block] = {}
    for anchor, url, title in links:
        row = _climb(anchor, holders, sizes, len(title))
        if row.parent is None:
            continue
        found = row_dates(row, anchor, holders)
        item = Row(row, url, title, outside_text(row, anchor), pick_date(found, url, ref), bool(found),
                   _pinned(row))
        key = _block_key(row.parent)
        if key not in blocks:
            blocks[key] = Block(key, [], _in_aside(row.parent), len(blocks))
        if url not in blocks[key].urls:
            blocks[key].urls.add(url)
            blocks[key].rows.append(item)
    _add_short_rows(short, blocks, holders, sizes, ref)
    return list(blocks.values())


def _add_short_rows(short: list[tuple[LexborNode, str, str]], blocks: dict[tuple[int, str], Block],
                    holders: dict[int, set[str]], sizes: dict[int, int], ref: date | None) -> None:
    """Short titles join a list found by its longer titles when their row sits in that list and
    carries its own date — accepted by structural agreement with dated siblings, not by length."""
    for anchor, url, title in short:
        row = _climb(anchor, holders, sizes, len(title))
        if row.parent is None:
            continue
        block = blocks.get(_block_key(row.parent))
        if (block is None or not block.dated or url in block.urls or row.mem_id in holders
                or row.tag not in {r.node.tag for r in block.rows}):
            continue
        found = row_dates(row, anchor, holders)
        if found:
            block.urls.add(url)
            block.rows.append(Row(row, url, title, outside_text(row, anchor), pick_date(found, url, ref), True))


PINNED = re.compile(r"置顶|[\[【(（]\s*顶\s*[\]】)）]")
PINNED_MARK = re.compile(r"zhiding|(?<![a-z])(?:zd|is_?top|top_?icon|icon_?top|stick[a-z]*)(?![a-z])", re.I)


def _pinned(row: LexborNode) -> bool:
    """A row marked as pinned: 置顶 / [顶] in its text, an image whose alt, title or file name says
    so (``zhiding.gif``, ``top_icon.png``), or a class such as ``zd``/``istop``."""
    if PINNED.search(row.text() or ""):
        return True
    for node in [row, *row.css("*")]:
        attrs = node.attributes
        if node.tag == "img" and (PINNED.search((attrs.get("alt") or "") + (attrs.get("title") or ""))
                                  or PINNED_MARK.search((attrs.get("src") or "").rsplit("/", 1)[-1])):
            return True
        if PINNED_MARK.search(attrs.get("class") or ""):
            return True
    return False


def _climb(anchor: LexborNode, holders: dict[int, set[str]], sizes: dict[int, int], title: int) -> LexborNode:
    """The largest ancestor with no other title link and not much more text than a list row."""
    row = anchor
    while (parent := row.parent) is not None and parent.tag not in ("body", "html"):
        if len(holders.get(parent.mem_id, ())) > 1 or sizes.get(parent.mem_id, 0) > title + ROW_TEXT:
            break
        row = parent
    return row


def _sizes(body: LexborNode) -> dict[int, int]:
    """Visible characters under every element, in one post-order pass."""
    sizes: dict[int, int] = {}
    stack: list[tuple[LexborNode, bool]] = [(body, False)]
    while stack:
        node, done = stack.pop()
        if done:
            total, child = 0, node.child
            while child is not None:
                total += len("".join((child.text_content or "").split())) if child.is_text_node else sizes.get(child.mem_id, 0)
                child = child.next
            sizes[node.mem_id] = total
            continue
        stack.append((node, True))
        child = node.child
        while child is not None:
            if child.is_element_node and child.tag not in SKIP_TAGS:
                stack.append((child, False))
            child = child.next
    return sizes


def _block_key(container: LexborNode) -> tuple[int, str]:
    """Lists with the same parent and tag/class merge (a TRS list split into several ``<ul>``)."""
    parent = container.parent
    if parent is None:
        return container.mem_id, ""
    return parent.mem_id, f"{container.tag}.{container.attributes.get('class') or ''}"


def _in_aside(node: LexborNode | None) -> bool:
    while node is not None and node.tag != "body":
        if chrome_kind(node) == "aside":
            return True
        node = node.parent
    return False
