"""List pages and home pages: the linked, dated items a column (or a home page) shows.

How an item is found, without vendor templates (TRS, 大汉, Enorth and hand-made pages differ):

1. The page is cleaned (``monitor.pages.text.clean_tree``): 大汉 ``<datastore>`` records are put
   back, scripts, styles and layout chrome (nav/menu/footer/breadcrumb/pagination) are removed;
   sidebars and "related" blocks are only marked.
2. Every *title link* is taken (``monitor.pages.anchors``): a link to a page, not to the page itself, a
   folder above it or the site root, whose title has at least 5 characters and is no category,
   更多/下一页 or tool word. Shorter titles (通告, 招标公告) join a list found by its longer
   titles only when their row has the same tag as its rows and its own date.
3. From each title link (``monitor.pages.blocks``) we climb to the largest ancestor holding no other title link and not
   much more text (400 characters) than the title: that is the *row* (``li``, ``tr``, ``dd``, a
   ``div`` …); the row's parent is its *list*. Lists with the same parent and the same tag/class
   are one list (TRS splits a list into several ``<ul>``).
4. The row's date (``monitor.pages.row_dates``): short pieces beside the title before prose, else a
   date-only part of the link, else the siblings up to the next row (flat ``<a>…</a>(date)<br>``
   markup); the latest not after ``ref``; a year-less date takes the year of the item's URL or of
   ``ref``; a clock (今天是2021年8月31日) is never an item date. A row marked 置顶 (text, a
   ``置顶`` image or class) is ``pinned``: lists are not read in order, the newest item is the
   maximum over all rows, and a pinned old row at the top never decides where a list ends.
5. ``scope="main"`` (a column's list page) keeps every headed sub-list of a channel overview
   page (``monitor.pages.sections``: two or more dated lists with their own headings, no pagination),
   else the column's own list: the best dated list
   outside sidebars (among lists whose links are mostly under the page's own directory when
   there is one: most dated rows, local links), else an undated
   list of article-like links (its items count as not updated), else a dated sidebar list —
   unless the page outside its sidebars says it is empty (暂无记录, 共0条).
   ``scope="all"`` (a home page) keeps every list whose rows are mostly dated. ``"auto"`` reads
   a site root as a home page, and any other page as a list page when it paginates
   (``monitor.pages.pagination``), shows a breadcrumb (当前位置 …) or one dated list has twice the
   dated rows of any other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Literal
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from monitor.model.snapshots import ListItem
from monitor.pages.anchors import is_site_root
from monitor.pages.blocks import ARTICLE_URL, Block, find_blocks
from monitor.pages.columns import classify
from monitor.pages.empty import says_empty
from monitor.pages.pagination import next_page_url
from monitor.pages.sections import Section, headed
from monitor.pages.text import clean_tree, no_spaces, parse_html, visible_text

Scope = Literal["auto", "main", "all"]
def list_items(html: str, base_url: str, *, ref: date | None = None, scope: Scope = "auto") -> list[ListItem]:
    """The items of a list page (``main``) or of a home page's dated blocks (``all``).

    ``auto`` reads a page as a list page when it is not a site root and it paginates, shows a
    breadcrumb (当前位置 …), or one dated list holds twice the dated rows of any other; else as a
    home page."""
    tree = clean_tree(html)
    blocks = find_blocks(tree, base_url, ref=ref)
    dated = [b for b in blocks if b.dated and b.dated * 2 >= len(b.rows)]
    if scope == "auto":
        scope = "main" if _looks_like_list_page(html, base_url, dated) else "all"
    if scope == "all":
        chosen = dated
    else:
        chosen = [block for block, _, _ in _overview(html, base_url, blocks)] or _main_block(blocks, base_url, tree)
    items: dict[str, ListItem] = {}
    for block in chosen:
        for row in block.rows:
            items.setdefault(row.url, ListItem(title=row.title, url=row.url, date=row.date, pinned=row.pinned))
    return list(items.values())


def column_sections(html: str, base_url: str, *, ref: date | None = None,
                    kinds: Mapping[str, Sequence[str]] | None = None) -> list[Section]:
    """The sub-lists of a channel overview page (``monitor.pages.sections``), [] for any other page."""
    blocks = find_blocks(clean_tree(html), base_url, ref=ref)
    out = []
    for block, name, url in _overview(html, base_url, blocks):
        items: dict[str, ListItem] = {}
        for row in block.rows:
            items.setdefault(row.url, ListItem(title=row.title, url=row.url, date=row.date, pinned=row.pinned))
        out.append(Section(name, url, classify(name, kinds or {}), list(items.values())))
    return out


def _overview(html: str, base_url: str, blocks: list[Block]) -> list[tuple[Block, str, str | None]]:
    """The headed sub-lists of a channel overview page: lists of the channel's own sub-columns
    (rows or 更多 link under the page's folder). None when fewer than two remain, when one of them
    is named as the page itself (a list page whose own list has a heading, beside other boxes) or
    when the page paginates (one list)."""
    if is_site_root(base_url):
        return []  # a home page: its boxes are the site's columns (scope "all"), not one channel's
    folder = _folder(base_url)
    heads = [(block, name, url) for block, name, url in headed(blocks, base_url)
             if _mostly_local(block, base_url) or (url or "").startswith(folder)]
    if len({no_spaces(name) for _, name, _ in heads}) < 2:
        return []
    raw = parse_html(html)
    own = {no_spaces(n) for n in _own_names(raw)}
    if any(no_spaces(name) in own for _, name, _ in heads) or next_page_url(html, base_url, tree=raw) is not None:
        return []
    return heads


def _own_names(tree: LexborHTMLParser) -> list[str]:
    """What the page calls itself: its ColumnName meta and the first part of its title."""
    names = [m.attributes.get("content") or "" for m in tree.css("meta[name=ColumnName], meta[name=columnname]")]
    title = tree.css_first("title")
    if title is not None:
        names.append(re.split(r"\s*[_|｜—–-]\s*", title.text(strip=True))[0])
    return [n for n in names if n]


_BREADCRUMB = re.compile(r"(?:当前|您的|你的|您现在的|你现在的|所在)\s*位置|位置\s*[:：]")


def _looks_like_list_page(html: str, base_url: str, dated: list[Block]) -> bool:
    if is_site_root(base_url):
        return False
    counts = sorted((b.dated for b in dated), reverse=True)
    if len(counts) <= 1 or counts[0] >= 2 * counts[1]:
        return True
    raw = parse_html(html)
    return next_page_url(html, base_url, tree=raw) is not None or bool(raw.body and _BREADCRUMB.search(raw.body.text()))


def _main_block(blocks: list[Block], base_url: str, tree: LexborHTMLParser) -> list[Block]:
    """The column's own list: the best dated list outside sidebars, else an undated list of
    article links, else a dated sidebar list — unless the page outside its sidebars says it has
    no content (暂无记录): then the sidebar lists other columns and the column has no item."""
    def best(pool: list[Block]) -> list[Block]:
        return [max(pool, key=lambda b: (_score(b, base_url), -b.order))] if pool else []

    pool = [b for b in blocks if b.dated and not b.aside]
    own = best([b for b in pool if _mostly_local(b, base_url)] or pool) or _undated(blocks)
    if own or tree.body is None or says_empty(visible_text(tree.body, frozenset({"aside"}))):
        return own
    return best([b for b in blocks if b.dated])


def _folder(base_url: str) -> str:
    return base_url.split("?", 1)[0].rsplit("/", 1)[0] + "/"


def _mostly_local(block: Block, base_url: str) -> bool:
    """Most rows link under the page's own folder (TRS ``./202108/t…``, ``/tzgg/3310.jhtml``): the
    column's own items. A bigger dated block of other columns' links (a 专题 box, a 最新 list)
    never outranks it."""
    return sum(row.url.startswith(_folder(base_url)) for row in block.rows) * 2 > len(block.rows)


def _score(block: Block, base_url: str) -> float:
    local = sum(row.url.startswith(_folder(base_url)) for row in block.rows)
    score = block.dated * 2 + len(block.rows) + local
    return score * 0.3 if block.aside else score


def _undated(blocks: list[Block]) -> list[Block]:
    """The best list of article-like links when no list shows dates (items then count as undated)."""
    fits = [b for b in blocks if len(b.rows) >= 2 and not b.aside
            and sum(bool(ARTICLE_URL.search(urlsplit(r.url).path + "?" + urlsplit(r.url).query))
                    for r in b.rows) * 2 >= len(b.rows)
            and sum(len(r.title) for r in b.rows) >= 6 * len(b.rows)]
    return [max(fits, key=lambda b: (len(b.rows), -b.order))] if fits else []
