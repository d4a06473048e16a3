"""Feed sources: RSS/Atom/JSON Feed parsing, times, post keys, failures as values, rsshub and csv."""

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx

from monitor.accounts.parse import parse_csv_posts, parse_feed, parse_time, post_key
from monitor.accounts.sources import RssHubSource, SourceResult, coverage_start, read_source, register_source
from monitor.config.load import shipped_settings
from monitor.config.settings import Settings
from monitor.model.period import CHINA_TZ
from monitor.model.snapshots import FeedFetch, Post
from monitor.net.fetch import Fetcher
from monitor.registry.model import Account

NOW = datetime(2021, 8, 31, 13, tzinfo=UTC)
CST = timezone(timedelta(hours=8))


def rss(items: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>太原发布</title>'
            f"<link>http://127.0.0.1:9/</link><description>d</description>{items}</channel></rss>").encode()


def test_times_with_offsets_are_kept_and_naive_times_are_china_time() -> None:
    expected = datetime(2021, 8, 22, 15, 59, tzinfo=UTC)
    for text in ("Sun, 22 Aug 2021 15:59:00 GMT", "Sun, 22 Aug 2021 23:59:00 +0800", "Sun, 22 Aug 2021 23:59:00 CST",
                 "Sun, 22 Aug 2021 23:59:00", "2021-08-22T15:59:00Z", "2021-08-22T23:59:00+08:00",
                 "2021-08-22T23:59:00.000+0800", "2021-08-22 23:59", "2021/8/22 23:59:00", "2021年8月22日 23:59",
                 "2021年08月22日 23时59分", "1629647940", "1629647940000"):
        assert parse_time(text, CHINA_TZ) == expected, text
    assert parse_time("2021-08-23", CHINA_TZ) == datetime(2021, 8, 22, 16, tzinfo=UTC)
    assert parse_time("昨天", CHINA_TZ) is None
    assert parse_time("2021-02-30 10:00", CHINA_TZ) is None
    assert parse_time("", CHINA_TZ) is None


def test_post_key_is_guid_else_link_else_content_hash() -> None:
    at = datetime(2021, 8, 2, 1, tzinfo=UTC)
    assert post_key(" g-1 ", "http://127.0.0.1:9/1", "t", "x", at) == "g-1"
    assert post_key("", "http://127.0.0.1:9/1", "t", "x", at) == "http://127.0.0.1:9/1"
    hashed = post_key("", "", "t", "x", at)
    assert hashed.startswith("sha256:") and len(hashed) == 71
    assert hashed == post_key("", "", "t", "x", at.astimezone(CST))
    assert hashed != post_key("", "", "t", "x", at + timedelta(seconds=1))


def test_rss_items_become_posts_with_text_and_duplicates_listed_once() -> None:
    body = rss("<item><title>通知&nbsp;公告</title><guid>g1</guid><pubDate>Mon, 02 Aug 2021 09:00:00 +0800</pubDate>"
               "<description><![CDATA[<p>正文 <b>一</b></p>]]></description></item>"
               "<item><title>又一条</title><link>http://127.0.0.1:9/2</link><pubDate>Tue, 03 Aug 2021 01:00:00 GMT</pubDate></item>"
               "<item><title>通知 公告</title><guid>g1</guid><pubDate>Mon, 02 Aug 2021 09:00:00 +0800</pubDate></item>")
    parsed = parse_feed(body, "application/rss+xml", CHINA_TZ)
    assert parsed.error is None and parsed.entries == 3
    assert [(p.key, p.title, p.text, p.published_at) for p in parsed.posts] == [
        ("g1", "通知 公告", "正文 一", datetime(2021, 8, 2, 1, tzinfo=UTC)),
        ("http://127.0.0.1:9/2", "又一条", "", datetime(2021, 8, 3, 1, tzinfo=UTC))]


def test_gbk_feed_with_naive_times_and_bare_guids_is_read_in_china_time() -> None:
    doc = ('<?xml version="1.0" encoding="gbk"?><rss version="2.0"><channel><title>太原</title>'
           "<item><title>通知公告</title><guid>1001</guid><pubDate>2021-08-22 23:59:00</pubDate></item>"
           "</channel></rss>").encode("gbk")
    post = parse_feed(doc, "text/xml", CHINA_TZ).posts[0]
    assert (post.key, post.title, post.url, post.published_at) == (
        "1001", "通知公告", "", datetime(2021, 8, 22, 15, 59, tzinfo=UTC))


