"""One HTTP exchange on the wire, for ``monitor.fetch.Fetcher``: the two ways a request is sent.

* ``HttpxWire`` — an ``httpx.Request`` handed to an httpx transport: an injected one
  (``httpx.MockTransport``, pytest-httpx) or httpx's own pool (``crawl.transport = "httpx"``).
* ``AiohttpWire`` — the default ``crawl.transport = "aiohttp"``: the request goes straight to
  the ``aiohttp.ClientSession`` inside httpx-aiohttp's ``AiohttpTransport`` with the very
  arguments that transport would pass (same headers, URL string, timeouts, no decompression by
  aiohttp). Skipping the ``httpx.Request``/``httpx.Response`` pair saves ≈ 100 µs CPU a request
  (bench/README.md); httpx still does what it did: the cookie jar (objects built only when a
  cookie is sent or set) and content decoding (only when the response has a Content-Encoding).

Both read the body the same way: decoded chunks until more than ``cap`` bytes arrived.
Network failures propagate as the exceptions ``monitor.fetch.error_name`` maps.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import httpx

from monitor.settings import CrawlSettings

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
REDIRECT_BODY_CAP = 65536
_NAMES: dict[bytes, str] = {}  # raw header name → lower-case text (servers send few distinct names)


@dataclass
class Reply:
    """What one exchange gave: status, headers (lower-case names), the body prefix, bytes read."""

    status: int
    headers: dict[str, str]
    body: bytes = b""
    truncated: bool = False
    size: int = 0


def tls_context(crawl: CrawlSettings) -> ssl.SSLContext:
    """The system's trusted certificates, plus ``crawl.ca_file`` when set (a city's own CA)."""
    context = ssl.create_default_context()
    if crawl.ca_file:
        context.load_verify_locations(cafile=crawl.ca_file)
    return context


def make_transport(crawl: CrawlSettings) -> httpx.AsyncBaseTransport:
    """The transport ``crawl.transport`` names, with its pool sized to the concurrency limit."""
    pool = crawl.concurrency + 4
    if crawl.transport == "httpx":
        limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool, keepalive_expiry=30)
        return httpx.AsyncHTTPTransport(limits=limits, retries=0, verify=tls_context(crawl))
    if crawl.transport != "aiohttp":
        raise ValueError(f"crawl.transport: unknown transport {crawl.transport!r} (aiohttp or httpx)")
    from httpx_aiohttp import AiohttpTransport

    def session() -> aiohttp.ClientSession:
        # Cookies stay with httpx (one jar); decompression stays with httpx (auto_decompress off).
        connector = aiohttp.TCPConnector(limit=pool, limit_per_host=0, keepalive_timeout=30,
                                         ttl_dns_cache=300, ssl=tls_context(crawl))
        return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                     timeout=aiohttp.ClientTimeout(total=None), auto_decompress=False)

    return AiohttpTransport(client=session)


def header_dict(raw: list[tuple[bytes, bytes]] | tuple[tuple[bytes, bytes], ...]) -> dict[str, str]:
    """Lower-case names to values (repeats joined by ", "); UTF-8 values kept (Chinese Location headers)."""
    out: dict[str, str] = {}
    for key, value in raw:
        name = _NAMES.get(key)
        if name is None:
            name = key.decode("latin-1").lower()
            if len(_NAMES) < 1024:
                _NAMES[key] = name
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            text = value.decode("latin-1")
        out[name] = f"{out[name]}, {text}" if name in out else text
    return out


async def read_capped(chunks: AsyncIterator[bytes], status: int, limit: int, reply: Reply) -> None:
    """Fill ``reply.body`` with at most ``limit`` bytes (64 KB for a redirect), marking a cut."""
    cap = min(limit, REDIRECT_BODY_CAP) if status in REDIRECT_STATUSES else limit
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        parts.append(chunk)
        size += len(chunk)
        if size > cap:
            reply.truncated = True
            break
    body = parts[0] if len(parts) == 1 else b"".join(parts)
    reply.body = body[:cap] if reply.truncated else body
    reply.size = size


class HttpxWire:
    """Requests as ``httpx.Request`` through an httpx transport, with the client's headers and jar.

    Calling the transport directly skips httpx's auth/redirect/hook machinery, which we do not
    use (redirects are ours) and which costs ~90 µs a request; cookies are kept by hand.
    """

    def __init__(self, client: httpx.AsyncClient, transport: httpx.AsyncBaseTransport) -> None:
        self.client, self.transport = client, transport
        self.extensions = {"timeout": client.timeout.as_dict()}

    async def send(self, method: str, url: str, limit: int) -> Reply:
        request = httpx.Request(method, url, headers=self.client.headers, extensions=self.extensions)
        if self.client.cookies.jar:
            self.client.cookies.set_cookie_header(request)
        response = await self.transport.handle_async_request(request)
        response.request = request
        try:
            reply = Reply(response.status_code, header_dict(response.headers.raw))
            if "set-cookie" in reply.headers:
                self.client.cookies.extract_cookies(response)
            if method != "HEAD":
                await read_capped(response.aiter_bytes(), reply.status, limit, reply)
            return reply
        finally:
            await response.aclose()


class AiohttpWire:
    """Requests straight to httpx-aiohttp's ``ClientSession``, as its transport would send them."""

    def __init__(self, client: httpx.AsyncClient, session: aiohttp.ClientSession) -> None:
        self.client, self.session = client, session
        prototype = httpx.Request("GET", "http://127.0.0.1/", headers=client.headers)
        # Host is per URL; aiohttp writes the same value httpx would ("host[:port]").
        self.headers = {name: value for name, value in prototype.headers.items() if name != "host"}
        timeout = client.timeout
        self.timeout = aiohttp.ClientTimeout(sock_connect=timeout.connect, sock_read=timeout.read, connect=timeout.pool)

    async def send(self, method: str, url: str, limit: int) -> Reply:
        headers = self.headers
        jar = self.client.cookies
        if jar.jar:
            probe = httpx.Request(method, url)
            jar.set_cookie_header(probe)
            if "cookie" in probe.headers:
                headers = {**headers, "cookie": probe.headers["cookie"]}
        response = await self.session.request(method, url, headers=headers, allow_redirects=False,
                                              auto_decompress=False, compress=False, timeout=self.timeout)
        try:
            reply = Reply(response.status, header_dict(response.raw_headers))
            if "set-cookie" in reply.headers:
                jar.extract_cookies(httpx.Response(reply.status, headers=response.raw_headers,
                                                   request=httpx.Request(method, url)))
            if method != "HEAD":
                await read_capped(self._chunks(response, reply), reply.status, limit, reply)
            return reply
        finally:
            await response.__aexit__(None, None, None)

    @staticmethod
    def _chunks(response: aiohttp.ClientResponse, reply: Reply) -> AsyncIterator[bytes]:
        """Raw chunks, or httpx's decoding of them when the response is content-encoded."""
        raw = response.content.iter_any()
        if "content-encoding" not in reply.headers:
            return raw
        return httpx.Response(reply.status, headers=response.raw_headers, stream=_Stream(raw)).aiter_bytes()


class _Stream(httpx.AsyncByteStream):
    """An aiohttp body as an httpx stream (for httpx's content decoders)."""

    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        self.chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.chunks:
            yield chunk
