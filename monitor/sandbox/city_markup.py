"""URL schemes and HTML fragments of the two CMS families the simulated sites run.

``trs``: TRS WCM-like — directory columns (``/zwgk/tzgg/``), paged lists ``index_1.html``,
articles ``./202108/t20210825_123456.html``, ``TRS_Editor`` bodies, a ``createPageHTML`` pager.
``hanweb``: 大汉-like — ``/col/col1234/index.html`` columns, ``?uid=..&pageNum=2`` pages,
``/art/2021/8/25/art_1234_567890.html`` articles, ``bt-data-time`` dates, ``#zoom`` bodies.
Each site also picks a date form and a list layout (ul/li or table rows) from its id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from monitor.sandbox.city_columns import ColumnSpec
from monitor.sandbox.city_text import h
from monitor.sandbox.city_units import CitySite

DATE_FORMS = ("iso", "bracket", "slash", "cn")
#: 大汉 sites whose column lists come as jpage ``<datastore>`` CDATA records inside a script.
DATASTORE_SITES = frozenset({"1403000009", "1403000016"})


def show_date(day: date, form: str) -> str:
    """A date as the site prints it in lists."""
    return {
        "iso": f"{day:%Y-%m-%d}",
        "bracket": f"[{day:%Y-%m-%d}]",
        "slash": f"{day:%Y/%m/%d}",
        "cn": f"{day.year}年{day.month:02d}月{day.day:02d}日",
        "md": f"{day:%m-%d}",
    }[form]


@dataclass(frozen=True, slots=True)
class Skin:
    """How one site builds URLs and lists."""

    site: CitySite
    columns: tuple[ColumnSpec, ...]

    @property
    def cms(self) -> str:
        return self.site.cms

    @property
    def list_form(self) -> str:
        if self.site.id in DATASTORE_SITES:
            return "datastore"
        return "table" if h(self.site.id, "list-form") % 3 == 0 else "ul"

    @property
    def date_form(self) -> str:
        return DATE_FORMS[h(self.site.id, "date-form") % len(DATE_FORMS)]

    @property
    def home_date_form(self) -> str:
        return "md" if h(self.site.id, "home-date") % 3 == 0 else self.date_form

    def parent_of(self, col: ColumnSpec) -> ColumnSpec | None:
        return next((c for c in self.columns if c.name == col.parent), None)

    def col_path(self, col: ColumnSpec) -> str:
        if self.cms == "hanweb":
            return f"/col/col{col.code}/"
        parent = self.parent_of(col)
        return f"/{parent.slug}/{col.slug}/" if parent else f"/{col.slug}/"

    def list_url(self, col: ColumnSpec, page: int = 0) -> str:
        """Path (with query) of list page ``page`` (0 = first)."""
        base = self.col_path(col) + "index.html"
        if page == 0:
            return base
        return f"{base}?uid={col.code * 7}&pageNum={page + 1}" if self.cms == "hanweb" else \
            f"{self.col_path(col)}index_{page}.html"

    def doc_url(self, col: ColumnSpec, day: date, uid: int) -> str:
        if self.cms == "hanweb":
            return f"/art/{day.year}/{day.month}/{day.day}/art_{col.code}_{uid}.html"
        return f"{self.col_path(col)}{day:%Y%m}/t{day:%Y%m%d}_{uid}.html"

    def attachment_url(self, col: ColumnSpec, day: date, uid: int, ext: str) -> str:
        if self.cms == "hanweb":
            return f"/attach/0/{uid:x}{day:%d}.{ext}"
        return f"{self.col_path(col)}{day:%Y%m}/P0{day:%Y%m%d}{uid}.{ext}"

    def link_from_list(self, col: ColumnSpec, target: str) -> str:
        """TRS lists link relatively (``./202108/...``); 大汉 lists use root paths."""
        prefix = self.col_path(col)
        if self.cms == "trs" and target.startswith(prefix):
            return "./" + target[len(prefix):]
        return target

    def sitemap_url(self) -> str:
        return "/wzdt/index.html" if self.cms == "trs" else "/col/col9/index.html"

    def write_url(self, col: ColumnSpec) -> str:
        return f"{self.col_path(col)}write.html" if self.cms == "trs" else \
            f"/module/idea/que_add.jsp?webid=1&columnid={col.code}"


def list_rows(skin: Skin, col: ColumnSpec, rows: list[tuple[str, str, date | None]], form: str | None = None) -> str:
    """A list of (href, title, date) in the site's layout; ``date`` None prints no date."""
    form = form or skin.list_form
    dform = skin.date_form
    if form == "table":
        cells = "".join(
            f'<tr><td class="xh">{i}</td><td class="bt"><a href="{escape(href)}" target="_blank" title="{escape(t)}">'
            f'{escape(t)}</a></td><td class="rq">{show_date(d, dform) if d else ""}</td></tr>\n'
            for i, (href, t, d) in enumerate(rows, 1))
        return f'<table class="gl_list" width="100%" cellspacing="0"><tbody>\n{cells}</tbody></table>'
    if form == "datastore":
        return _datastore(col, [(href, t, show_date(d, dform) if d else "") for href, t, d in rows])
    span = "bt-data-time" if skin.cms == "hanweb" else "date"
    lis = "".join(
        f'<li><a href="{escape(href)}" target="_blank" title="{escape(t)}">{escape(t)}</a>'
        + (f'<span class="{span}">{show_date(d, dform)}</span>' if d else "") + "</li>\n"
        for href, t, d in rows)
    cls = "default_pgContainer" if skin.cms == "hanweb" else "list-ul"
    return f'<div class="{cls}"><ul>\n{lis}</ul></div>'


def _datastore(col: ColumnSpec, rows: list[tuple[str, str, str]]) -> str:
    """大汉 jpage: the rows as CDATA records that the page's script renders in the browser."""
    records = "".join(f'<record><![CDATA[<li><a href="{escape(href)}" target="_blank" title="{escape(t)}">{escape(t)}'
                      f'</a><span class="bt-data-time">{d}</span></li>]]></record>\n' for href, t, d in rows)
    unit = col.code * 3 + 1
    proxy = f"/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid={col.code}&unitid={unit}&permissiontype=0"
    return (f'<div id="{unit}" class="default_pgContainer"><script type="text/xml"><datastore>'
            f'<nextgroup><![CDATA[<a href="{proxy}"></a>]]></nextgroup>\n<recordset>\n{records}</recordset>'
            f'</datastore></script></div>')


def pager(skin: Skin, col: ColumnSpec, page: int, pages: int) -> str:
    """The page navigation under a list (TRS: script plus its rendered links; 大汉: static links)."""
    if pages <= 1:
        return '<div class="page">共1页</div>'
    links = []
    if page > 0:
        links.append(f'<a href="{escape(skin.list_url(col, 0))}">首页</a>')
        links.append(f'<a href="{escape(skin.list_url(col, page - 1))}">上一页</a>')
    if page < pages - 1:
        links.append(f'<a href="{escape(skin.list_url(col, page + 1))}">下一页</a>')
        links.append(f'<a href="{escape(skin.list_url(col, pages - 1))}">尾页</a>')
    script = ""
    if skin.cms == "trs":
        script = (f'<script type="text/javascript">var countPage = {pages};var currentPage = {page};'
                  f'createPageHTML(countPage, currentPage, "index", "html");</script>')
    return f'<div class="page">{script}共{pages}页 {" ".join(links)}</div>'
