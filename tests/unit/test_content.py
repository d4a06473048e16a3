"""monitor.crawl.content.collect_content: columns, pagination as far as needed, messages, guides, notes.

One small county site is built here as path → HTML; it is served from memory (a dict-backed fetch)
and once from a real HTTP server on 127.0.0.1 (``serve_world``) through ``monitor.net.fetch.Fetcher``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from monitor.config.load import load_settings
from monitor.config.settings import Settings
from monitor.crawl.content import ContentResult, collect_content
from monitor.registry.model import PinnedColumn, Site
from monitor.sandbox.server import Host, Route, serve_world

AS_OF = date(2021, 8, 31)
SETTINGS: Settings = load_settings()


def _list(rows: list[tuple[str, str, date]], pager: str = "") -> str:
    items = "".join(f"<li><a href='{href}' title='{title}'>{title}</a><span>{day.isoformat()}</span></li>"
                    for href, title, day in rows)
    return (f"<html><head><title>列表</title></head><body><div class='nav'><a href='/'>首页</a></div>"
            f"<ul class='list'>{items}</ul><div class='page'>{pager}</div></body></html>")


def _pages(as_of: date) -> dict[str, str]:
    def ago(days: int) -> date:
        return as_of - timedelta(days=days)

    def trs(count: int, current: int) -> str:
        return f"<script>createPageHTML({count}, {current}, 'index', 'html');</script>"

    home = """<html><head><title>示例县人民政府</title></head><body>
      <div class="nav"><ul>
        <li><a href="/">首页</a></li>
        <li><a href="/xwzx/">新闻中心</a><ul><li><a href="/xwzx/gzdt/">工作动态</a></li><li><a href="/xwzx/xqdt/">县区动态</a></li></ul></li>
        <li><a href="/zwgk/">政务公开</a><div class="sub"><a href="/zwgk/tzgg/">通知公告</a><a href="/zwgk/ghjh/">规划计划</a>
            <a href="/zwgk/zcwj/">政策文件</a></div></li>
        <li><a href="/hdjl/">互动交流</a><ul><li><a href="/hdjl/zwzx/">政务咨询</a></li></ul></li>
        <li><a href="/bsfw/">办事服务</a></li>
      </ul></div>
      <div class="box"><h3>工作动态</h3><ul><li><a href="/xwzx/gzdt/202108/t1.html">县政府召开常务会议研究工作</a><span>[08-28]</span></li></ul></div>
      <div class="footer"><a href="/wzdt/">网站地图</a></div></body></html>"""
    pages = {
        "/": home,
        "/wzdt/": "<html><body><div class='map'><h3><a href='/xwzx/'>新闻中心</a></h3><ul><li><a href='/xwzx/bmdt/'>部门动态</a></li></ul></div></body></html>",
        "/xwzx/": "<html><body><p>新闻中心栏目导航</p><a href='/xwzx/gzdt/'>工作动态</a></body></html>",
        "/zwgk/": "<html><body><p>政务公开栏目导航</p></body></html>",
        "/xwzx/gzdt/": _list([(f"/xwzx/gzdt/t{n}.html", f"工作动态新闻标题第{n}条", ago(3 + n)) for n in range(3)], trs(3, 0)),
        "/xwzx/gzdt/index_1.html": _list([("/xwzx/gzdt/old.html", "不应被读取的第二页新闻", ago(40))]),
        "/xwzx/bmdt/": _list([("/xwzx/bmdt/f.html", "日期录入错误的部门新闻", date(2029, 1, 1)),
                              ("/xwzx/bmdt/a.html", "县财政局开展专项检查工作", ago(20))]),
        "/zwgk/tzgg/": _list([("/zwgk/tzgg/1.html", "关于开展安全生产检查的通知", ago(100))], trs(2, 0)),
        "/zwgk/ghjh/": "<html><body><div class='list'><p>暂无信息</p></div></body></html>",
        "/hdjl/": "<html><body><a href='/hdjl/zwzx/'>政务咨询入口</a></body></html>",
        "/hdjl/zwzx/": """<html><body><table>
            <tr><th>标题</th><th>留言时间</th><th>状态</th></tr>
            <tr><td><a href="/hdjl/zwzx/d1.html">咨询社保卡补办流程</a></td><td>2021-08-01</td><td>已回复</td></tr>
            <tr><td><a href="/hdjl/zwzx/d2.html">反映道路积水问题</a></td><td>2021-04-15</td><td>未回复</td></tr>
            <tr><td><a href="/hdjl/zwzx/d3.html">咨询公积金提取政策</a></td><td>2021-03-02</td><td></td></tr>
            </table></body></html>""",
        "/hdjl/zwzx/d3.html": "<html><body><p>留言时间：2021-03-02</p><p>答复时间：2021-03-09</p><p>答复内容：已按政策办理。</p></body></html>",
        "/bsfw/": """<html><body><ul>
            <li><a href="/bsfw/g1.html">企业设立登记办事指南</a></li>
            <li><a href="/bsfw/g2.html">残疾人证核发服务指南</a></li>
            <li><a href="/bsfw/mzj/">民政局办事指南目录</a></li></ul></body></html>""",
        "/bsfw/mzj/": "<html><body><ul><li><a href='/bsfw/mzj/g3.html'>婚姻登记办事指南</a></li></ul></body></html>",
    }
    for number, name in ((1, "企业设立登记"), (2, "残疾人证核发"), (3, "婚姻登记")):
        pages[f"/bsfw/{'mzj/' if number == 3 else ''}g{number}.html"] = (
            f"<html><body><table><tr><th>事项名称</th><td>{name}</td></tr><tr><th>设定依据</th><td>《条例》</td></tr>"
            f"<tr><th>办理地点</th><td>政务大厅</td></tr><tr><th>联系电话</th><td>暂无</td></tr></table></body></html>")
    stale = [(f"/xwzx/xqdt/p{page}.html", f"县区动态旧新闻第{page}页", ago(60 + page)) for page in range(5)]
    pages["/xwzx/xqdt/"] = _list(stale[:1], trs(5, 0))
    for page in range(1, 5):
        pages[f"/xwzx/xqdt/index_{page}.html"] = _list(stale[page:page + 1], trs(5, page))
    return pages


@dataclass
class FakeResult:
    """The parts of monitor.net.result.FetchResult that collect_content reads."""

    url: str
    status: int | None
    body: bytes = b""
    error: str | None = None
    content_type: str = "text/html"
    final_url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    redirects: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 400

    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass
class MemoryWeb:
    base: str
    pages: dict[str, str]
    requested: list[str] = field(default_factory=list)

    async def fetch(self, url: str) -> FakeResult:
        self.requested.append(url)
        path = url.removeprefix(self.base) or "/"
        if path not in self.pages:
            return FakeResult(url, 404, b"<html><title>404</title></html>", final_url=url)
        return FakeResult(url, 200, self.pages[path].encode("utf-8"), final_url=url)


def _site(base: str, **extra: object) -> Site:
    return Site(id="1499000001", name="示例县人民政府", url=base + "/", **extra)


async def _collect(web: MemoryWeb, site: Site | None = None) -> ContentResult:
    site = site or _site(web.base)
    return await collect_content(site, web.pages["/"], web.base + "/", web.fetch, SETTINGS, AS_OF)


def _by_name(result: ContentResult) -> dict[str, object]:
    return {c.name: c for c in result.columns}


async def test_columns_come_from_navigation_and_site_map_with_kinds() -> None:
    result = await _collect(MemoryWeb("http://127.0.0.1:9", _pages(AS_OF)))
    got = [(c.name, c.kind, c.parent, c.level) for c in result.columns]
    assert got == [("新闻中心", "news", None, 1), ("工作动态", "news", "新闻中心", 2), ("县区动态", "news", "新闻中心", 2),
                   ("政务公开", "other", None, 1), ("通知公告", "notice", "政务公开", 2), ("规划计划", "planning", "政务公开", 2),
                   ("政策文件", "policy", "政务公开", 2), ("互动交流", "interaction", None, 1),
                   ("政务咨询", "interaction", "互动交流", 2), ("办事服务", "service", None, 1),
                   ("部门动态", "news", "新闻中心", 2)]


async def test_pagination_stops_at_the_first_fresh_item_and_at_max_list_pages() -> None:
    web = MemoryWeb("http://127.0.0.1:9", _pages(AS_OF))
    columns = _by_name(await _collect(web))
    assert columns["工作动态"].pages_fetched == 1
    assert "http://127.0.0.1:9/xwzx/gzdt/index_1.html" not in web.requested
    assert columns["工作动态"].items[0].date == AS_OF - timedelta(days=3)
    assert columns["县区动态"].pages_fetched == SETTINGS.extract.max_list_pages == 3
    assert [i.date for i in columns["县区动态"].items] == [AS_OF - timedelta(days=60 + n) for n in range(3)]
    assert "http://127.0.0.1:9/xwzx/xqdt/index_3.html" not in web.requested
    assert columns["通知公告"].pages_fetched == 1            # 100 days old is inside the notice window


async def test_blank_missing_and_future_dated_columns() -> None:
    result = await _collect(MemoryWeb("http://127.0.0.1:9", _pages(AS_OF)))
    columns = _by_name(result)
    assert columns["规划计划"].items == [] and columns["规划计划"].empty_reason == "暂无信息"
    assert columns["政策文件"].status == 404 and columns["政策文件"].items == []
    assert columns["工作动态"].empty_reason is None and columns["工作动态"].content_hash
    future = [i for i in columns["部门动态"].items if i.url.endswith("/f.html")]
    assert future[0].date is None
    assert any("2029-01-01" in note and "f.html" in note for note in result.notes)


async def test_messages_follow_detail_pages_only_when_the_list_lacks_a_state() -> None:
    web = MemoryWeb("http://127.0.0.1:9", _pages(AS_OF))
    result = await _collect(web)
    got = {m.url.rsplit("/", 1)[-1]: (m.asked, m.replied, m.answered, m.column) for m in result.messages}
    assert got == {"d1.html": (date(2021, 8, 1), None, True, "政务咨询"),
                   "d2.html": (date(2021, 4, 15), None, False, "政务咨询"),
                   "d3.html": (date(2021, 3, 2), date(2021, 3, 9), True, "政务咨询")}
    assert "http://127.0.0.1:9/hdjl/zwzx/d1.html" not in web.requested


async def test_guides_are_read_from_service_columns_one_level_deep() -> None:
    result = await _collect(MemoryWeb("http://127.0.0.1:9", _pages(AS_OF)))
    assert {g.title for g in result.guides} == {"婚姻登记", "企业设立登记", "残疾人证核发"}
    first = next(g for g in result.guides if g.title == "企业设立登记")
    assert first.fields == {"事项名称": "企业设立登记", "设定依据": "《条例》", "办理地点": "政务大厅", "联系电话": ""}
    assert result.has_interaction_channel is True and result.has_service is True


async def test_pinned_columns_override_discovery() -> None:
    web = MemoryWeb("http://127.0.0.1:9", _pages(AS_OF))
    site = _site(web.base, columns=[PinnedColumn(name="工作动态", url="/xwzx/gzdt/"),
                                    PinnedColumn(name="重点工作", url="/zwgk/tzgg/", kind="policy", level=1)])
    result = await _collect(web, site)
    assert [(c.name, c.kind, c.level, c.pinned) for c in result.columns] == [
        ("工作动态", "news", 1, True), ("重点工作", "policy", 1, True)]
    assert "http://127.0.0.1:9/wzdt/" not in web.requested


async def test_a_site_without_channels_says_so() -> None:
    pages = {"/": "<html><body><div class='nav'><ul><li><a href='/xw/'>新闻</a></li></ul></div></body></html>",
             "/xw/": _list([("/xw/1.html", "县里召开工作会议一次", AS_OF)])}
    result = await _collect(MemoryWeb("http://127.0.0.1:9", pages))
    assert result.has_interaction_channel is False and result.has_service is False
    assert [(c.name, len(c.items)) for c in result.columns] == [("新闻", 1)]


async def test_image_links_name_channels_by_their_alt_text() -> None:
    banner = ("<div class='banner'><a href='/ldxx/'><img src='/i/ldxx.png' alt='领导信箱'></a>"
              "<a href='/bs/'><img src='/i/bs.png' alt='网上办事'></a></div>")
    pages = {"/": f"<html><body><div class='nav'><ul><li><a href='/xw/'>新闻</a></li></ul></div>{banner}</body></html>",
             "/xw/": _list([("/xw/1.html", "县里召开工作会议一次", AS_OF)])}
    result = await _collect(MemoryWeb("http://127.0.0.1:9", pages))
    assert result.has_interaction_channel is True and result.has_service is True


async def test_columns_record_how_their_page_was_read() -> None:
    challenge = ('<html><head><title>网站防火墙</title></head><body><h3>您的请求带有不合法参数，已被网站管理员设置拦截！</h3>'
                 '<img src="http://404.safedog.cn/images/safedogsite/head.png"></body></html>')
    script = ('<html><body><h2>通知公告</h2><ul id="list"></ul>'
              '<script>$.ajax({url: "/api/list", success: function (d) {}});</script></body></html>')
    nav = "".join(f"<li><a href='{p}'>{n}</a></li>" for n, p in (("工作动态", "/xw/"), ("通知公告", "/tz/"),
                                                                ("政策文件", "/zc/"), ("人事信息", "/rs/")))
    pages = {"/": f"<html><body><div class='nav'><ul>{nav}</ul></div></body></html>",
             "/xw/": _list([("/xw/1.html", "县里召开工作会议一次", AS_OF)]), "/tz/": script, "/zc/": challenge}
    result = await _collect(MemoryWeb("http://127.0.0.1:9", pages))
    read = {c.name: (c.state, c.parsed, c.empty_reason) for c in result.columns}
    assert read == {"工作动态": ("ok", True, None), "通知公告": ("script_rendered", True, None),
                    "政策文件": ("blocked", False, None), "人事信息": ("dead", False, None)}


async def test_collect_content_against_a_real_http_server() -> None:
    from monitor.net.fetch import Fetcher

    pages = _pages(AS_OF)
    gbk = _list([("/xwzx/bmdt/g.html", "县委召开全体会议部署工作", AS_OF - timedelta(days=1))])

    def build(bases: dict[str, str]) -> dict[str, Host]:
        routes = {path: Route(html) for path, html in pages.items()}
        routes["/xwzx/bmdt/"] = Route(gbk, content_type="text/html; charset=gbk", encoding="gbk")
        return {"site": Host(routes=routes)}

    with serve_world(build, ["site"]) as world:
        base = world.base("site")
        async with Fetcher(SETTINGS.crawl) as fetcher:
            result = await collect_content(_site(base), pages["/"], base + "/", fetcher.get, SETTINGS, AS_OF)
        hits = world.hits["site"]
    columns = _by_name(result)
    assert columns["部门动态"].items[0].title == "县委召开全体会议部署工作"
    assert columns["部门动态"].items[0].date == AS_OF - timedelta(days=1)
    assert columns["县区动态"].pages_fetched == 3 and columns["政策文件"].status == 404
    assert columns["规划计划"].empty_reason == "暂无信息"
    assert len(result.guides) == 3 and len(result.messages) == 3
    assert "/xwzx/gzdt/index_1.html" not in hits and hits.get("/hdjl/zwzx/d3.html") == 1


async def test_a_crash_or_a_file_on_one_column_leaves_the_others_intact() -> None:
    web = MemoryWeb("http://127.0.0.1:9", _pages(AS_OF))

    async def fetch(url: str) -> FakeResult:
        if url.endswith("/zwgk/tzgg/"):
            raise RuntimeError("boom")
        if url.endswith("/zwgk/ghjh/"):
            return FakeResult(url, 200, b"%PDF-1.4", content_type="application/pdf", final_url=url)
        return await web.fetch(url)

    result = await collect_content(_site(web.base), web.pages["/"], web.base + "/", fetch, SETTINGS, AS_OF)
    columns = _by_name(result)
    assert columns["通知公告"].error == "content_error" and columns["规划计划"].error == "not_html"
    assert columns["工作动态"].items and any("boom" in note for note in result.notes)


async def test_a_top_item_opening_its_childs_list_is_judged_as_that_list() -> None:
    pages = {"/": "<html><body><div class='nav'><ul><li><a href='/zwgk/tzgg/'>政务公开</a><ul>"
                  "<li><a href='/zwgk/tzgg/index.html'>通知公告</a></li></ul></li></ul></div></body></html>",
             "/zwgk/tzgg/": _list([("/zwgk/tzgg/1.html", "关于开展安全生产检查的通知", AS_OF)])}
    result = await _collect(MemoryWeb("http://127.0.0.1:9", pages))
    assert [(c.name, c.kind, c.level, c.url) for c in result.columns] == [
        ("通知公告", "notice", 1, "http://127.0.0.1:9/zwgk/tzgg/")]


async def test_message_dates_after_as_of_are_ignored_and_noted() -> None:
    pages = {"/": "<html><body><div class='nav'><ul><li><a href='/ly/'>在线留言</a></li></ul></div></body></html>",
             "/ly/": "<html><body><ul><li><a href='/ly/1.html'>咨询社保卡补办的流程</a><span>留言时间：2029-01-01</span>"
                     "<span>已回复</span></li></ul></body></html>"}
    result = await _collect(MemoryWeb("http://127.0.0.1:9", pages))
    assert [(m.asked, m.answered) for m in result.messages] == [(None, True)]
    assert any("2029-01-01" in note for note in result.notes)


async def test_without_a_home_page_nothing_is_claimed() -> None:
    web = MemoryWeb("http://127.0.0.1:9", {"/": ""})
    result = await _collect(web)
    assert result.columns == [] and result.has_interaction_channel is None and result.has_service is None


async def test_a_channel_overview_column_keeps_each_sub_list_as_a_section_and_its_newest_item() -> None:
    """政务公开 served as a 栏目首页 of four dated boxes (year-less dates, a 置顶 old item): the
    column's items are all boxes' rows and each box is a section with its own kind and newest date."""
    overview = (Path(__file__).resolve().parents[1] / "fixtures" / "html_cms"
                / "trs_channel_overview_yearless.html").read_text(encoding="utf-8")
    pages = {**_pages(AS_OF), "/zwgk/": overview}
    as_of = date(2022, 1, 20)
    web = MemoryWeb("http://127.0.0.1:9", pages)
    result = await collect_content(_site(web.base), pages["/"], web.base + "/", web.fetch, SETTINGS, as_of)
    column = _by_name(result)["政务公开"]
    assert [(s.name, s.kind, s.newest, s.items) for s in column.sections] == [
        ("通知公告", "notice", date(2022, 1, 5), 4), ("政策文件", "policy", date(2022, 1, 10), 3),
        ("人事信息", "personnel", date(2021, 12, 15), 3), ("工作动态", "news", date(2022, 1, 18), 3)]
    assert len(column.items) == 13 and max(i.date for i in column.items if i.date) == date(2022, 1, 18)
    assert _by_name(result)["工作动态"].sections == []
