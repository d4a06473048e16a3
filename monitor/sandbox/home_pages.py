"""Home pages as real sites serve them, for the served-page tests of "could not read" vs "fault".

Every site here is *healthy* — fresh home list and columns, an answered message board, a service
column, no dead link — so the only thing a test varies is how the home page or one column is
served:

* ``badge_safedog`` / ``badge_cyd`` — a footer security badge (本站已启用“安全狗”网站防火墙防护 /
  知道创宇云防御（创宇盾）): read normally, pass with 100.
* ``down`` — nothing listens: not inspected.
* ``plain`` → ``secure`` — the root redirects http → https (``secure`` is served over TLS by the
  test); ``cross`` → ``other`` — the root redirects to another host's ``/portal/index.html``.
* ``meta`` — the root is ``<meta http-equiv="refresh" content="0;url=/portal/">``;
  ``jsstub`` — the root is a one-line ``window.location.href="/index/index.html"`` script.
* ``shell`` — the home page is a single-page-app shell (``<div id="app"></div>`` + a bundle).
* ``ajaxcol`` — one column's list is ``<ul id="list"></ul>`` filled by ``$.ajax``;
  ``wafcol`` — one column answers with a 安全狗 challenge page (200, Safedog headers).
The 领导信箱 channel is an image link (``<a><img alt="领导信箱"></a>``), never link text.
"""

from __future__ import annotations

from datetime import date, timedelta

from monitor.sandbox.firewall_pages import BLOCK_PAGES
from monitor.sandbox.server import Host, Route

AS_OF = date(2021, 8, 31)
BADGES = {"safedog": "本站已启用“安全狗”网站防火墙防护", "cyd": "本站已启用知道创宇云防御（创宇盾）安全防护"}
KEYS = ["badge_safedog", "badge_cyd", "plain", "secure", "cross", "other", "meta", "jsstub", "shell", "ajaxcol",
        "wafcol"]
DEAD = ("down",)
#: Host keys the test serves over TLS.
TLS_KEYS = ("secure",)
COLUMNS = [("工作动态", "gzdt", 3), ("通知公告", "tzgg", 40), ("政策文件", "zcwj", 60)]
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")


def _day(days: int) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


def _page(title: str, body: str, prefix: str, footer: str = "") -> str:
    nav = "".join(f'<li><a href="{prefix}/{path}/">{name}</a></li>' for name, path, _ in COLUMNS)
    nav += f'<li><a href="{prefix}/bsfw/">办事服务</a></li>'
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<div class="header"><div class="nav"><ul><li><a href="{prefix}/">首页</a></li>{nav}</ul></div></div>'
            f'<div class="main">{body}</div>'
            f'<div class="footer"><p>主办单位：示范县人民政府办公室 网站标识码：1499000001</p><p>{footer}</p></div>'
            '</body></html>')


def _rows(prefix: str, path: str, newest: int, n: int = 4) -> list[tuple[str, str, str]]:
    return [(f"{prefix}/{path}/2021/t{newest + 9 * i}.html", f"关于做好第{i + 1}项重点工作的情况说明", _day(newest + 9 * i))
            for i in range(n)]


def _list(rows: list[tuple[str, str, str]]) -> str:
    return '<ul class="list">' + "".join(f'<li><a href="{h}">{t}</a><span>{d}</span></li>' for h, t, d in rows) + "</ul>"


