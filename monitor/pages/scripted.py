"""Pages whose content is not in the served HTML: script shells, script-filled lists, redirect stubs.

Why: govmon reads the HTML a server sends; a page that fills its list by an AJAX call, or a
single-page-app shell, shows nothing there. "Nothing there" is then not evidence that a column is
blank or a home page is stale: it is a notice (可能由脚本加载，请人工核实). And a root page that is
only a ``<meta http-equiv="refresh">`` or a one-line ``location.href=`` script is a signpost to the
real home page, which is read instead.

* ``redirect_target`` — the URL a stub page sends the browser to (meta refresh with a URL, or a
  short script assigning ``location`` / calling ``location.replace``), only on a page with almost
  no text of its own: a long page with a slow refresh is a page, not a stub.
* ``is_shell`` — an application shell: almost no visible text and links, and either an app root
  (``<div id="app">``) or scripts that do the rendering.
* ``script_list`` — an empty list container (``<ul id="list"></ul>``, ``<tbody id="data">``) on a
  page whose scripts fetch data (``$.ajax``, ``fetch(``, ``XMLHttpRequest``, ``axios`` …) or
  render templates.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

STUB_TEXT = 200
SHELL_TEXT = 120
SHELL_LINKS = 3
_WS_RE = re.compile(r"\s+")
_REFRESH_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)?\s*[;,]?\s*(?:url\s*=\s*)?['\"]?([^'\"]*)['\"]?\s*$", re.I)
_LOCATION_RE = re.compile(
    r"""(?:window\.|self\.|top\.|document\.)?location(?:\.href)?\s*=\s*(['"])([^'"]+)\1"""
    r"""|(?:window\.|self\.|top\.|document\.)?location\.(?:replace|assign)\(\s*(['"])([^'"]+)\3\s*\)""")
_FETCHES_RE = re.compile(r"\$\.(?:ajax|get|post|getJSON)\s*\(|\.load\s*\(\s*['\"]|\bfetch\s*\(|XMLHttpRequest|"
                         r"\baxios\b|\bnew\s+Vue\b|\bcreateApp\s*\(|ReactDOM|\btemplate\s*\(|\blaytpl\b|"
                         r"\bjsonp\b|\$\.getScript", re.I)
_APP_ROOT = "#app, #root, #__nuxt, #__next, [ng-app], [data-reactroot], app-root"
_LIST_MARK_RE = re.compile(r"list|news|item|content|data|article|info|xxgk|result|tbody|lb", re.I)
_DATA_ATTRS = ("data-url", "data-api", "data-src", "data-source", "v-for", ":data")


def _visible(tree: LexborHTMLParser) -> str:
    body = tree.body
    if body is None:
        return ""
    clone = LexborHTMLParser(body.html or "")
    clone.strip_tags(["script", "style", "noscript", "template"])
    node = clone.body
    return _WS_RE.sub("", node.text(separator=" ") if node is not None else "")


def _scripts(tree: LexborHTMLParser) -> str:
    return "\n".join(node.text() or "" for node in tree.css("script") if not node.attributes.get("src"))


def redirect_target(html: str, base_url: str) -> str | None:
    """The absolute http(s) URL a stub page forwards to, or None when the page is not a stub."""
    tree = LexborHTMLParser(html)
    if len(_visible(tree)) > STUB_TEXT:
        return None
    for meta in tree.css("meta[http-equiv]"):
        if (meta.attributes.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        match = _REFRESH_RE.match(meta.attributes.get("content") or "")
        if match and match.group(2).strip():
            return _absolute(match.group(2).strip(), base_url)
    found = _LOCATION_RE.search(_scripts(tree))
    if found:
        return _absolute(found.group(2) or found.group(4), base_url)
    return None


def _absolute(href: str, base_url: str) -> str | None:
    url = urljoin(base_url, href).split("#", 1)[0]
    return url if urlsplit(url).scheme in ("http", "https") else None


def is_shell(html: str) -> bool:
    """An application shell: its content is rendered by script, nothing to read in the HTML."""
    tree = LexborHTMLParser(html)
    if tree.body is None or len(_visible(tree)) > SHELL_TEXT or len(tree.css("a[href]")) > SHELL_LINKS:
        return False
    if tree.css_first(_APP_ROOT) is not None:
        return True
    return bool(tree.css("script[src]")) or bool(_FETCHES_RE.search(_scripts(tree)))


def _empty(node: LexborNode) -> bool:
    return node.css_first("a, li, tr, p, img") is None and not _WS_RE.sub("", node.text() or "")


def script_list(html: str) -> bool:
    """An empty list container that the page's scripts fill (an AJAX list, a template)."""
    tree = LexborHTMLParser(html)
    empty = [node for node in tree.css("ul, ol, tbody, table, div, dl, section")
             if _empty(node) and (_LIST_MARK_RE.search(f"{node.attributes.get('id') or ''} "
                                                       f"{node.attributes.get('class') or ''}")
                                  or any(a in node.attributes for a in _DATA_ATTRS))]
    if not empty:
        return False
    if any(any(a in node.attributes for a in _DATA_ATTRS) for node in empty):
        return True
    if tree.css_first('script[type="text/template"], script[type="text/html"], template') is not None:
        return True
    return bool(_FETCHES_RE.search(_scripts(tree)))
