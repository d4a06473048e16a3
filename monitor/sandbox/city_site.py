"""Build one simulated government site as it stands at an as-of date: every route it serves."""

from __future__ import annotations

from datetime import date
from html import escape

from monitor.sandbox.city_columns import ColumnSpec, children, initials, site_columns
from monitor.sandbox.city_faults import BrokenLink, site_faults
from monitor.sandbox.city_markup import Skin, pager
from monitor.sandbox.city_pages import (
    Links,
    article_body,
    crumbs,
    footer,
    friend_links,
    header,
    home_block,
    listing,
    other_sites,
    page,
    side_nav,
)
from monitor.sandbox.city_services import service_routes
from monitor.sandbox.city_text import body, h, wording_sentence
from monitor.sandbox.city_timeline import Item, column_items
from monitor.sandbox.city_units import CitySite
from monitor.sandbox.server import Host, Route

SOFT_404 = ('<html><head><title>提示信息</title></head><body><div class="error"><p>您访问的页面不存在或已被删除！</p>'
            '<p><a href="/index.html">返回首页</a></p></div></body></html>')


class SiteBuilder:
    """Collects the routes of one site at ``as_of``."""

    def __init__(self, site: CitySite, as_of: date, base: str, links: Links, dead_base: str) -> None:
        self.site, self.as_of, self.base, self.links, self.dead_base = site, as_of, base, links, dead_base
        self.columns = site_columns(site, as_of)
        self.skin = Skin(site, tuple(self.columns))
        self.faults = site_faults(site.id)
        self.routes: dict[str, Route] = {}
        self.frame = (header(self.skin, links), footer(self.skin, links))
        self._items: dict[str, list[Item]] = {}
        self.charset = {"utf-8": "utf-8", "gbk": "gbk", "gbk-meta": "gbk"}[site.encoding]
        if site.id.startswith("140303"):
            self.charset = "gb2312"

    # routes -------------------------------------------------------------------------
    def html(self, path: str, title: str, main: str, meta: dict[str, str] | None = None) -> None:
        text = page(self.skin, self.base, self.frame, title, main, meta or {}, self.charset)
        ctype = "text/html" if self.site.encoding == "gbk-meta" else f"text/html; charset={self.charset}"
        encoding = "utf-8" if self.charset == "utf-8" else "gbk"
        self.routes[path] = Route(text, content_type=ctype, encoding=encoding)

    def asset(self, path: str, body: bytes, ctype: str) -> None:
        self.routes[path] = Route(body, content_type=ctype)

    def active(self, link: BrokenLink) -> bool:
        return link.since <= self.as_of and (link.until is None or self.as_of < link.until)

    def fault_href(self, link: BrokenLink) -> str:
        slug = "".join(ch for ch in initials(link.label) if ch.isascii() and ch.isalnum())[:8] or "old"
        if link.how == "external":
            return f"{self.dead_base}/{slug}/"
        if link.how == "soft404":
            path = f"/zt/{slug}/index.html"
            self.routes[path] = Route(SOFT_404, content_type="text/html; charset=utf-8")
            return path
        return f"/old/{slug}/index.html"

    # columns ----------------------------------------------------------------------
    def per_page(self) -> int:
        return 6 if self.site.kind == "portal" else 5

    def items(self, col: ColumnSpec) -> list[Item]:
        """The column's listed items: two pages for a portal's lead news column, one page for
        news/notices/policies, a short list for the rarely updated ones."""
        if col.name not in self._items:
            lead = self.site.kind == "portal" and col is next(c for c in self.columns if c.role == "news")
            limit = self.per_page() * (2 if lead else 1) if col.role in ("news", "notice", "policy") else 3
            self._items[col.name] = column_items(self.site, col, self.as_of, limit)
        return self._items[col.name]

    def column(self, col: ColumnSpec) -> None:
        if col.role == "parent":
            self.landing(col)
            return
        if col.role in ("service", "interaction"):
            return
        items = self.items(col)
        size = self.per_page()
        pages = max(1, -(-len(items) // size))
        meta = {"ColumnName": col.name, "ColumnType": col.name, "ColumnDescription": f"{self.site.name}{col.name}"}
        for n in range(pages):
            chunk = items[n * size:(n + 1) * size]
            rows = [(self.skin.doc_url(col, it.day, it.uid), it.title, it.day) for it in chunk]
            content = listing(self.skin, col, rows) if rows else '<div class="no-data">暂无信息</div>'
            main = (crumbs(self.skin, col) + side_nav(self.skin, col) + f'<div class="right"><h2>{escape(col.name)}</h2>'
                    + content + pager(self.skin, col, n, pages) + "</div>")
            self.html(self.skin.list_url(col, n), f"{col.name}_{self.site.name}", main, meta)
            if n == 0:
                self.routes[self.skin.col_path(col)] = self.routes[self.skin.list_url(col, 0)]
        for it in items:
            self.article(col, it, newest=it is items[0])

    def article(self, col: ColumnSpec, it: Item, newest: bool) -> None:
        paragraphs = body(self.site, col.name, it.day.isoformat(), 2 + h(it.uid) % 3)
        for slip in self.faults.wording:
            if slip.column == col.name and it == self.first_since(col, slip.since):
                paragraphs.insert(1, wording_sentence(self.site, slip.wrong))
        extras = self.attachments(col, it) + (self.related(col) if newest else "")
        main = article_body(self.skin, col, it.title, it.day, it.clock, paragraphs, extras)
        meta = {"ArticleTitle": it.title, "PubDate": f"{it.day:%Y-%m-%d} {it.clock}", "ContentSource": self.site.short,
                "ColumnName": col.name}
        self.html(self.skin.doc_url(col, it.day, it.uid), it.title, main, meta)

    def first_since(self, col: ColumnSpec, since: date) -> Item | None:
        later = [it for it in self.items(col) if it.day >= since]
        return later[-1] if later else None

    def attachments(self, col: ColumnSpec, it: Item) -> str:
        if col.role not in ("policy", "notice") or h(it.uid, "att") % 2:
            return ""
        ext = ("pdf", "doc", "xls")[h(it.uid, "ext") % 3]
        path = self.skin.attachment_url(col, it.day, it.uid, ext)
        self.asset(path, b"%PDF-1.4 simulated attachment\n" if ext == "pdf" else b"\xd0\xcf\x11\xe0 simulated\n",
                   {"pdf": "application/pdf", "doc": "application/msword", "xls": "application/vnd.ms-excel"}[ext])
        return f'<div class="fj"><p>附件：<a href="{path}">{escape(it.title)}.{ext}</a></p></div>\n'

    def related(self, col: ColumnSpec) -> str:
        """Faulty links of the site live on the newest article of its first policy column."""
        first_policy = next((c for c in self.columns if c.role == "policy"), None)
        if first_policy is None or col.name != first_policy.name:
            return ""
        out = []
        for link in self.faults.links:
            if link.where != "article" or not self.active(link):
                continue
            if link.how == "attachment":
                out.append(f'<p>附件：<a href="{self.skin.col_path(col)}P0{h(link.label) % 10**9}.doc">'
                           f"{escape(link.label)}</a></p>")
            else:
                out.append(f'<p>相关链接：<a href="{self.fault_href(link)}">{escape(link.label)}</a></p>')
        return f'<div class="related">{"".join(out)}</div>\n' if out else ""

    def landing(self, col: ColumnSpec) -> None:
        blocks = []
        for sub in children(self.columns, col.name):
            if sub.role in ("service", "interaction", "interview", "survey"):
                blocks.append(f'<div class="block"><h3><a href="{self.skin.col_path(sub)}">{escape(sub.name)}</a></h3>'
                              f'<p><a href="{self.skin.col_path(sub)}">进入{escape(sub.name)}</a></p></div>')
                continue
            rows = [(self.skin.doc_url(sub, it.day, it.uid), it.title, it.day) for it in self.items(sub)[:3]]
            blocks.append(home_block(self.skin, sub, rows) if rows else
                          f'<div class="block"><h3><a href="{self.skin.col_path(sub)}">{escape(sub.name)}</a></h3></div>')
        main = crumbs(self.skin, col) + side_nav(self.skin, col) + '<div class="right">' + "".join(blocks) + "</div>"
        self.html(self.skin.list_url(col, 0), f"{col.name}_{self.site.name}", main, {"ColumnName": col.name})
        self.routes[self.skin.col_path(col)] = self.routes[self.skin.list_url(col, 0)]

    # home and the rest ----------------------------------------------------------------
    def home(self) -> None:
        blocks = []
        news = [c for c in self.columns if c.role == "news" and c.on_home]
        pictures = [it for c in news[:1] for it in self.items(c)[:3]]
        slides = "".join(f'<li><a href="{self.skin.doc_url(news[0], it.day, it.uid)}" target="_blank">'
                         f'<img src="/images/slide{i}.jpg" alt="{escape(it.title)}"><p>{escape(it.title)}</p></a></li>'
                         for i, it in enumerate(pictures))
        for col in (c for c in self.columns if c.on_home):
            rows = [(self.skin.doc_url(col, it.day, it.uid), it.title, it.day) for it in self.items(col)[:7]]
            blocks.append(home_block(self.skin, col, rows))
        for link in self.faults.links:
            if link.where == "home" and self.active(link):
                self.links.extra_home.append((link.label, self.fault_href(link)))
        main = (f'<div class="slide"><ul>{slides}</ul></div>\n' + "".join(blocks) + other_sites(self.links)
                + friend_links(self.links))
        meta = {"ColumnName": "首页", "Description": f"{self.site.name}门户网站"}
        self.html("/index.html", self.site.name, main, meta)
        self.routes["/"] = self.routes["/index.html"]

    def build(self) -> Host:
        for col in self.columns:
            self.column(col)
        self.routes.update(service_routes(self))
        self.home()
        self.statics()
        return Host(routes=self.routes)

    def statics(self) -> None:
        tree = "".join(f'<li><a href="{self.skin.col_path(c)}">{escape(c.name)}</a><ul>' + "".join(
            f'<li><a href="{self.skin.col_path(s)}">{escape(s.name)}</a></li>' for s in children(self.columns, c.name))
            + "</ul></li>" for c in self.columns if c.parent is None)
        self.html(self.skin.sitemap_url(), f"网站地图_{self.site.name}", crumbs(self.skin, None, "网站地图")
                  + f'<div class="sitemap"><ul>{tree}</ul></div>')
        self.html("/lxwm/index.html", f"联系我们_{self.site.name}", crumbs(self.skin, None, "联系我们")
                  + f"<p>主办单位：{escape(self.site.owner)}</p><p>地址：山西省阳泉市</p>")
        self.asset("/images/style.css", b"body{font-family:SimSun,serif;margin:0}.nav-ul li{display:inline}\n", "text/css")
        self.asset("/images/red.png", b"\x89PNG\r\n\x1a\n simulated", "image/png")
        for i in range(3):
            self.asset(f"/images/slide{i}.jpg", b"\xff\xd8\xff\xe0 simulated", "image/jpeg")
        robots = "User-agent: *\nDisallow: /search/\nDisallow: /module/\n"
        if h(self.site.id, "robots") % 4:
            self.routes["/robots.txt"] = Route(robots, content_type="text/plain; charset=utf-8")
