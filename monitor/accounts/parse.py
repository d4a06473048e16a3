"""Read feed documents (RSS 2.0, Atom, JSON Feed) and post-time texts into ``Post`` values.

Pure functions over bytes: the sources in ``monitor.accounts.sources`` fetch, this module reads.

* Times: an explicit offset (``Z``, ``+0800``, ``+08:00``, ``GMT``) is kept; a time without one
  is China time (``tz``). ``CST`` in an RFC 822 date means China Standard Time here (the
  standard library would read US Central). Epoch seconds/milliseconds are read too (exports).
* XML is parsed strictly: feedparser's recovering parser can silently drop the tail of a cut or
  broken document, and a feed missing items must never look like an account missing posts, so
  any XML error is ``parse_error``. HTML named entities (``&nbsp;``), the one common defect of
  hand-written CMS feeds, are rewritten to numeric references first.
* Post key: the item's guid/id, else its link, else sha256 of title + text + publish time.
"""

from __future__ import annotations

import csv
import email.utils
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from html.entities import name2codepoint
from typing import Any

import feedparser
from selectolax.lexbor import LexborHTMLParser

from monitor.model.snapshots import Post

MAX_TEXT = 20_000
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_ENTITY_RE = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_CN_RE = re.compile(r"^(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?"
                    r"(?:[\sT]*(\d{1,2})\s*[:时]\s*(\d{1,2})\s*分?(?:\s*:?\s*(\d{1,2})\s*秒?)?)?$")
_RFC822_RE = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s")
_CST_RE = re.compile(r"\s(CST|CCT|BJT)$", re.I)
_OK_BOZO = (feedparser.CharacterEncodingOverride,)


@dataclass
class ParsedFeed:
    """What one document held: its posts (document order, deduplicated) and item facts."""

    posts: list[Post] = field(default_factory=list)
    entries: int = 0
    undated: int = 0
    error: str | None = None
    detail: str = ""


def parse_time(text: Any, tz: tzinfo) -> datetime | None:
    """An aware datetime from a feed or export time text; naive forms are taken in ``tz``."""
    if isinstance(text, datetime):
        return text if text.tzinfo else text.replace(tzinfo=tz)
    raw = str(text or "").strip()
    if not raw:
        return None
    if raw.isdigit() and len(raw) in (10, 13):
        return datetime.fromtimestamp(int(raw) / (1000 if len(raw) == 13 else 1), UTC)
    if _RFC822_RE.match(raw):
        try:
            value = email.utils.parsedate_to_datetime(_CST_RE.sub(" +0800", raw))
        except (TypeError, ValueError):
            return None
        return value if value.tzinfo else value.replace(tzinfo=tz)
    try:
        value = datetime.fromisoformat(raw.replace("/", "-"))
    except ValueError:
        return _chinese_time(raw, tz)
    return value if value.tzinfo else value.replace(tzinfo=tz)


def _chinese_time(raw: str, tz: tzinfo) -> datetime | None:
    match = _CN_RE.match(raw)
    if match is None:
        return None
    parts = [int(p) if p else 0 for p in match.groups()]
    try:
        return datetime(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], tzinfo=tz)
    except ValueError:
        return None


def plain_text(html: str) -> str:
    """Text of an HTML fragment, whitespace collapsed (titles and bodies of posts)."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())[:MAX_TEXT]
    node = LexborHTMLParser(f"<div>{html}</div>").body
    text = node.text(separator=" ") if node is not None else html
    return " ".join(text.split())[:MAX_TEXT]


def web_link(value: Any) -> str:
    """An item's link when it is a web address (feedparser turns a bare RSS guid into a "link")."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""


def post_key(guid: str, link: str, title: str, text: str, published: datetime) -> str:
    """Dedupe key: guid, else link, else a hash of the content and time."""
    if guid.strip():
        return guid.strip()
    if link.strip():
        return link.strip()
    digest = hashlib.sha256(f"{title}\n{text}\n{published.astimezone(UTC).isoformat()}".encode("utf-8"))
    return "sha256:" + digest.hexdigest()


def collect(items: Iterable[tuple[str, str, str, str, datetime | None]]) -> ParsedFeed:
    """Posts from (guid, link, title, text, published) tuples: undated counted, duplicates dropped."""
    out = ParsedFeed()
    seen: set[str] = set()
    for guid, link, title, text, published in items:
        out.entries += 1
        if published is None:
            out.undated += 1
            continue
        key = post_key(guid, link, title, text, published)
        if key in seen:
            continue
        seen.add(key)
        out.posts.append(Post(key=key, published_at=published.astimezone(UTC), title=title, text=text, url=link))
    return out


