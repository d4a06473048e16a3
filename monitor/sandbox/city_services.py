"""The 互动交流 mailbox (message list, message pages, the write form) and 办事指南 of a site."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Protocol

from monitor.sandbox.city_columns import ColumnSpec
from monitor.sandbox.city_faults import SiteFaults
from monitor.sandbox.city_markup import Skin, pager, show_date
from monitor.sandbox.city_pages import crumbs, side_nav
from monitor.sandbox.city_text import GUIDE_ELEMENTS, pick
from monitor.sandbox.city_timeline import CityMessage, Guide, guides, messages
from monitor.sandbox.city_units import CitySite
from monitor.sandbox.server import Route


class SiteBuilder(Protocol):
    """What these routes read of ``monitor.sandbox.city_site.SiteBuilder``, the site being built."""

    site: CitySite
    as_of: date
    columns: list[ColumnSpec]
    skin: Skin
    faults: SiteFaults
    routes: dict[str, Route]

    def html(self, path: str, title: str, main: str, meta: dict[str, str] | None = None) -> None: ...

MESSAGES_PER_PAGE = 10
MESSAGE_PAGES = 1

_LABELS = {
    "trs": ("信件标题", "写信时间", "信件内容", "回复单位", "回复时间", "回复内容", "已回复", "办理中"),
    "hanweb": ("留言标题", "留言时间", "留言内容", "答复单位", "答复时间", "答复内容", "已答复", "未答复"),
}
_REPLIES = ("您好！您反映的问题已转相关单位办理，相关单位已于近日完成处理，感谢您的关注与支持。",
            "您好！经核实，您咨询的事项可按照相关规定办理，具体可拨打办理窗口电话咨询。",
            "您好！您提出的建议很有价值，我们已将其纳入下一步工作统筹考虑。")


def service_routes(b: "SiteBuilder") -> dict[str, Route]:
    """Routes of the site's mailbox and guide columns (added to ``b.routes``)."""
    for col in b.columns:
        if col.role == "interaction":
            _mailbox(b, col)
        elif col.role == "service":
            _guides(b, col)
    return b.routes


def _cadence(b: "SiteBuilder") -> float:
    if b.faults.message_cadence:
        return b.faults.message_cadence
    return 7.0 if b.site.kind == "portal" else 16.0


def _mailbox(b: "SiteBuilder", col: ColumnSpec) -> None:
    labels = _LABELS[b.site.cms]
    msgs = messages(b.site, b.as_of, _cadence(b), MESSAGES_PER_PAGE * MESSAGE_PAGES)
    pages = max(1, -(-len(msgs) // MESSAGES_PER_PAGE))
    write = b.skin.write_url(col)
    for n in range(pages):
        chunk = msgs[n * MESSAGES_PER_PAGE:(n + 1) * MESSAGES_PER_PAGE]
        rows = "".join(
            f'<tr><td>{n * MESSAGES_PER_PAGE + i}</td><td class="bt"><a href="{_msg_url(b, col, m)}" target="_blank">'
            f'{escape(m.title)}</a></td><td>{show_date(m.asked, "iso")}</td>'
            f'<td>{labels[6] if m.replied else labels[7]}</td></tr>\n' for i, m in enumerate(chunk, 1))
        table = (f'<table class="xj-list" width="100%"><tr><th>序号</th><th>{labels[0]}</th><th>{labels[1]}</th>'
                 f"<th>状态</th></tr>\n{rows}</table>")
        main = (crumbs(b.skin, col) + side_nav(b.skin, col) + f'<div class="right"><h2>{escape(col.name)}</h2>'
                f'<p class="write"><a href="{escape(write)}">我要写信</a></p>{table}'
                + pager(b.skin, col, n, pages) + "</div>")
        b.html(b.skin.list_url(col, n), f"{col.name}_{b.site.name}", main, {"ColumnName": col.name})
    b.routes[b.skin.col_path(col)] = b.routes[b.skin.list_url(col, 0)]
    for m in msgs:
        _message(b, col, m)
    form = (crumbs(b.skin, col, "我要写信") + '<form method="post" action="' + escape(write) + '">'
            '<p>姓名：<input name="name"></p><p>联系电话：<input name="tel"></p><p>标题：<input name="title"></p>'
            '<p>内容：<textarea name="content"></textarea></p><p><input type="submit" value="提交"></p></form>')
    b.html(write, f"我要写信_{b.site.name}", form)


def _msg_url(b: "SiteBuilder", col: ColumnSpec, m: CityMessage) -> str:
    return b.skin.doc_url(col, m.asked, m.uid)


def _message(b: "SiteBuilder", col: ColumnSpec, m: CityMessage) -> None:
    labels = _LABELS[b.site.cms]
    reply = pick(_REPLIES, b.site.id, m.uid) if m.replied else ""
    replied = f"{m.replied:%Y-%m-%d}" if m.replied else ""
    rows = ((labels[0], escape(m.title)), (labels[1], f"{m.asked:%Y-%m-%d} {m.clock}"),
            (labels[2], f"{escape(m.title.removeprefix('关于'))}，希望有关部门予以答复。"),
            (labels[3], escape(b.site.owner) if m.replied else ""), (labels[4], replied), (labels[5], reply))
    table = '<table class="xj-detail" width="100%">' + "".join(
        f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"
    b.html(_msg_url(b, col, m), m.title, crumbs(b.skin, col, "信件详情") + table, {"ColumnName": col.name})


def _guides(b: "SiteBuilder", col: ColumnSpec) -> None:
    shown = guides(b.site, b.as_of)
    dated = b.site.cms == "trs"
    lis = "".join(
        f'<li><a href="{b.skin.link_from_list(col, _guide_url(b, col, g))}" target="_blank">{escape(g.name)}</a>'
        + (f'<span class="date">{g.published:%Y-%m-%d}</span>' if dated else "") + "</li>\n" for g in shown)
    main = (crumbs(b.skin, col) + side_nav(b.skin, col) + f'<div class="right"><h2>{escape(col.name)}</h2>'
            f'<ul class="bszn-list">\n{lis}</ul></div>')
    b.html(b.skin.list_url(col, 0), f"{col.name}_{b.site.name}", main, {"ColumnName": col.name})
    b.routes[b.skin.col_path(col)] = b.routes[b.skin.list_url(col, 0)]
    for g in shown:
        if b.site.cms == "trs":
            fields = "".join(f'<tr><td class="label">{k}</td><td class="value">{escape(g.values.get(k, ""))}</td></tr>'
                             for k in GUIDE_ELEMENTS)
            content = f'<table class="bszn" width="100%">{fields}</table>'
        else:
            content = '<div class="bszn">' + "".join(
                f'<dl><dt>{k}：</dt><dd>{escape(g.values.get(k, ""))}</dd></dl>' for k in GUIDE_ELEMENTS) + "</div>"
        main = crumbs(b.skin, col, "办事指南") + f'<div class="article"><h1 class="title">{escape(g.name)}</h1>{content}</div>'
        b.html(_guide_url(b, col, g), f"{g.name}_办事指南", main, {"ColumnName": col.name, "ArticleTitle": g.name})


def _guide_url(b: "SiteBuilder", col: ColumnSpec, g: Guide) -> str:
    return b.skin.doc_url(col, g.published, g.uid)
