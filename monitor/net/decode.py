"""Turn response bytes into text: Chinese government pages are often GBK, sometimes mislabelled.

Order of evidence: a byte-order mark (it is unambiguous, and browsers let it win, WHATWG
"encoding sniffing"), the HTTP ``Content-Type`` charset, a ``<meta charset>`` /
``<meta http-equiv="Content-Type">`` / XML declaration in the first 4 KB, then detection
(strict UTF-8 first, then charset-normalizer). GB2312 and GBK labels decode as GB18030, their
superset, so pages that use characters beyond GB2312 (as most "gb2312" pages do) decode cleanly.
A Latin-1 header (the Tomcat/IIS default) is weak evidence: a ``<meta>`` overrides it. A body
that is valid UTF-8 with non-ASCII bytes is UTF-8 whatever its label says (GBK text is
practically never valid UTF-8, while servers labelling UTF-8 pages "GBK" are common).
A declared charset that leaves more than a few broken bytes gives way to detection. Never raises:
the last resort is ``errors="replace"``.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

SNIFF_BYTES = 4096
DETECT_BYTES = 65536
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "ms936": "gb18030",
    "windows-936": "gb18030", "euc-cn": "gb18030", "gb_2312-80": "gb18030", "csgb2312": "gb18030",
    "hz-gb-2312": "hz", "big5": "big5hkscs", "cp950": "big5hkscs",
    "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
}
_WEAK = {"cp1252"}
_META_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-:.]+)""", re.I)
_HEADER_RE = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def canonical(label: str | None) -> str | None:
    """The Python codec to use for a charset label (superset for GB2312/GBK), or None if unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    try:
        resolved = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(resolved, resolved) if resolved != "utf-8-sig" else "utf-8"


def header_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header value, canonicalised."""
    match = _HEADER_RE.search(content_type or "")
    return canonical(match.group(1)) if match else None


def meta_charset(body: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (<meta> or XML declaration)."""
    head = body[:SNIFF_BYTES]
    match = _XML_RE.search(head) or _META_RE.search(head)
    if not match:
        return None
    found = canonical(match.group(1).decode("ascii", "replace"))
    return "utf-8" if found in ("utf-16", "utf-16-le", "utf-16-be") else found


def bom_charset(body: bytes) -> str | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of a response body; see the module docstring for the order."""
    if not body:
        return "", header_charset(content_type) or "utf-8"
    bom = bom_charset(body)
    if bom:
        return body.decode(bom, "replace").lstrip("\ufeff"), bom
    header = header_charset(content_type)
    meta = meta_charset(body)
    declared = meta if header in _WEAK and meta else (header or meta)
    if declared and declared != "utf-8" and not body.isascii():
        as_utf8 = _strict(body, "utf-8")
        if as_utf8 is not None:
            return as_utf8, "utf-8"
    if declared:
        text = _strict(body, declared)
        if text is not None:
            return text, declared
        loose = body.decode(declared, "replace")
        if loose.count("\ufffd") <= max(2, len(loose) // 2000):
            return loose, declared
    found = _detect(body)
    if found:
        return found
    fallback = declared or "gb18030"
    return body.decode(fallback, "replace"), fallback


def _strict(body: bytes, encoding: str) -> str | None:
    """Strict decode that tolerates a multi-byte character cut at the end (truncated bodies)."""
    try:
        return codecs.getincrementaldecoder(encoding)().decode(body, final=False)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(body: bytes) -> tuple[str, str] | None:
    """UTF-8 if the bytes are valid UTF-8, else charset-normalizer's best guess that decodes cleanly."""
    text = _strict(body, "utf-8")
    if text is not None:
        return text, "utf-8"
    best = from_bytes(body[:DETECT_BYTES]).best()
    guess = canonical(best.encoding) if best is not None else None
    for name in (guess, "gb18030"):
        if name:
            text = _strict(body, name)
            if text is not None:
                return text, name
    return None
