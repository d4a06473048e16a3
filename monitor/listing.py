"""List pages and home pages: the linked, dated items a column (or a home page) shows.

How an item is found, without vendor templates (TRS, 大汉, Enorth and hand-made pages differ):

1. 大汉 jpage ``<datastore>`` CDATA records are put back into the page; scripts, styles and
   layout chrome (nav/menu/footer/breadcrumb/pagination by tag, class or id) are removed;
   sidebars and "related" blocks are only marked.
2. A *title link* is an ``<a href>`` to a page (not ``javascript:``/``#``/mail, not the site
   root) whose title (``title`` attribute, else text) has at least 5 characters and is not a
   bracketed category, a 更多/下一页 word or a tool link (无障碍, English, 登录 …). A link to
   the page itself under another spelling (``/col/`` = ``/col/index_1.html``) or to a folder
   above it (a breadcrumb) is navigation. Shorter titles (通告, 招标公告) join a list found by
   its longer titles only when their row has the same tag as its rows and its own date.
3. From each title link we climb to the largest ancestor holding no other title link and not
   much more text (400 characters) than the title: that is the *row* (``li``, ``tr``, ``dd``, a
   ``div`` …); the row's parent is its *list*. Lists with the same parent and the same tag/class
   are one list (TRS splits a list into several ``<ul>``).
4. The row's date is read from the row's text outside the title — short pieces (a ``span``,
   ``td``, ``em``, ``[08-13]``) before prose —, else from a date-only part of the link, else, for
   flat markup such as ``<a>…</a>(2021.08.13)<br>`` or ``<dt>/<dd>``, from the siblings up to the
   next row (before the link when the list's first date precedes its first link). Several dates
   in a row: the latest not after ``ref``. A year-less date takes its year from the item's URL
   (``/202009/t20200903_…``, ``/art/2022/1/3/``) when the month agrees, else from ``ref``. A
   clock (今天是2021年8月31日 星期二) is never an item date.
5. ``scope="main"`` (a column's list page) keeps the column's own list: the best dated list
   outside sidebars (most dated rows, links under the page's own directory), else an undated
   list of article-like links (its items count as not updated), else a dated sidebar list.
   ``scope="all"`` (a home page) keeps every list whose rows are mostly dated. ``"auto"`` reads
   a site root as a home page, and any other page as a list page when it paginates, shows a
   breadcrumb (当前位置 …) or one dated list has twice the dated rows of any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.dates import (SKIP_TAGS, Found, chrome_kind, infer_year, normalize, parse_html, scan, skipper,
                           visible_text)
from monitor.snapshots import ListItem

Scope = Literal["auto", "main", "all"]
NOT_TITLES = re.compile(r"^(?:更多|查看更多|more|更多>+|>+|»|›|<+|下一页|上一页|下页|上页|首页|尾页|末页|详细|详情|"
                        r"查看|点击查看|阅读全文|全文|附件|\+|…+|\d+)$", re.I)
BRACKETED = re.compile(r"^[\[【〔(（<《].{0,8}[\]】〕)）>》]$")
DATE_ONLY = re.compile(r"^[\s\[【(（]*(?:\d{2,4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}[-/.月]\d{1,2}日?)"
                       r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?[\s\]】)）]*$")
URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[-/_](1[0-2]|0?[1-9])(?!\d)|[-/_]?(1[0-2]|0[1-9]))")
CLOCK = re.compile(r"(?:今天|今日|当前日期|当前时间|现在时间|现在)\s*(?:是|为)?\s*[:：]?\s*$")
WEEKDAY = re.compile(r"^\s*(?:星期|周|礼拜)[一二三四五六日天]")
NAV_WORDS = re.compile(r"^(?:无障碍\w{0,3}|english\w{0,8}|繁體\w{0,3}|繁体\w{0,3}|简体\w{0,3}|设为首页|加入收藏|手机版|移动版|"
                       r"长者\w{0,4}|关怀版|适老化\w{0,4}|网站地图|联系我们|网站声明|隐私\w{0,2}|版权\w{0,2}|"
                       r"(?:用户)?登录|(?:用户)?注册|登录/注册)$", re.I)
ROW_TEXT = 400
_DATASTORE = re.compile(r"<script[^>]*>\s*(<datastore>.*?</datastore>)\s*</script>", re.S | re.I)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
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
        for child in _children(node):
            (doomed if skip(child) else stack).append(child)
    for node in doomed:
        node.decompose()
    return tree


def _children(node: LexborNode) -> list[LexborNode]:
    out, child = [], node.child
    while child is not None:
        if child.is_element_node:
            out.append(child)
        child = child.next
    return out


def link_url(anchor: LexborNode, base_url: str) -> str | None:
    """The absolute http(s) URL an anchor leads to, or None for script/mail/fragment links."""
    href = (anchor.attributes.get("href") or "").strip()
    if not href or href.startswith("#") or re.match(r"^(?:javascript|mailto|tel|data):", href, re.I):
        return None
    url = urljoin(base_url, href).split("#", 1)[0]
    return url if urlsplit(url).scheme in ("http", "https") else None


def anchor_title(anchor: LexborNode) -> str:
    """The item title: the ``title`` attribute when it is at least as full as the shown text."""
    pieces = [t for t in (n.text_content or "" for n in anchor.traverse(include_text=True) if n.is_text_node)
              if not DATE_ONLY.match(t)]
    shown = re.sub(r"\s+", " ", "".join(pieces)).strip()
    attr = re.sub(r"\s+", " ", anchor.attributes.get("title") or "").strip()
    if attr and len(attr) >= len(shown.rstrip(".…")) and not DATE_ONLY.match(attr):
        return attr
    return shown


def is_title(title: str, min_chars: int = 5) -> bool:
    flat = re.sub(r"\s+", "", title)
    return (len(flat) >= min_chars and not NOT_TITLES.match(flat) and not BRACKETED.match(flat)
            and not NAV_WORDS.match(flat))


def is_short_title(title: str) -> bool:
    """A 2–4 character title (通告, 招标公告): an item only where its row matches dated siblings."""
    return len(re.sub(r"\s+", "", title)) < 5 and is_title(title, 2)


def item_dates(text: str) -> list[Found]:
    """Dates shown beside an item, leaving out a clock ("今天是2021年8月31日 星期二")."""
    work = normalize(text)
    return [f for f in scan(work) if not CLOCK.search(work[max(0, f.start - 8): f.start])
            and not WEEKDAY.match(work[f.end: f.end + 4])]


def find_blocks(tree: LexborHTMLParser, base_url: str, *, ref: date | None = None) -> list[Block]:
    """Every list on a cleaned page, in document order (see the module docstring)."""
    if tree.body is None:
        return []
    links: list[tuple[LexborNode, str, str]] = []
    short: list[tuple[LexborNode, str, str]] = []
    holders: dict[int, set[str]] = {}
    for anchor in tree.body.css("a[href]"):
        url, title = link_url(anchor, base_url), anchor_title(anchor)
        if url is None or _is_navigation(url, base_url) or is_site_root(url):
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
        found = _row_dates(row, anchor, holders)
        item = Row(row, url, title, _outside_text(row, anchor), _pick(found, url, ref), bool(found))
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
        found = _row_dates(row, anchor, holders)
        if found:
            block.urls.add(url)
            block.rows.append(Row(row, url, title, _outside_text(row, anchor), _pick(found, url, ref), True))


INDEX_FILE = re.compile(r"/(?:index|default)(?:_\d+)?\.\w+$", re.I)


def _folder(url: str) -> tuple[str, str]:
    """Host and path of a URL with a trailing index/default(_N) file and slash removed."""
    parts = urlsplit(url.split("#", 1)[0])
    return parts.netloc.lower(), INDEX_FILE.sub("", parts.path).rstrip("/")


def _same_page(url: str, base_url: str) -> bool:
    return url.rstrip("/") == base_url.split("#", 1)[0].rstrip("/")


def _is_navigation(url: str, base_url: str) -> bool:
    """The page itself, its column under another spelling (``/col/``, ``/col/index.html``,
    ``/col/index_1.html``), or a folder above it (a breadcrumb): navigation, never an item."""
    if urlsplit(url).query != urlsplit(base_url.split("#", 1)[0]).query and urlsplit(url).query:
        return False
    (host, path), (base_host, base_path) = _folder(url), _folder(base_url)
    if host != base_host:
        return False
    if path == base_path:
        return True
    is_folder = url.split("#", 1)[0].endswith("/") or bool(INDEX_FILE.search(urlsplit(url).path))
    return is_folder and base_path.startswith(path + "/")


def is_site_root(url: str) -> bool:
    """``http://host/`` or ``http://host/index.html``: a home page, never an item or a column."""
    return re.sub(r"(?:index|default)\.\w+$", "", urlsplit(url).path) in ("", "/") and not urlsplit(url).query


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


