"""What a page shows as text: the cleaned tree, its visible text, and its title.

Chrome is told by tag, class or id (``chrome_kind``): *layout* (nav, menus, footer, breadcrumb,
pagination) and *aside* (sidebars, "related" blocks). A chrome-looking ``div`` holding half the
page's visible text is kept (a wrapper named ``menu-wrap`` around everything cannot be chrome).
大汉 (Hanweb) jpage ``<datastore>`` CDATA records are put back into the page before it is read.
Visible text never includes comments, attribute values, scripts, styles or form widgets, and with
``hidden=True`` no ``display:none``/``hidden`` elements either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.pages.xmlsafe import xml_safe

SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "select", "option",
                       "textarea", "iframe", "object", "svg", "button", "input"})
LAYOUT_TAGS = frozenset({"nav", "footer"})
LAYOUT_EXACT = frozenset({"dh", "pos", "foot", "ft", "crumb", "crumbs", "bq", "copy", "yqlj", "links", "skip"})
# "skip" only as a word or a skip link (skipnav, skiplink, skip-to-content): 无障碍 toolkits mark whole
# article bodies class="skipAutoFix" (宜春/万载 platform), which is content, not chrome.
LAYOUT_PREFIX = ("nav", "menu", "footer", "bottom", "copyright", "banquan", "breadcrumb", "daohang",
                 "position", "location", "weizhi", "pagination", "pager", "paging", "fenye", "friend",
                 "toolbar", "skipnav", "skiplink", "skipto", "topbar")
ASIDE_EXACT = frozenset({"side", "xgxw", "xgwz", "xglj", "xgwj", "hot", "rank"})
ASIDE_PREFIX = ("sidebar", "aside", "relat", "recommend", "tuijian", "hotnews", "paihang", "ranking", "share")
BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "br", "h1",
                        "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "nav", "aside",
                        "form", "blockquote", "pre", "hr", "tbody", "thead", "center", "main"})
MAIN_EXCLUDE = frozenset({"layout"})
_NON_NAME = re.compile(r"[^a-z0-9]+")
_SKIP_SELECTOR = ",".join(sorted(SKIP_TAGS))
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_WHITESPACE = re.compile(r"\s+")
_DATASTORE = re.compile(r"<script[^>]*>\s*(<datastore>.*?</datastore>)\s*</script>", re.S | re.I)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)


def parse_html(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def one_line(text: str | None) -> str:
    """``text`` on one line: every whitespace run (newlines, full-width spaces) one space, ends
    trimmed, XML-illegal characters removed (titles and names end up in notices)."""
    return xml_safe(_WHITESPACE.sub(" ", text or "").strip())


def no_spaces(text: str | None) -> str:
    """``text`` without any whitespace or XML-illegal character: how titles, labels and CJK
    phrases (column names among them) are compared and stored."""
    return xml_safe(_WHITESPACE.sub("", text or ""))


def is_within(node: LexborNode, outer: LexborNode) -> bool:
    """Whether ``node`` is ``outer`` or lies inside it."""
    current: LexborNode | None = node
    while current is not None:
        if current.mem_id == outer.mem_id:
            return True
        current = current.parent
    return False


def chrome_kind(node: LexborNode) -> str | None:
    """``"layout"`` (nav, menus, footer, breadcrumb, pagination), ``"aside"`` (sidebar, related), or None."""
    if node.tag in LAYOUT_TAGS:
        return "layout"
    if node.tag == "aside":
        return "aside"
    attrs = node.attributes
    raw = " ".join(v for k in ("class", "id", "role") if (v := attrs.get(k)))
    return _kind_of_names(raw) if raw else None


@lru_cache(maxsize=4096)
def _kind_of_names(raw: str) -> str | None:
    """The chrome kind told by class/id/role names (cached: templates repeat the same names)."""
    tokens = [t for t in _NON_NAME.split(raw.lower()) if t]
    if any(t in LAYOUT_EXACT or t.startswith(LAYOUT_PREFIX) for t in tokens):
        return "layout"
    if any(t in ASIDE_EXACT or t.startswith(ASIDE_PREFIX) for t in tokens):
        return "aside"
    return None


def _hidden(node: LexborNode) -> bool:
    style = (node.attributes.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "hidden" in node.attributes


def skipper(root: LexborNode, exclude: frozenset[str], *, hidden: bool = False,
            total: list[int] | None = None) -> Callable[[LexborNode], bool]:
    """A predicate for subtrees to skip. A chrome-looking ``div`` holding half the page's visible
    text (a wrapper named ``menu-wrap`` around everything) is kept, since it cannot be chrome.
    ``total`` shares the page's text length between skippers of one page (computed once, lazily)."""
    total = [] if total is None else total

    def skip(node: LexborNode) -> bool:
        if node.tag in SKIP_TAGS or (hidden and _hidden(node)):
            return True
        kind = chrome_kind(node) if exclude else None
        if kind not in exclude:
            return False
        if node.tag in LAYOUT_TAGS:
            return True
        if not total:
            total.append(max(text_length(root), 1))
        return text_length(node) < 0.5 * total[0]

    return skip


def text_length(node: LexborNode) -> int:
    """Characters of visible text (scripts and styles left out), spaces not counted — read by
    Lexbor in C, less the outermost script/style/… subtrees."""
    total = _chars(node.text(deep=True, separator=""))
    skipped = node.css(_SKIP_SELECTOR)
    if skipped:
        ids = {n.mem_id for n in skipped}
        for inner in skipped:
            if not _inside(inner, ids, node):
                total -= _chars(inner.text(deep=True, separator=""))
    return total


