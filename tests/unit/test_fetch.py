"""Fetcher: redirects, retries, limits, timeouts, body caps and error names (pytest-httpx)."""

from __future__ import annotations

import asyncio
import gzip
import json

import brotli
import httpx
import pytest
from aiohttp import web
from pytest_httpx import HTTPXMock

import monitor.net.fetch as fetch_mod
from monitor.config.settings import CrawlSettings, LinkSettings
from monitor.net.errors import error_name
from monitor.net.fetch import Fetcher
from monitor.sandbox.server import Host, Route, serve_world

A = "http://127.0.0.1:8001"


def crawl(**over: object) -> CrawlSettings:
    base = {"transport": "httpx", "retries": 2, "retry_backoff": 0.0, "timeout_total": 5.0, "obey_robots": True}
    return CrawlSettings.shipped(**{**base, **over})


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record back-off waits instead of sleeping."""
    seen: list[float] = []

    async def record(seconds: float) -> None:
        seen.append(seconds)

    monkeypatch.setattr(fetch_mod, "backoff_sleep", record)
    return seen


async def test_redirect_chain_ends_on_the_final_page(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/old", status_code=301, headers={"Location": "/mid"})
    httpx_mock.add_response(url=f"{A}/mid", status_code=302, headers={"Location": "new/page.html"})
    httpx_mock.add_response(url=f"{A}/new/page.html", html="<title>ok</title>")
    async with Fetcher(crawl()) as f:
        r = await f.get(f"{A}/old")
    assert (r.status, r.error, r.final_url) == (200, None, f"{A}/new/page.html")
    assert r.redirects == [f"{A}/old", f"{A}/mid"] and r.ok and r.url == f"{A}/old"


async def test_redirect_loop_is_detected(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/a", status_code=302, headers={"Location": f"{A}/b"})
    httpx_mock.add_response(url=f"{A}/b", status_code=302, headers={"Location": f"{A}/a"})
    async with Fetcher(crawl()) as f:
        r = await f.get(f"{A}/a")
    assert (r.error, r.status, r.attempts) == ("redirect_loop", 302, 1)


async def test_waf_cookie_bounce_to_the_same_url_is_not_a_loop(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/p", status_code=302, headers={"Location": f"{A}/p", "Set-Cookie": "wzws=1"})
    httpx_mock.add_response(url=f"{A}/p", html="<title>正文</title>")
    async with Fetcher(crawl()) as f:
        r = await f.get(f"{A}/p")
    assert (r.status, r.error) == (200, None)
    assert httpx_mock.get_requests()[-1].headers["cookie"] == "wzws=1"


async def test_too_many_redirects_stops_at_the_hop_limit(httpx_mock: HTTPXMock) -> None:
    for i in range(4):
        httpx_mock.add_response(url=f"{A}/r{i}", status_code=302, headers={"Location": f"/r{i + 1}"})
    async with Fetcher(crawl(max_redirects=3)) as f:
        r = await f.get(f"{A}/r0")
    assert r.error == "too_many_redirects" and len(r.redirects) == 4


async def test_503_is_retried_then_200(httpx_mock: HTTPXMock, delays: list[float]) -> None:
    httpx_mock.add_response(url=f"{A}/", status_code=503)
    httpx_mock.add_response(url=f"{A}/", html="fine")
    async with Fetcher(crawl(retry_backoff=0.5)) as f:
        r = await f.get(f"{A}/")
    assert (r.status, r.attempts, r.body) == (200, 2, b"fine")
    assert delays == [0.5] and f.stats.retries == 1


async def test_backoff_doubles_and_retries_are_bounded(httpx_mock: HTTPXMock, delays: list[float]) -> None:
    httpx_mock.add_response(url=f"{A}/", status_code=502, is_reusable=True)
    async with Fetcher(crawl(retries=2, retry_backoff=0.5)) as f:
        r = await f.get(f"{A}/")
    assert (r.status, r.attempts, delays) == (502, 3, [0.5, 1.0])


async def test_404_and_410_are_never_retried(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/gone", status_code=404)
    httpx_mock.add_response(url=f"{A}/gone2", status_code=410)
    async with Fetcher(crawl()) as f:
        r1, r2 = await f.get(f"{A}/gone"), await f.get(f"{A}/gone2")
    assert (r1.status, r1.attempts, r2.status, r2.attempts) == (404, 1, 410, 1)
    assert len(httpx_mock.get_requests()) == 2


async def test_429_retry_after_is_honoured(httpx_mock: HTTPXMock, delays: list[float]) -> None:
    httpx_mock.add_response(url=f"{A}/", status_code=429, headers={"Retry-After": "7"})
    httpx_mock.add_response(url=f"{A}/", html="ok")
    async with Fetcher(crawl(retry_backoff=0.5)) as f:
        r = await f.get(f"{A}/")
    assert (r.status, r.attempts, delays) == (200, 2, [7.0])


async def test_retry_after_longer_than_the_maximum_gives_up_at_once(httpx_mock: HTTPXMock, delays: list[float]) -> None:
    httpx_mock.add_response(url=f"{A}/", status_code=429, headers={"Retry-After": "3600"})
    async with Fetcher(crawl(retry_after_max=30.0)) as f:
        r = await f.get(f"{A}/")
    assert (r.status, r.attempts, delays) == (429, 1, [])


async def test_slow_response_times_out(httpx_mock: HTTPXMock) -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200)

    httpx_mock.add_callback(slow, url=f"{A}/slow", is_reusable=True)
    async with Fetcher(crawl(timeout_total=0.05, retries=1)) as f:
        r = await f.get(f"{A}/slow")
    assert (r.status, r.error, r.attempts) == (None, "timeout", 2)


async def test_dns_failure_is_a_value_and_not_retried(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ConnectError("[Errno -2] Name or service not known"), url=f"{A}/")
    async with Fetcher(crawl()) as f:
        r = await f.get(f"{A}/")
    assert (r.status, r.error, r.attempts) == (None, "dns_error", 1)


async def test_connection_reset_is_retried(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ReadError("[Errno 104] Connection reset by peer"), url=f"{A}/")
    httpx_mock.add_response(url=f"{A}/", html="back")
    async with Fetcher(crawl()) as f:
        r = await f.get(f"{A}/")
    assert (r.status, r.attempts) == (200, 2)


@pytest.mark.parametrize(("exc", "name"), [
    (httpx.ConnectError("[Errno -2] Name or service not known"), "dns_error"),
    (httpx.ConnectError("[Errno -3] Temporary failure in name resolution"), "dns_error"),
    (httpx.ConnectError("[Errno 111] Connection refused"), "connect_error"),
    (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), "tls_error"),
    (httpx.ConnectTimeout("timed out"), "timeout"),
    (httpx.ReadTimeout("timed out"), "timeout"),
    (TimeoutError(), "timeout"),
    (httpx.RemoteProtocolError("Server disconnected without sending a response."), "protocol_error"),
    (httpx.ReadError("reset"), "connect_error"),
    (httpx.UnsupportedProtocol("Request URL has an unsupported protocol"), "invalid_url"),
])
def test_error_name_maps_every_exception(exc: BaseException, name: str) -> None:
    assert error_name(exc) == name


def test_error_name_looks_through_the_aiohttp_transport_mapping() -> None:
    import aiohttp

    wrapped = httpx.ConnectTimeout("x")
    wrapped.__cause__ = aiohttp.ServerDisconnectedError()
    assert error_name(wrapped) == "connect_error"


async def test_oversized_body_is_cut_and_marked_truncated(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/big", content=b"x" * 10_000)
    async with Fetcher(crawl(max_body_bytes=1000)) as f:
        r = await f.get(f"{A}/big")
    assert (r.status, r.error, r.truncated, len(r.body)) == (200, None, True, 1000)


@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
def test_gzip_and_brotli_bodies_are_decompressed_by_a_real_server(transport: str) -> None:
    page = "<title>政府</title>".encode()

    def world(bases: dict[str, str]) -> dict[str, Host]:
        return {"site": Host(routes={
            "/gz": Route(gzip.compress(page), headers={"Content-Encoding": "gzip"}),
            "/br": Route(brotli.compress(page), headers={"Content-Encoding": "br"}),
        })}

    async def run(base: str) -> list[fetch_mod.FetchResult]:
        async with Fetcher(crawl(transport=transport)) as f:
            return [await f.get(base + "/gz"), await f.get(base + "/br")]

    with serve_world(world, ["site"]) as w:
        gz, br = asyncio.run(run(w.base("site")))
    assert (gz.body, br.body) == (page, page)


async def test_invalid_url_is_a_value(httpx_mock: HTTPXMock) -> None:
    async with Fetcher(crawl()) as f:
        r = await f.get("javascript:void(0)")
    assert (r.error, r.status) == ("invalid_url", None)


async def test_user_agent_and_content_type_are_set(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/", html="x", headers={"Content-Type": "text/HTML; charset=GBK"})
    async with Fetcher(crawl(), user_agent="govmon-test/1") as f:
        r = await f.get(f"{A}/")
    assert httpx_mock.get_requests()[0].headers["user-agent"] == "govmon-test/1"
    assert r.content_type == "text/html" and r.headers["content-type"] == "text/HTML; charset=GBK"


async def test_head_405_falls_back_to_get(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/f.pdf", method="HEAD", status_code=405)
    httpx_mock.add_response(url=f"{A}/f.pdf", method="GET", content=b"%PDF")
    async with Fetcher(crawl(), LinkSettings.shipped()) as f:
        r = await f.head_or_get(f"{A}/f.pdf")
    assert (r.method, r.status, r.body) == ("GET", 200, b"%PDF")


async def test_head_ok_needs_no_get(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/f.pdf", method="HEAD", status_code=200)
    async with Fetcher(crawl(), LinkSettings.shipped()) as f:
        r = await f.head_or_get(f"{A}/f.pdf")
    assert (r.method, r.status) == ("HEAD", 200) and len(httpx_mock.get_requests()) == 1


async def test_head_404_is_confirmed_by_get_with_retries_semantics(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/x.doc", method="HEAD", status_code=404)
    httpx_mock.add_response(url=f"{A}/x.doc", method="GET", status_code=200, content=b"doc")
    async with Fetcher(crawl(), LinkSettings.shipped()) as f:
        r = await f.head_or_get(f"{A}/x.doc")
    assert (r.method, r.status) == ("GET", 200)


async def test_head_first_off_uses_get_only(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/f.pdf", method="GET", content=b"%PDF")
    async with Fetcher(crawl(), LinkSettings.shipped(head_first=False)) as f:
        r = await f.head_or_get(f"{A}/f.pdf")
    assert r.method == "GET"


async def test_mock_transport_injection_wins_over_settings() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, text="mocked")

    async with Fetcher(crawl(transport="aiohttp"), transport=httpx.MockTransport(handler)) as f:
        r = await f.get(f"{A}/x")
    assert r.body == b"mocked" and seen == [f"{A}/x"]


async def test_external_hosts_get_their_own_per_host_limit() -> None:
    f = Fetcher(crawl(per_host_concurrency=8, host_overrides={"127.0.0.1:8003": {"concurrency": 1, "rate": 2.0}}),
                LinkSettings.shipped(external_per_host_concurrency=3))
    f.add_site_hosts(["http://127.0.0.1:8001/"])
    assert f.gate("127.0.0.1:8001").sem._value == 8
    assert f.gate("127.0.0.1:8002").sem._value == 3
    override = f.gate("127.0.0.1:8003")
    assert (override.sem._value, override.interval) == (1, 0.5)


async def test_global_limit_caps_requests_in_flight() -> None:
    peak = 0
    active = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal peak, active
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.01)
        active -= 1
        return httpx.Response(200)

    async with Fetcher(crawl(concurrency=3, per_host_concurrency=10), transport=httpx.MockTransport(handler)) as f:
        await asyncio.gather(*[f.get(f"{A}/{i}") for i in range(12)])
    assert peak == 3 and f.stats.requests == 12


def test_real_server_aiohttp_transport_times_out_on_a_hanging_route() -> None:
    def world(bases: dict[str, str]) -> dict[str, Host]:
        return {"site": Host(routes={
            "/": Route("<title>首页</title>"),
            "/gbk": Route("<title>朱镕基</title>".encode("gbk"), content_type="text/html; charset=gb2312"),
            "/hang": Route("late", delay=2.0),
            "/move": Route(status=302, location="/gbk"),
        })}

    async def run(base: str) -> list[fetch_mod.FetchResult]:
        async with Fetcher(crawl(transport="aiohttp", timeout_total=0.3, retries=0)) as f:
            return [await f.get(base + p) for p in ("/", "/move", "/hang", "/missing")]

    with serve_world(world, ["site"], dead=("down",)) as w:
        home, moved, hang, missing = asyncio.run(run(w.base("site")))
        down = asyncio.run(_one(w.base("down")))
    assert (home.status, home.text()) == (200, "<title>首页</title>")
    assert (moved.status, moved.text(), moved.encoding) == (200, "<title>朱镕基</title>", "gb18030")
    assert (hang.status, hang.error) == (None, "timeout")
    assert missing.status == 404
    assert (down.status, down.error) == (None, "connect_error")


async def _one(url: str) -> fetch_mod.FetchResult:
    async with Fetcher(crawl(transport="aiohttp", retries=0)) as f:
        return await f.get(url)


async def test_raw_utf8_location_header_is_followed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(302, headers=[(b"Location", "/新闻/1.html".encode())])
        return httpx.Response(200, text=request.url.path)

    async with Fetcher(crawl(), transport=httpx.MockTransport(handler)) as f:
        r = await f.get(f"{A}/old")
    assert (r.status, r.final_url) == (200, f"{A}/%E6%96%B0%E9%97%BB/1.html")


async def test_cookies_set_by_a_response_are_sent_back() -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("cookie"))
        return httpx.Response(200, headers={"Set-Cookie": "sid=abc; Path=/"})

    async with Fetcher(crawl(), transport=httpx.MockTransport(handler)) as f:
        await f.get(f"{A}/one")
        await f.get(f"{A}/two")
    assert seen == [None, "sid=abc"]


async def test_retries_argument_overrides_the_setting(httpx_mock: HTTPXMock, delays: list[float]) -> None:
    httpx_mock.add_response(url=f"{A}/", status_code=503)
    async with Fetcher(crawl(retries=2)) as f:
        r = await f.get(f"{A}/", retries=0)
    assert (r.status, r.attempts, delays) == (503, 1, [])


async def test_a_temporary_dns_failure_is_retried_and_a_missing_name_is_not(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ConnectError("[Errno -3] Temporary failure in name resolution"), url=f"{A}/again")
    httpx_mock.add_response(url=f"{A}/again", html="ok")
    async with Fetcher(crawl()) as f:
        r = await f.get(f"{A}/again")
    assert (r.status, r.error, r.attempts) == (200, None, 2)


async def _echo_server() -> tuple[web.AppRunner, str]:
    """A real server on 127.0.0.1 that shows the request headers it got (for the wire tests)."""
    async def handle(request: web.Request) -> web.Response:
        if request.path == "/bounce" and "wzws" not in request.cookies:
            return web.Response(status=302, headers={"Location": "/bounce", "Set-Cookie": "wzws=1; Path=/"})
        if request.path == "/big":
            return web.Response(body=b"x" * 5000, content_type="text/html")
        shown = {name: request.headers.get(name) for name in ("cookie", "user-agent", "accept-encoding", "host")}
        headers = {"Set-Cookie": "sid=abc; Path=/"} if request.path == "/set" else {}
        return web.json_response(shown, headers=headers)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("transport", ["aiohttp", "httpx"])
async def test_both_wires_send_the_same_headers_and_keep_cookies_on_a_real_server(transport: str) -> None:
    runner, base = await _echo_server()
    try:
        async with Fetcher(crawl(transport=transport, max_body_bytes=1000), user_agent="govmon-test/2") as f:
            first, second = await f.get(f"{base}/set"), await f.get(f"{base}/echo")
            bounced, big, head = await f.get(f"{base}/bounce"), await f.get(f"{base}/big"), await f.head_or_get(f"{base}/echo")
    finally:
        await runner.cleanup()
    port = base.rsplit(":", 1)[1]
    assert json.loads(first.body) == {"cookie": None, "user-agent": "govmon-test/2",
                                      "accept-encoding": "gzip, deflate, br", "host": f"127.0.0.1:{port}"}
    assert json.loads(second.body)["cookie"] == "sid=abc" and first.headers["set-cookie"].startswith("sid=abc")
    assert (bounced.status, bounced.error, bounced.redirects) == (200, None, [f"{base}/bounce"])
    assert "wzws=1" in json.loads(bounced.body)["cookie"]
    assert (big.status, big.truncated, len(big.body)) == (200, True, 1000)
    assert (head.method, head.status, head.body, head.content_type) == ("HEAD", 200, b"", "application/json")


# --- bounded bodies (issue 10) -----------------------------------------------------------------

async def _chunks(data: bytes, size: int = 4096):  # type: ignore[no-untyped-def]
    for i in range(0, len(data), size):
        yield data[i:i + size]


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
async def test_compressed_bodies_decode_to_at_most_the_cap(encoding: str) -> None:
    import zlib

    import brotli

    from monitor.net.wire import Reply, read_capped

    plain = b"<html>" + b" " * 20_000_000 + b"</html>"
    packed = {"gzip": lambda d: zlib.compress(d, 9, wbits=31), "deflate": lambda d: zlib.compress(d, 9),
              "br": lambda d: brotli.compress(d, quality=5)}[encoding](plain)
    reply = Reply(200, {})
    await read_capped(_chunks(packed), 200, 1_000_000, reply, encoding=encoding)
    assert reply.truncated and len(reply.body) == 1_000_000 and reply.body.startswith(b"<html>")
    assert reply.size <= len(packed)
    small = Reply(200, {})
    await read_capped(_chunks(packed[:0] + zlib.compress(b"<p>ok</p>", wbits=31)), 200, 1000, small, encoding="gzip")
    assert (small.body, small.truncated) == (b"<p>ok</p>", False)


async def test_decoding_stops_at_the_ratio_limit_before_the_cap() -> None:
    import zlib

    from monitor.net.wire import Reply, read_capped

    packed = zlib.compress(b" " * 30_000_000, 9, wbits=31)
    reply = Reply(200, {})
    await read_capped(_chunks(packed, 1024), 200, 20_000_000, reply, encoding="gzip", max_ratio=100)
    assert reply.truncated and 1_048_576 < len(reply.body) <= 3 * 1_048_576  # ~1 MB per 1 KB chunk of this bomb


async def test_a_body_that_breaks_off_keeps_what_was_read() -> None:
    from monitor.net.wire import Reply, read_capped

    async def broken():  # type: ignore[no-untyped-def]
        yield b"<html><title>ok</title>"
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

    reply = Reply(200, {})
    await read_capped(broken(), 200, 1000, reply)
    assert (reply.body, reply.truncated) == (b"<html><title>ok</title>", True)


class _FakeResolver:
    """Resolves every name to 127.0.0.1 (no lookup ever leaves the process)."""

    async def resolve(self, host: str, port: int = 0, family: int = 2) -> list[dict]:
        return [{"hostname": host, "host": "127.0.0.1", "port": port, "family": family, "proto": 0, "flags": 0}]

    async def close(self) -> None:
        return None


async def test_a_name_resolving_to_a_private_address_is_refused_before_connecting() -> None:
    from monitor.net.wire import make_transport
    from monitor.sandbox.server import Host, Route, serve_world

    with serve_world(lambda bases: {"site": Host(routes={"/x.html": Route("<title>x</title>")})}, ["site"]) as world:
        port = world.base("site").rsplit(":", 1)[1]
        url = f"http://intranet.example:{port}/x.html"
        settings = CrawlSettings.shipped(transport="aiohttp", retries=0, allow_private=False)
        async with Fetcher(settings, transport=make_transport(settings, _FakeResolver())) as f:  # type: ignore[arg-type]
            f.add_site_hosts(["www.gov.example"])
            refused = await f.get(url, guard=True)
            unguarded = await f.get(url)
            f.add_site_hosts(["intranet.example"])
            own = await f.get(url, guard=True)
        assert (refused.error, refused.status) == ("private_address", None)
        assert (unguarded.status, own.status) == (200, 200)
        assert world.hits["site"] == {"/x.html": 2}
