"""What a page says about itself: its site's 网站标识码, the column it belongs to, and its type.

- ``site_id_code``: ``<meta name="SiteIDCode">``, else the footer's 网站标识码 (10 digits, or
  ``bm`` + 8 digits for State Council departments).
- ``column_name``: the breadcrumb's last column (当前位置：首页 > 信息公开 > 信息公开年报 — an
  article's own title or 正文 at the end is skipped), else ``<meta name="ColumnName">``, else the
  Enorth ``<nodesearchname>``, else an info line (所属栏目：…), a heading named like one (lmmc,
  lm-tit …), the selected tab or nav item (class on/cur/active), and last the page title's short
  part beside the site's name. A breadcrumb beats the meta tag: templates often carry a generic
  ColumnName.
- ``page_type``: ``home`` (a site root), ``interaction`` (a message board), ``empty`` (a column
  page saying or showing it has nothing), ``article`` (a dated text page), ``list``.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.pages.anchors import is_site_root
from monitor.pages.article_date import article_date
from monitor.pages.empty import empty_reason
from monitor.pages.listing import list_items
from monitor.pages.messages import parse_messages
from monitor.pages.text import expand_datastore, is_within, main_text, no_spaces, one_line, parse_html, tree_title
from monitor.pages.xmlsafe import xml_safe

PageType = Literal["home", "list", "article", "interaction", "empty"]
SITE_ID = re.compile(r"^(?:bm\d{8}|\d{10})$")
_FOOTER_ID = re.compile(r"(?:网站标识码|标识码|网站识别码)\s*[:：]?\s*(bm\d{8}|\d{10})(?!\d)", re.I)
_CRUMB_WORDS = re.compile(r"(?:当前位置|您现在的位置是?|您的位置|现在位置|所在位置|当前的位置|(?<![\u4e00-\u9fff])位置)\s*[:：]")
_CRUMB_NAMES = re.compile(r"crumb|position|location|weizhi|dqwz|curpos|mianbao|daohang_pos|dangqian", re.I)
_SEPARATORS = re.compile(r"\s*(?:>>|>|＞|»|›|→|->|/|\\|》|-&gt;)\s*")
_TAIL_WORDS = re.compile(r"^(?:正文|详情|内容|详细内容|文章|浏览文章|阅读|查看|信息详情|文章详情|本文)$")
_SELECTED = re.compile(r"(?:^|\s)(?:on|cur|current|active|selected|select|hover|hit)(?:\s|$)", re.I)
_ENORTH_NODE = re.compile(r"<nodesearchname>\s*([^<]+?)\s*</nodesearchname>", re.I)
_TITLE_PARTS = re.compile(r"\s*(?:_|\||｜|—|–|--|\s-\s)\s*")
_SITE_NAME = re.compile(r"(?:人民政府|政府|局|委员会|委|办公室|中心|管委会|门户网站|网站|网)$")
_COLUMN_LABEL = re.compile(r"(?:所属栏目|栏目名称|栏目|分类|所属分类)\s*[:：]\s*([\u4e00-\u9fff]{2,10})")
_HEADING_NAMES = re.compile(r"(?:^|[\s_-])(?:lmmc|lm|lmname|lm-tit|lmtit|lm_name|column-?name|colname|channel-?name)"
                            r"(?:$|[\s_-])", re.I)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SITECODE_ATTR = re.compile(r"""\bsitecode\s*=\s*['"](bm\d{8}|\d{10})['"]""", re.I)
_GENERIC = frozenset({"首页", "网站首页", "主页"})


def site_id_code(html: str) -> str | None:
    """The site's 网站标识码 from its meta tag, else from the page text (footer)."""
    tree = parse_html(html)
    for meta in tree.css("meta"):
        if (meta.attributes.get("name") or "").strip().lower() == "siteidcode":
            value = (meta.attributes.get("content") or "").strip()
            if SITE_ID.match(value):
                return value
    body = tree.body
    found = _FOOTER_ID.search(body.text(separator=" ") if body is not None else "")
    if found:
        return found.group(1)
    widget = _SITECODE_ATTR.search(html)  # the 我为政府网站找错 widget: <script id="_jiucuo_" sitecode=…>
    return widget.group(1) if widget else None