def _outside_text(row: LexborNode, anchor: LexborNode) -> str:
    return re.sub(r"\s+", " ", " ".join(_texts(row, anchor))).strip()


def _row_dates(row: LexborNode, anchor: LexborNode, holders: dict[int, set[str]]) -> list[Found]:
    """Dates in short pieces beside the link (a date cell or span) before dates inside prose."""
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


def _pick(found: list[Found], url: str, ref: date | None) -> date | None:
    """The row's date: the latest not after ``ref`` (the latest of all if every one is later)."""
    dates: list[date] = []
    hint = URL_DATE.search(urlsplit(url).path)
    for f in found:
        got = f.date
        if not f.has_year:
            hinted = _on_date(int(hint.group(1)), f.month, f.day) if hint and _month(hint) == f.month else None
            got = hinted or (infer_year(f.month, f.day, ref) if ref else None)
        if got is not None:
            dates.append(got)
    usable = [d for d in dates if ref is None or d <= ref]
    return max(usable or dates) if dates else None


def _month(hint: re.Match[str]) -> int:
    return int(hint.group(2) or hint.group(3))


def _on_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


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
    chosen = dated if scope == "all" else _main_block(blocks, base_url)
    items: dict[str, ListItem] = {}
    for block in chosen:
        for row in block.rows:
            items.setdefault(row.url, ListItem(title=row.title, url=row.url, date=row.date))
    return list(items.values())


