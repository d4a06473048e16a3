"""GET every page at a fixed concurrency through each HTTP stack and print requests per second.

Stacks: plain ``httpx.AsyncClient`` (its own pool), httpx over httpx-aiohttp's transport, raw
aiohttp (the ceiling), and govmon's ``Fetcher`` over each transport (what a crawl really pays:
limits, redirect handling, streaming with a size cap). The fastest usable one is the default
``crawl.transport``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from monitor.config.settings import CrawlSettings, LinkSettings
from monitor.net.fetch import Fetcher

Getter = Callable[[str], Awaitable[int]]


async def _drive(urls: list[str], concurrency: int, get: Getter) -> tuple[float, int]:
    """Seconds to GET every URL with ``concurrency`` workers, and how many answered 200."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    ok = 0

    async def worker() -> None:
        nonlocal ok
        while not queue.empty():
            url = queue.get_nowait()
            if await get(url) == 200:
                ok += 1

    started = time.perf_counter()
    await asyncio.gather(*[worker() for _ in range(concurrency)])
    return time.perf_counter() - started, ok


async def bench_httpx(urls: list[str], concurrency: int, transport: httpx.AsyncBaseTransport | None) -> tuple[float, int]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(transport=transport, limits=limits) as client:
        async def get(url: str) -> int:
            response = await client.get(url)
            return response.status_code

        return await _drive(urls, concurrency, get)


async def bench_aiohttp(urls: list[str], concurrency: int) -> tuple[float, int]:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        async def get(url: str) -> int:
            async with session.get(url) as response:
                await response.read()
                return response.status

        return await _drive(urls, concurrency, get)


async def bench_fetcher(urls: list[str], concurrency: int, transport: str) -> tuple[float, int]:
    crawl = CrawlSettings.shipped(transport=transport, concurrency=concurrency, per_host_concurrency=concurrency)  # type: ignore[arg-type]
    async with Fetcher(crawl, LinkSettings.shipped()) as fetcher:
        async def get(url: str) -> int:
            return (await fetcher.get(url)).status or 0

        return await _drive(urls, concurrency, get)


def run_all(urls: list[str], concurrency: int = 16) -> list[tuple[str, float, int]]:
    """``(stack, req/s, ok)`` for every stack, each on a fresh event loop."""
    stacks: list[tuple[str, Callable[[], Awaitable[tuple[float, int]]]]] = [
        ("httpx (own pool)", lambda: bench_httpx(urls, concurrency, None)),
        ("httpx + httpx-aiohttp transport", lambda: bench_httpx(urls, concurrency, AiohttpTransport())),
        ("raw aiohttp", lambda: bench_aiohttp(urls, concurrency)),
        ("govmon Fetcher, transport=httpx", lambda: bench_fetcher(urls, concurrency, "httpx")),
        ("govmon Fetcher, transport=aiohttp", lambda: bench_fetcher(urls, concurrency, "aiohttp")),
    ]
    rows = []
    for name, make in stacks:
        seconds, ok = asyncio.run(make())
        rows.append((name, len(urls) / seconds, ok))
        print(f"  {name:<36} {len(urls) / seconds:8.0f} req/s  ({ok}/{len(urls)} ok, {seconds:.1f} s)", flush=True)
    return rows
