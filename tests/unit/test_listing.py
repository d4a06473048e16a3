"""List items with their shown dates (monitor.pages.listing), pagination (monitor.pages.pagination), blank pages
(monitor.pages.empty), page text (monitor.pages.text)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.pages.empty import empty_reason
from monitor.pages.listing import list_items
from monitor.pages.pagination import next_page_url
from monitor.pages.text import main_text, page_title

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
BASE = "http://127.0.0.1:8001"
PATTERNS = ["暂无信息", "暂无数据", "正在建设中"]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_trs_list_reads_the_column_list_not_the_newer_sidebar() -> None:
    items = list_items(fixture("trs_list.html"), f"{BASE}/xwzx/gzdt/index.html", ref=date(2021, 8, 31))
    assert len(items) == 10
    assert items[0].title == "县政府召开第十二次常务会议研究部署重点工作"     # full title attribute, not the "…" text
    assert items[0].url == f"{BASE}/xwzx/gzdt/202108/t20210813_7001.html"
    assert max(i.date for i in items if i.date) == date(2021, 8, 13)
    assert all("热点" not in i.title for i in items)
    assert items[3].date == date(2021, 7, 30)                              # not the 2021年8月2日 in its title
    assert items[8].url == "http://www.example-city.gov.cn/art/2021/7/5/art_12_345.html"
    assert [i.date for i in items].count(None) == 0


def test_hanweb_year_less_dates_across_new_year() -> None:
    items = list_items(fixture("hanweb_list.html"), f"{BASE}/col/col102/index.html", ref=date(2022, 1, 5))
    assert [i.date for i in items] == [date(2022, 1, 3), date(2021, 12, 30), date(2021, 12, 28), date(2021, 11, 15)]


def test_year_less_dates_take_the_year_of_the_item_url() -> None:
    items = list_items(fixture("hanweb_list.html"), f"{BASE}/col/col102/index.html")
    assert [i.date for i in items] == [date(2022, 1, 3), date(2021, 12, 30), date(2021, 12, 28), date(2021, 11, 15)]
    html = ("<html><body><ul><li><a href='/202108/t20210802_1.html'>县政府召开专题会议研究</a>[07-30]</li>"
            "<li><a href='/202107/t20210728_2.html'>县政府召开常务会议研究</a>[07-28]</li></ul></body></html>")
    assert [i.date for i in list_items(html, f"{BASE}/")] == [date(2021, 7, 30), date(2021, 7, 28)]


@pytest.mark.parametrize(("href", "shown", "ref", "expected"), [
    ("/zwgk/201710/t20171013_55.html", "10-13", date(2026, 12, 1), date(2017, 10, 13)),   # TRS t-date
    ("/c/2017-10/13/content_55.htm", "10.13", date(2026, 12, 1), date(2017, 10, 13)),      # bare MM.DD cell
    ("/art/2017/10/13/art_12_55.html", "[10-13]", date(2026, 12, 1), date(2017, 10, 13)),  # 大汉 /art/
    ("/zwgk/202110/abc55.html", "10-08", date(2026, 12, 1), date(2021, 10, 8)),            # month folder
    ("/zwgk/202201/t20220102_55.html", "12-31", date(2026, 12, 1), date(2021, 12, 31)),    # across new year
    ("/zwgk/201710/t20171016_55.html", "10-13", date(2026, 12, 1), date(2017, 10, 13)),    # URL day 3 days off
    ("/zwgk/202608/t20260802_55.html", "12-20", date(2026, 9, 1), date(2025, 12, 20)),     # never after as-of
    ("/tzgg/3310.jhtml", "12-28", date(2022, 1, 5), date(2021, 12, 28)),                   # no URL date: as-of
])
def test_a_year_less_row_date_takes_its_year_from_the_item_url_else_the_as_of(
        href: str, shown: str, ref: date, expected: date) -> None:
    html = (f"<html><body><ul class='list'><li><a href='{href}'>示例县人民政府关于开展专项检查的通知</a>"
            f"<span>{shown}</span></li><li><a href='/zwgk/x/t1.html'>示例县召开第二次全体会议研究部署</a>"
            "<span>2016-01-04</span></li></ul></body></html>")
    items = list_items(html, f"{BASE}/zwgk/", ref=ref, scope="main")
    assert items[0].date == expected


def test_a_bare_dotted_number_in_running_text_is_not_a_date() -> None:
    html = ("<html><body><ul class='list'><li><a href='/zwgk/a/content_101.html'>全县财政收入增长10.13亿元情况通报</a>"
            "<span>10.13亿元</span></li><li><a href='/zwgk/a/content_102.html'>示例县召开第二次全体会议研究部署</a></li>"
            "</ul></body></html>")
    assert [i.date for i in list_items(html, f"{BASE}/zwgk/", ref=date(2021, 12, 1), scope="main")] == [None, None]


def test_table_list_with_full_width_dates_takes_the_publication_date() -> None:
    items = list_items(fixture("table_list.html"), f"{BASE}/zcwj/index.html", ref=date(2021, 8, 31))
    assert [i.date for i in items] == [date(2021, 3, 5), date(2021, 2, 20), date(2020, 12, 4), date(2029, 12, 4)]
    assert items[0].title.startswith("示例县人民政府关于印发")


def test_flat_and_dl_lists_pair_each_link_with_its_own_date() -> None:
    items = list_items(fixture("flat_list.html"), f"{BASE}/bmdt/", ref=date(2021, 8, 31), scope="all")
    got = {i.url.rsplit("/", 1)[-1]: i.date for i in items}
    assert got == {"content_51.html": date(2021, 8, 13), "content_50.html": date(2021, 8, 11),
                   "content_49.html": date(2021, 8, 2), "content_48.html": date(2021, 7, 30),
                   "content_47.html": date(2021, 7, 26), "content_46.html": date(2021, 6, 1),
                   "content_45.html": date(2021, 5, 20)}


def test_home_page_returns_every_dated_block_and_no_clock_or_tool_links() -> None:
    items = list_items(fixture("home_blocks.html"), f"{BASE}/", ref=date(2021, 8, 31))
    assert len(items) == 7
    assert max(i.date for i in items if i.date) == date(2021, 8, 27)
    assert {i.url.split("/")[4] for i in items} == {"gzdt", "tzgg", "zcwj"}


def test_main_scope_keeps_one_list_and_all_scope_every_dated_list() -> None:
    html = fixture("home_blocks.html")
    assert len(list_items(html, f"{BASE}/", ref=date(2021, 8, 31), scope="main")) == 3
    assert len(list_items(html, f"{BASE}/", ref=date(2021, 8, 31), scope="all")) == 7


def test_undated_list_of_articles_is_returned_with_no_dates() -> None:
    rows = "".join(f'<li><a href="/xw/content_{n}.html">县里召开第{n}次重要工作会议</a></li>' for n in range(4))
    html = f"<html><body><div class='nav'><a href='/'>首页</a></div><ul class='list'>{rows}</ul></body></html>"
    items = list_items(html, f"{BASE}/xw/", scope="main")
    assert len(items) == 4 and all(i.date is None for i in items)


def test_links_without_article_titles_are_not_items() -> None:
    html = ("<html><body><ul><li><a href='/a/'>更多</a> 2021-08-01</li><li><a href='javascript:void(0)'>"
            "县政府召开会议安排工作</a> 2021-08-02</li><li><a href='#top'>返回顶部的链接文字</a> 2021-08-03</li>"
            "</ul></body></html>")
    assert list_items(html, f"{BASE}/x/") == []


@pytest.mark.parametrize(("html", "base", "expected"), [
    ("<script>createPageHTML(3, 0, 'index', 'html');</script>", "/gzdt/", "/gzdt/index_1.html"),
    ("<script>createPageHTML(3, 1, 'index', 'shtml');</script>", "/gzdt/index_1.shtml", "/gzdt/index_2.shtml"),
    ("<script>createPageHTML('page_div', 5, 2, 'index', 'html', 98);</script>", "/g/index_2.html", "/g/index_3.html"),
    ("<script>createPageHTML(3, 2, 'index', 'html');</script>", "/gzdt/index_2.html", None),
    ("<script>var currentPage = 0; var countPage = 2</script>", "/a/index.html", "/a/index_1.html"),
    ("<script>var currentPage = 1; var countPage = 2</script>", "/a/index_1.html", None),
    ("<div class='page'><a href='?page=1'>1</a><a href='?page=2'>2</a><a href='?page=3'>3</a></div>",
     "/list.jsp", "/list.jsp?page=2"),
    ("<div class='page'><a href='?page=2'>2</a><a href='?page=3'>3</a></div>", "/list.jsp?page=2", "/list.jsp?page=3"),
    ("<a href='list.jsp?pageNum=2'><span>下一页</span></a>", "/list.jsp", "/list.jsp?pageNum=2"),
    ("<a class='next' href='/n/2.html'><img src='n.gif'></a>", "/n/1.html", "/n/2.html"),
    ("<a href='javascript:goPage(2)'>下一页</a>", "/a/", None),
    ("<span>下一页</span>", "/a/", None),
])
def test_next_page_url_forms(html: str, base: str, expected: str | None) -> None:
    page = f"<html><body><ul><li><a href='/x/1.html'>一条新闻标题很长</a></li></ul>{html}</body></html>"
    assert next_page_url(page, BASE + base) == (BASE + expected if expected else None)


def test_next_page_url_on_the_fixtures() -> None:
    assert next_page_url(fixture("trs_list.html"), f"{BASE}/xwzx/gzdt/") == f"{BASE}/xwzx/gzdt/index_1.html"
    assert next_page_url(fixture("hanweb_list.html"), f"{BASE}/col/col102/index.html") == \
        f"{BASE}/col/col102/index.html?uid=411&pageNum=2"
    assert next_page_url(fixture("table_list.html"), f"{BASE}/zcwj/index.html") is None


@pytest.mark.parametrize(("name", "expected"), [
    ("empty_zanwu.html", "暂无信息"),
    ("empty_container.html", "empty list container <ul news-list>"),
])
def test_empty_reason_fixtures(name: str, expected: str) -> None:
    assert empty_reason(fixture(name), PATTERNS) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ("<div>共0条记录</div>", "共0条"),
    ("<div>共 0 条 第1页</div>", "共 0 条"),
    ("<div>共查询出 0 条数据（用时约 0 s）</div>", "共查询出 0 条"),
    ("<div>总记录数：0</div>", "总记录数:0"),
    ("<div>本栏目正在建设中……</div>", "正在建设中"),
    ("<div>共10条记录</div>", None),
    ("<div>共20条 总数：20</div>", None),
])
def test_empty_reason_texts(body: str, expected: str | None) -> None:
    assert empty_reason(f"<html><body>{body}</body></html>", PATTERNS) == expected


def test_empty_reason_ignores_navigation_and_footer_words() -> None:
    html = "<html><body><div class='nav'>暂无信息</div><p>正文内容</p><div class='footer'>共0条</div></body></html>"
    assert empty_reason(html, PATTERNS) is None


def test_list_pages_with_items_have_no_empty_reason() -> None:
    assert empty_reason(fixture("trs_list.html"), PATTERNS) is None


def test_main_text_drops_navigation_footer_scripts_and_keeps_inline_words_whole() -> None:
    html = ("<html><head><title>T</title><style>p{}</style></head><body><div class='nav'>导航栏目</div>"
            "<p>中华人民<b>共合国</b>成立</p><script>var x='脚本'</script><div class='footer'>版权所有</div></body></html>")
    text = main_text(html)
    assert "中华人民共合国成立" in text
    assert "导航栏目" not in text and "版权所有" not in text and "脚本" not in text and "p{}" not in text


def test_page_title_prefers_title_then_h1() -> None:
    assert page_title("<html><head><title> 工作动态_示例县 </title></head><body></body></html>") == "工作动态_示例县"
    assert page_title("<html><body><h1>机构职能</h1></body></html>") == "机构职能"
    assert page_title("<html><body><p>x</p></body></html>") == ""


def test_hanweb_datastore_records_are_list_items() -> None:
    html = fixture("hanweb_datastore.html")
    items = list_items(html, f"{BASE}/col/col31/index.html", ref=date(2021, 8, 31))
    assert [(i.title, i.date) for i in items] == [("市交通局开展道路安全隐患排查", date(2021, 8, 20)),
                                                  ("市水利局部署防汛值班工作", date(2021, 8, 16)),
                                                  ("市农业农村局召开秋收工作会", date(2021, 8, 9))]
    assert "市水利局部署防汛值班工作" in main_text(html)


def test_hanweb_datastore_without_records_is_blank() -> None:
    html = ("<html><body><div id='1'><script type='text/xml'><datastore><totalrecord>0</totalrecord>"
            "<recordset></recordset></datastore></script></div></body></html>")
    assert list_items(html, f"{BASE}/col/col31/index.html") == []
    assert empty_reason(html, PATTERNS) == "totalrecord 0"


def test_the_date_cell_beats_dates_inside_a_summary() -> None:
    html = ("<html><body><ul><li><a href='/xw/t1.html'>县政府召开专题会议研究秋粮收购</a>"
            "<p>会议要求各乡镇于2021年10月30日前完成秋粮收购准备工作，确保颗粒归仓，做好各项保障。</p>"
            "<span>2021-08-13</span></li><li><a href='/xw/t2.html'>县政府召开常务会议研究工作</a>"
            "<span>2021-08-10</span></li></ul></body></html>")
    items = list_items(html, f"{BASE}/xw/", ref=date(2021, 12, 1))
    assert [i.date for i in items] == [date(2021, 8, 13), date(2021, 8, 10)]


def _block(prefix: str, days: list[int], cls: str = "box") -> str:
    rows = "".join(f"<li><a href='/{prefix}/t{d}.html'>{prefix}栏目的第{d}条新闻标题</a><span>2021-08-{d:02d}</span></li>"
                   for d in days)
    return f"<div class='{cls}'><ul>{rows}</ul></div>"


def test_auto_scope_reads_a_subsite_home_with_even_blocks_as_a_home_page() -> None:
    html = f"<html><body>{_block('xw', [20, 19, 18])}{_block('tz', [10, 9, 8])}{_block('zc', [5, 4])}</body></html>"
    assert len(list_items(html, f"{BASE}/bumen/", ref=date(2021, 8, 31))) == 8


def test_auto_scope_reads_a_page_with_a_breadcrumb_as_a_list_page() -> None:
    html = (f"<html><body><div>当前位置：首页 &gt; 工作动态</div>{_block('gzdt', [12, 11, 10])}"
            f"{_block('rd', [30, 29, 28], 'hot-list')}</body></html>")
    items = list_items(html, f"{BASE}/gzdt/index.html", ref=date(2021, 8, 31))
    assert [i.date for i in items] == [date(2021, 8, 12), date(2021, 8, 11), date(2021, 8, 10)]


def test_titles_that_merely_contain_tool_words_are_items() -> None:
    html = ("<html><body><ul><li><a href='/xw/t1.html'>关于开展版权保护宣传周活动的通知</a><span>2021-08-13</span></li>"
            "<li><a href='/xw/t2.html'>全县无障碍设施改造完成</a><span>2021-08-12</span></li>"
            "<li><a href='/wza/'>无障碍浏览</a><span>2021-08-31</span></li></ul></body></html>")
    assert [i.url.rsplit("/", 1)[-1] for i in list_items(html, f"{BASE}/xw/")] == ["t1.html", "t2.html"]


def test_pinned_rows_are_marked_and_the_newest_item_is_the_maximum_over_the_list() -> None:
    html = ("<html><body><ul class='list'>"
            "<li><a href='/tzgg/201903/t20190301_1.html'>关于公布政务服务事项清单的公告</a><img src='/images/zhiding.gif'>"
            "<span>2019-03-01</span></li>"
            "<li class='istop'><a href='/tzgg/202001/t20200102_2.html'>关于政务服务热线整合工作的通告</a><span>2020-01-02</span></li>"
            "<li><a href='/tzgg/202108/t20210813_3.html'>【置顶】关于做好防汛工作的紧急通知</a><span>2021-08-13</span></li>"
            "<li><a href='/tzgg/202108/t20210820_4.html'>关于开展2021年度统计执法检查的通知</a><span>2021-08-20</span></li>"
            "<li><a href='/tzgg/202108/t20210802_5.html'>关于征求城市管理条例修改意见的公告</a><span>2021-08-02</span></li>"
            "</ul></body></html>")
    items = list_items(html, f"{BASE}/tzgg/", ref=date(2021, 8, 31), scope="main")
    assert [i.pinned for i in items] == [True, True, True, False, False]
    assert max(i.date for i in items if i.date) == date(2021, 8, 20)
    assert min(i.date for i in items if i.date and not i.pinned) == date(2021, 8, 2)


def test_a_topic_word_or_a_top_navigation_class_is_not_a_pin() -> None:
    html = ("<html><body><ul class='list top-list'>"
            "<li class='top'><a href='/xw/202108/t20210813_1.html'>顶格推进项目建设工作综述</a><span>2021-08-13</span></li>"
            "<li><a href='/xw/202108/t20210812_2.html'>县政府召开项目建设推进会</a><span>2021-08-12</span></li>"
            "</ul></body></html>")
    assert [i.pinned for i in list_items(html, f"{BASE}/xw/", ref=date(2021, 8, 31), scope="main")] == [False, False]