_BREADCRUMB = re.compile(r"(?:当前|您的|你的|您现在的|你现在的|所在)\s*位置|位置\s*[:：]")


def _looks_like_list_page(html: str, base_url: str, dated: list[Block]) -> bool:
    if is_site_root(base_url):
        return False
    counts = sorted((b.dated for b in dated), reverse=True)
    if len(counts) <= 1 or counts[0] >= 2 * counts[1]:
        return True
    raw = parse_html(html)
    return next_page_url(html, base_url) is not None or bool(raw.body and _BREADCRUMB.search(raw.body.text()))


def _main_block(blocks: list[Block], base_url: str) -> list[Block]:
    """The column's own list: the best dated list outside sidebars, else an undated list of
    article links, else a dated sidebar list."""
    def best(pool: list[Block]) -> list[Block]:
        return [max(pool, key=lambda b: (_score(b, base_url), -b.order))] if pool else []

    return (best([b for b in blocks if b.dated and not b.aside]) or _undated(blocks)
            or best([b for b in blocks if b.dated]))


def _score(block: Block, base_url: str) -> float:
    folder = base_url.split("?", 1)[0].rsplit("/", 1)[0] + "/"
    local = sum(row.url.startswith(folder) for row in block.rows)
    score = block.dated * 2 + len(block.rows) + local
    return score * 0.3 if block.aside else score


def _undated(blocks: list[Block]) -> list[Block]:
    """The best list of article-like links when no list shows dates (items then count as undated)."""
    fits = [b for b in blocks if len(b.rows) >= 2 and not b.aside
            and sum(bool(ARTICLE_URL.search(urlsplit(r.url).path + "?" + urlsplit(r.url).query))
                    for r in b.rows) * 2 >= len(b.rows)
            and sum(len(r.title) for r in b.rows) >= 6 * len(b.rows)]
    return [max(fits, key=lambda b: (len(b.rows), -b.order))] if fits else []


# --- pagination ----------------------------------------------------------------------------

NEXT_WORDS = frozenset({"下一页", "下页", "后一页", "下一頁", "next", "nextpage", "next>", "下一页>", "›", ">"})
PAGE_PARAMS = frozenset({"page", "pageno", "pagenum", "pageindex", "curpage", "currentpage", "pn", "p"})
_TRS_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_COUNT_VAR = re.compile(r"\b(?:countPage|pageCount|totalPage|page_count)\s*=\s*(\d+)")
_CURRENT_VAR = re.compile(r"\b(?:currentPage|curPage|pageIndex|current_page)\s*=\s*(\d+)")


def next_page_url(html: str, base_url: str) -> str | None:
    """The next page of a paginated list: a 下一页 link, TRS ``createPageHTML``/``countPage`` script
    variables (``index_1.html`` …), or the link numbered one past the current page."""
    tree = parse_html(html)
    if tree.body is None:
        return None
    for find in (_next_link, _trs_next, _numbered_next):
        candidate = find(tree, base_url)
        if candidate is not None and not _same_page(candidate, base_url):
            return candidate
    return None


def _next_link(tree: LexborHTMLParser, base_url: str) -> str | None:
    for anchor in tree.css("a[href]"):
        words = {re.sub(r"\s+", "", anchor.text() or "").lower(), (anchor.attributes.get("title") or "").strip().lower()}
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


# --- page text -----------------------------------------------------------------------------

_ZERO_COUNT = re.compile(r"共\s*(?:查询出|检索到|找到|搜索到|有)?\s*0\s*(?:条|篇|项|个|页)|"
                         r"(?:总数|总条数|记录数|总记录数)\s*[:：]?\s*0(?!\d)")
_LIST_TOKENS = re.compile(r"list|liebiao|result|lb\b", re.I)


def main_text(html: str) -> str:
    """Visible text without scripts, styles, navigation, menus, footer and breadcrumb."""
    tree = parse_html(expand_datastore(html))
    return visible_text(tree.body, frozenset({"layout"})) if tree.body is not None else ""


def page_title(html: str) -> str:
    """The ``<title>``, else the first ``<h1>``; "" when the page has neither."""
    tree = parse_html(html)
    for selector in ("title", "h1"):
        node = tree.css_first(selector)
        if node is not None and (text := re.sub(r"\s+", " ", node.text()).strip()):
            return text
    return ""


def empty_reason(html: str, patterns: list[str] | tuple[str, ...]) -> str | None:
    """Why a column page shows no content: a 暂无信息-style text, a zero count (共0条 …), or an
    empty list container on a page with little text. None when nothing says it is empty."""
    text = main_text(html)
    flat = normalize(re.sub(r"\s+", "", text))
    for pattern in patterns:
        if pattern and normalize(re.sub(r"\s+", "", pattern)) in flat:
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
            return f"empty list container <{node.tag} {marks.strip()}>"
    return None
