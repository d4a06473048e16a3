"""One HTTP exchange on the wire, for ``monitor.net.fetch.Fetcher``: the two ways a request is sent.

* ``HttpxWire`` — an ``httpx.Request`` handed to an httpx transport: an injected one
  (``httpx.MockTransport``, pytest-httpx) or httpx's own pool (``crawl.transport = "httpx"``).
* ``AiohttpWire`` — the default ``crawl.transport = "aiohttp"``: the request goes straight to
  the ``aiohttp.ClientSession`` inside httpx-aiohttp's ``AiohttpTransport`` with the very
  arguments that transport would pass (same headers, URL string, timeouts, no decompression by
  aiohttp). Skipping the ``httpx.Request``/``httpx.Response`` pair saves ≈ 100 µs CPU a request
  (bench/README.md); httpx still does what it did: the cookie jar (objects built only when a
  cookie is sent or set) and content decoding (only when the response has a Content-Encoding).

Both read the body the same way (``read_capped``): raw chunks, decoded here with bounded output
(``BoundedDecoder``: gzip/deflate through zlib ``max_length``, brotli through its output-buffer
limit), until more than ``cap`` *decoded* bytes arrived or the decoded/raw ratio passes
``crawl.max_decompression_ratio`` — a 100-byte brotli bomb costs a few hundred KB, not 60 MB.
A body that ends early or breaks mid-way (a server's Content-Length longer than what it sends, a
corrupt gzip tail) keeps what was read, marked truncated: the page as a browser would show it.
A Content-Length *shorter* than the body makes aiohttp reject the whole response (the surplus is
parsed as a next status line); that request is sent once more over a one-shot h11 connection,
which reads the page as sent. Other network failures propagate as the exceptions
``monitor.net.errors.error_name`` maps.
"""

from __future__ import annotations

import contextvars
import socket
import ssl
import zlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import brotli
import httpx

from monitor.config.settings import CrawlSettings
from monitor.model.urls import is_private_address

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
REDIRECT_BODY_CAP = 65536
RATIO_FLOOR = 1_048_576  # decoded bytes before the ratio limit applies (small pages compress ~10x)
DECODE_SLICE = 4096  # compressed bytes fed to a decoder at a time
BODY_BREAKS = (aiohttp.ClientPayloadError, httpx.RemoteProtocolError, httpx.ReadError, httpx.DecodingError)
_NAMES: dict[bytes, str] = {}  # raw header name → lower-case text (servers send few distinct names)


#: Set by the fetcher around one guarded exchange: tells whether a host name must not resolve to a
#: private address (not a registry site's host, ``allow_private`` off). Read by ``GuardedResolver``.
REFUSE_PRIVATE: contextvars.ContextVar[Callable[[str, int], bool] | None] = contextvars.ContextVar(
    "govmon_refuse_private", default=None)


class PrivateAddressError(OSError):
    """A host name resolved only to private/loopback/link-local addresses where those are refused."""


class GuardedResolver(aiohttp.abc.AbstractResolver):
    """aiohttp's resolver, with the private-address refusal applied to the resolved addresses
    before any connection is made (a public-looking name may point into the office network)."""

    def __init__(self, inner: aiohttp.abc.AbstractResolver | None = None) -> None:
        self.inner = inner or aiohttp.DefaultResolver()

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[dict[str, Any]]:
        infos = await self.inner.resolve(host, port, family)
        refuse = REFUSE_PRIVATE.get()
        if refuse is None or not refuse(host, port):
            return infos
        public = [info for info in infos if not is_private_address(info["host"])]
        if not public:
            raise PrivateAddressError(f"{host} resolves to a private address")
        return public

    async def close(self) -> None:
        await self.inner.close()


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


def make_transport(crawl: CrawlSettings, resolver: aiohttp.abc.AbstractResolver | None = None,
                   ) -> httpx.AsyncBaseTransport:
    """The transport ``crawl.transport`` names, with its pool sized to the concurrency limit (and,
    for aiohttp, ``resolver`` — tests give a fake one — wrapped in the private-address guard)."""
    pool = crawl.concurrency + 4
    if crawl.transport == "httpx":
        limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool, keepalive_expiry=30)
        return httpx.AsyncHTTPTransport(limits=limits, retries=0, verify=tls_context(crawl))
    if crawl.transport != "aiohttp":
        raise ValueError(f"crawl.transport: unknown transport {crawl.transport!r} (aiohttp or httpx)")
    from httpx_aiohttp import AiohttpTransport

    def session() -> aiohttp.ClientSession:
        # Cookies stay with httpx (one jar); decompression stays with httpx (auto_decompress off).
        # No DNS cache: every new connection's addresses pass GuardedResolver (keep-alive reuses connections).
        connector = aiohttp.TCPConnector(limit=pool, limit_per_host=0, keepalive_timeout=30, use_dns_cache=False,
                                         resolver=GuardedResolver(resolver), ssl=tls_context(crawl))
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


