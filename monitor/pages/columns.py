"""Columns (栏目) of a site: from the home page's navigation, its blocks' 更多 links and the site map.

* Navigation: ``<nav>`` and elements whose class/id name a nav or menu (``nav``, ``menu``,
  ``daohang``, ``dh`` …, plus ``[extract] nav_selectors``); when none exists, the first run of at
  least five short same-site links (the 恩格贝 ``table#memu`` kind). Inside a nav, the first link
  of each ``<li>`` names the item; links nested deeper (a dropdown ``ul``/``div``) are level 2 with
  that item as parent. In ``dl`` navs ``dt`` is the parent and ``dd`` links its children.
* Home-page blocks: a 更多/more link is the list page of the block it closes; the block's heading
  is the column name. Their level is 2 unless the navigation lists the same URL at level 1,
  because the 6-month rule binds only first-level (一级) columns and a false level 1 would fail
  a site wrongly.
* Site map (网站地图): headings (``h1``–``h6``, ``dt``, ``th``, ``strong``, title-like classes) are
  level 1; the links after a heading, up to the next heading, are its level-2 children.
* Kept: same-site links only (same host, a subdomain of the site's own domain, or a registry
  host), names of 2–16 characters, not 首页/login/search/language/accessibility entries.
  Duplicates by URL keep the first entry's place and the lowest level; a specific kind beats
  "other" (a top item that opens its child's list is judged as that list).

``classify``: a name's kind is the kind of the longest keyword of ``[extract] column_kinds``
found in it; ties go to the kind listed first, then to its earlier keyword; no hit is "other".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.pages.anchors import is_site_root, link_url
from monitor.pages.text import clean_tree, is_within, no_spaces

SKIP_NAMES = re.compile(r"首页|主页|english|繁體|繁体|简体|无障碍|长者|关怀|适老|登录|登陆|注册|搜索|检索|网站地图|站点地图|"
                        r"设为|收藏|手机版|移动版|rss|返回|更多|more|^>+$|^下一页$|^上一页$|^尾页$", re.I)
MORE_TEXT = re.compile(r"^(?:更多|查看更多|more|更多>+|>+|\+|更多\+)$", re.I)
HEADING_CLASS = re.compile(r"tit|title|head|hd\b|bt\b|lm1|first|name|caption", re.I)
NAV_SELECTORS = ("nav", "[class*=nav]", "[id*=nav]", "[class*=menu]", "[id*=menu]", "[class*=daohang]",
                 "[id*=daohang]", "[class~=dh]", "[id=dh]")
SUFFIXES = ("gov.cn", "com.cn", "org.cn", "net.cn", "edu.cn", "ac.cn")


@dataclass(frozen=True, slots=True)
class ColumnRef:
    """A column: its name, list-page URL, kind, parent column name and level (1 = top)."""

    name: str
    url: str
    kind: str
    parent: str | None = None
    level: int = 1


def classify(name: str, kinds: Mapping[str, Sequence[str]]) -> str:
    """The kind whose longest keyword occurs in ``name`` (ties: earlier kind, earlier keyword)."""
    flat = no_spaces(name)
    best: tuple[tuple[int, int, int], str] | None = None
    for kind_order, (kind, words) in enumerate(kinds.items()):
        for word_order, word in enumerate(words):
            if word and word in flat:
                key = (-len(word), kind_order, word_order)
                if best is None or key < best[0]:
                    best = (key, kind)
    return best[1] if best else "other"


def same_site(url: str, base_url: str, hosts: Iterable[str] = ()) -> bool:
    """Same host:port, a subdomain of the site's own domain (never of gov.cn itself), or a listed host."""
    host, base = urlsplit(url).netloc.lower(), urlsplit(base_url).netloc.lower()
    if host == base or host in {h.lower() for h in hosts}:
        return True
    domain = base.split(":")[0].removeprefix("www.")
    if re.fullmatch(r"[\d.]+", domain) or domain in SUFFIXES or "." not in domain:
        return False
    return host.split(":")[0].endswith("." + domain)


def discover_columns(home_html: str, base_url: str, kinds: Mapping[str, Sequence[str]], *,
                     hosts: Iterable[str] = (), nav_selectors: Sequence[str] = ()) -> list[ColumnRef]:
    """Columns named by the home page: navigation (with dropdown children) and blocks' 更多 links."""
    tree = clean_tree(home_html, frozenset())
    hosts = list(hosts)
    navs = _marked_navs(tree, tuple(nav_selectors) + NAV_SELECTORS)
    found = _refs([e for nav in navs for e in _nav_entries(nav, base_url)], base_url, kinds, hosts)
    if not found:
        found = _refs([e for nav in _link_runs(tree, base_url, hosts) for e in _nav_entries(nav, base_url)],
                      base_url, kinds, hosts)
    more = _refs([(name, url, None, 2) for name, url in _more_links(tree, base_url)], base_url, kinds, hosts)
    return merge_columns(found, more)


