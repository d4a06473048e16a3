"""Empty columns (空白栏目): why a column's page shows no content, if it says so."""

from __future__ import annotations

import re

from monitor.pages.dates import normalize
from monitor.pages.text import MAIN_EXCLUDE, clean_tree, expand_datastore, no_spaces, parse_html, visible_text

_ZERO_COUNT = re.compile(r"共\s*(?:查询出|检索到|找到|搜索到|有)?\s*0\s*(?:条|篇|项|个|页)|"
                         r"(?:总数|总条数|记录数|总记录数)\s*[:：]?\s*0(?!\d)")
_LIST_TOKENS = re.compile(r"list|liebiao|result|lb\b", re.I)
#: How ``empty_reason`` starts when only an empty list container was seen (no words saying so):
#: the one reason a script may yet fill (``monitor.pages.scripted.script_list``).
EMPTY_CONTAINER = "empty list container"
NO_DATA = re.compile(r"暂无(?:相关)?(?:信息|数据|内容|记录|文章)|没有(?:找到)?(?:相关|符合条件)|无相关(?:记录|信息|数据)|"
                     r"(?:正在|栏目)建设中")


def says_empty(text: str) -> bool:
    """Whether a text says its list is empty in the words CMS templates print (暂无记录,
    没有找到相关信息, 共0条 …) — built in, for readers that have no configured patterns."""
    flat = normalize(no_spaces(text))
    return bool(NO_DATA.search(flat) or _ZERO_COUNT.search(flat))


def empty_reason(html: str, patterns: list[str] | tuple[str, ...]) -> str | None:
    """Why a column page shows no content: a 暂无信息-style text, a zero count (共0条 …), or an
    empty list container on a page with little text. None when nothing says it is empty.

    Only what the page shows counts: a ``display:none`` placeholder row (暂无信息) that the
    template's script reveals when no row came is no evidence while the page holds its rows
    (福建投资项目 公示列表, a real page of tests/fixtures/real_pages)."""
    text = shown_text(html)
    flat = normalize(no_spaces(text))
    for pattern in patterns:
        if pattern and normalize(no_spaces(pattern)) in flat:
            return pattern
    if (zero := _ZERO_COUNT.search(normalize(text))) is not None:
        return zero.group(0)
    if re.search(r"<totalrecord>\s*0\s*</totalrecord>", html, re.I):
        return "totalrecord 0"
    if len(flat) > 500:
        return None
    tree = clean_tree(html)
    for node in tree.css("ul, ol, div, table, tbody, dl"):
        marks = f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}"
        if _LIST_TOKENS.search(marks) and not (node.text() or "").strip() and node.css_first("a, img, li, tr") is None:
            return f"{EMPTY_CONTAINER} <{node.tag} {marks.strip()}>"
    return None


def shown_text(html: str) -> str:
    """The page's main text (layout chrome left out) without ``display:none``/``hidden`` elements."""
    tree = parse_html(expand_datastore(html))
    return visible_text(tree.body, MAIN_EXCLUDE, hidden=True) if tree.body is not None else ""