def test_atom_and_json_feed_entries_are_read_with_their_offsets() -> None:
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id><updated>2021-08-23T00:00:00+08:00</updated>'
            '<entry><title>a</title><id>tag:1</id><published>2021-08-23T00:00:00+08:00</published>'
            '<updated>2021-08-24T00:00:00+08:00</updated><content type="html">&lt;p&gt;c&lt;/p&gt;</content></entry></feed>')
    post = parse_feed(atom.encode(), "application/atom+xml", CHINA_TZ).posts[0]
    assert (post.key, post.published_at, post.text) == ("tag:1", datetime(2021, 8, 22, 16, tzinfo=UTC), "c")
    doc = ('{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": ['
           '{"id": 7, "url": "http://127.0.0.1:9/7", "title": "j", "content_html": "<p>h</p>", '
           '"date_published": "2021-08-22T15:59:00Z"}]}')
    post = parse_feed(doc.encode(), "application/feed+json", CHINA_TZ).posts[0]
    assert (post.key, post.published_at, post.title, post.text) == ("7", datetime(2021, 8, 22, 15, 59, tzinfo=UTC), "j", "h")


def test_broken_documents_are_failures_never_partial_reads() -> None:
    cut = rss("<item><title>a</title><guid>1</guid><pubDate>Mon, 02 Aug 2021 09:00:00 +0800</pubDate></item>"
              "<item><title>b</title><guid>2</guid><pubDa")
    assert parse_feed(cut, "application/rss+xml", CHINA_TZ).error == "parse_error"
    assert parse_feed(b"<html><body><p>hi</p></body></html>", "text/html", CHINA_TZ).error == "not_a_feed"
    assert parse_feed(b'{"items": [', "application/json", CHINA_TZ).error == "parse_error"
    assert parse_feed(b'{"items": []}', "application/json", CHINA_TZ).error == "not_a_feed"


def test_pinned_old_item_at_the_top_does_not_start_the_covered_span() -> None:
    def posts(*days: int) -> list[Post]:
        return [Post(key=str(d), published_at=datetime(2021, 8, d, tzinfo=UTC)) for d in days]

    assert coverage_start(posts(1, 31, 30, 29, 28)) == datetime(2021, 8, 28, tzinfo=UTC)
    assert coverage_start(posts(31, 30, 29)) == datetime(2021, 8, 29, tzinfo=UTC)
    assert coverage_start(posts(27, 28, 29, 30)) == datetime(2021, 8, 27, tzinfo=UTC)
    assert coverage_start([]) is None


def test_csv_export_reads_several_time_forms_and_names_a_bad_row() -> None:
    text = "发布时间,标题,链接\n2021-08-02 09:00,a,\n2021/8/4 12:00:00,b,http://127.0.0.1:9/b\n\n1628215200000,c,\n"
    parsed = parse_csv_posts(text.encode("gbk"), CHINA_TZ)
    assert [p.published_at for p in parsed.posts] == [datetime(2021, 8, 2, 1, tzinfo=UTC), datetime(2021, 8, 4, 4, tzinfo=UTC),
                                                      datetime(2021, 8, 6, 2, tzinfo=UTC)]
    assert parsed.posts[0].key.startswith("sha256:") and parsed.posts[1].key == "http://127.0.0.1:9/b"
    bad = parse_csv_posts("published_at,title\n2021-08-02,a\n8月3日,b\n".encode("utf-8-sig"), CHINA_TZ)
    assert (bad.error, bad.detail) == ("parse_error", "row 3: published_at: cannot read '8月3日'")
    assert parse_csv_posts(b"title\nx\n", CHINA_TZ).error == "parse_error"


def account(feed: str) -> Account:
    return Account(id="wb-1", name="太原发布", platform="weibo", owner="太原市人民政府新闻办公室", feed=feed)


