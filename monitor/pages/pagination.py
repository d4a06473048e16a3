"""Pagination of list pages: the URL of a list's next page, whichever CMS wrote the pager."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from monitor.pages.anchors import link_url, same_page
from monitor.pages.text import no_spaces, parse_html

NEXT_WORDS = frozenset({"下一页", "下页", "后一页", "下一頁", "next", "nextpage", "next>", "下一页>", "›", ">"})
PAGE_PARAMS = frozenset({"page", "pageno", "pagenum", "pageindex", "curpage", "currentpage", "pn", "p"})
_TRS_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_COUNT_VAR = re.compile(r"\b(?:countPage|pageCount|totalPage|page_count)\s*=\s*(\d+)")
_CURRENT_VAR = re.compile(r"\b(?:currentPage|curPage|pageIndex|current_page)\s*=\s*(\d+)")


def next_page_url(html: str, base_url: str, *, tree: LexborHTMLParser | None = None) -> str | None:
    """The next page of a paginated list: a 下一页 link, TRS ``createPageHTML``/``countPage`` script
    variables (``index_1.html`` …), or the link numbered one past the current page. A caller that
    already parsed the raw page (not a cleaned tree: the pager is chrome) passes ``tree``."""
    tree = tree if tree is not None else parse_html(html)
    if tree.body is None:
        return None
    for find in (_next_link, _trs_next, _numbered_next):
        candidate = find(tree, base_url)
        if candidate is not None and not same_page(candidate, base_url):
            return candidate
    return None


def _next_link(tree: LexborHTMLParser, base_url: str) -> str | None:
    for anchor in tree.css("a[href]"):
        words = {no_spaces(anchor.text()).lower(), (anchor.attributes.get("title") or "").strip().lower()}
        classes = re.split(r"[^a-z]+", (anchor.attributes.get("class") or "").lower())
        if words & NEXT_WORDS or "next" in classes or any(c.endswith("next") for c in classes if c):
            if (url := link_url(anchor, base_url)) is not None:
                return url
    return None


def _trs_next(tree: LexborHTMLParser, base_url: str) -> str | None:
    script = " ".join(node.text() or "" for node in tree.css("script"))
    last = urlsplit(base_url).path.rsplit("/", 1)[-1]
    name, ext = "index", (last.rsplit(".", 1)[-1] if "." in last else "html")
    call = _TRS_CALL.search(script)
    if call:
        args = [a.strip().strip("'\"") for a in call.group(1).split(",")]
        numbers = [int(a) for a in args if a.isdigit()]
        words = [a for a in args if a and not a.isdigit() and re.fullmatch(r"[\w.-]+", a)]
        if len(numbers) >= 2 and len(words) >= 2:
            count, current, name, ext = numbers[0], numbers[1], words[-2], words[-1]
            return urljoin(base_url, f"{name}_{current + 1}.{ext}") if current + 1 < count else None
    count, current = _COUNT_VAR.search(script), _CURRENT_VAR.search(script)
    if count and current and int(current.group(1)) + 1 < int(count.group(1)):
        return urljoin(base_url, f"{name}_{int(current.group(1)) + 1}.{ext}")
    return None


def _numbered_next(tree: LexborHTMLParser, base_url: str) -> str | None:
    """The link whose text is the next page number, inside a run of page-number links."""
    parts = urlsplit(base_url)
    index = re.search(r"_(\d+)\.\w+$", parts.path)
    query = {k.lower(): int(v) for k, v in re.findall(r"([^&=?]+)=(\d+)", parts.query)}
    current = int(index.group(1)) + 1 if index else next((v for k, v in query.items() if k in PAGE_PARAMS), 1)
    for anchor in tree.css("a[href]"):
        if (anchor.text() or "").strip() != str(current + 1):
            continue
        around = anchor.parent.parent if anchor.parent is not None and anchor.parent.parent is not None else anchor.parent
        if around is None:
            continue
        numbers = [a for a in around.css("a") if (a.text() or "").strip().isdigit()]
        if len(numbers) >= 2 or "页" in (around.text() or ""):
            return link_url(anchor, base_url)
    return None