def column_name(html: str, url: str | None = None) -> str | None:
    """The column (栏目) the page belongs to, or None when the markup does not say (or for a
    site's home page, which belongs to no column)."""
    if url is not None and _is_home(url):
        return None
    tree = parse_html(expand_datastore(html))
    title = tree_title(tree)
    for find in (lambda: _crumb_column(tree, title), lambda: _meta_column(tree), lambda: _enorth_column(html),
                 lambda: _labelled_column(tree), lambda: _named_heading(tree), lambda: _selected_tab(tree),
                 lambda: _title_column(title)):
        found = find()
        if found:
            return xml_safe(found).strip() or None
    return None


def _title_column(title: str) -> str | None:
    """``栏目_站点``, ``文章标题_栏目_站点`` or ``站点--栏目`` / ``站点 栏目``: the short part that is
    not the site's name (the part ending in 人民政府, 局, 委员会 … or, failing that, the last one)."""
    parts = [p.strip() for p in _TITLE_PARTS.split(title) if p.strip()]
    if len(parts) == 1 and " " in parts[0].strip():
        parts = parts[0].split()
    if len(parts) < 2:
        return None
    rest = parts[1:] if _SITE_NAME.search(parts[0]) else parts[:-1]
    short = [p for p in rest if 2 <= len(p) <= 10 and _CJK.search(p) and not _SITE_NAME.search(p)]
    return short[-1] if short else None


def _labelled_column(tree: LexborHTMLParser) -> str | None:
    """An info line naming the column: 所属栏目：工作动态 / 分类：工作动态."""
    text = tree.body.text(separator=" ") if tree.body is not None else ""
    found = _COLUMN_LABEL.search(text)
    return found.group(1) if found else None


def _named_heading(tree: LexborHTMLParser) -> str | None:
    """A column heading named like one (lmmc, lm-tit, xxgk-lm, column-name …)."""
    if tree.body is None:
        return None
    for node in tree.body.css("[class]"):
        if _HEADING_NAMES.search(node.attributes.get("class") or ""):
            text = no_spaces(node.text())
            if 2 <= len(text) <= 10 and _CJK.search(text) and text not in _GENERIC:
                return text
    return None


def _meta_column(tree: LexborHTMLParser) -> str | None:
    for meta in tree.css("meta"):
        if (meta.attributes.get("name") or "").strip().lower() == "columnname":
            value = (meta.attributes.get("content") or "").strip()
            if value and value not in _GENERIC:
                return value
    return None


def _enorth_column(html: str) -> str | None:
    found = _ENORTH_NODE.search(html)
    return found.group(1).strip() if found else None


def _crumb_nodes(tree: LexborHTMLParser) -> list[LexborNode]:
    """Breadcrumb containers: the smallest blocks showing 当前位置/您现在的位置, then blocks named
    like one (crumb, position, location …); long blocks are page sections, not trails."""
    if tree.body is None:
        return []
    short = lambda n: len(no_spaces(n.text())) <= 120  # noqa: E731
    worded = [n for n in tree.body.css("div,td,p,span,li,ul,dl,dd,section,nav,th,font")
              if short(n) and _CRUMB_WORDS.search(n.text() or "")]
    inner = [n for n in worded if not any(o is not n and is_within(o, n) for o in worded)]
    named = [n for n in tree.body.css("[class],[id]")
             if _CRUMB_NAMES.search(f"{n.attributes.get('class') or ''} {n.attributes.get('id') or ''}")
             and n.tag not in ("script", "style", "meta", "link", "body", "html") and short(n)]
    return inner + named


