"""monitor.pages.identity: the addresses and copies of one content are one page."""

from datetime import UTC, datetime

from monitor.model.snapshots import PageSnapshot
from monitor.pages.identity import identity_url, same_pages

AT = datetime(2021, 8, 31, 4, tzinfo=UTC)


def test_identity_url_drops_what_does_not_change_the_page() -> None:
    same = ["http://a.gov.cn/x/art_1.html", "https://A.gov.cn:443/x/art_1.html?from=next",
            "http://a.gov.cn:80/x/art_1.html#top", "http://a.gov.cn/x/art_1.html?spm=1.2&utm_source=wx"]
    assert {identity_url(u) for u in same} == {"//a.gov.cn/x/art_1.html"}
    assert {identity_url(u) for u in ("http://a.gov.cn/", "http://a.gov.cn/index.html", "http://a.gov.cn",
                                      "https://a.gov.cn/default.htm")} == {"//a.gov.cn"}
    assert identity_url("http://a.gov.cn/col/index.shtml") == identity_url("http://a.gov.cn/col/") == "//a.gov.cn/col"


def test_identity_url_keeps_what_names_another_page() -> None:
    assert identity_url("http://a.gov.cn/art.jsp?id=1") != identity_url("http://a.gov.cn/art.jsp?id=2")
    assert identity_url("http://a.gov.cn/art.jsp?b=2&a=1") == identity_url("http://a.gov.cn/art.jsp?a=1&b=2")
    assert identity_url("http://a.gov.cn:8080/x") != identity_url("http://a.gov.cn/x")
    assert identity_url("http://a.gov.cn/x/list.html") != identity_url("http://a.gov.cn/x")


def page(url: str, text: str, digest: str = "") -> PageSnapshot:
    return PageSnapshot(url=url, final_url=url, status=200, fetched_at=AT, text=text, content_hash=digest)


def test_pages_are_grouped_by_hash_text_or_identity_url_in_crawl_order() -> None:
    pages = [page("http://a.gov.cn/", "首页", "h0"), page("http://a.gov.cn/a.jsp?id=1", "甲", "h1"),
             page("http://a.gov.cn/a.jsp?id=2", "乙", "h2"), page("http://a.gov.cn/copy.html", "甲", "h9"),
             page("http://a.gov.cn/mirror.html", "丙", "h2"), page("https://a.gov.cn/index.html", "首页 ", "h3")]
    assert [[p.url for p in g] for g in same_pages(pages)] == [
        ["http://a.gov.cn/", "https://a.gov.cn/index.html"],
        ["http://a.gov.cn/a.jsp?id=1", "http://a.gov.cn/copy.html"],
        ["http://a.gov.cn/a.jsp?id=2", "http://a.gov.cn/mirror.html"]]
