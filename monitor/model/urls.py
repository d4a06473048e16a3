"""URL normalisation, so one resource has one spelling and is fetched and counted once.

``normalize`` resolves a link against its page and rewrites it into a canonical form: lower-case
scheme and host (IDNA for non-ASCII host names), no default port, no fragment, dot segments
removed, percent-encoding normalised (upper-case hex, unreserved characters decoded, spaces
and non-ASCII encoded as UTF-8, backslashes read as slashes like browsers do), "/" for an
empty path, query kept in its order. Anything that is not an http(s) URL — ``javascript:``,
``mailto:``, ``tel:``, ``data:``, a bare ``#fragment`` or garbage — gives ``None``.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
from collections.abc import Iterable
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

import idna

DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = _UNRESERVED | frozenset("!$&'()*+,;=:@/")
_QUERY_SAFE = _PATH_SAFE | frozenset("?")
_HEX = frozenset("0123456789abcdefABCDEF")
_STRIP = "".join(chr(c) for c in range(33)) + "\u3000\ufeff"
_CLEAN_RE = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*")
_CANONICAL_RE = re.compile(r"(https?)://(?:[a-z0-9\-]+\.)*[a-z0-9\-]+(?::(\d{1,5}))?"
                           r"(/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*)(?:\?[A-Za-z0-9\-._~!$&'()*+,;=:@/?]+)?")
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def normalize(url: str, base: str | None = None, *, query_encoding: str = "utf-8") -> str | None:
    """The canonical absolute http(s) form of ``url`` (resolved against ``base``), or None.

    ``query_encoding`` is the page's charset: browsers encode non-ASCII query text in it.
    """
    raw = url.strip(_STRIP).replace("\t", "").replace("\n", "").replace("\r", "")
    if not raw or raw.startswith("#"):
        return None
    if _is_canonical(raw):
        return raw
    scheme = _SCHEME_RE.match(raw)
    if scheme and scheme.group(1).lower() not in DEFAULT_PORTS:
        return None
    if base is not None and not scheme:
        base_norm = _normalized_base(base)
        if base_norm is None:
            return None
        return _fast_join(raw, base_norm) or _join(raw, base_norm, query_encoding)
    try:
        return _rebuild(urlsplit(raw), query_encoding)
    except (ValueError, UnicodeError):
        return None


def _is_canonical(raw: str) -> bool:
    """True for an absolute URL already in canonical form (most URLs a crawl handles twice)."""
    match = _CANONICAL_RE.fullmatch(raw)
    if match is None:
        return False
    scheme, port, path = match.group(1, 2, 3)
    if port and (port.startswith("0") or int(port) == DEFAULT_PORTS[scheme] or int(port) > 65535):
        return False
    return not ("." in path and any(seg in (".", "..") for seg in path.split("/")))


@functools.lru_cache(maxsize=1024)
def _normalized_base(base: str) -> str | None:
    """A page's own URL, normalised once for all the links on it."""
    return normalize(base)


def _join(raw: str, base_norm: str, query_encoding: str) -> str | None:
    """The general case: RFC 3986 resolution by urljoin, then the canonical rebuild."""
    joined = urljoin(base_norm, raw.replace("\\", "/") if not raw.startswith("//") else raw)
    try:
        return _rebuild(urlsplit(joined), query_encoding)
    except (ValueError, UnicodeError):
        return None


def _fast_join(raw: str, base_norm: str) -> str | None:
    """The common case without urljoin: a clean "/path", "path", "./path" or "?query" on a normalised base.

    None when ``raw`` needs the general case (dot segments, percent signs, "//", odd characters).
    Equivalence with ``_join`` is pinned by tests/unit/test_urls.py.
    """
    if not _CLEAN_RE.fullmatch(raw) or raw.startswith("//") or raw == "?":
        return None
    path, _, query = raw.partition("?")
    if raw.startswith("./"):
        path = path[2:]
    if "." in path and any(seg in (".", "..") for seg in path.split("/")):
        return None
    base_path = base_norm.split("?", 1)[0]
    if not path:
        if not raw.startswith("?"):
            return None
        head = base_path
    elif path.startswith("/"):
        head = base_path[:base_path.index("/", base_path.index("//") + 2)] + path
    else:
        head = base_path[:base_path.rfind("/") + 1] + path
    return f"{head}?{query}" if query else head


