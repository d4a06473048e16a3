"""Serve a declarative world of hosts on 127.0.0.1, one port per host, in a background thread.

A *world builder* receives the base URL of every host (``http://127.0.0.1:PORT``) and returns
``{host_key: Host}``; ports are bound first so pages can link to each other by absolute URL.
Host keys listed as ``dead`` get a port that nothing listens on (an "external site down").
Host keys given in ``tls`` are served over https with that server context (base ``https://…``);
the test that passes one trusts its CA (``crawl.ca_file``).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Route:
    """How one path answers."""

    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    encoding: str = "utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    head_status: int | None = None
    location: str | None = None
    raw: bytes | None = None  # written to the socket as is (status line, headers, body), then closed

    def payload(self) -> bytes:
        return self.body if isinstance(self.body, bytes) else self.body.encode(self.encoding)


@dataclass
class Host:
    """One simulated host: exact routes by path (with query), and an optional generator."""

    routes: dict[str, Route] = field(default_factory=dict)
    fallback: Callable[[str], Route | None] | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)

    def add(self, path: str, route: Route) -> None:
        self.routes[path] = route

    def resolve(self, path_qs: str) -> Route | None:
        route = self.routes.get(path_qs)
        if route is None and "?" in path_qs:
            route = self.routes.get(path_qs.split("?", 1)[0])
        if route is None and self.fallback is not None:
            route = self.fallback(path_qs)
        return route


WorldBuilder = Callable[[dict[str, str]], dict[str, Host]]
NOT_FOUND = Route("<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>", 404)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bound_socket() -> socket.socket:
    """A socket bound to a free 127.0.0.1 port and kept open until served, so that no other
    process (tests running in parallel) can take the port between choosing and serving it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def _handler(hosts: dict[str, Host], key: str, counter: dict[str, int]) -> Callable[[web.Request], object]:
    """Answer from ``hosts[key]`` looked up per request, so a swapped world is served at once."""

    async def handle(request: web.Request) -> web.StreamResponse:
        path_qs = request.rel_url.raw_path_qs if hasattr(request.rel_url, "raw_path_qs") else str(request.rel_url)
        counter[path_qs] = counter.get(path_qs, 0) + 1
        host = hosts[key]
        route = host.resolve(path_qs) or NOT_FOUND
        if route.delay:
            await asyncio.sleep(route.delay)
        if route.raw is not None:  # a malformed exchange (a Content-Length that lies) aiohttp would not send
            assert request.transport is not None
            request.transport.write(route.raw)
            request.transport.close()
            raise asyncio.CancelledError
        headers = {**host.extra_headers, **route.headers}
        if route.location is not None:
            headers["Location"] = route.location
        status = route.status
        if request.method == "HEAD" and route.head_status is not None:
            status = route.head_status
        body = b"" if request.method == "HEAD" else route.payload()
        return web.Response(body=body, status=status, headers=headers, content_type=None if "Content-Type" in headers
                            else route.content_type.split(";")[0],
                            charset=_charset(route.content_type))

    return handle


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return value
    return None


class RunningWorld:
    """A world being served: base URLs by host key, and request counts for assertions."""

    def __init__(self, bases: dict[str, str], hits: dict[str, dict[str, int]],
                 hosts: dict[str, Host] | None = None) -> None:
        self.bases = bases
        self.hits = hits
        self.hosts = hosts if hosts is not None else {}

    def swap(self, builder: WorldBuilder) -> None:
        """Serve ``builder``'s world from now on, on the same ports (e.g. the next month's city).

        The new world must use the served host keys; a key it leaves out keeps its old host.
        """
        new = builder(self.bases)
        unknown = sorted(set(new) - set(self.hosts))
        if unknown:
            raise KeyError(f"host keys not served: {', '.join(unknown)}")
        self.hosts.update(new)

    def base(self, key: str) -> str:
        return self.bases[key]

    def url(self, key: str, path: str = "/") -> str:
        return self.bases[key] + path


@contextmanager
def serve_world(builder: WorldBuilder, keys: list[str], dead: tuple[str, ...] = (),
                tls: dict[str, ssl.SSLContext] | None = None) -> Iterator[RunningWorld]:
    """Serve ``builder``'s world until the block exits; the servers are always stopped."""
    tls = tls or {}
    socks = {key: _bound_socket() for key in keys}
    ports = {key: int(sock.getsockname()[1]) for key, sock in socks.items()}
    ports.update({key: _free_port() for key in dead})
    bases = {key: f"{'https' if key in tls else 'http'}://127.0.0.1:{port}" for key, port in ports.items()}
    hosts = builder(bases)
    hits: dict[str, dict[str, int]] = {key: {} for key in hosts}
    loop = asyncio.new_event_loop()
    runners: list[web.AppRunner] = []
    ready = threading.Event()
    failure: list[BaseException] = []

    async def start() -> None:
        for key in hosts:
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", _handler(hosts, key, hits[key]))
            runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
            await runner.setup()
            if key in socks:
                await web.SockSite(runner, socks[key], backlog=1024, ssl_context=tls.get(key)).start()
            else:
                await web.TCPSite(runner, "127.0.0.1", ports[key], backlog=1024).start()
            runners.append(runner)

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(start())
        except BaseException as exc:  # reported to the caller below
            failure.append(exc)
        ready.set()
        if not failure:
            loop.run_forever()

    thread = threading.Thread(target=run, name="govmon-sandbox", daemon=True)
    thread.start()
    ready.wait(30)
    if failure:
        for sock in socks.values():
            sock.close()
        raise failure[0]
    try:
        yield RunningWorld(bases, hits, hosts)
    finally:
        async def stop() -> None:
            for runner in runners:
                await runner.cleanup()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        for sock in socks.values():
            sock.close()
        thread.join(30)
        loop.close()
