"""Page layouts of the simulated sites: head with the standard meta tags, header, navigation
with sub-menus, footer carrying 主办单位/网站标识码/ICP/公安备案, and the page bodies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape

from monitor.sandbox.city_columns import ColumnSpec, children
from monitor.sandbox.city_markup import Skin, list_rows, show_date
from monitor.sandbox.city_text import h


@dataclass
class Links:
    """Absolute addresses of other hosts a page may link to."""

    portal: str
    gov: str
    province: str
    beian: str
    badge: str
    others: list[tuple[str, str]] = field(default_factory=list)  # (name, url) of the city's other sites
    extra_home: list[tuple[str, str]] = field(default_factory=list)  # (label, href) added by faults


def head(skin: Skin, base: str, title: str, extra: dict[str, str], charset: str) -> str:
    site = skin.site
    meta = {"SiteName": site.name, "SiteDomain": base.split("//", 1)[1], "SiteIDCode": site.id, **extra}
    tags = "".join(f'<meta name="{k}" content="{escape(v)}">\n' for k, v in meta.items())
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta http-equiv="Content-Type" '
            f'content="text/html; charset={charset}">\n<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
            f"{tags}<title>{escape(title)}</title>\n"
            f'<link rel="stylesheet" href="/images/style.css">\n</head>\n')


def nav(skin: Skin) -> str:
    items = ['<li class="on"><a href="/index.html">首页</a></li>']
    for col in skin.columns:
        if col.parent is not None:
            continue
        subs = children(list(skin.columns), col.name)
        sub = ""
        if subs:
            sub = '<ul class="subnav">' + "".join(
                f'<li><a href="{skin.col_path(s)}">{escape(s.name)}</a></li>' for s in subs) + "</ul>"
        items.append(f'<li><a href="{skin.col_path(col)}">{escape(col.name)}</a>{sub}</li>')
    return '<div class="nav"><ul class="nav-ul">' + "".join(items) + "</ul></div>\n"


def header(skin: Skin, links: Links) -> str:
    site = skin.site
    return (f'<div class="top"><div class="top-l">欢迎访问{escape(site.name)}网站</div><div class="top-r">'
            f'<a href="javascript:void(0);" id="wza">无障碍</a> | <a href="javascript:void(0);">长者助手</a> | '
            f'<a href="{skin.sitemap_url()}">网站地图</a> | '
            f'<a href="{links.gov}/zfwzzc/index.html" target="_blank">我为政府网站找错</a></div></div>\n'
            f'<div class="header"><div class="logo"><a href="/index.html"><h1>{escape(site.name)}</h1></a></div>'
            f'<form class="search" action="/search/" method="get"><input type="text" name="searchword" '
            f'placeholder="请输入关键字"><input type="submit" value="搜索"></form></div>\n{nav(skin)}')


def footer(skin: Skin, links: Links) -> str:
    site = skin.site
    icp = f"晋ICP备{10000000 + h(site.id, 'icp') % 89999999:08d}号"
    police = f"晋公网安备 {site.id[:6]}0{h(site.id, 'ga') % 10**7:07d}号"
    tel = f"0353-{2000000 + h(site.id, 'tel') % 7999999:07d}"
    return (f'<div class="footer"><div class="dzjg"><a href="{links.badge}/bsjs/{site.id}.html" target="_blank">'
            f'<img src="/images/red.png" alt="党政机关"></a></div>\n<p>主办单位：{escape(site.owner)}　'
            f"联系电话：{tel}</p>\n<p>网站标识码：{site.id}　<a href=\"{links.beian}/\" target=\"_blank\">{icp}</a>　"
            f'<a href="{links.beian}/portal/registerSystemInfo?recordcode={site.id}" target="_blank">{police}</a></p>\n'
            f'<p><a href="{skin.sitemap_url()}">网站地图</a>　<a href="/lxwm/index.html">联系我们</a></p></div>\n')


def page(skin: Skin, base: str, frame: tuple[str, str], title: str, main: str, meta: dict[str, str],
         charset: str) -> str:
    """A whole page: ``frame`` is the site's (header, footer), built once per site."""
    return (head(skin, base, title, meta, charset) + '<body>\n' + frame[0]
            + f'<div class="main">\n{main}\n</div>\n' + frame[1] + "</body>\n</html>\n")