def fetcher(handler: object) -> Fetcher:
    return Fetcher(shipped_settings().crawl.model_copy(update={"retries": 0}), transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


async def test_rsshub_route_is_resolved_against_the_configured_base() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        items = "".join(f"<item><guid>{n}</guid><pubDate>Mon, {n:02d} Aug 2021 09:00:00 +0800</pubDate></item>"
                        for n in range(20, 9, -1))
        return httpx.Response(200, content=rss(items), headers={"content-type": "application/rss+xml"})

    settings = shipped_settings()
    settings.accounts.rsshub_base = "http://127.0.0.1:1200/"
    async with fetcher(handler) as f:
        result = await read_source(account("rsshub:/weibo/user/123"), fetcher=f, settings=settings, now=NOW)
    assert seen == ["http://127.0.0.1:1200/weibo/user/123"]
    assert result.fetch == FeedFetch(at=NOW, ok=True, url=seen[0], status=200, items=11,
                                     oldest=datetime(2021, 8, 10, 1, tzinfo=UTC), newest=datetime(2021, 8, 20, 1, tzinfo=UTC))
    assert RssHubSource.resolve("rsshub://bilibili/user/video/2", "http://127.0.0.1:1200") == \
        "http://127.0.0.1:1200/bilibili/user/video/2"


async def test_http_failures_and_malformed_documents_are_failure_values() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/gone":
            return httpx.Response(404, text="not here")
        if request.url.path == "/dns":
            raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)
        return httpx.Response(200, content=b"<rss version='2.0'><channel><item><title>x</ti", headers={"content-type": "text/xml"})

    async with fetcher(handler) as f:
        results = [await read_source(account(f"http://127.0.0.1:9/{p}"), fetcher=f, settings=shipped_settings(), now=NOW)
                   for p in ("gone", "dns", "broken")]
    assert [(r.fetch.ok, r.fetch.status, r.fetch.error, r.posts) for r in results] == [
        (False, 404, None, []), (False, None, "dns_error", []), (False, 200, "parse_error", [])]


async def test_items_without_dates_keep_the_source_alive_but_mark_the_read() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=rss("<item><guid>1</guid><title>无日期</title></item>"
                                               "<item><guid>2</guid><pubDate>Mon, 02 Aug 2021 09:00:00 +0800</pubDate></item>"))

    async with fetcher(handler) as f:
        result = await read_source(account("http://127.0.0.1:9/feed"), fetcher=f, settings=shipped_settings(), now=NOW)
    assert (result.fetch.ok, result.fetch.error, result.fetch.items, [p.key for p in result.posts]) == (
        True, "undated_items", 2, ["2"])


async def test_csv_feed_is_read_from_the_registry_folder_and_dated_by_the_file(tmp_path: Path) -> None:
    export = tmp_path / "exports" / "wx.csv"
    export.parent.mkdir()
    export.write_text("published_at,title\n2021-08-02 09:00,a\n", encoding="utf-8")
    settings = shipped_settings()
    settings.general.registry = str(tmp_path / "registry.toml")
    result = await read_source(account("csv:exports/wx.csv"), fetcher=None, settings=settings, now=NOW)  # type: ignore[arg-type]
    assert result.fetch.ok and result.fetch.url == "csv:exports/wx.csv" and result.fetch.items == 1
    assert result.fetch.at == min(NOW, datetime.fromtimestamp(export.stat().st_mtime, UTC))
    settings.accounts.csv_dir = str(tmp_path / "elsewhere")
    missing = await read_source(account("csv:exports/wx.csv"), fetcher=None, settings=settings, now=NOW)  # type: ignore[arg-type]
    assert (missing.fetch.ok, missing.fetch.error) == (False, "not_found")
    assert str(tmp_path / "elsewhere" / "exports" / "wx.csv") in missing.detail


async def test_accounts_without_or_with_unknown_feeds_fail_as_values() -> None:
    empty = await read_source(account(""), fetcher=None, settings=shipped_settings(), now=NOW)  # type: ignore[arg-type]
    odd = await read_source(account("ftp://127.0.0.1/feed"), fetcher=None, settings=shipped_settings(), now=NOW)  # type: ignore[arg-type]
    assert (empty.fetch.error, odd.fetch.error) == ("no_feed", "unsupported_feed")


async def test_a_new_platform_adapter_plugs_in_by_scheme() -> None:
    class Api:
        async def fetch(self, account: Account, *, fetcher: Fetcher, settings: Settings, now: datetime) -> SourceResult:
            post = Post(key="api-1", published_at=datetime(2021, 8, 30, tzinfo=UTC))
            return SourceResult(FeedFetch(at=now, ok=True, url=account.feed, items=1, oldest=post.published_at,
                                          newest=post.published_at), [post])

        def covers_all(self, fetch: FeedFetch, settings: Settings) -> bool:
            return True

    register_source("testapi", Api())
    result = await read_source(account("testapi:account/9"), fetcher=None, settings=shipped_settings(), now=NOW)  # type: ignore[arg-type]
    assert [p.key for p in result.posts] == ["api-1"]
