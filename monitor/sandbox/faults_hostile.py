"""The fault world's hostile county site: what real sites do to a checker, with exact answers.

``county`` — a small county site configured like nginx's ``error_page 404 =200`` (every unknown
path answers 200 with the site's "page not found" HTML). Its home page is short, carries firewall
badges (安全狗, 360网站卫士, 创宇盾) in its footer and "页面不存在" in a link text, and must be
crawled normally. ``/jb/`` links the cases:

* an article that talks about missing pages (发布时间, 来源, sentences): ok;
* ``/files/plan.xls`` (a real file): ok; ``/files/missing.xls`` (the 200 not-found page): dead soft_404;
* a 302 without Location: dead (``redirect``); a 302 to ``weixin://``: skipped (``app_scheme``);
* a session-id trap (``;jsessionid=…?sid=…&_t=…`` minted afresh on every page): a handful of requests;
* a brotli bomb (~100 bytes → 64 MB) and a gzip bomb (~64 KB → 64 MB): read to a bounded prefix;
* a response whose Content-Length is shorter than its body: read as sent, ok;
* block pages of eight WAF vendors (``monitor.sandbox.firewall_pages``): blocked;
* a normal page with all eight vendors' badges in its footer: ok.

Expected findings: ``COUNTY_DEAD`` / ``COUNTY_BLOCKED`` (merged into faults.EXPECTED_*).
"""

from __future__ import annotations

import functools
import itertools
import re
import zlib

import brotli

from monitor.sandbox.firewall_pages import BADGE_IMAGES, BADGES, BLOCK_PAGES
from monitor.sandbox.server import Route

COUNTY = "county"
BOMB_BYTES = 64 * 1024 * 1024
TRAP_PAGES = ("a", "b", "c", "d", "e")
NOT_FOUND_PAGE = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>提示信息</title></head><body>'
                  '<div class="top"><a href="/">示范县人民政府</a></div>'
                  '<div class="error"><h2>抱歉，您访问的页面不存在或已被删除！</h2><p>请检查网址，或<a href="/">返回首页</a>。</p>'
                  '</div></body></html>')
_counter = itertools.count(1)


def county_page(title: str, body: str, footer: str = "") -> str:
    """A short county page: three links of navigation, the body, a footer (badges go there)."""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            '<div class="head"><h1>示范县人民政府</h1><ul class="nav"><li><a href="/">首页</a></li>'
            '<li><a href="/jb/">网站普查</a></li><li><a href="/about.html">关于本站</a></li></ul></div>'
            f'<div class="content">{body}</div><div class="footer">{footer}<p>示范县人民政府办公室 主办</p></div>'
            '</body></html>')


@functools.lru_cache(maxsize=1)
def bombs() -> tuple[bytes, bytes]:
    """(brotli, gzip) bodies that decode to 64 MB of spaces each (made once per process, streamed:
    the 64 MB never exist in memory here either)."""
    chunk = b" " * 1_048_576
    br, gz = brotli.Compressor(quality=5), zlib.compressobj(9, zlib.DEFLATED, 31)
    br_parts, gz_parts = [], []
    for _ in range(BOMB_BYTES // len(chunk)):
        br_parts.append(br.process(chunk))
        gz_parts.append(gz.compress(chunk))
    return b"".join(br_parts) + br.finish(), b"".join(gz_parts) + gz.flush()


def short_content_length() -> bytes:
    """A 200 whose Content-Length (the page's first 200 bytes) is shorter than the body it sends."""
    body = county_page("办事指南", "<p>" + "本页面的内容长度标注错误，但浏览器照常显示。" * 20 + "</p>").encode()
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 200\r\n"
            b"Connection: close\r\n\r\n" + body)


def county_routes(bases: dict[str, str]) -> dict[str, Route]:
    """Every path the county site answers as itself (anything else: its 200 not-found page)."""
    portal = bases["portal"]
    badges = "".join(BADGES[k] for k in ("safedog", "wzws360", "chuangyudun"))
    home = county_page("示范县人民政府", '<p>欢迎访问示范县人民政府网站。</p>'
                       '<p><a href="/jb/">举报页面不存在、链接打不开等问题</a></p>',
                       footer=f"<p>本站由网站安全狗、360网站卫士、创宇盾提供安全防护</p>{badges}")
    cases = [("/art/2021/8/25/art_7_1.html", "关于政府网站普查情况的通报"), ("/files/plan.xls", "工作任务表"),
             ("/files/missing.xls", "已删除的任务表"), ("/go/nowhere.html", "旧版入口"), ("/go/app.html", "微信小程序"),
             ("/app/index.jsp;jsessionid=0A1B2C3D4E5F60718293A4B5C6D7E8F9", "网上办事"),
             ("/bomb/br.html", "统计数据"), ("/bomb/gz.html", "统计年鉴"), ("/guide/short-cl.html", "办事指南"),
             *((f"/fw/{key}.html", f"在线申报{i}") for i, key in enumerate(sorted(BLOCK_PAGES), 1)),
             (f"{portal}/", "示范市人民政府")]
    jb = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in cases)
    article = ('<div class="info">发布时间：2021-08-25 10:00　来源：县政府办公室</div>'
               '<p>此次普查重点检查链接不可用、页面不存在、栏目不更新等问题。各单位要对照问题清单，逐项整改到位。</p>'
               '<h2>二、页面不存在问题</h2><p>个别网站存在“页面不存在”“该信息已删除”的情况，已督促整改。</p>'
               '<p>下一步，将定期开展检查，确保网站内容准确、链接可用。</p>')
    br, gz = bombs()
    routes = {
        "/": Route(home),
        "/jb/": Route(county_page("网站普查", f'<ul class="list">{jb}</ul>')),
        "/about.html": Route(county_page("关于本站", "<p>本站由示范县人民政府办公室主办。</p>",
                                         footer="".join(BADGES.values()))),
        "/art/2021/8/25/art_7_1.html": Route(county_page("关于政府网站普查情况的通报",
                                                         "<h1>关于政府网站普查情况的通报</h1>" + article)),
        "/files/plan.xls": Route(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1fake-xls", content_type="application/vnd.ms-excel"),
        "/go/nowhere.html": Route("", status=302),
        "/go/app.html": Route("", status=302, location="weixin://dl/business/?t=govmon"),
        "/bomb/br.html": Route(br, headers={"Content-Encoding": "br"}),
        "/bomb/gz.html": Route(gz, headers={"Content-Encoding": "gzip"}),
        "/guide/short-cl.html": Route(raw=short_content_length()),
    }
    for image in BADGE_IMAGES:
        routes[image] = Route(b"\x89PNG\r\n\x1a\nbadge", content_type="image/png")
    for key, block in BLOCK_PAGES.items():
        routes[f"/fw/{key}.html"] = Route(block.body, status=block.status, headers=dict(block.headers))
    return routes


def county_fallback(path_qs: str) -> Route | None:
    """The session trap under /app/ (fresh ids on every answer), else the site's 200 not-found page."""
    match = re.match(r"^/app/(\w+)\.jsp(;jsessionid=\w+)?(\?.*)?$", path_qs)
    if match:
        n = next(_counter)
        links = "".join(f'<li><a href="/app/{name}.jsp;jsessionid={n:08d}{name.upper() * 8}0A1B2C3D'
                        f'?sid=S{n:07d}ABCDEFGHIJKLMNOP&amp;_t={1629792000000 + n}">{name}</a></li>'
                        for name in TRAP_PAGES)
        return Route(county_page("网上办事", f'<ul class="list">{links}</ul>'))
    return Route(NOT_FOUND_PAGE)