class BoundedDecoder:
    """Content-Encoding decoding that never yields more than asked for (gzip, deflate, br; chained)."""

    def __init__(self, encodings: str) -> None:
        names = [e.strip().lower() for e in encodings.split(",") if e.strip().lower() not in ("", "identity")]
        self.steps: list[Callable[[bytes, int], bytes]] = [self._step(name) for name in reversed(names)]

    @staticmethod
    def _step(name: str) -> Callable[[bytes, int], bytes]:
        if name in ("gzip", "x-gzip"):
            return _ZlibStep(zlib.MAX_WBITS | 32)
        if name == "deflate":
            return _ZlibStep(zlib.MAX_WBITS, raw_fallback=True)
        if name == "br":
            return _BrotliStep()
        raise ValueError(f"unsupported content-encoding {name!r}")

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded bytes of ``data``: at most ``room`` (+ one step's slack); the rest stays buffered."""
        for step in self.steps:
            data = step(data, room)
        return data


class _ZlibStep:
    def __init__(self, wbits: int, raw_fallback: bool = False) -> None:
        self.wbits, self.raw_fallback, self.started = wbits, raw_fallback, False
        self.obj = zlib.decompressobj(wbits)
        self.tail = b""

    def __call__(self, data: bytes, room: int) -> bytes:
        buf = self.tail + data
        try:
            out = self.obj.decompress(buf, max(1, room))
        except zlib.error:
            if not self.raw_fallback or self.started:
                raise
            self.obj, self.raw_fallback = zlib.decompressobj(-zlib.MAX_WBITS), False  # headerless "deflate"
            out = self.obj.decompress(buf, max(1, room))
        self.started = True
        self.tail = self.obj.unconsumed_tail
        return out


class _BrotliStep:
    def __init__(self) -> None:
        self.obj = brotli.Decompressor()
        self.pending = b""

    def __call__(self, data: bytes, room: int) -> bytes:
        self.pending += data
        limit = max(1, room)
        if not self.obj.can_accept_more_data():
            return self.obj.process(b"", output_buffer_limit=limit)
        data, self.pending = self.pending, b""
        return self.obj.process(data, output_buffer_limit=limit)


async def read_capped(chunks: AsyncIterator[bytes], status: int, limit: int, reply: Reply, *,
                      encoding: str = "", max_ratio: float = 0.0) -> None:
    """Fill ``reply.body`` with at most ``limit`` decoded bytes (64 KB for a redirect), marking a cut
    (the cap, the ratio limit, or a body that broke off: what was read is kept)."""
    cap = min(limit, REDIRECT_BODY_CAP) if status in REDIRECT_STATUSES else limit
    decoder = BoundedDecoder(encoding) if encoding else None
    parts: list[bytes] = []
    size = raw = 0
    try:
        async for chunk in chunks:
            if decoder is None:
                raw += len(chunk)
                parts.append(chunk)
                size += len(chunk)
                if size > cap:
                    reply.truncated = True
                    break
                continue
            for start in range(0, len(chunk), DECODE_SLICE):  # small slices: the ratio is checked often
                raw += min(DECODE_SLICE, len(chunk) - start)
                allowed = cap + 1 if not max_ratio else min(cap + 1, int(max(RATIO_FLOOR, max_ratio * raw)) + 1)
                data = decoder.feed(chunk[start:start + DECODE_SLICE], allowed - size)
                parts.append(data)
                size += len(data)
                if size > cap or (max_ratio and size > RATIO_FLOOR and size > max_ratio * raw):
                    reply.truncated = True
                    break
            if reply.truncated:
                break
    except (*BODY_BREAKS, zlib.error, brotli.error):
        reply.truncated = True
    body = parts[0] if len(parts) == 1 else b"".join(parts)
    reply.body = body[:cap] if size > cap else body
    reply.size = raw


class HttpxWire:
    """Requests as ``httpx.Request`` through an httpx transport, with the client's headers and jar.

    Calling the transport directly skips httpx's auth/redirect/hook machinery, which we do not
    use (redirects are ours) and which costs ~90 µs a request; cookies are kept by hand.
    """

    def __init__(self, client: httpx.AsyncClient, transport: httpx.AsyncBaseTransport, max_ratio: float = 0.0) -> None:
        self.client, self.transport, self.max_ratio = client, transport, max_ratio
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
                if response.is_stream_consumed and hasattr(response, "_content"):  # a mock's prepared response
                    await read_capped(_once(response.content), reply.status, limit, reply)
                else:
                    await read_capped(response.aiter_raw(), reply.status, limit, reply,
                                      encoding=reply.headers.get("content-encoding", ""), max_ratio=self.max_ratio)
            return reply
        finally:
            await response.aclose()


class AiohttpWire:
    """Requests straight to httpx-aiohttp's ``ClientSession``, as its transport would send them."""

    def __init__(self, client: httpx.AsyncClient, session: aiohttp.ClientSession, max_ratio: float = 0.0) -> None:
        self.client, self.session, self.max_ratio = client, session, max_ratio
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
        try:
            response = await self.session.request(method, url, headers=headers, allow_redirects=False,
                                                  auto_decompress=False, compress=False, timeout=self.timeout)
        except aiohttp.ClientResponseError:  # aiohttp's parser refused the exchange (surplus bytes after
            return await self._one_shot(method, url, limit)  # a short Content-Length, …): h11 may read it
        try:
            reply = Reply(response.status, header_dict(response.raw_headers))
            if "set-cookie" in reply.headers:
                jar.extract_cookies(httpx.Response(reply.status, headers=response.raw_headers,
                                                   request=httpx.Request(method, url)))
            if method != "HEAD":
                await read_capped(response.content.iter_any(), reply.status, limit, reply,
                                  encoding=reply.headers.get("content-encoding", ""), max_ratio=self.max_ratio)
            return reply
        finally:
            await response.__aexit__(None, None, None)

    async def _one_shot(self, method: str, url: str, limit: int) -> Reply:
        """The request again over a fresh h11 connection that is never reused (h11 reads the body the
        Content-Length announces and stops there; the surplus dies with the connection)."""
        transport = httpx.AsyncHTTPTransport(retries=0, limits=httpx.Limits(max_keepalive_connections=0))
        try:
            return await HttpxWire(self.client, transport, self.max_ratio).send(method, url, limit)
        finally:
            await transport.aclose()


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data
