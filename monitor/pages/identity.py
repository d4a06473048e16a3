"""One page is one page: the addresses and copies under which a crawl read the same content.

Why: a CMS links one article as ``art_1.html`` and ``art_1.html?from=next``, a home page is
both ``/`` and ``/index.html``, a site answers on http and https. Counting each address as a
page writes one error up as several (“等7处” where the site had 2). Pages are grouped when they
share the raw content (``content_hash``), the visible text, or the same *identity URL*: the URL
without scheme, default port, fragment, index file name, trailing slash and navigation-only
query parameters (``from``, ``spm``, ``utm_*`` …). Merging errs on the side of fewer pages: two
pages with identical text are one content.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit

from monitor.model.snapshots import PageSnapshot

# Query parameters that only say how a reader arrived (pager links, app shares, analytics).
NAVIGATION_PARAMS = frozenset({"from", "spm", "share", "shareto", "isappinstalled", "scene", "wfr", "nsukey"})
_INDEX_FILE = re.compile(r"/(?:index|default)\.(?:s?html?|jhtml|php|jsp|aspx?)$", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def identity_url(url: str) -> str:
    """The URL with everything that does not change which page it is dropped:
    ``https://A.gov.cn:443/x/index.html?from=next#top`` → ``//a.gov.cn/x``."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower()
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = _INDEX_FILE.sub("/", parts.path or "/").rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k.lower() not in NAVIGATION_PARAMS and not k.lower().startswith("utm_"))
    return f"//{netloc}{path}" + (f"?{urlencode(query)}" if query else "")


def text_digest(text: str) -> str:
    """A digest of the visible text, whitespace runs collapsed."""
    return hashlib.sha256(_SPACE.sub(" ", text).strip().encode("utf-8")).hexdigest()


def page_keys(page: PageSnapshot) -> list[tuple[str, str]]:
    """What makes two pages one: each identity URL, the raw content hash, the text digest."""
    keys = [("url", identity_url(page.url))]
    if page.final_url:
        keys.append(("url", identity_url(page.final_url)))
    if page.content_hash:
        keys.append(("hash", page.content_hash))
    if page.text.strip():
        keys.append(("text", text_digest(page.text)))
    return keys


def same_groups(keys: Iterable[list[tuple[str, str]]]) -> list[list[int]]:
    """Page numbers grouped by a shared key (``page_keys`` of each page, in crawl order), each group
    in crawl order, groups in order of first page. Only the keys are held, never the pages."""
    parent: list[int] = []

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for index, page_keys_ in enumerate(keys):
        parent.append(index)
        for key in page_keys_:
            if key in owner:
                a, b = root(owner[key]), root(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = index
    groups: dict[int, list[int]] = {}
    for index in range(len(parent)):
        groups.setdefault(root(index), []).append(index)
    return list(groups.values())


def same_pages(pages: Sequence[PageSnapshot]) -> list[list[PageSnapshot]]:
    """Pages grouped by content, each group in crawl order, groups in order of first page."""
    return [[pages[i] for i in group] for group in same_groups(page_keys(p) for p in pages)]
