"""Link extraction: which tags count, what is skipped, <base>, meta refresh, kinds, real pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.pages.links import Resolver, extract_links, parse, refresh_target

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_pages"
PAGE = "http://www.example.gov.cn/zwdt/202108/t20210820_1001.html"


def links(html: str, url: str = PAGE, **kw: str) -> dict[str, str]:
    return extract_links(html, url, **kw)


def test_every_link_bearing_tag_is_extracted_with_its_kind() -> None:
    html = """<html><head><link rel="stylesheet" href="/css/a.css"><script src="../../js/a.js"></script></head>
    <body><a href="./t2.html">a</a><map><area href="/map.html"></map><img src="img/p.png">
    <iframe src="/frame.html"></iframe><embed src="/v.swf">
    <object data="/o.pdf"></object></body></html>"""
    assert links(html) == {
        "http://www.example.gov.cn/css/a.css": "resource",
        "http://www.example.gov.cn/js/a.js": "resource",
        "http://www.example.gov.cn/zwdt/202108/t2.html": "page",
        "http://www.example.gov.cn/map.html": "page",
        "http://www.example.gov.cn/zwdt/202108/img/p.png": "resource",
        "http://www.example.gov.cn/frame.html": "page",
        "http://www.example.gov.cn/v.swf": "resource",
        "http://www.example.gov.cn/o.pdf": "resource",
    }


def test_frameset_documents_yield_their_frames_as_pages() -> None:
    html = '<html><frameset cols="20%,80%"><frame src="/menu.html"><frame src="main.html"></frameset></html>'
    assert links(html) == {"http://www.example.gov.cn/menu.html": "page",
                           "http://www.example.gov.cn/zwdt/202108/main.html": "page"}


@pytest.mark.parametrize("href", ["javascript:void(0)", "JavaScript:openWin('x')", "mailto:a@b.cn", "tel:12345",
                                  "data:image/gif;base64,R0lGOD", "#top", "#", "", "   "])
def test_non_http_and_fragment_only_links_are_skipped(href: str) -> None:
    assert links(f'<a href="{href}">x</a><img src="{href}">') == {}


def test_fragments_are_dropped_and_duplicates_collapse_to_one_url() -> None:
    html = '<a href="/a.html#p1">1</a><a href="/a.html#p2">2</a><a href="http://WWW.Example.gov.cn:80/a.html">3</a>'
    assert links(html) == {"http://www.example.gov.cn/a.html": "page"}


def test_a_page_link_wins_over_the_same_url_seen_as_a_resource() -> None:
    html = '<img src="/x.html"><a href="/x.html">x</a>'
    assert links(html) == {"http://www.example.gov.cn/x.html": "page"}


def test_base_href_changes_how_relative_links_resolve() -> None:
    html = '<head><base href="/zcwj/"></head><a href="t1.html">1</a><a href="/abs.html">2</a>'
    assert list(links(html)) == ["http://www.example.gov.cn/zcwj/t1.html", "http://www.example.gov.cn/abs.html"]


def test_the_first_base_href_applies_to_every_link_even_those_before_it() -> None:
    html = ('<head><link rel="stylesheet" href="s.css"><base href="/zcwj/"></head>'
            '<body><a href="t1.html">1</a><base href="/other/"><a href="t2.html">2</a></body>')
    assert list(links(html)) == ["http://www.example.gov.cn/zcwj/s.css", "http://www.example.gov.cn/zcwj/t1.html",
                                 "http://www.example.gov.cn/zcwj/t2.html"]


def test_meta_refresh_target_is_a_page_link() -> None:
    html = ('<meta http-equiv="Refresh" content="0; URL=\'/new/index.html\'">'
            '<meta http-equiv="X-UA-Compatible" content="IE=edge">')
    assert links(html) == {"http://www.example.gov.cn/new/index.html": "page"}


@pytest.mark.parametrize(("content", "target"), [("0;url=/a/", "/a/"), ("5; URL='b.html'", "b.html"),
                                                  ('3;url="c.html"', "c.html"), ("0", None), ("", None),
                                                  ("url=/d/", "/d/")])
def test_refresh_target_reads_the_forms_servers_use(content: str, target: str | None) -> None:
    assert refresh_target(content) == target


def test_dns_prefetch_and_preconnect_hints_are_not_links() -> None:
    html = ('<link rel="dns-prefetch" href="//cdn.example.gov.cn"><link rel="preconnect" href="https://x.example.gov.cn">'
            '<link rel="alternate" type="application/rss+xml" href="/rss.xml">')
    assert links(html) == {"http://www.example.gov.cn/rss.xml": "resource"}


def test_gbk_page_encodes_non_ascii_query_in_its_charset() -> None:
    html = '<a href="/search.jsp?q=政务">搜索</a>'
    assert links(html, encoding="gb18030") == {"http://www.example.gov.cn/search.jsp?q=%D5%FE%CE%F1": "page"}
    assert links(html) == {"http://www.example.gov.cn/search.jsp?q=%E6%94%BF%E5%8A%A1": "page"}


def test_resolve_memo_gives_the_same_answer_as_normalize_for_every_base() -> None:
    resolve = Resolver().resolve
    assert resolve("../a.html", "http://h.cn/x/y/z.html") == "http://h.cn/x/a.html"
    assert resolve("../a.html", "http://h.cn/q/y/z.html") == "http://h.cn/q/a.html"
    assert resolve("/a.html", "http://h.cn:8080/x/") == "http://h.cn:8080/a.html"
    assert resolve("/a.html", "http://g.cn/x/") == "http://g.cn/a.html"
    assert resolve("?page=2", "http://h.cn/list.jsp?page=1") == "http://h.cn/list.jsp?page=2"
    assert resolve("?page=2", "http://h.cn/other.jsp?page=1") == "http://h.cn/other.jsp?page=2"
    assert resolve("b.html", "http://h.cn/a.jsp?path=/x/y") == "http://h.cn/b.html"


def test_real_trs_list_page_yields_its_list_links_and_pagination() -> None:
    html = (REAL / "ordos_egb_xxgknb_list.html").read_text(encoding="utf-8")
    base = "http://www.ordos.gov.cn/zjegb/xxgk/xxgknb/index.html"
    found = extract_links(html, base)
    assert found["http://www.ordos.gov.cn/zjegb/xxgk/xxgknb/202009/t20200903_2748784.html"] == "page"
    assert "http://www.ordos.gov.cn/zjegb/xxgk/xxgknb/index_1.html" in found
    assert "https://bszs.conac.cn/sitename?method=show&id=05C2ED68A8F661C9E053012819ACF5E5" not in found
    assert "http://bszs.conac.cn/sitename?method=show&id=05C2ED68A8F661C9E053012819ACF5E5" in found
    assert found["http://www.ordos.gov.cn/zjegb/images/gl.css"] == "resource"
    assert all(url.startswith("http") and "#" not in url for url in found)


def test_a_full_resolver_memo_starts_over_and_stays_correct() -> None:
    resolver = Resolver(limit=2)
    urls = [resolver.resolve(f"p{i}.html", "http://h.cn/a/b.html") for i in range(5)]
    assert urls == [f"http://h.cn/a/p{i}.html" for i in range(5)] and len(resolver.memo) <= 2


def test_links_inside_hanweb_datastore_records_are_extracted() -> None:
    html = """<html><body><div id="4021"><script type="text/xml"><datastore><nextgroup></nextgroup>
    <recordset><record><![CDATA[<li><a href="/art/2021/8/3/art_1_2.html">关于开展安全检查的通知</a><span>2021-08-03</span></li>]]></record>
    </recordset></datastore></script></div></body></html>"""
    links = extract_links(parse(html), "http://127.0.0.1:9/col/col1/index.html")
    assert links == {"http://127.0.0.1:9/art/2021/8/3/art_1_2.html": "page"}