def healthy(prefix: str = "", footer: str = "", *, column: dict[str, Route] | None = None) -> dict[str, Route]:
    """A healthy county site under ``prefix`` (its home page is ``prefix + "/"``); ``column``
    replaces the routes of named column paths (e.g. a script-filled or challenged column)."""
    routes: dict[str, Route] = {}
    news = _rows(prefix, "gzdt", 3, 5)
    home = (f'<div class="news"><h3><a href="{prefix}/gzdt/">工作动态</a></h3>{_list(news)}</div>'
            f'<div class="banner"><a href="{prefix}/hdjl/"><img src="{prefix}/images/ldxx.png" alt="领导信箱"></a></div>')
    routes[f"{prefix}/"] = Route(_page("示范县人民政府", home, prefix, footer))
    for name, path, newest in COLUMNS:
        rows = _rows(prefix, path, newest)
        routes[f"{prefix}/{path}/"] = Route(_page(name, f"<h2>{name}</h2>{_list(rows)}", prefix, footer))
        for href, title, day in rows + (news if path == "gzdt" else []):
            routes[href] = Route(_page(title, f'<h1>{title}</h1><p>发布时间：{day}</p><p>为进一步做好相关工作，现将有关情况说明如下。</p>',
                                       prefix, footer))
    board = "".join(f'<tr><td><a href="{prefix}/hdjl/{i}.html">关于小区道路维修的咨询{i}</a></td><td>{_day(20 + 30 * i)}</td>'
                    f'<td>已回复</td></tr>' for i in range(3))
    routes[f"{prefix}/hdjl/"] = Route(_page("领导信箱", f"<h2>领导信箱</h2><table>{board}</table>", prefix, footer))
    for i in range(3):
        routes[f"{prefix}/hdjl/{i}.html"] = Route(_page("留言", f"<p>留言时间：{_day(20 + 30 * i)}</p><p>答复：已处理。</p>",
                                                         prefix, footer))
    routes[f"{prefix}/bsfw/"] = Route(_page("办事服务", "<h2>办事服务</h2><p>请登录省政务服务网办理相关事项。</p>", prefix, footer))
    routes[f"{prefix}/images/ldxx.png"] = Route(PNG, content_type="image/png")
    routes.update(column or {})
    return routes


SCRIPT_COLUMN = Route(
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>工作动态</title></head><body>'
    '<div class="nav"><a href="/">首页</a></div><h2>工作动态</h2><ul id="list"></ul><div id="page"></div>'
    '<script>$.ajax({url: "/api/list?channel=gzdt", dataType: "json", success: function (d) {'
    ' $("#list").html(d.items.map(function (i) { return "<li>" + i.title + "</li>"; }).join("")); }});</script>'
    '</body></html>')


def _stub(target: str, *, meta: bool) -> Route:
    if meta:
        return Route(f'<html><head><meta http-equiv="refresh" content="0;url={target}"></head><body></body></html>')
    return Route(f'<html><head><script>window.location.href="{target}";</script></head><body></body></html>')


def build_home_world(bases: dict[str, str]) -> dict[str, Host]:
    """World builder for ``serve_world(build_home_world, KEYS, dead=DEAD, tls=...)``."""
    safedog = BLOCK_PAGES["safedog"]
    challenge = Route(safedog.body, status=safedog.status, headers=dict(safedog.headers))
    shell = Route('<!DOCTYPE html><html><head><meta charset="utf-8"><title>示范县人民政府</title>'
                  '<script src="/static/js/chunk-vendors.3f2a.js"></script><script src="/static/js/app.8d1e.js"></script>'
                  '</head><body><noscript>请启用JavaScript</noscript><div id="app"></div></body></html>')
    return {
        "badge_safedog": Host(routes=healthy(footer=BADGES["safedog"])),
        "badge_cyd": Host(routes=healthy(footer=BADGES["cyd"])),
        "plain": Host(routes={"/": Route("", status=301, location=bases["secure"] + "/")}),
        "secure": Host(routes=healthy()),
        "cross": Host(routes={"/": Route("", status=302, location=bases["other"] + "/portal/index.html")}),
        "other": Host(routes={**healthy("/portal"), "/portal/index.html": healthy("/portal")["/portal/"]}),
        "meta": Host(routes={"/": _stub("/portal/", meta=True), **healthy("/portal")}),
        "jsstub": Host(routes={"/": _stub("/index/index.html", meta=False), **healthy("/index"),
                               "/index/index.html": healthy("/index")["/index/"]}),
        "shell": Host(routes={"/": shell}),
        "ajaxcol": Host(routes=healthy(column={"/gzdt/": SCRIPT_COLUMN})),
        "wafcol": Host(routes=healthy(column={"/tzgg/": challenge})),
    }