def sitemap_url(home_html: str, base_url: str) -> str | None:
    """The site map page (网站地图/站点地图) linked from the home page."""
    tree = clean_tree(home_html, frozenset())
    for anchor in tree.css("a[href]"):
        if re.search(r"网站地图|站点地图|网站导航", anchor.text() or anchor.attributes.get("title") or ""):
            return link_url(anchor, base_url)
    return None


def columns_from_sitemap(html: str, base_url: str, kinds: Mapping[str, Sequence[str]], *,
                         hosts: Iterable[str] = ()) -> list[ColumnRef]:
    """Columns of a site map page: headings at level 1, the links under each at level 2."""
    tree = clean_tree(html, frozenset({"layout"}))
    found: list[tuple[str, str, str | None, int]] = []
    if tree.body is None:
        return []
    for heading in tree.body.css("h1, h2, h3, h4, h5, h6, dt, th, strong, b, div, span, p, li"):
        if not _is_heading(heading):
            continue
        name = _text(heading)
        anchor = heading if heading.tag == "a" else heading.css_first("a[href]")
        url = link_url(anchor, base_url) if anchor is not None else None
        if url:
            found.append((name, url, None, 1))
        for child in _section(heading):
            if (child_url := link_url(child, base_url)) and child_url != url:
                found.append((_text(child), child_url, name, 2))
    return _refs(found, base_url, kinds, hosts)


def merge_columns(*groups: Sequence[ColumnRef]) -> list[ColumnRef]:
    """One entry per list-page URL, in first-seen order. A top item that opens its child's list
    (政务公开 → the 通知公告 list) keeps the lowest level and takes the child's name and kind, so
    the list is judged by what it is."""
    merged: dict[str, ColumnRef] = {}
    for group in groups:
        for ref in group:
            key = _url_key(ref.url)
            old = merged.get(key)
            if old is None:
                merged[key] = ref
                continue
            named = ref if old.kind == "other" and ref.kind != "other" else old
            low = ref if ref.level < old.level else old
            merged[key] = replace(named, url=old.url, level=low.level, parent=low.parent)
    return list(merged.values())