def looks_like_json(body: bytes, content_type: str) -> bool:
    return content_type.endswith("json") or body.lstrip()[:1] == b"{"


def parse_json_feed(body: bytes, tz: tzinfo) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1); feedparser does not read it."""
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return ParsedFeed(error="parse_error", detail=f"invalid JSON: {exc}")
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/version/"):
        return ParsedFeed(error="not_a_feed", detail="JSON document without a jsonfeed.org version")
    items = doc.get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return ParsedFeed(error="parse_error", detail="JSON Feed 'items' is not a list of objects")
    return collect(
        (str(i.get("id") or ""), web_link(i.get("url")), plain_text(str(i.get("title") or "")),
         plain_text(str(i.get("content_text") or i.get("content_html") or i.get("summary") or "")),
         parse_time(i.get("date_published") or i.get("date_modified"), tz))
        for i in items
    )


def _numeric_entities(body: bytes) -> bytes:
    def repl(match: re.Match[bytes]) -> bytes:
        name = match.group(1).decode("ascii")
        if name in _XML_ENTITIES or name not in name2codepoint:
            return match.group(0)
        return b"&#%d;" % name2codepoint[name]

    return _ENTITY_RE.sub(repl, body)


def _entry_time(entry: Any, tz: tzinfo) -> datetime | None:
    for name in ("published", "updated", "created"):
        value = parse_time(entry.get(name), tz)
        if value is not None:
            return value
    for name in ("published_parsed", "updated_parsed"):
        parsed = entry.get(name)
        if parsed:
            return datetime(*parsed[:6], tzinfo=UTC)
    return None


def parse_xml_feed(body: bytes, tz: tzinfo) -> ParsedFeed:
    """RSS 2.0 / RSS 1.0 / Atom through feedparser, refusing any recovered (broken) document."""
    doc = feedparser.parse(_numeric_entities(body))
    exc = doc.get("bozo_exception")
    if doc.get("bozo") and not isinstance(exc, _OK_BOZO):
        return ParsedFeed(error="parse_error", detail=f"malformed XML: {exc}")
    if not doc.get("version"):
        return ParsedFeed(error="not_a_feed", detail="document is neither RSS nor Atom")
    return collect(
        (str(e.get("id") or ""), web_link(e.get("link")), plain_text(str(e.get("title") or "")),
         plain_text(_entry_body(e)), _entry_time(e, tz))
        for e in doc.entries
    )


def _entry_body(entry: Any) -> str:
    content = entry.get("content")
    if content:
        return " ".join(str(part.get("value", "")) for part in content)
    return str(entry.get("summary") or "")


def parse_feed(body: bytes, content_type: str, tz: tzinfo) -> ParsedFeed:
    """Any supported feed document: JSON Feed by type or shape, otherwise XML."""
    if looks_like_json(body, content_type):
        return parse_json_feed(body, tz)
    return parse_xml_feed(body, tz)


_CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "published_at": ("published_at", "published", "time", "date", "datetime", "发布时间", "发布日期", "发文时间", "时间"),
    "title": ("title", "标题"),
    "url": ("url", "link", "链接", "网址"),
    "text": ("text", "content", "正文", "内容"),
}


def decode_csv(body: bytes) -> str | None:
    """CSV text: UTF-8 (with or without BOM), else GBK (Excel in China saves CSV as GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def parse_csv_posts(body: bytes, tz: tzinfo) -> ParsedFeed:
    """Posts from a back-end export: columns published_at[,title,url,text] (English or Chinese names).

    Any unreadable row fails the whole read, so a broken export never hides posts silently.
    """
    text = decode_csv(body)
    if text is None:
        return ParsedFeed(error="parse_error", detail="not UTF-8 or GBK text")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return ParsedFeed(error="parse_error", detail="empty file")
    header = [cell.strip().lower() for cell in rows[0]]
    index = {name: next((header.index(a) for a in aliases if a in header), None) for name, aliases in _CSV_COLUMNS.items()}
    if index["published_at"] is None:
        return ParsedFeed(error="parse_error", detail="no published_at column in the header row")
    items: list[tuple[str, str, str, str, datetime | None]] = []
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        cell = {name: (row[i].strip() if i is not None and i < len(row) else "") for name, i in index.items()}
        published = parse_time(cell["published_at"], tz)
        if published is None:
            return ParsedFeed(error="parse_error", detail=f"row {number}: published_at: cannot read {cell['published_at']!r}")
        items.append(("", cell["url"], cell["title"], cell["text"], published))
    return collect(items)
