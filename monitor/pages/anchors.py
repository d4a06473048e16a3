"""Anchors on a page: where a link leads, and whether its text reads as an item title.

A *title link* is an ``<a href>`` to a page (not ``javascript:``/``#``/mail, not the site root)
whose title (``title`` attribute, else text) has at least 5 characters and is not a bracketed
category, a 更多/下一页 word or a tool link (无障碍, English, 登录 …); date-only pieces of the
link text are not part of the title. A link to the page itself under another spelling (``/col/``
= ``/col/index_1.html``) or to a folder above it (a breadcrumb) is navigation.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborNode

from monitor.pages.text import no_spaces, one_line

NOT_TITLES = re.compile(r"^(?:更多|查看更多|more|更多>+|>+|»|›|<+|下一页|上一页|下页|上页|首页|尾页|末页|详细|详情|"
                        r"查看|点击查看|阅读全文|全文|附件|\+|…+|\d+)$", re.I)
BRACKETED = re.compile(r"^[\[【〔(（<《].{0,8}[\]】〕)）>》]$")
DATE_ONLY = re.compile(r"^[\s\[【(（]*(?:\d{2,4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}[-/.月]\d{1,2}日?)"
                       r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?[\s\]】)）]*$")
NAV_WORDS = re.compile(r"^(?:无障碍\w{0,3}|english\w{0,8}|繁體\w{0,3}|繁体\w{0,3}|简体\w{0,3}|设为首页|加入收藏|手机版|移动版|"
                       r"长者\w{0,4}|关怀版|适老化\w{0,4}|网站地图|联系我们|网站声明|隐私\w{0,2}|版权\w{0,2}|"
                       r"(?:用户)?登录|(?:用户)?注册|登录/注册)$", re.I)
INDEX_FILE = re.compile(r"/(?:index|default)(?:_\d+)?\.\w+$", re.I)


def link_url(anchor: LexborNode, base_url: str) -> str | None:
    """The absolute http(s) URL an anchor leads to, or None for script/mail/fragment links."""
    href = (anchor.attributes.get("href") or "").strip()
    if not href or href.startswith("#") or re.match(r"^(?:javascript|mailto|tel|data):", href, re.I):
        return None
    url = urljoin(base_url, href).split("#", 1)[0]
    return url if urlsplit(url).scheme in ("http", "https") else None


def link_name(anchor: LexborNode) -> str:
    """What a link is called: its shown text, else its ``title``, else its image's ``alt`` (a picture
    button such as ``<a href="/ldxx/"><img alt="领导信箱"></a>``)."""
    shown = one_line(anchor.text())
    if shown:
        return shown
    image = anchor.css_first("img[alt]")
    return one_line(anchor.attributes.get("title")) or (one_line(image.attributes.get("alt")) if image else "")


def anchor_title(anchor: LexborNode) -> str:
    """The item title: the ``title`` attribute when it is at least as full as the shown text."""
    pieces = [t for t in (n.text_content or "" for n in anchor.traverse(include_text=True) if n.is_text_node)
              if not DATE_ONLY.match(t)]
    shown = one_line("".join(pieces))
    attr = one_line(anchor.attributes.get("title"))
    if attr and len(attr) >= len(shown.rstrip(".…")) and not DATE_ONLY.match(attr):
        return attr
    return shown


def is_title(title: str, min_chars: int = 5) -> bool:
    flat = no_spaces(title)
    return (len(flat) >= min_chars and not NOT_TITLES.match(flat) and not BRACKETED.match(flat)
            and not NAV_WORDS.match(flat))


def is_short_title(title: str) -> bool:
    """A 2–4 character title (通告, 招标公告): an item only where its row matches dated siblings."""
    return len(no_spaces(title)) < 5 and is_title(title, 2)


def _folder(url: str) -> tuple[str, str]:
    """Host and path of a URL with a trailing index/default(_N) file and slash removed."""
    parts = urlsplit(url.split("#", 1)[0])
    return parts.netloc.lower(), INDEX_FILE.sub("", parts.path).rstrip("/")


def same_page(url: str, base_url: str) -> bool:
    """``url`` is ``base_url`` itself (fragment and trailing slash aside)."""
    return url.rstrip("/") == base_url.split("#", 1)[0].rstrip("/")


def is_navigation(url: str, base_url: str) -> bool:
    """The page itself, its column under another spelling (``/col/``, ``/col/index.html``,
    ``/col/index_1.html``), or a folder above it (a breadcrumb): navigation, never an item."""
    if urlsplit(url).query != urlsplit(base_url.split("#", 1)[0]).query and urlsplit(url).query:
        return False
    (host, path), (base_host, base_path) = _folder(url), _folder(base_url)
    if host != base_host:
        return False
    if path == base_path:
        return True
    is_folder = url.split("#", 1)[0].endswith("/") or bool(INDEX_FILE.search(urlsplit(url).path))
    return is_folder and base_path.startswith(path + "/")


def is_site_root(url: str) -> bool:
    """``http://host/`` or ``http://host/index.html``: a home page, never an item or a column."""
    return re.sub(r"(?:index|default)\.\w+$", "", urlsplit(url).path) in ("", "/") and not urlsplit(url).query
