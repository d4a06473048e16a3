"""LinkChecker: one request per distinct URL per run, HEAD only where a soft 404 cannot hide."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx

from monitor.fetch import Fetcher, FetchResult
from monitor.linkcheck import LinkChecker, looks_like_page
from monitor.settings import CrawlSettings, LinkSettings
from monitor.snapshots import LinkResult, LinkSource

A = "http://127.0.0.1:8001"
EXT = "http://127.0.0.1:8002"
LINKS = LinkSettings.shipped(soft_404_patterns=["页面不存在"], waf_patterns=["安全狗"])
CRAWL = CrawlSettings.shipped(transport="httpx", retries=1, retry_backoff=0.0, attachment_extensions=[".pdf", ".doc"])


class Recorder:
    """A MockTransport handler that counts requests and answers from a table."""

    def __init__(self, table: dict[tuple[str, str], httpx.Response]) -> None:
        self.table = table
        self.calls: list[tuple[str, str]] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        key = (request.method, str(request.url))
        self.calls.append(key)
        await asyncio.sleep(0.01)
        return self.table.get(key, httpx.Response(404))


async def run_checks(table: dict[tuple[str, str], httpx.Response], urls: list[str],
                     links: LinkSettings = LINKS, **kw: object) -> tuple[list[LinkResult], Recorder]:
    recorder = Recorder(table)
    async with Fetcher(CRAWL, links, transport=httpx.MockTransport(recorder)) as fetcher:
        checker = LinkChecker(fetcher, links, **kw)  # type: ignore[arg-type]
        results = await asyncio.gather(*[checker.check(u) for u in urls])
    return list(results), recorder


async def test_concurrent_checks_of_one_url_make_one_request() -> None:
    urls = [f"{A}/a.html", f"{A}/a.html#top", "HTTP://127.0.0.1:8001/./a.html", f"{A}/a.html"]
    results, rec = await run_checks({("GET", f"{A}/a.html"): httpx.Response(200, html="<title>ok</title>")}, urls)
    assert rec.calls == [("GET", f"{A}/a.html")]
    assert {(r.url, r.outcome, r.status) for r in results} == {(f"{A}/a.html", "ok", 200)}


async def test_each_caller_gets_its_own_copy_for_sources() -> None:
    results, _ = await run_checks({("GET", f"{A}/a.html"): httpx.Response(200)}, [f"{A}/a.html"] * 2)
    results[0].sources.append(LinkSource(page=f"{A}/"))
    assert results[1].sources == []


async def test_pages_get_a_capped_get_so_soft_404_is_seen() -> None:
    table = {("GET", f"{A}/gone.html"): httpx.Response(200, html="<title>页面不存在</title>")}
    results, rec = await run_checks(table, [f"{A}/gone.html"])
    assert rec.calls == [("GET", f"{A}/gone.html")]
    assert (results[0].outcome, results[0].status, results[0].error) == ("dead", 200, "soft_404")


async def test_attachments_use_head_first() -> None:
    table = {("HEAD", f"{A}/f.pdf"): httpx.Response(200), ("HEAD", f"{A}/s.css"): httpx.Response(200)}
    results, rec = await run_checks(table, [f"{A}/f.pdf", f"{A}/s.css"])
    assert sorted(rec.calls) == [("HEAD", f"{A}/f.pdf"), ("HEAD", f"{A}/s.css")]
    assert [r.outcome for r in results] == ["ok", "ok"]


async def test_dead_attachment_is_confirmed_by_get_with_retries() -> None:
    results, rec = await run_checks({}, [f"{A}/missing.doc"])
    assert rec.calls == [("HEAD", f"{A}/missing.doc"), ("GET", f"{A}/missing.doc")]
    assert (results[0].outcome, results[0].status) == ("dead", 404)


async def test_known_result_is_reused_without_a_request() -> None:
    known = FetchResult(url=f"{A}/p.html", final_url=f"{A}/p.html", status=200, body=b"<title>x</title>",
                        content_type="text/html")
    recorder = Recorder({})
    async with Fetcher(CRAWL, LINKS, transport=httpx.MockTransport(recorder)) as fetcher:
        checker = LinkChecker(fetcher, LINKS)
        first = await checker.check(f"{A}/p.html", known=known)
        again = await checker.check(f"{A}/p.html")
    assert recorder.calls == [] and first.outcome == again.outcome == "ok"


async def test_fresh_stored_results_are_reused() -> None:
    stored = LinkResult(url=f"{A}/old.html", outcome="dead", status=404, checked_at=datetime(2021, 8, 30, tzinfo=UTC),
                        sources=[LinkSource(page=f"{A}/")])
    results, rec = await run_checks({}, [f"{A}/old.html"], fresh={stored.url: stored})
    assert rec.calls == [] and (results[0].outcome, results[0].status, results[0].sources) == ("dead", 404, [])


async def test_external_links_are_skipped_when_not_checked() -> None:
    links = LINKS.model_copy(update={"check_external": False})
    recorder = Recorder({})
    async with Fetcher(CRAWL, links, transport=httpx.MockTransport(recorder)) as fetcher:
        fetcher.add_site_hosts([f"{A}/"])
        checker = LinkChecker(fetcher, links)
        ext = await checker.check(f"{EXT}/x.html")
        own = await checker.check(f"{A}/x.html")
    assert (ext.outcome, ext.internal, own.internal) == ("skipped", False, True)
    assert recorder.calls == [("GET", f"{A}/x.html")]


async def test_non_http_hrefs_are_skipped_and_broken_ones_dead() -> None:
    results, rec = await run_checks({}, ["mailto:a@b.cn", "javascript:void(0)", "http://"])
    assert [(r.outcome, r.error) for r in results] == [("skipped", "invalid_url"), ("skipped", "invalid_url"),
                                                      ("dead", "invalid_url")]
    assert rec.calls == []


def test_looks_like_page() -> None:
    assert looks_like_page(f"{A}/a/") and looks_like_page(f"{A}/a/b.shtml") and looks_like_page(f"{A}/view.jsp?id=1")
    assert not looks_like_page(f"{A}/a/b.png") and not looks_like_page(f"{A}/a/b.js")


async def test_verdict_and_check_agree_for_unusable_hrefs() -> None:
    async with Fetcher(CRAWL, LINKS, transport=httpx.MockTransport(Recorder({}))) as fetcher:
        checker = LinkChecker(fetcher, LINKS)
        for href in ("mailto:a@b.cn", "http://"):
            slim, full = await checker.verdict(href), await checker.check(href)
            assert (slim.outcome, slim.error, slim.final_url, slim.internal) == \
                (full.outcome, full.error, full.final_url, full.internal)
            assert full.url == href and full.sources == []
