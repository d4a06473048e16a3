"""robots.txt: obeyed when readable, fetched once per origin, unreadable means allowed."""

from __future__ import annotations

import asyncio
from urllib.robotparser import RobotFileParser

import httpx
import pytest
from pytest_httpx import HTTPXMock

from monitor.config.settings import CrawlSettings
from monitor.net.fetch import Fetcher

A = "http://127.0.0.1:8001"
ROBOTS = "User-agent: *\nDisallow: /private/\n\nUser-agent: BadBot\nDisallow: /\n"


def crawl(**over: object) -> CrawlSettings:
    return CrawlSettings.shipped(**{"transport": "httpx", "retries": 0, "retry_backoff": 0.0, "user_agent": "govmon/0.1", **over})


async def test_disallowed_path_is_refused_and_others_allowed(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/robots.txt", text=ROBOTS)
    async with Fetcher(crawl()) as f:
        results = await asyncio.gather(f.allowed(f"{A}/private/a.html"), f.allowed(f"{A}/public/a.html"),
                                       f.allowed(f"{A}/private/b.html"))
    assert results == [False, True, False]
    assert len(httpx_mock.get_requests()) == 1


async def test_rules_for_other_agents_do_not_apply(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/robots.txt", text="User-agent: BadBot\nDisallow: /\n")
    async with Fetcher(crawl()) as f:
        assert await f.allowed(f"{A}/x")


async def test_rules_naming_govmon_apply(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/robots.txt", text="User-agent: govmon\nDisallow: /\n")
    async with Fetcher(crawl()) as f:
        assert not await f.allowed(f"{A}/x")


@pytest.mark.parametrize("status", [401, 403, 404, 410])
async def test_4xx_robots_allows_everything(httpx_mock: HTTPXMock, status: int) -> None:
    httpx_mock.add_response(url=f"{A}/robots.txt", status_code=status)
    async with Fetcher(crawl()) as f:
        assert await f.allowed(f"{A}/private/x")
        assert f.robots.notes == []


async def test_5xx_robots_allows_everything_with_a_note(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{A}/robots.txt", status_code=503)
    async with Fetcher(crawl()) as f:
        assert await f.allowed(f"{A}/private/x")
        assert f.robots.notes == [f"{A}/robots.txt unreadable (HTTP 503); crawling as if allowed"]


async def test_unreachable_robots_allows_everything(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=f"{A}/robots.txt")
    async with Fetcher(crawl()) as f:
        assert await f.allowed(f"{A}/private/x")
        assert "timeout" in f.robots.notes[0]


async def test_obey_robots_off_never_fetches_robots(httpx_mock: HTTPXMock) -> None:
    async with Fetcher(crawl(obey_robots=False)) as f:
        assert await f.allowed(f"{A}/private/x")
    assert httpx_mock.get_requests() == []


MEMO_URLS = [f"{A}{path}" for path in (
    "/private/a.html", "/private/b.html", "/private/", "/private", "/privatex/a.html", "/pub/a.html",
    "/pub/private/a.html", "/a/b%2Fc.html", "/a/b/c.html", "/a/bc.html", "/a/b?x=/a/b/", "/a/b?x=1",
    "/a/x.html?q=%2F", "/p%72ivate/a.html", "/open/a.html", "/open/b/", "/", "/?q=1", "/a/b/?z=%2Fa",
)]


@pytest.mark.parametrize("robots", [
    "User-agent: *\nDisallow: /private/\nDisallow: /a/b/\nAllow: /open/\nDisallow: /open/b/\n",
    "User-agent: *\nDisallow: /private\nDisallow: /a/b\n",
    "User-agent: govmon\nAllow: /\nUser-agent: *\nDisallow: /\n",
])
async def test_directory_memo_gives_the_same_decisions_as_robotparser(httpx_mock: HTTPXMock, robots: str) -> None:
    httpx_mock.add_response(url=f"{A}/robots.txt", text=robots)
    parser = RobotFileParser()
    parser.parse(robots.splitlines())
    async with Fetcher(crawl()) as f:
        # twice over, so that the second round is answered from the memo where it applies
        decisions = [await f.allowed(url) for url in MEMO_URLS + MEMO_URLS]
    assert decisions == [parser.can_fetch("govmon/0.1", url) for url in MEMO_URLS + MEMO_URLS]
