"""Extraction on hand-built pages of the markup real government CMSs produce (tests/fixtures/html_cms).

Each page reproduces one CMS family's template (TRS WCM, 大汉 Hanweb jpage, 拓尔思 信息公开目录,
DedeCMS/PHPCMS/Z-Blog county sites, 云南/广东 集约化, Enorth, JEECMS) with the traps those
templates carry (clocks, copyright years, newer sidebars, 成文日期 beside 发布日期, year-less
dates, date-before-title rows, empty lists). Truths are in the manifest (same schema as
``tests/fixtures/real_pages``, plus ``url``, ``as_of`` and, for home pages, ``columns``), written by
hand from the markup, never by running the extractors.

Per page type: ``article`` — ``article_date``; ``list`` — ``list_items(scope="main")`` count and
newest date, and not reported empty; ``empty`` — ``empty_reason`` names a reason and no item is
found; ``home`` — ``list_items(scope="all")`` count and newest date, ``discover_columns`` finds the
expected (name, kind, level) and none of the tool/footer links.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.config.load import load_settings
from monitor.pages.article_date import article_date
from monitor.pages.columns import discover_columns
from monitor.pages.empty import empty_reason
from monitor.pages.listing import column_sections, list_items

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "html_cms"
PAGES: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))["pages"]
SETTINGS = load_settings()
PATTERNS = SETTINGS.extract.empty_patterns
KINDS = SETTINGS.extract.column_kinds


def _html(page: dict[str, Any]) -> str:
    return (CORPUS / page["file"]).read_text(encoding="utf-8")


def _newest(page: dict[str, Any]) -> date | None:
    return date.fromisoformat(page["newest_item_date"]) if page["newest_item_date"] else None


def _ref(page: dict[str, Any]) -> date:
    """The manifest's as-of, else the newest date + 30 days (a day while the page was current)."""
    if page.get("as_of"):
        return date.fromisoformat(page["as_of"])
    newest = _newest(page)
    return newest + timedelta(days=30) if newest else date(2021, 8, 31)


def _of(kind: str) -> list[Any]:
    return [pytest.param(p, id=p["file"]) for p in PAGES if p["page_type"] == kind]