def _url_key(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/(?:index|default)\.\w+$", "/", parts.path) or "/"
    return f"{parts.netloc.lower()}{path.rstrip('/')}?{parts.query}"


def _text(node: LexborNode) -> str:
    """Shown text, else the ``title`` attribute, else an image's ``alt`` (picture nav buttons)."""
    image = node.css_first("img[alt]") if not (node.text() or "").strip() else None
    alt = image.attributes.get("alt") if image is not None else None
    return no_spaces(node.text() or node.attributes.get("title") or alt)


def _refs(found: list[tuple[str, str, str | None, int]], base_url: str, kinds: Mapping[str, Sequence[str]],
          hosts: Iterable[str]) -> list[ColumnRef]:
    hosts = list(hosts)
    refs = [ColumnRef(name, url, classify(name, kinds), parent, level) for name, url, parent, level in found
            if 2 <= len(name) <= 16 and not SKIP_NAMES.search(name) and same_site(url, base_url, hosts)
            and _url_key(url) != _url_key(base_url) and not is_site_root(url)]
    return merge_columns(refs)


def _marked_navs(tree: LexborHTMLParser, selectors: Sequence[str]) -> list[LexborNode]:
    """Outermost elements named like a nav/menu, leaving out footers and wrappers that hold
    article lists (more than five links with titles longer than a column name)."""
    marked: dict[int, LexborNode] = {}
    for selector in selectors:
        for node in tree.css(selector):
            if (node.tag not in ("a", "body", "html") and node.css_first("a[href]") is not None
                    and not _in_footer(node) and sum(len(_text(a)) > 16 for a in node.css("a[href]")) <= 5):
                marked[node.mem_id] = node
    return [n for n in marked.values() if not _has_ancestor(n, set(marked))]


def _link_runs(tree: LexborHTMLParser, base_url: str, hosts: Iterable[str]) -> list[LexborNode]:
    """Without a marked nav: the first element holding 5–40 short same-site links and nothing else."""
    for node in tree.css("ul, ol, table, div, p"):
        anchors = [a for a in node.css("a[href]") if (u := link_url(a, base_url)) and same_site(u, base_url, hosts)]
        if 5 <= len(anchors) <= 40 and all(2 <= len(_text(a)) <= 8 for a in anchors):
            return [node]
    return []


def _in_footer(node: LexborNode | None) -> bool:
    """Footer link rows (关于我们, 网站声明 …) are not columns."""
    while node is not None and node.tag != "body":
        marks = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".lower()
        if node.tag == "footer" or re.search(r"foot|bottom|copyright|banquan", marks):
            return True
        node = node.parent
    return False


def _has_ancestor(node: LexborNode, ids: set[int]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _nav_entries(nav: LexborNode, base_url: str) -> list[tuple[str, str, str | None, int]]:
    """(name, url, parent, level): each enclosing ``li``/``dl`` named by another element adds a level."""
    out: list[tuple[str, str, str | None, int]] = []
    for anchor in nav.css("a[href]"):
        if (url := link_url(anchor, base_url)) is None:
            continue
        chain = [_text(label) for item in _ancestors(anchor, nav, ("li", "dl"))
                 if (label := _label(item)) is not None and not is_within(anchor, label)]
        out.append((_text(anchor), url, chain[0] if chain else None, min(1 + len(chain), 3)))
    return out


def _ancestors(node: LexborNode, stop: LexborNode, tags: tuple[str, ...]) -> list[LexborNode]:
    out, parent = [], node.parent
    while parent is not None and parent.mem_id != stop.mem_id:
        if parent.tag in tags:
            out.append(parent)
        parent = parent.parent
    return out


def _label(item: LexborNode) -> LexborNode | None:
    """The element naming an ``li``/``dl`` item: its ``dt``, else its first link or heading text."""
    if item.tag == "dl":
        return item.css_first("dt")
    for child in item.traverse():
        if child.tag == "a" or child.tag in ("h1", "h2", "h3", "h4", "span", "strong") and _text(child):
            return child
    return None


def _more_links(tree: LexborHTMLParser, base_url: str) -> list[tuple[str, str]]:
    """(block heading, list URL) for every 更多/more link of a home-page block."""
    out: list[tuple[str, str]] = []
    for anchor in tree.css("a[href]"):
        shown = _text(anchor) or ("more" if "more" in (anchor.attributes.get("class") or "").lower() else "")
        if not MORE_TEXT.match(shown) or (url := link_url(anchor, base_url)) is None:
            continue
        holder = anchor.parent
        for _ in range(3):
            if holder is None or (name := block_name(holder, anchor)) is not None:
                break
            holder = holder.parent
        if holder is not None and name is not None:
            out.append((name, url))
    return out


def block_name(holder: LexborNode, more: LexborNode, skip: LexborNode | None = None) -> str | None:
    """The first short heading-like text of a block, outside its list rows, its 更多 link and
    ``skip`` (a heading cell counts: 大汉/table templates write ``<td class="bt-name">乡镇动态</td>``)."""
    for node in holder.css("h1, h2, h3, h4, h5, h6, strong, b, span, em, a, div, p, dt, td, th"):
        if (is_within(more, node) or is_within(node, more) or _ancestors(node, holder, ("li", "tr", "dd"))
                or (skip is not None and (is_within(node, skip) or is_within(skip, node)))):
            continue
        name = _text(node)
        if 2 <= len(name) <= 12 and not MORE_TEXT.match(name) and not re.search(r"\d{2}", name):
            return name
    return None


def _is_heading(node: LexborNode) -> bool:
    name = _text(node)
    if not 2 <= len(name) <= 16:
        return False
    if node.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "strong", "b"):
        return True
    marks = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
    return bool(HEADING_CLASS.search(marks)) and len(node.css("a[href]")) <= 1


def _section(heading: LexborNode) -> list[LexborNode]:
    """The links after a heading up to the next heading (climbing out of a lone title wrapper)."""
    node = heading
    for _ in range(3):
        if node.next is not None and any(s.is_element_node for s in _siblings(node)):
            break
        if node.parent is None:
            return []
        node = node.parent
    links: list[LexborNode] = []
    for sibling in _siblings(node):
        if not sibling.is_element_node:
            continue
        if _is_heading(sibling) or any(_is_heading(n) for n in sibling.css("h1, h2, h3, h4, h5, h6, dt, th")):
            break
        links.extend(sibling.css("a[href]") if sibling.tag != "a" else [sibling])
    return links


def _siblings(node: LexborNode) -> list[LexborNode]:
    out, sibling = [], node.next
    while sibling is not None:
        out.append(sibling)
        sibling = sibling.next
    return out
