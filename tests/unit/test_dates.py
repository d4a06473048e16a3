"""monitor.pages.dates: every date form, year inference across New Year; monitor.pages.article_date: article dates
without traps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.pages.article_date import article_date
from monitor.pages.dates import find_dates, infer_year, parse_date

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
D = date(2021, 8, 13)


@pytest.mark.parametrize("text", [
    "2021-08-13", "2021/08/13", "2021.08.13", "2021年8月13日", "2021年08月13日", "2021 年 8 月 13 日",
    "2021-8-13", "21-08-13", "21/08/13", "２０２１年８月１３日", "２０２１－０８－１３", "2021／08／13",
    "二〇二一年八月十三日", "二零二一年八月十三日", "2021-08-13 06:23", "2021-08-13 14:43:00:0",
    "发布时间：2021-08-13", "[2021-08-13]", "(2021.08.13)", "2021-08-13T10:00:00+08:00", "20210813",
    "2021-08-12T20:30:00Z", "2021年8月13号",
])
def test_parse_date_reads_every_form_with_a_year(text: str) -> None:
    assert parse_date(text) == D


@pytest.mark.parametrize(("text", "expected"), [
    ("2021-8-3", date(2021, 8, 3)),
    ("二〇二一年十二月三十一日", date(2021, 12, 31)),
    ("二〇二〇年二月二十九日", date(2020, 2, 29)),
    ("二〇二一年十月一日", date(2021, 10, 1)),
    ("2020-02-29", date(2020, 2, 29)),
    ("2021-12-31 23:59", date(2021, 12, 31)),
    ("2021-12-31T17:00:00Z", date(2022, 1, 1)),
])
def test_parse_date_boundaries(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "2021-02-29", "2021-02-30", "2021-04-31", "2021-13-01", "2021-00-10", "2021-08-00", "1899-01-01",
    "1-3个工作日", "电话：0477-2258659", "12.50元", "版本 1.2.3", "14:43", "第2021号", "", "2021年", "2021-08",
])
def test_parse_date_rejects_impossible_dates_and_non_dates(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(("text", "ref", "expected"), [
    ("[08-13]", date(2021, 8, 31), date(2021, 8, 13)),
    ("08-13", date(2021, 8, 31), date(2021, 8, 13)),
    ("08/13", date(2021, 8, 31), date(2021, 8, 13)),
    ("8月13日", date(2021, 8, 31), date(2021, 8, 13)),
    ("(8.13)", date(2021, 8, 31), date(2021, 8, 13)),
    ("[08-13]", date(2021, 8, 13), date(2021, 8, 13)),         # the as-of day itself
    ("[08-14]", date(2021, 8, 13), date(2020, 8, 14)),         # one day after as-of: last year
    ("[12-28]", date(2022, 1, 5), date(2021, 12, 28)),         # across New Year
    ("[12-31]", date(2022, 1, 1), date(2021, 12, 31)),
    ("[01-01]", date(2022, 1, 1), date(2022, 1, 1)),
    ("[01-03]", date(2022, 1, 5), date(2022, 1, 3)),
    ("[02-29]", date(2022, 3, 1), date(2020, 2, 29)),          # looks back to a leap year
    ("十二月三十日", date(2022, 1, 5), date(2021, 12, 30)),
])
def test_year_less_dates_take_the_latest_year_not_after_ref(text: str, ref: date, expected: date) -> None:
    assert parse_date(text, ref=ref) == expected


def test_year_less_dates_need_a_ref() -> None:
    assert parse_date("[08-13]") is None
    assert parse_date("[02-30]", ref=date(2021, 8, 31)) is None
    assert infer_year(8, 13, date(2021, 8, 12)) == date(2020, 8, 13)


def test_find_dates_reads_in_order_without_double_counting() -> None:
    text = "2021-08-13 发布，有效期至 2021年9月30日，[08-20] 更新；电话 0477-2258659"
    assert find_dates(text, ref=date(2021, 12, 1)) == [date(2021, 8, 13), date(2021, 9, 30), date(2021, 8, 20)]
    assert find_dates(text) == [date(2021, 8, 13), date(2021, 9, 30)]


def _page(head: str = "", body: str = "") -> str:
    return f"<html><head><title>县政府召开常务会议研究工作</title>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(("meta", "expected"), [
    ('<meta name="PubDate" content="2020年08月02日">', date(2020, 8, 2)),
    ('<meta name="pubdate" content="2019-09-18 06:23">', date(2019, 9, 18)),
    ('<meta name="publishdate" content="2021/08/13">', D),
    ('<meta name="firstpublishedtime" content="2021-08-13-10:02:11">', D),
    ('<meta property="article:published_time" content="2021-08-12T20:30:00Z">', D),
    ('<meta itemprop="datePublished" content="2021-08-13">', D),
    ('<meta name="DC.date.issued" content="2021.08.13">', D),
])
def test_article_date_reads_publication_meta_tags(meta: str, expected: date) -> None:
    assert article_date(_page(meta, "<p>正文</p>")) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("<div>发布时间：2021-08-13 10:00</div>", D),
    ("<div><strong>发布日期</strong>：2021年08月13日</div>", D),
    ("<div class='info'><span>来源：县政府办</span> <span>时间：2021-08-13</span></div>", D),
    ("<div>来源：新华社 2021-08-13 08:00</div>", D),
    ("<p>成文日期：2021-08-01</p><p>发布日期：2021-08-13</p>", D),     # publication beats writing date
    ("<p>信息发布时间：2021.08.13</p>", D),
    ("<dl><dt>发布时间</dt><dd>２０２１年８月１３日</dd></dl>", D),
    ("<p>发文日期：二〇二一年八月十三日</p>", D),
])
def test_article_date_reads_labelled_lines(body: str, expected: date) -> None:
    assert article_date(_page(body=body)) == expected


def test_article_date_ignores_comments_attributes_scripts_and_hidden_text() -> None:
    body = ("<!--<p>发布日期：2017-01-01</p>--><span alt='时间：2017-11-08 20:26'><i>时间：</i>2021-08-13</span>"
            "<div style='display:none'>发布时间：2016-05-05</div><script>var t='发布时间：2015-01-01';</script>")
    assert article_date(_page(body=body)) == D


def test_article_date_never_takes_sidebar_related_or_footer_dates() -> None:
    body = ("<h1>县政府召开常务会议研究工作</h1><p>正文没有日期。</p>"
            "<div class='related'><a href='/a.html'>相关新闻</a> 发布时间：2021-09-20</div>"
            "<div class='sidebar'>时间：2021-09-21</div><div class='footer'>更新时间：2021-09-30</div>")
    assert article_date(_page(body=body)) is None


def test_article_date_bare_line_after_heading() -> None:
    body = "<h1>县政府召开常务会议研究工作</h1><ul><li>来源：县政府办</li><li>2021-08-13 14:43</li></ul><p>正文</p>"
    assert article_date(_page(body=body)) == D


def test_article_date_bare_date_far_from_heading_is_not_taken() -> None:
    body = "<p>正文。</p><p>2021-08-13</p>"
    assert article_date(_page(body=body)) is None


def test_article_date_falls_back_to_enorth_comment_then_script_variables() -> None:
    enorth = _page(body="<!--enpproperty <articleid>1</articleid><date>2021-08-13 14:43:00:0</date>/enpproperty--><p>x</p>")
    script = _page(body="<script>var __$nodeid='235';var __$pubtime='2021-08-13 00:00:00';</script><p>x</p>")
    assert article_date(enorth) == D
    assert article_date(script) == D


def test_a_visible_publication_label_beats_a_meta_that_disagrees() -> None:
    """CMSs rewrite PubDate on a bulk regeneration; the 发布日期 line on the page keeps the real date."""
    html = _page('<meta name="PubDate" content="2023-10-23 11:23">',
                 "<p>发布时间：2021-08-13</p><script>var __$pubtime='2021-08-11';</script>")
    assert article_date(html) == D
    html = _page('<meta name="PubDate" content="2023-10-23">',
                 "<table><tr><td>生成日期</td><td>2021-08-13</td></tr></table>")
    assert article_date(html) == D
    html = _page('<meta name="PubDate" content="2023-10-23">', "<table><tr><td>成文日期</td><td>2021-08-13</td></tr></table>")
    assert article_date(html) == D


def test_meta_beats_a_generic_label_and_visible_text_beats_fallbacks() -> None:
    html = _page('<meta name="PubDate" content="2021-08-13">',
                 "<p>时间：2021-08-12</p><script>var __$pubtime='2021-08-11';</script>")
    assert article_date(html) == D
    html = _page(body="<p>发布时间：2021-08-13</p><script>var __$pubtime='2021-08-11';</script>")
    assert article_date(html) == D


def test_regeneration_stamps_are_never_publication_dates() -> None:
    html = _page('<meta name="Maketime" content="2023-10-23 11:23:36"><meta name="others" content="页面生成时间 2023-10-23">'
                 '<meta name="PubDate" content="2021-08-13 09:53">', "<p>正文</p>")
    assert article_date(html) == D
    html = _page('<meta name="Maketime" content="2023-10-23 11:23:36">', "<p>正文</p>")
    assert article_date(html) is None


@pytest.mark.parametrize("body", [
    "<!-- 发布日期：2023-10-23 --><p>发布日期：2021-08-13</p>",                                # a comment
    "<p><span alt='发布时间：2023-10-23'>发布时间：</span>2021-08-13</p>",                      # an attribute
    "<p title='发布时间：2023-10-23'>发布时间：2021-08-13</p>",
    "<div class='top'>日期：2023年10月23日 星期一</div><p>日期：2021-08-13</p>",                # a header clock
    "<select><option>发布日期：2023-10-23</option></select><p>发布日期：2021-08-13</p>",          # a pager select
    "<p>发布时间：1970-01-01</p><p>来源：县政府办</p><p>发布日期：2021-08-13</p>",                # a placeholder
    "<p>发布时间：<span id='pt'></span><script>document.write('2023-10-23')</script></p><p>日期：2021-08-13</p>",
])
def test_dates_that_are_not_publication_dates_are_passed_over(body: str) -> None:
    assert article_date(_page(body=body)) == D


@pytest.mark.parametrize(("name", "expected"), [
    ("article_trap_sidebar.html", D),
    ("article_no_date.html", None),
    ("article_meta_iso.html", D),
    ("article_chinese_numerals.html", date(2021, 8, 10)),
])
def test_article_date_on_trap_fixtures(name: str, expected: date | None) -> None:
    assert article_date((FIXTURES / name).read_text(encoding="utf-8")) == expected