def _rebuild(parts: SplitResult, query_encoding: str) -> str | None:
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return None
    host = _host(parts.hostname or "")
    if not host:
        return None
    port = parts.port
    netloc = host if port is None or port == DEFAULT_PORTS[scheme] else f"{host}:{port}"
    if parts.username is not None:
        userinfo = _quote(parts.username, _UNRESERVED, "utf-8")
        if parts.password is not None:
            userinfo += ":" + _quote(parts.password, _UNRESERVED, "utf-8")
        netloc = f"{userinfo}@{netloc}"
    path = _quote(parts.path.replace("\\", "/"), _PATH_SAFE, "utf-8")
    path = remove_dot_segments(path) or "/"
    if not path.startswith("/"):
        path = "/" + path
    query = _quote(parts.query, _QUERY_SAFE, query_encoding)
    return urlunsplit((scheme, netloc, path, query, ""))


def _host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host or any(c in host for c in " <>%\\^`{|}\"'"):
        return ""
    if ":" in host:
        return f"[{host}]"
    if host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return host.encode("idna").decode("ascii")


def _quote(text: str, safe: frozenset[str], encoding: str) -> str:
    """Percent-encode what must be, decode what need not be, upper-case the hex digits."""
    if _CLEAN_RE.fullmatch(text):
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "%" and i + 2 < n and text[i + 1] in _HEX and text[i + 2] in _HEX:
            decoded = chr(int(text[i + 1:i + 3], 16))
            out.append(decoded if decoded in _UNRESERVED else "%" + text[i + 1:i + 3].upper())
            i += 3
            continue
        if ch in safe:
            out.append(ch)
        else:
            try:
                data = ch.encode(encoding)
            except (UnicodeEncodeError, LookupError):
                data = ch.encode("utf-8")
            out.append("".join(f"%{b:02X}" for b in data))
        i += 1
    return "".join(out)


def remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4: resolve "." and ".." segments ("/a/./b/../c" → "/a/c")."""
    if "." not in path:
        return path
    segments = path.split("/")
    out: list[str] = []
    for seg in segments[1:] if path.startswith("/") else segments:
        if seg == ".":
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    if segments[-1] in (".", ".."):
        out.append("")
    joined = "/".join(out)
    return "/" + joined if path.startswith("/") else joined


def host_key(url: str) -> str:
    """``host:port`` of a URL, the port always spelt out ("127.0.0.1:8080", "www.gov.cn:443")."""
    return _url_origin(url)[1]


def host_of(url: str) -> str:
    """The bare lower-case host name of a URL ("" when it has none)."""
    return _url_origin(url)[0]


def _url_origin(url: str) -> tuple[str, str]:
    """(host, "host:port") of a URL, read from its netloc alone (no full urlsplit)."""
    scheme, _, rest = url.partition("://")
    return _origin(scheme.lower(), rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0])


@functools.lru_cache(maxsize=4096)
def _origin(scheme: str, netloc: str) -> tuple[str, str]:
    """(host, "host:port") of a netloc; memoised, since a crawl sees few distinct hosts."""
    parts = urlsplit(f"{scheme or 'http'}://{netloc}")
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    shown = f"[{host}]" if ":" in host else host
    return host, f"{shown}:{port or DEFAULT_PORTS.get(scheme, 80)}"


def is_attachment(url: str, exts: Iterable[str]) -> bool:
    """True when the URL's path ends with one of ``exts`` (".pdf", ".doc" …): checked, not parsed."""
    return url_path(url).lower().endswith(_suffixes(exts if isinstance(exts, tuple) else tuple(exts)))


