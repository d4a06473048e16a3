"""Channel overview pages (栏目首页): a column's first page made of several dated sub-lists.

A 政务公开 or 新闻中心 channel often shows, instead of one list, a dozen boxes — 通知公告, 政策文件,
人事信息 … — each with a heading, a few dated rows (often year-less ``MM-DD``, the year only in the
item's URL) and a 更多 link to the sub-column's own list. Read as one list, such a page gives only
its biggest box, and the column's newest date is that box's. Here each box is a *section*: its
heading, its 更多 URL, its kind by the heading's words (``[extract.column_kinds]``) and its items.
A page is an overview when at least two dated lists outside sidebars each carry their own heading
(distinct names), and the page does not paginate (a list page that paginates is one list, whatever
boxes sit beside it — ``monitor.pages.listing`` checks that). The column's newest date is the newest of
its sections'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborNode

from monitor.model.snapshots import ListItem
from monitor.pages.anchors import link_url
from monitor.pages.columns import MORE_TEXT, block_name
from monitor.pages.text import is_within, no_spaces

if TYPE_CHECKING:
    from monitor.pages.blocks import Block

CLIMB = 4  # levels above a list searched for its heading and 更多 link


@dataclass
class Section:
    """One sub-list of an overview page."""

    name: str
    url: str | None
    kind: str
    items: list[ListItem]

    @property
    def newest(self) -> date | None:
        return max((i.date for i in self.items if i.date), default=None)


def headed(blocks: list[Block], base_url: str) -> list[tuple[Block, str, str | None]]:
    """(list, heading, 更多 URL) for each dated list outside sidebars that carries its own heading,
    when at least two distinct headings are found; else []."""
    pool = [b for b in blocks if not b.aside and b.dated >= 2 and b.dated * 2 >= len(b.rows)]
    if len(pool) < 2:
        return []
    containers = [_container(b) for b in pool]
    found: list[tuple[Block, str, str | None]] = []
    for block, container in zip(pool, containers, strict=True):
        others = [c for c in containers if c.mem_id != container.mem_id]
        head = _head(container, others, base_url)
        if head is not None:
            found.append((block, *head))
    return found if len({no_spaces(name) for _, name, _ in found}) >= 2 else []


def _container(block: Block) -> LexborNode:
    node = block.rows[0].node.parent
    assert node is not None  # find_blocks keeps only rows with a parent
    return node


def _is_more(anchor: LexborNode) -> bool:
    shown = no_spaces(anchor.text() or "") or ("more" if "more" in (anchor.attributes.get("class") or "").lower() else "")
    return bool(MORE_TEXT.match(shown))


def _head(container: LexborNode, others: list[LexborNode], base_url: str) -> tuple[str, str | None] | None:
    """The heading (and 更多 URL) of the box holding ``container``: climbing at most ``CLIMB``
    levels, never to a node that also holds another list."""
    node = container
    for _ in range(CLIMB):
        parent = node.parent
        if parent is None or parent.tag in ("body", "html") or any(is_within(o, parent) for o in others):
            return None
        node = parent
        more = next((a for a in node.css("a[href]") if not is_within(a, container) and _is_more(a)), None)
        name = block_name(node, more if more is not None else container, skip=container)
        if name is not None:
            return name, link_url(more, base_url) if more is not None else None
    return None
