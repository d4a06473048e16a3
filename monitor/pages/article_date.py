"""The publication date of an article page.

``article_date`` tries, in order: a visible publication label (发布时间/发布日期/生成日期 …, else
成文日期/发文日期) in an info line or table — it outranks ``<meta>`` tags that disagree, since CMSs
rewrite ``PubDate`` on a bulk regeneration while the page shows the real date; ``<meta>``
publication tags (TRS ``PubDate``, Open Graph, Dublin Core …, any of the forms ``monitor.pages.dates``
reads; regeneration stamps such as ``Maketime`` or ``others="页面生成时间 …"`` are never read); a
generic label in the visible text (时间/日期/来源…; one whose date is followed by a weekday is a
header clock, tried last); a bare date line
right after the article heading; the Enorth ``<!--enpproperty <date>…-->`` comment;
``__$pubtime``-style script variables. Visible text never includes comments, attribute values
(the shanxi page keeps a stale ``alt="时间：2017-11-08"``), scripts, hidden elements, navigation,
footers, sidebars or "related" blocks.

htmldate 1.11 is measured against this module on the whole real-page corpus and the CMS markup
set by ``bench/dates.py`` (figures in bench/README.md): it misses list and home pages (it gives
the oldest row or a sidebar's date), reads a footer's or a related block's date on undated or
trapped pages and the UTC day of a ``…T20:30:00Z`` stamp. A wrong fresh date hides a stale page,
so it is not used, not even as a fallback: a page with none of the signals above has no date.
"""

from __future__ import annotations

import re
from datetime import date

from selectolax.lexbor import LexborHTMLParser

from monitor.pages.dates import WEEKDAY, normalize, parse_date, scan
from monitor.pages.text import no_spaces, parse_html, visible_text

_META_NAMES = ("pubdate", "publishdate", "publish_date", "publish-date", "publishtime", "publish_time",
               "firstpublishedtime", "article:published_time", "og:article:published_time", "og:published_time",
               "og:release_date", "datepublished", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
               "releasedate", "release_date", "publication_date", "sailthru.date", "parsely-pub-date", "date")
_END = r"\s*[】\]）)]?\s*[:：]?\s*"  # 发布时间：, 【发布时间】, [日期]
_LABELS = (
    (0, re.compile(r"(?:(?:发布|发表|公开|上传|录入|刊发|发稿|上线)(?:时间|日期)|生成日期)" + _END)),
    (1, re.compile(r"(?:(?:最后)?更新(?:时间|日期)|(?<![\u4e00-\u9fff])(?:时间|日期))" + _END)),
    (1, re.compile(r"(?<![\u4e00-\u9fff])来源\s*[】\]]?\s*[:：]?[^\d\n]{0,40}")),
    (2, re.compile(r"(?:成文|发文|印发)日期" + _END)),
)
_META_WORDS = r"(?:信息|文章|稿件)?来源|作者|浏览|点击|阅读|字号|字体|编辑|责任编辑|发布|【"
_HEADER_LINE = re.compile(r"^[\[(【]?\s*(?:19|20)\d{2}\S*?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[\])】]?"
                          r"(?:\s*$|(?:\s+|\s*[|丨｜·/]\s*)(?:" + _META_WORDS + "))")
_META_LINE = re.compile(r"(?:^|[\s|丨｜])(?:" + _META_WORDS + ")")
_ENORTH = re.compile(r"<!--\s*enpproperty.*?<date>([^<]+)</date>", re.S | re.I)
_SCRIPT_VAR = re.compile(r"(?:pub_?time|publish_?time|pub_?date|publish_?date|release_?time|release_?date|"
                         r"post_?time|issue_?time)\w*['\"]?\s*[=:]\s*['\"]([^'\"]{6,40})['\"]", re.I)
_TITLE_SPLIT = re.compile(r"\s*[_|｜—–-]{1,2}\s*")


ARTICLE_EXCLUDE = frozenset({"layout", "aside"})
PLACEHOLDERS = frozenset({date(1970, 1, 1), date(1900, 1, 1), date(1899, 12, 30)})  # empty date fields as templates print them