def test_manifest_entries_match_their_files() -> None:
    files = {p.name for p in CORPUS.glob("*.html")}
    assert files == {p["file"] for p in PAGES}
    for page in PAGES:
        data = (CORPUS / page["file"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (page["bytes"], page["sha256"]), page["file"]


@pytest.mark.parametrize("page", _of("article"))
def test_article_date_is_the_publication_date(page: dict[str, Any]) -> None:
    assert article_date(_html(page)) == _newest(page)


@pytest.mark.parametrize("page", _of("list"))
def test_list_page_rows_and_newest_date(page: dict[str, Any]) -> None:
    items = list_items(_html(page), page["url"], ref=_ref(page), scope="main")
    dated = [item.date for item in items if item.date]
    assert (len(items), max(dated, default=None)) == (page["list_item_count"], _newest(page))


@pytest.mark.parametrize("page", [pytest.param(p, id=p["file"]) for p in PAGES if p["page_type"] == "list"])
def test_a_channel_overview_page_is_read_as_its_sections_and_any_other_list_page_has_none(page: dict[str, Any]) -> None:
    got = [(s.name, s.kind, s.newest.isoformat() if s.newest else None, len(s.items))
           for s in column_sections(_html(page), page["url"], ref=_ref(page), kinds=KINDS)]
    assert got == [tuple(s) for s in page.get("sections", [])]


def test_overview_sections_keep_their_url_years_whatever_the_as_of() -> None:
    page = next(p for p in PAGES if p["file"] == "trs_channel_overview_yearless.html")
    late = column_sections(_html(page), page["url"], ref=date(2026, 6, 1), kinds=KINDS)
    assert [s.newest for s in late] == [date(2022, 1, 5), date(2022, 1, 10), date(2021, 12, 15), date(2022, 1, 18)]
    assert [s.url for s in late] == [page["url"] + f"{c}/" for c in ("tzgg", "zcwj", "rsxx", "gzdt")]
    assert [i.pinned for i in late[3].items] == [True, False, False]


@pytest.mark.parametrize("page", _of("list"))
def test_list_page_is_not_reported_empty(page: dict[str, Any]) -> None:
    assert empty_reason(_html(page), PATTERNS) is None


@pytest.mark.parametrize("page", _of("empty"))
def test_empty_column_page_says_why_and_yields_no_item(page: dict[str, Any]) -> None:
    html = _html(page)
    assert empty_reason(html, PATTERNS) is not None
    assert list_items(html, page["url"], ref=_ref(page), scope="main") == []


@pytest.mark.parametrize("page", _of("home"))
def test_home_page_dated_items_and_newest_date(page: dict[str, Any]) -> None:
    items = list_items(_html(page), page["url"], ref=_ref(page), scope="all")
    dated = [item.date for item in items if item.date]
    assert (len(items), max(dated, default=None)) == (page["list_item_count"], _newest(page))


@pytest.mark.parametrize("page", _of("home"))
def test_home_page_columns_by_name_kind_and_level(page: dict[str, Any]) -> None:
    found = discover_columns(_html(page), page["url"], KINDS)
    got = {(c.name, c.kind, c.level) for c in found}
    assert {tuple(c) for c in page["columns"]} <= got
    assert not {c.name for c in found} & set(page["not_columns"])


# Focused rules found on the pages above (each generalises beyond its page).

def _page(body: str, title: str = "示例县召开2021年防汛抗旱工作会议") -> str:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>"


def test_xxgk_shengcheng_riqi_is_the_publication_date_not_chengwen_riqi() -> None:
    html = _page("<table><tr><td>成文日期</td><td>2021-07-28</td></tr><tr><td>生成日期</td><td>2021-08-10</td></tr></table>")
    assert article_date(html) == date(2021, 8, 10)


def test_generic_label_with_a_weekday_is_a_header_clock_and_ranks_last() -> None:
    html = _page("<div class='toptime'>日期：2021年9月30日 星期四</div><h1>示例县召开2021年防汛抗旱工作会议</h1>"
                 "<div>时间：2021-08-13 来源：县水务局</div>")
    assert article_date(html) == date(2021, 8, 13)
    assert article_date(_page("<h1>示例县召开会议</h1><div>日期：2021年08月13日 星期五</div>")) == date(2021, 8, 13)


def test_labels_in_lenticular_brackets_are_read() -> None:
    assert article_date(_page("<div>【发布时间】2021-08-13 【来源】县教育局</div>")) == date(2021, 8, 13)


def test_info_line_under_a_div_title_with_pipes_or_author_first_gives_the_date() -> None:
    piped = _page("<div class='art-title'>示例县召开2021年防汛抗旱工作会议</div><div>2021-08-13 | 来源：县水务局</div>",
                  title="示例县人民政府")
    author = _page("<h1>示例县召开2021年防汛抗旱工作会议</h1><p>作者：示例镇&nbsp; 2021-08-13 10:05 【字体：大 中 小】</p>")
    assert (article_date(piped), article_date(author)) == (date(2021, 8, 13), date(2021, 8, 13))


def _rows(prefix: str, days: list[int], month: int) -> str:
    return "".join(f"<li><a href='{prefix}t2021{month:02d}{d:02d}_{d}.html'>示例县第{d}号工作动态标题</a>"
                   f"<span>2021-{month:02d}-{d:02d}</span></li>" for d in days)


def test_the_columns_own_local_list_beats_a_bigger_dated_block_of_another_folder() -> None:
    html = _page(f"<div class='zt'><ul>{_rows('/ztzl/dsxx/', [1, 2, 3, 4, 5, 6, 7, 8], 6)}</ul></div>"
                 f"<div class='main'><ul>{_rows('./2021/', [13, 27], 8)}</ul></div>")
    items = list_items(html, "http://127.0.0.1:9/zwgk/zcjd/", ref=date(2021, 9, 1), scope="main")
    assert [i.date for i in items] == [date(2021, 8, 13), date(2021, 8, 27)]


def test_a_page_saying_it_is_empty_does_not_take_a_dated_sidebar_as_its_list() -> None:
    sidebar = f"<div class='sidebar'><ul>{_rows('/tzgg/', [20, 25], 8)}</ul></div>"
    empty = _page(f"<ul class='list'><li>暂无记录</li></ul>{sidebar}")
    silent = _page(f"<ul class='list'></ul>{sidebar}")
    base = "http://127.0.0.1:9/zwgk/ghjh/"
    assert list_items(empty, base, ref=date(2021, 9, 1), scope="main") == []
    assert len(list_items(silent, base, ref=date(2021, 9, 1), scope="main")) == 2


def test_more_link_of_a_table_block_takes_its_heading_cell_as_the_column_name() -> None:
    html = _page("<table><tr><td class='bt-name'>乡镇动态</td><td><a href='/col/col1235/index.html'>更多&gt;&gt;</a></td></tr>"
                 "</table><ul><li><a href='/art/2021/8/30/art_1235_1.html'>城关镇召开秋季征兵动员会</a>08-30</li></ul>")
    found = discover_columns(html, "http://127.0.0.1:9/", KINDS)
    assert ("乡镇动态", "news", 2) in {(c.name, c.kind, c.level) for c in found}


def test_an_image_nav_button_is_named_by_its_alt_text() -> None:
    html = _page("<div class='nav'><ul><li><a href='/zwgk/'>政务公开</a></li><li><a href='/zjsl/'>"
                 "<img src='/n.png' alt='走进示例'></a></li></ul></div>")
    assert "走进示例" in {c.name for c in discover_columns(html, "http://127.0.0.1:9/", KINDS)}


def test_a_pinned_old_row_on_top_is_marked_and_does_not_decide_the_newest_date() -> None:
    page = next(p for p in PAGES if p["file"] == "trs_table_list_pinned_old_top.html")
    items = list_items(_html(page), page["url"], ref=_ref(page), scope="main")
    assert [(i.date, i.pinned) for i in items] == [
        (date(2017, 3, 7), True), (date(2020, 9, 3), False), (date(2019, 5, 30), False), (date(2018, 3, 26), False)]


def test_a_year_less_hanweb_list_read_years_later_takes_each_year_from_the_item_url() -> None:
    page = next(p for p in PAGES if p["file"] == "hanweb_list_yearless_url_year.html")
    items = list_items(_html(page), page["url"], ref=date(2026, 6, 1), scope="main")
    assert [i.date for i in items] == [date(2017, 1, 3), date(2016, 12, 27), date(2016, 11, 22), date(2016, 10, 25)]
