"""Link extraction from one HTML page (selectolax/Lexbor), on the crawler's hot path.

Which attributes count as links, and what they are:

* ``page`` — a navigable document the crawler may follow when it is on the site:
  ``a[href]``, ``area[href]``, ``iframe[src]``, ``frame[src]`` and ``<meta http-equiv=refresh>``.
* ``resource`` — only checked, never followed: ``img``/``script``/``embed[src]``,
  ``object[data]`` and ``link[href]``.

``<link rel=dns-prefetch|preconnect>`` are skipped: they name an origin to warm up, not a
document a visitor can open, so a "broken" one is not a broken link. Every other ``<link>``
(stylesheets, icons, RSS ``alternate`` …) is a real resource and is checked.

``javascript:``, ``mailto:``, ``tel:``, ``data:``, fragment-only and empty links are dropped
(``monitor.model.urls.normalize`` returns None for them). ``<base href>`` is honoured.
Each distinct URL is returned once per page, with the first kind seen ("page" wins).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.model.urls import normalize
from monitor.pages.text import expand_datastore

LinkKind = Literal["page", "resource"]

_SELECTOR = ("a[href], area[href], iframe[src], frame[src], img[src], script[src], embed[src], "
             "object[data], link[href], meta[http-equiv]")
_ATTR: dict[str, tuple[str, LinkKind]] = {
    "a": ("href", "page"), "area": ("href", "page"), "iframe": ("src", "page"), "frame": ("src", "page"),
    "img": ("src", "resource"), "script": ("src", "resource"), "embed": ("src", "resource"),
    "object": ("data", "resource"), "link": ("href", "resource"),
}
_SELECTOR_AND_BASE = _SELECTOR + ", base[href]"
_ABSOLUTE = ("http://", "https://", "HTTP://", "HTTPS://")
_MISSING = object()
_SKIPPED_RELS = frozenset({"dns-prefetch", "preconnect"})
_REFRESH_RE = re.compile(r"^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?['\"]?\s*([^'\"\s][^'\"]*)", re.IGNORECASE)


class Resolver:
    """``normalize(href, base)`` memoised by what the result depends on; one per crawl.

    A link like ``../zwdt/`` depends only on the base's directory, ``/x`` only on its origin,
    ``http://…`` on nothing: so nav links repeated on thousands of pages are normalised once.
    The memo is bounded (cleared when full) and dies with the crawl.
    """

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self.memo: dict[tuple[str, str, str], str | None] = {}

    def resolve(self, href: str, base: str, encoding: str = "utf-8") -> str | None:
        return self.on(base, encoding)(href)

    def on(self, base: str, encoding: str = "utf-8") -> Callable[[str], str | None]:
        """``resolve`` bound to one page's base: the base's origin and directory are cut once per page."""
        origin = base[: base.find("/", base.find("//") + 2)] if base.count("/") > 2 else base
        directory = base[: base.rfind("/") + 1]
        memo = self.memo

        def resolve(href: str) -> str | None:
            if href.startswith(_ABSOLUTE):
                scope = ""
            elif href.startswith("/") and not href.startswith("//"):
                scope = origin
            elif not href or href.startswith(("?", "#")):
                scope = base
            else:
                scope = directory
            key = (scope, href, encoding)
            url = memo.get(key, _MISSING)
            if url is _MISSING:
                url = normalize(href, base, query_encoding=encoding)
                if len(memo) >= self.limit:
                    memo.clear()
                memo[key] = url
            return url  # type: ignore[return-value]

        return resolve


def refresh_target(content: str) -> str | None:
    """The URL of a meta refresh ``content`` ("0;url=/new/", "5; URL='x.html'"), if any."""
    match = _REFRESH_RE.match(content or "")
    if match is None or "=" not in content and ";" not in content and "," not in content:
        return None
    return match.group(1).strip() or None


def parse(html: str) -> LexborHTMLParser:
    """Parse once; callers pass the tree to :func:`extract_links`. 大汉 (Hanweb) lists that ship
    their rows as ``<datastore>`` CDATA records are expanded first, so their links are crawled too."""
    return LexborHTMLParser(expand_datastore(html))


def _base_url(node: LexborNode | None, page_url: str, encoding: str) -> str:
    if node is None:
        return page_url
    href = node.attributes.get("href") or ""
    return normalize(href, page_url, query_encoding=encoding) or page_url


def extract_links(page: str | bytes | LexborHTMLParser, page_url: str, *, encoding: str = "utf-8",
                  resolver: Resolver | None = None) -> dict[str, LinkKind]:
    """Distinct absolute, normalised links of a page → their kind, in document order.

    ``page_url`` is where the page was finally served from (after redirects); ``encoding`` is
    the page's charset, used for non-ASCII query text as browsers do. Pass the crawl's
    ``resolver`` so that links repeated across pages are normalised once. One CSS pass finds
    the links and ``<base href>`` (the first one in the document counts, wherever it is).
    """
    tree = page if isinstance(page, LexborHTMLParser) else LexborHTMLParser(page)
    nodes = tree.css(_SELECTOR_AND_BASE)
    base_node = next((node for node in nodes if node.tag == "base"), None)
    resolve = (resolver or Resolver()).on(_base_url(base_node, page_url, encoding), encoding)
    found: dict[str, LinkKind] = {}
    for node in nodes:
        tag = node.tag
        attrs = node.attributes
        if tag == "meta":
            if (attrs.get("http-equiv") or "").strip().lower() != "refresh":
                continue
            raw, kind = refresh_target(attrs.get("content") or ""), "page"
        elif tag == "base":
            continue
        else:
            name, kind = _ATTR[tag]
            if tag == "link" and (attrs.get("rel") or "").strip().lower() in _SKIPPED_RELS:
                continue
            raw = attrs.get(name)
        if not raw:
            continue
        url = resolve(raw.strip())
        if url is not None and found.get(url) != "page":
            found[url] = kind  # type: ignore[assignment]
    return found