def _chars(text: str | None) -> int:
    return len("".join((text or "").split()))


def _inside(node: LexborNode, ids: set[int], top: LexborNode) -> bool:
    """Whether an ancestor of ``node`` below ``top`` is one of ``ids``."""
    parent = node.parent
    while parent is not None and parent.mem_id != top.mem_id:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def walk_text(root: LexborNode, skip: Callable[[LexborNode], bool]) -> Iterator[str | None]:
    """Visible text nodes of ``root`` in order; ``None`` marks a block boundary."""
    stack: list[LexborNode] = []
    node = root.child
    while node is not None or stack:
        if node is None:
            parent = stack.pop()
            if parent.tag in BLOCK_TAGS:
                yield None
            node = parent.next
            continue
        if node.is_text_node:
            yield node.text_content or ""
        elif node.is_element_node:
            if node.tag in BLOCK_TAGS:
                yield None
            if node.child is not None and not skip(node):
                stack.append(node)
                node = node.child
                continue
        node = node.next


def visible_text(root: LexborNode, exclude: frozenset[str], *, hidden: bool = False) -> str:
    """Visible text; inline pieces are joined, blocks end a line, runs of spaces collapse."""
    out: list[str] = []
    for piece in walk_text(root, skipper(root, exclude, hidden=hidden)):
        out.append("\n" if piece is None else piece.replace("\n", " "))
    return _lines(out)


def _lines(pieces: list[str]) -> str:
    """The page text: XML-illegal characters removed, spaces collapsed, blank lines dropped."""
    lines = (line.strip() for line in _SPACES.sub(" ", xml_safe("".join(pieces))).split("\n"))
    return "\n".join(line for line in lines if line)


def page_texts(root: LexborNode) -> tuple[str, str]:
    """(main text, article text) of a page in one walk — what ``main_text`` and
    ``article_date`` read: the main text leaves out layout chrome; the article text also leaves
    out sidebars, "related" blocks and hidden elements. One walk instead of two halves the
    cost of the crawl's per-page text extraction."""
    total: list[int] = []
    skip_main = skipper(root, MAIN_EXCLUDE, total=total)
    skip_article = skipper(root, frozenset({"aside"}), hidden=True, total=total)
    main: list[str] = []
    article: list[str] = []
    stack: list[LexborNode] = []
    off = 0  # stack depth at which the article text stopped (0: it is on)
    node = root.child
    while node is not None or stack:
        if node is None:
            parent = stack.pop()
            if off and len(stack) < off:
                off = 0
            if parent.tag in BLOCK_TAGS:
                main.append("\n")
                if not off:
                    article.append("\n")
            node = parent.next
            continue
        if node.is_text_node:
            text = (node.text_content or "").replace("\n", " ")
            main.append(text)
            if not off:
                article.append(text)
        elif node.is_element_node:
            if node.tag in BLOCK_TAGS:
                main.append("\n")
                if not off:
                    article.append("\n")
            if node.child is not None and not skip_main(node):
                if not off and skip_article(node):
                    off = len(stack) + 1
                stack.append(node)
                node = node.child
                continue
        node = node.next
    return _lines(main), _lines(article)


def expand_datastore(html: str) -> str:
    """大汉 (Hanweb) jpage lists ship their rows as CDATA records inside ``<script type="text/xml">
    <datastore>``; put the records in the page as HTML so they read like any list."""
    if "<datastore" not in html.lower():
        return html
    return _DATASTORE.sub(lambda m: "<div class='datastore'>" + "".join(_RECORD.findall(m.group(1))) + "</div>", html)


def clean_tree(html: str, exclude: frozenset[str] = frozenset({"layout"})) -> LexborHTMLParser:
    """The page with scripts, styles, form widgets and the ``exclude`` chrome removed."""
    tree = parse_html(expand_datastore(html))
    if tree.body is None:
        return tree
    skip = skipper(tree.body, exclude)
    doomed: list[LexborNode] = []
    stack = [tree.body]
    while stack:
        node = stack.pop()
        for child in child_elements(node):
            (doomed if skip(child) else stack).append(child)
    for node in doomed:
        node.decompose()
    return tree


def child_elements(node: LexborNode, tags: tuple[str, ...] | None = None) -> list[LexborNode]:
    """The element children of ``node`` (only those of ``tags`` when given), in order."""
    out, child = [], node.child
    while child is not None:
        if child.is_element_node and (tags is None or child.tag in tags):
            out.append(child)
        child = child.next
    return out


def main_text(html: str) -> str:
    """Visible text without scripts, styles, navigation, menus, footer and breadcrumb."""
    tree = parse_html(expand_datastore(html))
    return visible_text(tree.body, MAIN_EXCLUDE) if tree.body is not None else ""


def page_title(html: str) -> str:
    """The ``<title>``, else the first ``<h1>``; "" when the page has neither."""
    return tree_title(parse_html(html))


def tree_title(tree: LexborHTMLParser) -> str:
    """``page_title`` of an already parsed page."""
    for selector in ("title", "h1"):
        node = tree.css_first(selector)
        if node is not None and (text := one_line(node.text())):
            return text
    return ""
