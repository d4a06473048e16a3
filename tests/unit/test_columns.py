"""monitor.pages.columns: columns from navigation, dropdowns, 更多 links and the site map; kinds by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config.load import load_settings
from monitor.pages.columns import ColumnRef, classify, columns_from_sitemap, discover_columns, same_site, sitemap_url

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_pages"
BASE = "http://127.0.0.1:8001"
KINDS = load_settings().extract.column_kinds


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_home_navigation_with_dropdowns_gives_parents_and_levels() -> None:
    refs = discover_columns(fixture("home_blocks.html"), f"{BASE}/", KINDS)
    got = [(r.name, r.url.removeprefix(BASE), r.kind, r.parent, r.level) for r in refs]
    assert got == [
        ("政务公开", "/zwgk/", "other", None, 1),
        ("通知公告", "/zwgk/tzgg/", "notice", "政务公开", 2),
        ("政策文件", "/zwgk/zcwj/", "policy", "政务公开", 2),
        ("政策解读", "/zwgk/zcjd/", "policy", "政务公开", 2),
        ("人事信息", "/zwgk/rsxx/", "personnel", "政务公开", 2),
        ("规划计划", "/zwgk/ghjh/", "planning", "政务公开", 2),
        ("新闻中心", "/xwzx/", "news", None, 1),
        ("工作动态", "/xwzx/gzdt/", "news", "新闻中心", 2),
        ("县区动态", "/xwzx/xqdt/", "news", "新闻中心", 2),
        ("图片新闻", "/xwzx/tpxw/", "news", "新闻中心", 2),
        ("办事服务", "/bsfw/", "service", None, 1),
        ("互动交流", "/hdjl/", "interaction", None, 1),
        ("政务咨询", "/hdjl/zwzx/", "interaction", "互动交流", 2),
        ("县长信箱", "/hdjl/xzxx/", "interaction", "互动交流", 2),
        ("在线访谈", "/hdjl/zxft/", "other", "互动交流", 2),
    ]


def test_home_navigation_skips_home_tools_footer_and_other_sites() -> None:
    names = {r.name for r in discover_columns(fixture("home_blocks.html"), f"{BASE}/", KINDS)}
    assert not names & {"首页", "无障碍浏览", "English", "登录", "省政府网站", "中国政府网", "网站地图", "联系我们", "网站声明"}


def test_more_links_name_their_block_and_are_level_two() -> None:
    html = ("<html><body><div class='box'><div class='hd'><h3>公示公告</h3><a href='/gsgg/'>更多&gt;&gt;</a></div>"
            "<ul><li><a href='/gsgg/1.html'>关于拟任干部的公示公告</a>2021-08-01</li></ul></div>"
            "<div class='box'><span class='tit'>部门动态</span><a class='more' href='/bmdt/'>+</a></div></body></html>")
    refs = discover_columns(html, f"{BASE}/", KINDS)
    assert refs == [ColumnRef("公示公告", f"{BASE}/gsgg/", "notice", None, 2),
                    ColumnRef("部门动态", f"{BASE}/bmdt/", "news", None, 2)]


def test_hanweb_menu_div_and_dl_navigation() -> None:
    html = ("<html><body><div id='menu'><dl><dt><a href='/col/col1/index.html'>政务公开</a></dt>"
            "<dd><a href='/col/col11/index.html'>政策法规</a></dd><dd><a href='/col/col12/index.html'>人事任免</a></dd>"
            "</dl></div></body></html>")
    refs = discover_columns(html, f"{BASE}/index.html", KINDS)
    assert [(r.name, r.parent, r.level, r.kind) for r in refs] == [
        ("政务公开", None, 1, "other"), ("政策法规", "政务公开", 2, "policy"), ("人事任免", "政务公开", 2, "personnel")]


def test_table_navigation_without_nav_names_is_found_on_the_real_ordos_page() -> None:
    page = REAL / "ordos_egb_xxgknb_list.html"
    refs = discover_columns(page.read_text(encoding="utf-8"), "http://www.ordos.gov.cn/egb/xxgk/xxgknb/index.html", KINDS)
    assert [r.name for r in refs] == ["信息公开", "走进恩格贝", "投资恩格贝", "旅游恩格贝", "沙产业", "新能源"]
    assert all(r.level == 1 for r in refs)


def test_sitemap_link_and_sitemap_columns() -> None:
    assert sitemap_url(fixture("home_blocks.html"), f"{BASE}/") == f"{BASE}/wzdt/"
    refs = columns_from_sitemap(fixture("sitemap.html"), f"{BASE}/wzdt/", KINDS)
    got = [(r.name, r.url.removeprefix(BASE), r.kind, r.parent, r.level) for r in refs]
    assert got == [
        ("政务公开", "/zwgk/", "other", None, 1),
        ("通知公告", "/zwgk/tzgg/", "notice", "政务公开", 2),
        ("政策文件", "/zwgk/zcwj/", "policy", "政务公开", 2),
        ("人事任免", "/zwgk/rsrm/", "personnel", "政务公开", 2),
        ("工作动态", "/xwzx/gzdt/", "news", "新闻中心", 2),
        ("部门动态", "/xwzx/bmdt/", "news", "新闻中心", 2),
        ("互动交流", "/hdjl/", "interaction", None, 1),
        ("领导信箱", "/hdjl/ldxx/", "interaction", "互动交流", 2),
        ("在线留言", "/hdjl/zxly/", "interaction", "互动交流", 2),
        ("办事指南", "/bsfw/bszn/", "service", "办事服务", 2),
    ]


@pytest.mark.parametrize(("name", "kind"), [
    ("工作动态", "news"), ("县区动态", "news"), ("图片新闻", "news"), ("要闻", "news"),
    ("通知公告", "notice"), ("公示公告", "notice"), ("政策文件", "policy"), ("规范性文件", "policy"),
    ("政策解读", "policy"), ("人事任免", "personnel"), ("人事信息", "personnel"), ("发展规划", "planning"),
    ("工作计划", "planning"), ("政务咨询", "interaction"), ("领导信箱", "interaction"), ("在线留言", "interaction"),
    ("咨询投诉", "interaction"), ("办事指南", "service"), ("机构职能", "institution"), ("领导之窗", "institution"),
    ("在线访谈", "other"), ("调查征集", "other"), ("信息公开", "other"), ("走进恩格贝", "other"),
    ("政策 法规", "policy"),
])
def test_classify_with_the_settings_table(name: str, kind: str) -> None:
    assert classify(name, KINDS) == kind


def test_classify_longest_keyword_wins_then_table_order() -> None:
    kinds = {"a": ["动态"], "b": ["部门动态"], "c": ["部门"], "d": ["门动"]}
    assert classify("部门动态", kinds) == "b"
    assert classify("部门", {"x": ["部门"], "y": ["部门"]}) == "x"
    assert classify("机构", kinds) == "other"


@pytest.mark.parametrize(("url", "base", "expected"), [
    ("http://www.hd.gov.cn/a/", "http://www.hd.gov.cn/", True),
    ("http://hdzfxxgk.hd.gov.cn/a/", "http://www.hd.gov.cn/", True),
    ("http://www.hebei.gov.cn/", "http://www.hd.gov.cn/", False),
    ("http://www.hd.gov.cn/", "http://www.gov.cn/", False),
    ("http://127.0.0.1:8002/", "http://127.0.0.1:8001/", False),
    ("http://127.0.0.1:8001/x", "http://127.0.0.1:8001/", True),
])
def test_same_site(url: str, base: str, expected: bool) -> None:
    assert same_site(url, base) is expected


def test_same_site_accepts_registry_hosts() -> None:
    assert same_site("http://127.0.0.1:8002/x", "http://127.0.0.1:8001/", ["127.0.0.1:8002"])


def test_a_page_wide_wrapper_named_menu_is_not_the_navigation() -> None:
    news = "".join(f"<li><a href='/xw/t{n}.html'>县政府召开第{n}次常务会议研究部署重点工作</a></li>" for n in range(8))
    html = (f"<html><body><div class='menu-wrap'><div id='nav'><ul><li><a href='/xw/'>新闻动态</a></li>"
            f"<li><a href='/gk/'>信息公开</a></li></ul></div><ul class='news'>{news}</ul></div></body></html>")
    refs = discover_columns(html, f"{BASE}/", KINDS)
    assert [(r.name, r.level) for r in refs] == [("新闻动态", 1), ("信息公开", 1)]


def test_marked_navigation_without_columns_falls_back_to_a_run_of_short_links() -> None:
    links = "".join(f"<td><a href='/c{n}/'>栏目{n}号</a></td>" for n in range(6))
    html = (f"<html><body><div class='nav'><a href='/'>首页</a></div><table><tr>{links}</tr></table>"
            f"</body></html>")
    assert [r.name for r in discover_columns(html, f"{BASE}/", KINDS)] == [f"栏目{n}号" for n in range(6)]
