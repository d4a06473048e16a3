"""LinkChecker: one request per distinct URL per run, HEAD only where a soft 404 cannot hide."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx

from monitor.config.settings import CrawlSettings, LinkSettings
from monitor.crawl.linkcheck import LinkChecker, looks_like_page
from monitor.model.snapshots import LinkResult, LinkSource
from monitor.net.fetch import Fetcher
from monitor.net.result import FetchResult

A = "http://127.0.0.1:8001"
EXT = "http://127.0.0.1:8002"
LINKS = LinkSettings.shipped(soft_404_patterns=["页面不存在"], waf_patterns=["安全狗"], not_found_probes=False)
PROBING = LINKS.model_copy(update={"not_found_probes": True})
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


ERROR_HTML = ("<html><head><title>温馨提示</title></head><body><div class='tip'>抱歉，您要找的内容暂时无法显示</div>"
              "<a href='/'>返回首页</a></body></html>")


class ErrorPage200(Recorder):
    """A site configured with ``error_page 404 =200``: anything unknown is its error page, status 200."""

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        key = (request.method, str(request.url))
        self.calls.append(key)
        return self.table.get(key, httpx.Response(200, html=ERROR_HTML))


async def test_a_missing_attachment_on_an_error_page_200_site_is_dead_by_the_sites_fingerprint() -> None:
    table = {("GET", f"{A}/files/ok.xls"): httpx.Response(200, content=b"\xd0\xcf\x11\xe0",
                                                          headers={"content-type": "application/vnd.ms-excel"}),
             ("GET", f"{A}/files/plan.html"): httpx.Response(200, html="<title>工作方案</title><p>方案正文</p>")}
    recorder = ErrorPage200(table)
    async with Fetcher(CRAWL, PROBING, transport=httpx.MockTransport(recorder)) as fetcher:
        checker = LinkChecker(fetcher, PROBING)
        gone, ok, page, other = await asyncio.gather(checker.check(f"{A}/files/gone.xls"), checker.check(f"{A}/files/ok.xls"),
                                                     checker.check(f"{A}/files/plan.html"), checker.check(f"{A}/files/lost.xls"))
    assert (gone.outcome, gone.status, gone.error) == ("dead", 200, "soft_404")
    assert (other.outcome, other.error) == ("dead", "soft_404")
    assert (ok.outcome, page.outcome) == ("ok", "ok")
    probes = [url for _, url in recorder.calls if "/govmon-nf-" in url]
    assert sorted(p.rsplit(".", 1)[1] for p in probes) == ["html", "xls"]  # one probe per prefix and extension
    assert all(p.startswith(f"{A}/files/govmon-nf-") for p in probes)


async def test_a_site_that_answers_404_honestly_costs_one_probe_and_judges_nothing_by_it() -> None:
    table = {("GET", f"{A}/a/short.html"): httpx.Response(200, html=ERROR_HTML)}
    results, rec = await run_checks(table, [f"{A}/a/short.html"], links=PROBING)
    assert (results[0].outcome, len(rec.calls)) == ("ok", 2)


async def test_private_addresses_off_the_registry_are_skipped_unless_allowed() -> None:
    crawl = CRAWL.model_copy(update={"allow_private": False})
    table = {("GET", f"{A}/go.html"): httpx.Response(302, headers={"location": "http://10.0.0.8/admin"}),
             ("GET", f"{A}/ok.html"): httpx.Response(200, html="<title>ok</title>")}
    recorder = Recorder(table)
    async with Fetcher(crawl, LINKS, transport=httpx.MockTransport(recorder)) as fetcher:
        fetcher.add_site_hosts([A])
        checker = LinkChecker(fetcher, LINKS)
        own, meta, hop, ext = await asyncio.gather(
            checker.check(f"{A}/ok.html"), checker.check("http://169.254.169.254/latest/meta-data/"),
            checker.check(f"{A}/go.html"), checker.check(f"{EXT}/x.html"))
    assert (own.outcome, own.status) == ("ok", 200)  # the registry site's own host, though on 127.0.0.1
    for refused in (meta, hop, ext):
        assert (refused.outcome, refused.error) == ("skipped", "private_address")
    assert not [url for _, url in recorder.calls if "169.254" in url or "10.0.0.8" in url or EXT in url]
    async with Fetcher(CRAWL.model_copy(update={"allow_private": True}), LINKS,
                       transport=httpx.MockTransport(Recorder({}))) as fetcher:
        fetcher.add_site_hosts([A])
        allowed = await LinkChecker(fetcher, LINKS).check(f"{EXT}/x.html")
    assert (allowed.outcome, allowed.status) == ("dead", 404)


async def test_redirects_without_location_are_dead_and_to_app_schemes_skipped() -> None:
    table = {("GET", f"{A}/nowhere.html"): httpx.Response(302),
             ("GET", f"{A}/app.html"): httpx.Response(302, headers={"location": "weixin://dl/business/?t=abc"}),
             ("GET", f"{A}/market.html"): httpx.Response(301, headers={"location": "market://details?id=cn.gov.app"}),
             ("GET", f"{A}/broken.html"): httpx.Response(302, headers={"location": "http://[broken/"})}
    results, _ = await run_checks(table, [f"{A}/nowhere.html", f"{A}/app.html", f"{A}/market.html", f"{A}/broken.html"])
    got = {r.url.rsplit("/", 1)[1]: (r.outcome, r.status, r.error) for r in results}
    assert got == {"nowhere.html": ("dead", 302, "redirect"), "app.html": ("skipped", 302, "app_scheme"),
                   "market.html": ("skipped", 301, "app_scheme"), "broken.html": ("dead", 302, "redirect")}


async def test_another_registry_sites_private_host_is_not_refused() -> None:
    crawl = CRAWL.model_copy(update={"allow_private": False})
    async with Fetcher(crawl, LINKS, transport=httpx.MockTransport(Recorder({}))) as fetcher:
        fetcher.add_registry_hosts([f"{A}/", f"{EXT}/"])
        fetcher.add_site_hosts([A])
        other = await LinkChecker(fetcher, LINKS).check(f"{EXT}/x.html")
    assert (other.outcome, other.status) == ("dead", 404)