def crumbs(skin: Skin, col: ColumnSpec | None, last: str = "") -> str:
    parts = ['<a href="/index.html">首页</a>']
    if col is not None:
        parent = skin.parent_of(col)
        if parent is not None:
            parts.append(f'<a href="{skin.col_path(parent)}">{escape(parent.name)}</a>')
        parts.append(f'<a href="{skin.col_path(col)}">{escape(col.name)}</a>')
    if last:
        parts.append(escape(last))
    return '<div class="position">您现在的位置：' + " &gt; ".join(parts) + "</div>\n"


def side_nav(skin: Skin, col: ColumnSpec) -> str:
    top = skin.parent_of(col) or col
    subs = children(list(skin.columns), top.name)
    if not subs:
        return ""
    lis = "".join(f'<li{" class=on" if s.name == col.name else ""}><a href="{skin.col_path(s)}">{escape(s.name)}</a></li>'
                  for s in subs)
    return f'<div class="left"><h2>{escape(top.name)}</h2><ul>{lis}</ul></div>\n'


def home_block(skin: Skin, col: ColumnSpec, rows: list[tuple[str, str, date]]) -> str:
    dform = skin.home_date_form
    lis = "".join(f'<li><a href="{escape(href)}" target="_blank" title="{escape(t)}">{escape(t)}</a>'
                  f'<span>{show_date(d, dform)}</span></li>\n' for href, t, d in rows)
    return (f'<div class="block"><div class="block-hd"><h3><a href="{skin.col_path(col)}">{escape(col.name)}</a></h3>'
            f'<a class="more" href="{skin.col_path(col)}">更多&gt;&gt;</a></div>\n<ul>\n{lis}</ul></div>\n')


def article_body(skin: Skin, col: ColumnSpec, title: str, day: date, clock: str, paragraphs: list[str],
                 extras: str) -> str:
    info = f"发布时间：{day:%Y-%m-%d} {clock}" if skin.cms == "trs" else f"发布日期：{day:%Y-%m-%d}"
    source = escape(skin.site.short if skin.site.kind == "department" else skin.site.owner)
    paras = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
    body_cls = 'class="TRS_Editor"' if skin.cms == "trs" else 'id="zoom"'
    return (crumbs(skin, col, "正文") + f'<div class="article"><h1 class="title">{escape(title)}</h1>\n'
            f'<div class="info"><span>{info}</span>　<span>来源：{source}</span>　'
            f'<span>【字体：<a href="javascript:void(0);">大</a> <a href="javascript:void(0);">中</a> '
            f'<a href="javascript:void(0);">小</a>】</span></div>\n<div {body_cls}>\n{paras}</div>\n{extras}'
            f'<div class="print"><a href="javascript:window.print();">打印本页</a> '
            f'<a href="javascript:window.close();">关闭窗口</a></div></div>\n')


def friend_links(links: Links) -> str:
    rows = [("中国政府网", links.gov + "/"), ("山西省人民政府", links.province + "/")]
    if links.portal:
        rows.append(("阳泉市人民政府", links.portal + "/"))
    rows += links.extra_home
    return '<div class="links"><h3>友情链接</h3><ul>' + "".join(
        f'<li><a href="{escape(u)}" target="_blank">{escape(n)}</a></li>' for n, u in rows) + "</ul></div>\n"


def other_sites(links: Links) -> str:
    if not links.others:
        return ""
    return '<div class="links"><h3>部门网站 · 县区网站</h3><ul>' + "".join(
        f'<li><a href="{escape(u)}" target="_blank">{escape(n)}</a></li>' for n, u in links.others) + "</ul></div>\n"


def listing(skin: Skin, col: ColumnSpec, rows: list[tuple[str, str, date | None]], form: str | None = None) -> str:
    return list_rows(skin, col, [(skin.link_from_list(col, href), t, d) for href, t, d in rows], form)
