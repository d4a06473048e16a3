"""URL normalisation: one resource, one spelling."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from monitor.model.urls import (
    host_key,
    in_scope,
    is_attachment,
    is_private_address,
    normalize,
    remove_dot_segments,
    trap_reason,
    url_path,
    without_session,
)

BASE = "http://www.example.gov.cn/xxgk/tzgg/index.html"


@pytest.mark.parametrize(("href", "base", "expected"), [
    ("HTTP://WWW.Example.GOV.cn/A/B.html", None, "http://www.example.gov.cn/A/B.html"),
    ("http://www.example.gov.cn:80/", None, "http://www.example.gov.cn/"),
    ("https://www.example.gov.cn:443/x", None, "https://www.example.gov.cn/x"),
    ("http://www.example.gov.cn:8080/x", None, "http://www.example.gov.cn:8080/x"),
    ("https://www.example.gov.cn:80/x", None, "https://www.example.gov.cn:80/x"),
    ("http://www.example.gov.cn", None, "http://www.example.gov.cn/"),
    ("http://www.example.gov.cn/a.html#top", None, "http://www.example.gov.cn/a.html"),
    ("http://h/%7euser/%e4%b8%ad%2f", None, "http://h/~user/%E4%B8%AD%2F"),
    ("http://h/a b/中文.html", None, "http://h/a%20b/%E4%B8%AD%E6%96%87.html"),
    ("http://h/search?q=中文&b=2&a=1", None, "http://h/search?q=%E4%B8%AD%E6%96%87&b=2&a=1"),
    ("http://h/p?x=100%", None, "http://h/p?x=100%25"),
    ("http://h/a/./b/../c/", None, "http://h/a/c/"),
    ("http://h/a?", None, "http://h/a"),
    ("./t20210801_1.html", BASE, "http://www.example.gov.cn/xxgk/tzgg/t20210801_1.html"),
    ("../../index.html", BASE, "http://www.example.gov.cn/index.html"),
    ("../../../../up.html", BASE, "http://www.example.gov.cn/up.html"),
    ("/zwgk/", BASE, "http://www.example.gov.cn/zwgk/"),
    ("?page=2", BASE, "http://www.example.gov.cn/xxgk/tzgg/index.html?page=2"),
    ("//cdn.example.gov.cn/a.js", "https://www.example.gov.cn/", "https://cdn.example.gov.cn/a.js"),
    ("..\\images\\a.jpg", BASE, "http://www.example.gov.cn/xxgk/images/a.jpg"),
    ("  http://h/x\n ", None, "http://h/x"),
    ("http://[::1]:8080/x", None, "http://[::1]:8080/x"),
    ("http://中国政府.政务/", None, "http://xn--fiqs8sirgfmh.xn--zfr164b/"),
])
def test_normalize_gives_the_canonical_form(href: str, base: str | None, expected: str) -> None:
    assert normalize(href, base) == expected


@pytest.mark.parametrize("href", [
    "javascript:void(0)", "JavaScript:openWin('a')", "mailto:zwgk@example.gov.cn", "tel:12345",
    "data:image/png;base64,AAAA", "#", "#top", "", "   ", "ftp://h/file", "http://", "http://h:99999/",
    "relative/without/base.html",
])
def test_normalize_rejects_non_http_and_garbage(href: str) -> None:
    assert normalize(href) is None


def test_fragment_only_link_is_none_even_with_a_base() -> None:
    assert normalize("#main", BASE) is None


def test_query_can_be_encoded_in_the_page_charset() -> None:
    assert normalize("http://h/s?q=中", query_encoding="gb18030") == "http://h/s?q=%D6%D0"


def test_normalize_is_idempotent() -> None:
    once = normalize("HTTP://H:80/a/../b c?x=中#f")
    assert once is not None and normalize(once) == once


def test_remove_dot_segments_follows_rfc3986() -> None:
    assert remove_dot_segments("/a/b/c/./../../g") == "/a/g"
    assert remove_dot_segments("/a/b/..") == "/a/"


def test_host_key_always_spells_out_the_port() -> None:
    assert host_key("http://127.0.0.1:8080/x") == "127.0.0.1:8080"
    assert host_key("https://www.example.gov.cn/") == "www.example.gov.cn:443"
    assert host_key("http://WWW.Example.gov.cn/") == "www.example.gov.cn:80"


def test_is_attachment_looks_at_the_path_only() -> None:
    exts = [".pdf", ".doc"]
    assert is_attachment("http://h/files/a.PDF", exts)
    assert is_attachment("http://h/files/a.doc?v=1", exts)
    assert not is_attachment("http://h/view.jsp?file=a.pdf", exts)


def test_in_scope_matches_bare_names_and_host_ports() -> None:
    assert in_scope("http://www.x.gov.cn:8080/a", ["www.x.gov.cn"])
    assert in_scope("http://127.0.0.1:8080/a", ["127.0.0.1:8080"])
    assert not in_scope("http://127.0.0.1:9090/a", ["127.0.0.1:8080"])
    assert in_scope("http://127.0.0.1:9090/a", ["http://127.0.0.1:9090/"])


def test_trap_reason_flags_long_urls_and_repeated_segments() -> None:
    assert trap_reason("http://h/a/b/a/b/a/", max_length=1024, max_path_repeats=2) == "path_repeats"
    assert trap_reason("http://h/" + "x" * 2000, max_length=1024, max_path_repeats=2) == "url_too_long"
    assert trap_reason("http://h/a/b/a/", max_length=1024, max_path_repeats=2) is None


def test_fast_join_agrees_with_the_general_resolution() -> None:
    from itertools import product

    from monitor.model.urls import _fast_join, _join

    bases = ["http://h/", "http://h/a/b.html", "http://h:8080/a/b/?x=1", "https://h/a/index.html?p=2&q=", "http://h/a/b/"]
    hrefs = ["/x", "/x/", "x", "x/y.html", "./x.html", "./", "?p=3", "?", "x?y=1&z", "/a//b", "a.b/c.d", "..", "../x",
             "./../x", "/a/./b", "x/.", "/x?a=b?c", ".hidden", "x..y", "//cdn/x", "/%41", "y#f", "./?p=1", "a b"]
    checked = 0
    for base, href in product(bases, hrefs):
        fast = _fast_join(href, base)
        if fast is not None:
            checked += 1
            assert fast == _join(href, base, "utf-8"), (base, href)
    assert checked >= 60


@pytest.mark.parametrize("url", [
    "http://h/", "http://127.0.0.1:8080/a/b.html?x=1&y=2", "https://www.x.gov.cn/a/", "http://h:80/", "https://h:443/x",
    "http://h:0080/", "http://h/a/../b", "http://h/./", "http://h/a?", "http://H/a", "http://h./a", "http://h/a/.",
    "http://h:99999/", "http://a-b.c-d.cn/~x/(1)", "http://h/a..b/.c",
])
def test_canonical_fast_path_agrees_with_the_general_rebuild(url: str) -> None:
    from urllib.parse import urlsplit

    from monitor.model.urls import _is_canonical, _rebuild

    if _is_canonical(url):
        assert _rebuild(urlsplit(url), "utf-8") == url


@pytest.mark.parametrize("url", [
    "http://h/a.pdf", "http://h.pdf", "http://h.pdf?x=/a.pdf", "http://h/x?y.pdf", "http://h/x#a.pdf", "http://h#/a.pdf",
    "https://h:80/A.PDF", "http://h/a.pdf#x?y", "HTTP://h/a.pdf", " http://h/a.pdf", "http://h/a b.pdf", "http://h/中.pdf",
    "http://h", "http://h/", "http://u@h/x.doc", "http://[::1]/a.pdf", "http:///a.pdf", "http://h?#/", "http://h/\ta.pdf",
    "ftp://h/a.pdf", "/rel/a.pdf", "",
])
def test_url_path_is_the_path_urlsplit_gives(url: str) -> None:
    assert url_path(url) == urlsplit(url).path


def test_in_scope_accepts_hosts_as_list_or_tuple_alike() -> None:
    hosts = ["127.0.0.1:8000", "WWW.X.GOV.CN", "http://y.gov.cn:81/"]
    for url, inside in [("http://127.0.0.1:8000/a", True), ("http://127.0.0.1:8001/a", False),
                        ("http://www.x.gov.cn:9/a", True), ("http://y.gov.cn:81/b", True), ("http://y.gov.cn/b", False)]:
        assert in_scope(url, hosts) is inside and in_scope(url, tuple(hosts)) is inside


SESSION = ["jsessionid", "phpsessid", "sid"]
TRACKING = ["_t", "random", "t"]


@pytest.mark.parametrize(("url", "plain"), [
    ("http://a.gov.cn/app/list.jsp;jsessionid=A1B2C3D4E5F6A7B8C9D0?page=2&_t=1629792000000", "http://a.gov.cn/app/list.jsp?page=2"),
    ("http://a.gov.cn/x.php?PHPSESSID=0123456789abcdef0123&id=5", "http://a.gov.cn/x.php?id=5"),
    ("http://a.gov.cn/x?random=0.82311&q=1", "http://a.gov.cn/x?q=1"),
    ("http://a.gov.cn/x.php?sid=3&id=5", "http://a.gov.cn/x.php?sid=3&id=5"),      # a short sid is a site id
    ("http://a.gov.cn/x?t=news", "http://a.gov.cn/x?t=news"),                      # not a timestamp
    ("http://a.gov.cn/x;jsessionid=abc", "http://a.gov.cn/x;jsessionid=abc"),      # not a token
])
def test_session_ids_and_cache_busters_are_removed_only_when_they_look_like_them(url: str, plain: str) -> None:
    assert without_session(url, SESSION, TRACKING) == plain


@pytest.mark.parametrize(("host", "private"), [
    ("127.0.0.1", True), ("10.1.2.3", True), ("172.16.0.1", True), ("172.32.0.1", False), ("192.168.1.1", True),
    ("169.254.169.254", True), ("[::1]", True), ("[fc00::1]", True), ("[fe80::1]", True), ("[::ffff:10.0.0.1]", True),
    ("2130706433", True), ("127.1", True), ("8.8.8.8", False), ("www.gov.cn", False), ("10.gov.cn", False),
])
def test_private_addresses_are_told_by_the_literal_host_without_any_lookup(host: str, private: bool) -> None:
    assert is_private_address(host) is private
