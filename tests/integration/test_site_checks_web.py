"""Site checks end to end on a served site: every date form, the 14/15-day boundary, a GBK
column, undated and blank columns, an unanswered message and incomplete guides — exact findings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from monitor.config.load import load_settings
from monitor.crawl.crawler import crawl_site
from monitor.crawl.linkcheck import LinkChecker
from monitor.judge.engine import judge_site
from monitor.model.period import Period
from monitor.net.fetch import Fetcher
from monitor.registry.model import Site
from monitor.sandbox.server import Host, Route, serve_world

AS_OF = date(2021, 8, 31)
D = lambda days: AS_OF - timedelta(days=days)  # noqa: E731
GBK = "text/html; charset=gbk"

# column path → (name, kind of markup, newest item date or None for undated, encoding)
COLUMNS = {
    "/gzdt/": ("工作动态", "iso", D(14)),        # exactly 14 days before as-of: updated
    "/bmdt/": ("部门动态", "slash", D(15)),      # 15 days: stale
    "/xqdt/": ("县区动态", "short", D(20)),      # [08-11] with the year inferred: stale
    "/tpxw/": ("图片新闻", "none", None),        # no dates at all: counts as not updated
    "/tzgg/": ("通知公告", "cn", D(100)),        # 2021年5月23日, within 6 months: updated
    "/zcwj/": ("政策文件", "dot-gbk", D(200)),   # GBK page, 2021.02.12, beyond 6 months: stale
    "/rsxx/": ("人事信息", "table", D(300)),     # table cells, within a year: updated
}
BLANK = {"/zdxm/": "重点项目", "/yshj/": "营商环境"}


def _shown(kind: str, day: date) -> str:
    return {"iso": day.isoformat(), "slash": day.strftime("%Y/%m/%d"), "short": day.strftime("[%m-%d]"),
            "cn": f"{day.year}年{day.month}月{day.day}日", "dot-gbk": day.strftime("%Y.%m.%d"),
            "table": day.isoformat()}[kind]


def _list_page(name: str, path: str, kind: str, newest: date | None) -> str:
    rows = []
    for n in range(6):
        day = newest - timedelta(days=7 * n) if newest else None
        link = f'<a href="{path}2021/a{n}.html" title="{name}第{n}条信息标题">{name}第{n}条信息标题</a>'
        if kind == "table":
            rows.append(f"<tr><td>{link}</td><td>{_shown(kind, day)}</td></tr>")
        else:
            rows.append(f"<li>{link}<span>{_shown(kind, day) if day else ''}</span></li>")
    body = f"<table class='list'>{''.join(rows)}</table>" if kind == "table" else f"<ul class='list'>{''.join(rows)}</ul>"
    return (f"<html><head><meta charset='{'gbk' if 'gbk' in kind else 'utf-8'}'><title>{name}</title></head><body>"
            f"<div class='position'>当前位置：首页 &gt; {name}</div><h2>{name}</h2>{body}</body></html>")


def _site(bases: dict[str, str]) -> dict[str, Host]:
    host = Host()
    nav = "".join(f'<li><a href="{p}">{n}</a></li>' for p, (n, _, _) in COLUMNS.items())
    nav += "".join(f'<li><a href="{p}">{n}</a></li>' for p, n in BLANK.items())
    nav += '<li><a href="/hdjl/">领导信箱</a></li><li><a href="/bszn/">办事指南</a></li>'
    news = "".join(f'<li><a href="/gzdt/2021/a{n}.html">工作动态第{n}条信息标题</a><span>{D(14 + 7 * n)}</span></li>'
                   for n in range(3))
    host.add("/", Route(f"<html><head><title>测试县人民政府</title></head><body><div class='nav'><ul>{nav}</ul></div>"
                        f"<div class='news'><h3>工作动态</h3><ul>{news}</ul></div></body></html>"))
    for path, (name, kind, newest) in COLUMNS.items():
        page = _list_page(name, path, kind, newest)
        host.add(path, Route(page.encode("gbk") if "gbk" in kind else page, content_type=GBK if "gbk" in kind
                             else "text/html; charset=utf-8"))
        for n in range(6):
            host.add(f"{path}2021/a{n}.html", Route(f"<html><title>{name}{n}</title><body><p>正文</p></body></html>"))
    for path, name in BLANK.items():
        host.add(path, Route(f"<html><title>{name}</title><body><h2>{name}</h2><div class='list'>暂无信息</div></body></html>"))
    host.add("/hdjl/", Route(
        "<html><title>领导信箱</title><body><table><tr><th>标题</th><th>留言时间</th><th>状态</th></tr>"
        f"<tr><td><a href='/hdjl/1.html'>关于小区供暖问题的咨询</a></td><td>{D(120)}</td><td>未回复</td></tr>"
        f"<tr><td><a href='/hdjl/2.html'>关于公交线路调整的建议</a></td><td>{D(100)}</td><td>已回复</td></tr>"
        f"<tr><td><a href='/hdjl/3.html'>关于学校招生政策的咨询</a></td><td>{D(30)}</td><td>未回复</td></tr>"
        "</table></body></html>"))
    for n in (1, 2, 3):
        host.add(f"/hdjl/{n}.html", Route(f"<html><title>留言{n}</title><body><p>留言内容</p></body></html>"))
    guide_rows = "<tr><th>事项名称</th><td>{n}</td></tr><tr><th>申请条件</th><td>符合条件的申请人</td></tr><tr><th>办理地点</th><td>政务服务中心</td></tr>"
    links = "".join(f"<li><a href='/bszn/{n}.html'>办事指南第{n}项事项办理</a></li>" for n in range(5))
    host.add("/bszn/", Route(f"<html><title>办事指南</title><body><ul class='list'>{links}</ul></body></html>"))
    for n in range(5):
        host.add(f"/bszn/{n}.html", Route(f"<html><title>办事指南{n}</title><body><h1>办事指南第{n}项事项办理</h1>"
                                          f"<table>{guide_rows.format(n=f'事项{n}')}</table></body></html>"))
    return {"site": host}


@pytest.fixture(scope="module")
def result() -> dict:
    settings = load_settings(environ={"GOVMON_CRAWL__OBEY_ROBOTS": "false", "GOVMON_CRAWL__RETRIES": "0"})
    with serve_world(_site, ["site"]) as web:
        site = Site(id="1499990001", name="测试县人民政府", url=web.url("site", "/"), kind="portal")

        async def crawl():  # type: ignore[no-untyped-def]
            async with Fetcher(settings.crawl, settings.links) as fetcher:
                return await crawl_site(site, settings=settings, fetcher=fetcher,
                                        linkchecker=LinkChecker(fetcher, settings.links), as_of=AS_OF)

        import asyncio

        snap = asyncio.run(crawl())
        out = judge_site(site, snap, period=Period.for_as_of(AS_OF), settings=settings)
        base = web.url("site", "")
    return {"out": out, "base": base}


def _by(result: dict, check: str) -> list[dict]:
    return [f for f in result["out"]["findings"] if f["check"] == check and not f.get("near_miss")]


def test_stale_columns_follow_each_kinds_window_and_every_date_form(result: dict) -> None:
    base = result["base"]
    stale = sorted((f["column"], f["kind"], f["last_update"], f["url"].removeprefix(base)) for f in _by(result, "stale_column"))
    assert stale == [
        ("县区动态", "news", D(20).isoformat(), "/xqdt/"),
        ("图片新闻", "news", None, "/tpxw/"),
        ("政策文件", "policy", D(200).isoformat(), "/zcwj/"),
        ("部门动态", "news", D(15).isoformat(), "/bmdt/"),
    ]


def test_blank_columns_unanswered_messages_and_guides_are_found(result: dict) -> None:
    base = result["base"]
    assert sorted(f["column"] for f in _by(result, "empty_column")) == ["营商环境", "重点项目"]
    assert [(f["url"].removeprefix(base), f["asked"]) for f in _by(result, "interaction_unanswered")] == \
        [("/hdjl/1.html", D(120).isoformat())]
    guides = _by(result, "service_guide_incomplete")
    assert len(guides) == 5 and all(len(f["missing"]) == 7 for f in guides)


def test_the_home_page_updated_14_days_ago_is_not_stale_and_the_verdict_explains_the_vetoes(result: dict) -> None:
    assert _by(result, "stale_homepage") == []
    assert result["out"]["verdict"] == "fail"
    assert result["out"]["reason"].startswith("不合格：单项否决——")
    assert "留言" in result["out"]["reason"] and "办事指南" in result["out"]["reason"]