@functools.lru_cache(maxsize=64)
def _suffixes(exts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(ext.lower() for ext in exts)


def url_path(url: str) -> str:
    """``urlsplit(url).path``, without urlsplit for the usual clean absolute http(s) URL."""
    if not url.startswith(("http://", "https://")) or not url.isprintable() or " " in url:
        return urlsplit(url).path
    start = url.find("/", url.index("//") + 2)
    ends = [i for i in (url.find("?"), url.find("#")) if i >= 0]
    if start < 0 or (ends and min(ends) < start):
        return ""
    return url[start:min(ends)] if ends else url[start:]


def in_scope(url: str, hosts: Iterable[str]) -> bool:
    """True when ``url`` lives on one of the site's ``hosts``.

    A host entry is either a bare name ("www.x.gov.cn", any port) or "name:port" (that port only).
    """
    name, key = _url_origin(url)
    entries = _scope_entries(hosts if isinstance(hosts, tuple) else tuple(hosts))
    return key in entries or name in entries


@functools.lru_cache(maxsize=256)
def _scope_entries(hosts: tuple[str, ...]) -> frozenset[str]:
    """The host entries of ``in_scope`` as compared: lower-case, URLs reduced to host or host:port."""
    entries = set()
    for host in hosts:
        entry = host.lower().strip()
        if "://" in entry:
            entry = host_key(entry) if urlsplit(entry).port else host_of(entry)
        entries.add(entry)
    return frozenset(entries)


def site_hosts(site_url: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The host entries of a site: its home page's ``host:port`` plus the registry's extra hosts
    (a tuple, the form ``in_scope`` memoises its entries by)."""
    return (host_key(site_url), *extra)


def trap_reason(url: str, *, max_length: int, max_path_repeats: int) -> str | None:
    """Why ``url`` looks like a crawler trap (too long, one path segment repeated), or None."""
    if len(url) > max_length:
        return "url_too_long"
    counts: dict[str, int] = {}
    for seg in urlsplit(url).path.split("/"):
        if seg:
            counts[seg] = counts.get(seg, 0) + 1
            if counts[seg] > max_path_repeats:
                return "path_repeats"
    return None


def without_query(url: str) -> str:
    """The URL minus its query string (the key for counting query variants of one path)."""
    return url.split("?", 1)[0]


PRIVATE_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "0.0.0.0/8",
    "::1/128", "::/128", "fc00::/7", "fe80::/10"))
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.I)


def literal_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host name *is* without any lookup: dotted, bracketed IPv6, or the shorthand
    forms browsers and resolvers accept ("2130706433", "127.1", "0x7f.0.0.1"); None for a name."""
    host = host.strip("[]").lower()
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def is_private_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address | str | None) -> bool:
    """Loopback, private or link-local (the office network): 127/8, 10/8, 172.16/12, 192.168/16,
    169.254/16, ::1, fc00::/7, fe80::/10 (IPv4-mapped IPv6 addresses judged as their IPv4)."""
    if isinstance(address, str):
        address = literal_ip(address)
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in net for net in PRIVATE_NETWORKS if net.version == address.version)


_TOKEN = re.compile(r"^[A-Za-z0-9_\-.!~*]{16,}$")
_RANDOM = re.compile(r"^(\d{9,14}|0?\.\d{4,}|\d+\.\d{4,})$")
_PATH_PARAM = re.compile(r";([A-Za-z_]+)=([^/?#;]*)")


def without_session(url: str, session: Iterable[str], tracking: Iterable[str]) -> str:
    """``url`` without session ids and cache-busters, so variants of one page are one URL.

    Removed: ``;name=value`` path parameters and ``name=value`` query parameters whose name is in
    ``session`` and whose value looks like a token (16+ letters/digits: "sid=3" is kept), and those
    in ``tracking`` whose value is a timestamp or a random number ("_t=1629792000000",
    "random=0.8231"). Names compare case-insensitively. Anything else is left as it was.
    """
    if ";" not in url and "=" not in url:
        return url
    names, busters = _lower_set(tuple(session)), _lower_set(tuple(tracking))
    head, sep, query = url.partition("?")
    if ";" in head:
        head = _PATH_PARAM.sub(lambda m: "" if m.group(1).lower() in names and _TOKEN.match(m.group(2)) else m.group(0),
                               head)
    if sep:
        kept = []
        for pair in query.split("&"):
            name, _, value = pair.partition("=")
            lowered = name.lower()
            if (lowered in names and _TOKEN.match(value)) or (lowered in busters and _RANDOM.match(value)):
                continue
            kept.append(pair)
        query = "&".join(p for p in kept if p)
    return f"{head}?{query}" if query else head


@functools.lru_cache(maxsize=16)
def _lower_set(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(n.lower() for n in names)