def article_date(html: str, *, ref: date | None = None, tree: LexborHTMLParser | None = None,
                 text: str | None = None) -> date | None:
    """The publication date of an article page, or None when the page shows none.

    A caller that already parsed the page passes ``tree`` (and the article text of
    ``pagetext.page_texts``) so the page is not parsed and walked again."""
    tree = tree if tree is not None else parse_html(html)
    if tree.body is None:
        return None
    shown = normalize(text if text is not None else visible_text(tree.body, ARTICLE_EXCLUDE, hidden=True))
    labelled = _labelled_date(shown, ref)
    if labelled is not None and labelled[0] in (0, 2):  # a publication or 成文 label
        return labelled[1]
    found = _meta_date(tree, ref)
    if found is not None:
        return found
    for step in (lambda: labelled[1] if labelled else None, lambda: _heading_date(tree, shown),
                 lambda: _enorth_date(html), lambda: _script_date(tree)):
        found = step()
        if found is not None:
            return found
    return None


def _meta_date(tree: LexborHTMLParser, ref: date | None) -> date | None:
    found: dict[str, date] = {}
    for meta in tree.css("meta, [itemprop=datePublished]"):
        attrs = meta.attributes
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").strip().lower()
        value = attrs.get("content") or attrs.get("datetime")
        if (key in _META_NAMES and key not in found and (got := parse_date(value, ref=ref)) is not None
                and got not in PLACEHOLDERS):
            found[key] = got
    ranked = sorted(found.items(), key=lambda kv: _META_NAMES.index(kv[0]))
    return ranked[0][1] if ranked else None


def _labelled_date(text: str, ref: date | None) -> tuple[int, date] | None:
    """The best labelled date and its label's rank (0 publication, 1 generic, 2 成文/发文, 3 clock):
    by rank, then position. A generic 日期：/时间： date followed by a weekday (日期：2021年9月30日
    星期四) reads as a header clock and ranks last. Placeholder dates (1970-01-01) never count."""
    best: tuple[int, int, date] | None = None
    for rank, label in _LABELS:
        for match in label.finditer(text):
            first = scan(text[match.end(): match.end() + 40], ref=ref)
            if not first or first[0].start != 0 or first[0].date is None or first[0].date in PLACEHOLDERS:
                continue
            after = match.end() + first[0].end
            clock = rank == 1 and bool(WEEKDAY.match(text[after: after + 5]))
            key = (3 if clock else rank, match.start(), first[0].date)
            if best is None or key[:2] < best[:2]:
                best = key
            if not clock:
                break
    return (best[0], best[2]) if best else None


def _title_keys(tree: LexborHTMLParser) -> list[str]:
    keys: list[str] = []
    for meta in tree.css("meta[name=ArticleTitle], meta[property='og:title']"):
        keys.append(meta.attributes.get("content") or "")
    title = tree.css_first("title")
    if title is not None:
        keys.extend(_TITLE_SPLIT.split(title.text(strip=True)))
    keys.extend(node.text(strip=True) for node in tree.css("h1, h2")[:3])
    keys.extend(text for node in tree.css("[class*=title], [class*=Title]")[:8]
                if len(text := node.text(strip=True)) <= 80)
    return [k for k in (no_spaces(normalize(k)) for k in keys) if len(k) >= 6]


def _heading_date(tree: LexborHTMLParser, text: str) -> date | None:
    """A date line (alone, or before 来源/作者 …) or a short 来源/作者 info line with a dated day
    within the few lines after a line showing the
    article's title (the first such line may be a breadcrumb, so each is tried)."""
    keys = _title_keys(tree)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        flat = line.replace(" ", "")
        if len(flat) >= 6 and any(flat == k or (len(flat) >= 8 and flat in k) or k in flat for k in keys):
            for after in lines[index + 1: index + 8]:
                if (got := _header_line_date(after)) is not None:
                    return got
    return None


def _header_line_date(line: str) -> date | None:
    """The date of a line under the title: a date line (``2021-08-13 | 来源：…``), or the first dated
    day of a short info line (``作者：县水务局 2021-08-13 10:05 【字体：大 中 小】``)."""
    if _HEADER_LINE.match(line):
        return parse_date(line)
    if len(line) <= 120 and _META_LINE.search(line):
        return next((f.date for f in scan(line) if f.has_year and f.date is not None), None)
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
