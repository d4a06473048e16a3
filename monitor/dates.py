"""Dates as government pages show them, and the publication date of an article page.

Forms read by ``find_dates`` / ``parse_date`` (full-width digits and punctuation are folded
first, so ``２０２１年８月１３日`` and ``2021－08－13`` read like their ASCII forms):

* with a year: ``2021-08-13``, ``2021/08/13``, ``2021.08.13``, ``2021-8-3``, ``2021年8月13日``,
  Chinese numerals ``二〇二一年八月十三日``; a time after the date (``2019-09-18 06:23``) is
  ignored; ISO stamps with a zone (``2021-08-12T20:00:00Z``) are read in China time.
* a two-digit year ``21-08-13`` / ``21/08/13`` (TRS ``yy-MM-dd`` list templates): read as 20yy;
  all three parts must have two digits, so ranges such as ``1-3`` never match.
* no year: ``[08-13]`` / ``(8.13)`` in brackets, bare zero-padded ``08-13`` / ``08/13`` and
  ``8月13日``. The year comes from ``ref`` (as-of or page context): the latest year in which
  the date is not after ``ref``, so ``12-28`` seen on 2022-01-05 is 2021-12-28. Without
  ``ref`` such dates are skipped (never guessed).
* impossible dates (``2021-02-30``, month 13) are rejected; years outside 1900–2099 too.

``article_date`` tries, in order: ``<meta>`` publication tags (TRS ``PubDate``, Open Graph,
Dublin Core …, any of the forms above); a labelled line in the visible text (发布时间/发布日期 …
beat generic 时间/日期/来源…, which beat 成文日期/发文日期); a bare date line right after the
article heading; the Enorth ``<!--enpproperty <date>…-->`` comment; ``__$pubtime``-style
script variables. Visible text never includes comments, attribute values (the shanxi page keeps
a stale ``alt="时间：2017-11-08"``), scripts, hidden elements, navigation, footers, sidebars or
"related" blocks.

htmldate 1.11 (in the venv) was measured on the same pages (``original_date=True``, a fixed
``max_date``, extensive search on). On the six real pages in ``shared/data/real-pages`` it finds
the four article dates (handan's only with extensive search) and nothing on the empty page, but
gives the *oldest* row, 2017-01-07, for the ordos list page (newest 2020-09-03). On ``tests/fixtures/html`` it returns the footer's
2021-09-30 for an undated page (``article_no_date``) and for an article whose related block and
footer are newer (``article_trap_sidebar``, true 2021-08-13), the UTC day 2021-08-12 for a
``…T20:30:00Z`` stamp (China day 2021-08-13), nothing for ``二〇二一年八月十日``, and 2021-01-01
for a message page. It also reads the clock unless ``max_date`` is passed. A wrong fresh date
hides a stale page, so it is not used, not even as a fallback: a page with none of the signals
above has no date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.period import CHINA_TZ

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "一二三四五六七八九十"
_CN_DATE = re.compile(rf"(?:([〇○零O{_CN_NUM[:-1]}]{{4}})\s*年\s*)?([{_CN_NUM}]{{1,2}})\s*月\s*([{_CN_NUM}]{{1,3}})\s*[日号]")
_FULL = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})(?!\d)\s*[日号]?"
    r"|(?P<sep>[-/.])\s?(?P<m2>\d{1,2})(?P=sep)\s?(?P<d2>\d{1,2})(?!\d))")
_SHORT_YEAR = re.compile(r"(?<![\d.\-/:])(?P<y>\d{2})(?P<sep>[-/])(?P<m>\d{2})(?P=sep)(?P<d>\d{2})(?![\d\-/:])")
_MONTH_DAY = (
    re.compile(r"(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    re.compile(r"[\[(【〔]\s*(?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\s*[\])】〕]"),
    re.compile(r"(?<![\d.\-/:])(?P<m>[01]\d)[-/](?P<d>[0-3]\d)(?![\d\-/:])"),
)
_COMPACT = re.compile(r"^\s*((?:19|20)\d{2})([01]\d)([0-3]\d)(?:[0-2]\d[0-5]\d(?:[0-5]\d)?)?\s*$")
_ISO_ZONED = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class Found:
    """One date in a text: the date (None when its year is unknown), span, and whether the year was shown."""

    date: date | None
    month: int
    day: int
    start: int
    has_year: bool
    end: int = 0


def normalize(text: str) -> str:
    """Fold full-width forms to ASCII and write Chinese-numeral dates with digits."""
    return _CN_DATE.sub(_cn_date, unicodedata.normalize("NFKC", text))


def _cn_number(text: str) -> int:
    if "十" not in text:
        return _CN_DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def _cn_date(match: re.Match[str]) -> str:
    year = "".join(str(_CN_DIGITS[c]) for c in match.group(1)) + "年" if match.group(1) else ""
    return f"{year}{_cn_number(match.group(2))}月{_cn_number(match.group(3))}日"


def _valid(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2099:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def infer_year(month: int, day: int, ref: date) -> date | None:
    """The latest date with this month and day that is not after ``ref`` (29 Feb looks back to a leap year)."""
    for year in range(ref.year, ref.year - 8, -1):
        found = _valid(year, month, day)
        if found is not None and found <= ref:
            return found
    return None


def scan(text: str, *, ref: date | None = None) -> list[Found]:
    """Every date-looking span of ``text`` in order of position (already normalised text keeps positions)."""
    work = normalize(text)
    found: list[Found] = []

    def take(pattern: re.Pattern[str], make: Callable[[re.Match[str]], Found | None]) -> None:
        nonlocal work
        for match in pattern.finditer(work):
            item = make(match)
            if item is not None:
                found.append(item)
                work = work[: match.start()] + " " * (match.end() - match.start()) + work[match.end():]

    def full(m: re.Match[str]) -> Found | None:
        month, day = int(m.group("m1") or m.group("m2")), int(m.group("d1") or m.group("d2"))
        got = _valid(int(m.group("y")), month, day)
        return Found(got, month, day, m.start(), True, m.end()) if got else None

    def short(m: re.Match[str]) -> Found | None:
        got = _valid(2000 + int(m.group("y")), int(m.group("m")), int(m.group("d")))
        return Found(got, got.month, got.day, m.start(), True, m.end()) if got else None

    def partial(m: re.Match[str]) -> Found | None:
        month, day = int(m.group("m")), int(m.group("d"))
        if _valid(2000, month, day) is None:
            return None
        return Found(infer_year(month, day, ref) if ref else None, month, day, m.start(), False, m.end())

    take(_FULL, full)
    take(_SHORT_YEAR, short)
    for pattern in _MONTH_DAY:
        take(pattern, partial)
    return sorted(found, key=lambda f: f.start)


def find_dates(text: str, *, ref: date | None = None) -> list[date]:
    """All dates in ``text`` in reading order (year-less ones only when ``ref`` is given)."""
    return [f.date for f in scan(text, ref=ref) if f.date is not None]


def parse_date(text: str | None, *, ref: date | None = None) -> date | None:
    """The first date in ``text``; also reads bare ``20210813`` and zoned ISO stamps."""
    if not text:
        return None
    if _ISO_ZONED.match(text):
        try:
            return datetime.fromisoformat(text.strip().replace(" ", "T")).astimezone(CHINA_TZ).date()
        except ValueError:
            pass
    compact = _COMPACT.match(normalize(text))
    if compact:
        return _valid(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
    dates = find_dates(text, ref=ref)
    return dates[0] if dates else None


# --- where a page shows text ---------------------------------------------------------------

SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "select", "option",
                       "textarea", "iframe", "object", "svg", "button", "input"})
LAYOUT_TAGS = frozenset({"nav", "footer"})
LAYOUT_EXACT = frozenset({"dh", "pos", "foot", "ft", "crumb", "crumbs", "bq", "copy", "yqlj", "links"})
LAYOUT_PREFIX = ("nav", "menu", "footer", "bottom", "copyright", "banquan", "breadcrumb", "daohang",
                 "position", "location", "weizhi", "pagination", "pager", "paging", "fenye", "friend",
                 "toolbar", "skip", "topbar")
ASIDE_EXACT = frozenset({"side", "xgxw", "xgwz", "xglj", "xgwj", "hot", "rank"})
ASIDE_PREFIX = ("sidebar", "aside", "relat", "recommend", "tuijian", "hotnews", "paihang", "ranking", "share")
BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "br", "h1",
                        "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "nav", "aside",
                        "form", "blockquote", "pre", "hr", "tbody", "thead", "center", "main"})


def parse_html(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def _tokens(node: LexborNode) -> list[str]:
    attrs = node.attributes
    raw = " ".join(v for k in ("class", "id", "role") if (v := attrs.get(k)))
    return [t for t in re.split(r"[^a-z0-9]+", raw.lower()) if t]


def chrome_kind(node: LexborNode) -> str | None:
    """``"layout"`` (nav, menus, footer, breadcrumb, pagination), ``"aside"`` (sidebar, related), or None."""
    if node.tag in LAYOUT_TAGS:
        return "layout"
    if node.tag == "aside":
        return "aside"
    tokens = _tokens(node)
    if any(t in LAYOUT_EXACT or t.startswith(LAYOUT_PREFIX) for t in tokens):
        return "layout"
    if any(t in ASIDE_EXACT or t.startswith(ASIDE_PREFIX) for t in tokens):
        return "aside"
    return None


def _hidden(node: LexborNode) -> bool:
    style = (node.attributes.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "hidden" in node.attributes


def skipper(root: LexborNode, exclude: frozenset[str], *, hidden: bool = False) -> Callable[[LexborNode], bool]:
    """A predicate for subtrees to skip. A chrome-looking ``div`` holding half the page's visible
    text (a wrapper named ``menu-wrap`` around everything) is kept, since it cannot be chrome."""
    total: list[int] = []

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
    """Characters of visible text (scripts and styles left out), spaces not counted."""
    return sum(len("".join(piece.split())) for piece in walk_text(node, lambda n: n.tag in SKIP_TAGS) if piece)


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


# --- the publication date of an article page -----------------------------------------------

_META_NAMES = ("pubdate", "publishdate", "publish_date", "publish-date", "publishtime", "publish_time",
               "firstpublishedtime", "article:published_time", "og:article:published_time", "og:published_time",
               "og:release_date", "datepublished", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
               "releasedate", "release_date", "publication_date", "sailthru.date", "parsely-pub-date", "date")
_LABELS = (
    (0, re.compile(r"(?:发布|发表|公开|上传|录入|刊发|发稿|上线)(?:时间|日期)\s*[:：]?\s*")),
    (1, re.compile(r"(?:(?:最后)?更新(?:时间|日期)|(?<![\u4e00-\u9fff])(?:时间|日期))\s*[:：]?\s*")),
    (1, re.compile(r"(?<![\u4e00-\u9fff])来源\s*[:：][^\d\n]{0,40}")),
    (2, re.compile(r"(?:成文|发文|印发)日期\s*[:：]?\s*")),
)
_HEADER_LINE = re.compile(r"^[\[(【]?\s*(?:19|20)\d{2}\S*?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[\])】]?"
                          r"(?:\s*$|\s+(?:来源|作者|浏览|点击|阅读|字号|编辑|发布))")
_ENORTH = re.compile(r"<!--\s*enpproperty.*?<date>([^<]+)</date>", re.S | re.I)
_SCRIPT_VAR = re.compile(r"(?:pub_?time|publish_?time|pub_?date|publish_?date|release_?time|release_?date|"
                         r"post_?time|issue_?time)\w*['\"]?\s*[=:]\s*['\"]([^'\"]{6,40})['\"]", re.I)
_TITLE_SPLIT = re.compile(r"\s*[_|｜—–-]{1,2}\s*")


def article_date(html: str, *, ref: date | None = None) -> date | None:
    """The publication date of an article page, or None when the page shows none."""
    tree = parse_html(html)
    if tree.body is None:
        return None
    text = normalize(visible_text(tree.body, frozenset({"layout", "aside"}), hidden=True))
    for step in (lambda: _meta_date(tree, ref), lambda: _labelled_date(text, ref),
                 lambda: _heading_date(tree, text), lambda: _enorth_date(html),
                 lambda: _script_date(tree)):
        found = step()
        if found is not None:
            return found
    return None


def visible_text(root: LexborNode, exclude: frozenset[str], *, hidden: bool = False) -> str:
    """Visible text; inline pieces are joined, blocks end a line, runs of spaces collapse."""
    out: list[str] = []
    for piece in walk_text(root, skipper(root, exclude, hidden=hidden)):
        out.append("\n" if piece is None else piece.replace("\n", " "))
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def _meta_date(tree: LexborHTMLParser, ref: date | None) -> date | None:
    found: dict[str, date] = {}
    for meta in tree.css("meta, [itemprop=datePublished]"):
        attrs = meta.attributes
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").strip().lower()
        value = attrs.get("content") or attrs.get("datetime")
        if key in _META_NAMES and key not in found and (got := parse_date(value, ref=ref)) is not None:
            found[key] = got
    ranked = sorted(found.items(), key=lambda kv: _META_NAMES.index(kv[0]))
    return ranked[0][1] if ranked else None


def _labelled_date(text: str, ref: date | None) -> date | None:
    best: tuple[int, int, date] | None = None
    for rank, label in _LABELS:
        for match in label.finditer(text):
            first = scan(text[match.end(): match.end() + 40], ref=ref)
            if first and first[0].start == 0 and first[0].date is not None:
                if best is None or (rank, match.start()) < best[:2]:
                    best = (rank, match.start(), first[0].date)
                break
    return best[2] if best else None


def _title_keys(tree: LexborHTMLParser) -> list[str]:
    keys: list[str] = []
    for meta in tree.css("meta[name=ArticleTitle], meta[property='og:title']"):
        keys.append(meta.attributes.get("content") or "")
    title = tree.css_first("title")
    if title is not None:
        keys.extend(_TITLE_SPLIT.split(title.text(strip=True)))
    keys.extend(node.text(strip=True) for node in tree.css("h1, h2")[:3])
    return [k for k in (re.sub(r"\s+", "", normalize(k)) for k in keys) if len(k) >= 6]


def _heading_date(tree: LexborHTMLParser, text: str) -> date | None:
    """A date line (alone, or before 来源/作者 …) within the few lines after a line showing the
    article's title (the first such line may be a breadcrumb, so each is tried)."""
    keys = _title_keys(tree)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        flat = line.replace(" ", "")
        if len(flat) >= 6 and any(flat == k or (len(flat) >= 8 and flat in k) or k in flat for k in keys):
            for after in lines[index + 1: index + 8]:
                if _HEADER_LINE.match(after) and (got := parse_date(after)) is not None:
                    return got
    return None


def _enorth_date(html: str) -> date | None:
    match = _ENORTH.search(html)
    return parse_date(match.group(1)) if match else None


def _script_date(tree: LexborHTMLParser) -> date | None:
    for script in tree.css("script"):
        match = _SCRIPT_VAR.search(script.text() or "")
        if match and (got := parse_date(match.group(1))) is not None:
            return got
    return None