def _crumb_column(tree: LexborHTMLParser, title: str) -> str | None:
    """The trail's last column: the text after its last link (the current column is often plain
    text), else its last link (TRS marks trail links ``a.CurrChnlCls``), else its text parts."""
    nodes = _crumb_nodes(tree)
    trs = tree.css("a.CurrChnlCls")
    if trs:
        nodes = [trs[-1].parent, *nodes] if trs[-1].parent is not None else nodes
    for node in nodes:
        links = [a for a in node.css("a") if _CJK.search(a.text() or "")]
        text = re.sub(r"\s+", " ", _CRUMB_WORDS.sub(" ", node.text(separator=" ") or ""))
        if len(links) >= 2 or (trs and links):
            after = text[_end_of_links(text, links):]
            tail = [p.strip(" \u00a0:：") for p in _SEPARATORS.split(after)]
            tail = [p for p in tail if p and _CJK.search(p)]
            if tail and len(tail[0]) <= 12 and (found := _last_column(tail[:1], title)):
                return found
            found = _last_column([one_line(a.text()) for a in links], title)
        else:
            found = _last_column([p.strip(" \u00a0:：") for p in _SEPARATORS.split(text)], title)
        if found:
            return found
    return None


def _end_of_links(text: str, links: list[LexborNode]) -> int:
    """Where the trail's links end in its text (found in order, so 要闻 is not matched in 山西要闻)."""
    position = 0
    for link in links:
        shown = one_line(link.text())
        found = text.find(shown, position) if shown else -1
        if found >= 0:
            position = found + len(shown)
    return position


def _last_column(parts: list[str], title: str) -> str | None:
    cleaned = [" ".join(t for t in p.split() if _CJK.search(t)) for p in parts]
    kept = [p for p in cleaned if p and p not in _GENERIC and not _TAIL_WORDS.match(p)]
    while kept and _is_title(kept[-1], title):
        kept.pop()
    return kept[-1] if kept and 1 < len(kept[-1]) <= 20 else None


def _is_title(part: str, title: str) -> bool:
    """An article's own title at the end of a breadcrumb, not a column."""
    flat, whole = no_spaces(part), no_spaces(title)
    return len(flat) > 20 or (len(flat) >= 12 and flat in whole) or (bool(flat) and flat == whole)


def _selected_tab(tree: LexborHTMLParser) -> str | None:
    """The selected tab of a tab bar (siblings of the same tag, one marked on/cur/active)."""
    if tree.body is None:
        return None
    for node in tree.body.css("[class]"):
        if not _SELECTED.search(node.attributes.get("class") or "") or node.parent is None:
            continue
        siblings = [c for c in node.parent.iter() if c.tag == node.tag]
        text = no_spaces(node.text())
        if len(siblings) >= 2 and 2 <= len(text) <= 12 and text not in _GENERIC:
            return text
    return None


def _is_home(url: str) -> bool:
    """A site root, also with a query (``/?lang=zh``): the home page, which belongs to no column."""
    return is_site_root(url) or urlsplit(url).path in ("", "/")


def page_type(html: str, url: str) -> PageType:
    """What kind of page this is, from its URL and what it shows."""
    if _is_home(url):
        return "home"
    if any(m.answered is not None or m.replied is not None for m in parse_messages(html, url, "")):
        return "interaction"
    items = list_items(html, url, scope="main")
    published = article_date(html)
    dated = published is not None
    own_date = dated and published not in {item.date for item in items}  # not just a list row's date
    text = main_text(html)
    if _has_pubdate_meta(html) or (dated and _long_text(text)) or (own_date and len(items) < 5):
        return "article"
    if not items and (empty_reason(html, []) is not None or not text.strip()):
        return "empty"
    if items:
        return "list"
    return "article" if dated else "empty"


def _has_pubdate_meta(html: str) -> bool:
    """Article templates carry a publication meta tag (TRS PubDate, Open Graph …); list pages do not."""
    return bool(re.search(r"<meta[^>]+(?:name|property)\s*=\s*['\"](?:PubDate|article:published_time|"
                          r"firstpublishedtime|publishdate)['\"]", html, re.I))


def _long_text(text: str) -> bool:
    """A paragraph of running text (an article body), not a list of titles."""
    return any(len(line) >= 150 for line in text.split("\n"))
