"""Link outcomes: dead, blocked (could not check) and soft 404, with precision on long pages."""

from __future__ import annotations

import pytest

from monitor.config.settings import LinkSettings
from monitor.net.classify import classify, judge, needs_fingerprint, not_found_print
from monitor.net.result import FetchResult
from monitor.sandbox.firewall_pages import BADGES, BLOCK_PAGES

LINKS = LinkSettings.shipped()
U = "http://127.0.0.1:8001/a.html"
ARTICLE = "关于开展2021年度政府网站检查工作的通知。各县区、各部门：为进一步提升政府网站建设水平，现就有关事项通知如下。" * 40


def page(html: str, status: int = 200, **kw: object) -> FetchResult:
    body = html.encode("utf-8")
    headers = kw.pop("headers", {"content-type": "text/html; charset=utf-8"})
    return FetchResult(url=U, final_url=kw.pop("final_url", U), status=status, body=body,  # type: ignore[arg-type]
                       content_type="text/html", headers=headers, **kw)  # type: ignore[arg-type]


def html(title: str = "通知公告", h1: str = "", text: str = ARTICLE) -> str:
    return f"<html><head><title>{title}</title></head><body><h1>{h1}</h1><div>{text}</div></body></html>"


def test_plain_200_page_is_ok() -> None:
    assert classify(page(html()), LINKS) == ("ok", 200, None)


@pytest.mark.parametrize("status", [404, 410, 500, 502, 400])
def test_error_statuses_are_dead(status: int) -> None:
    assert classify(page(html("Error"), status), LINKS) == ("dead", status, None)


@pytest.mark.parametrize("error", ["timeout", "dns_error", "connect_error", "redirect_loop", "too_many_redirects",
                                   "tls_error", "protocol_error", "invalid_url"])
def test_network_errors_are_dead(error: str) -> None:
    result = FetchResult(url=U, final_url=U, status=302 if "redirect" in error else None, error=error)
    assert classify(result, LINKS) == ("dead", result.status, error)


@pytest.mark.parametrize("status", [403, 429])
def test_blocked_statuses_are_blocked_not_dead(status: int) -> None:
    assert classify(page("Forbidden", status), LINKS) == ("blocked", status, None)


@pytest.mark.parametrize(("status", "body"), [
    (200, "<html><head><title>网站防火墙</title></head><body>您的请求带有不合法参数，已被网站管理员设置拦截！</body></html>"),
    (405, "<html><body><div>网站防火墙</div><p>安全狗提醒您：您的访问被拦截</p></body></html>"),
    (503, "<html><body><script src='/cdn-cgi/challenge-platform/cf-chl.js'></script>Just a moment...</body></html>"),
    (200, "<html><body><p>请输入验证码后继续访问</p></body></html>"),
    (200, "<html><body><script>var yundun='云盾';document.cookie='x';location.reload()</script></body></html>"),
])
def test_waf_pages_are_blocked_whatever_their_status(status: int, body: str) -> None:
    assert classify(page(body, status), LINKS) == ("blocked", status, "waf")


def test_404_with_a_waf_badge_stays_dead() -> None:
    assert classify(page("<title>404</title><p>本站由安全狗防护</p>", 404), LINKS) == ("dead", 404, None)


def test_long_page_with_a_waf_badge_in_its_footer_is_ok() -> None:
    body = html(text=ARTICLE + "<footer>本网站由360网站卫士提供安全防护</footer>")
    assert classify(page(body), LINKS) == ("ok", 200, None)


NOT_FOUND_TEXT = "<p>请检查您输入的网址是否正确</p><a href='/'>返回首页</a>"


@pytest.mark.parametrize("body", [
    html(title="页面不存在", text=NOT_FOUND_TEXT),
    html(title="404 Not Found - 某某市人民政府", text=NOT_FOUND_TEXT),
    html(title="某某市人民政府", h1="您访问的页面不存在", text=NOT_FOUND_TEXT),
    html(title="提示信息", text="对不起，该信息已删除或已过期。<a href='/'>返回首页</a>"),
])
def test_soft_404_pages_are_dead_with_status_200(body: str) -> None:
    assert classify(page(body), LINKS) == ("dead", 200, "soft_404")


def test_long_article_mentioning_page_not_found_deep_inside_is_not_soft_404() -> None:
    body = html(text=ARTICLE + "群众反映部分链接出现“页面不存在”问题，已整改。" + ARTICLE)
    assert classify(page(body), LINKS) == ("ok", 200, None)


def test_soft_404_text_in_a_script_does_not_count() -> None:
    body = html(title="首页", text="<script>var msg='页面不存在';</script>欢迎访问")
    assert classify(page(body), LINKS) == ("ok", 200, None)


def test_redirect_to_an_error_page_path_is_soft_404() -> None:
    result = page(html(title="提示"), final_url="http://127.0.0.1:8001/404.html", redirects=[U])
    assert classify(result, LINKS) == ("dead", 200, "soft_404")


def test_gbk_soft_404_page_is_recognised() -> None:
    body = "<html><head><title>页面不存在</title></head><body>返回</body></html>".encode("gbk")
    result = FetchResult(url=U, final_url=U, status=200, body=body, content_type="text/html",
                         headers={"content-type": "text/html; charset=gbk"})
    assert classify(result, LINKS) == ("dead", 200, "soft_404")


def test_non_html_200_is_ok_even_if_bytes_match() -> None:
    result = FetchResult(url=U, final_url=U, status=200, body=b"404 Not Found", content_type="application/pdf")
    assert classify(result, LINKS) == ("ok", 200, None)


def test_robots_disallowed_is_skipped() -> None:
    assert classify(FetchResult(url=U, final_url=U, error="robots_disallowed"), LINKS) == ("skipped", None, "robots_disallowed")


def test_truncated_page_is_still_judged_by_its_status() -> None:
    assert classify(page(html(), truncated=True), LINKS) == ("ok", 200, None)


@pytest.mark.parametrize("title", ["page not found", "PAGE NOT FOUND", "Page not found"])
def test_ascii_soft_404_patterns_match_whatever_their_case(title: str) -> None:
    assert classify(page(html(title=title, text=NOT_FOUND_TEXT)), LINKS) == ("dead", 200, "soft_404")


# --- issue 10: decisions that hold on real sites ---------------------------------------------

SITE_NAV = "".join(f'<li><a href="/col{i}/">栏目{i}</a></li>' for i in range(10))


def site_page(main: str, footer: str = "", title: str = "某某市人民政府") -> str:
    return (f'<html><head><title>{title}</title></head><body><div class="nav"><ul>{SITE_NAV}</ul></div>'
            f'<div class="main">{main}</div><div class="footer">{footer}<p>网站标识码：1401000001</p></div></body></html>')


def test_an_article_about_missing_pages_is_ok_even_with_a_not_found_heading() -> None:
    text = ("此次普查重点检查链接不可用、页面不存在、栏目不更新等问题。" * 3)
    body = site_page('<h1>关于政府网站普查情况的通报</h1><div class="info">发布时间：2021-08-20　来源：市政府办公室</div>'
                     f"<p>{text}</p><h2>二、页面不存在问题</h2><p>个别网站存在页面不存在的情况。</p>")
    assert classify(page(body), LINKS) == ("ok", 200, None)


def test_a_short_page_whose_only_not_found_words_are_link_text_is_ok() -> None:
    body = ("<html><head><title>某某县人民政府</title></head><body><h1>某某县人民政府</h1>"
            "<a href='/a/'>政务公开</a><a href='/report/'>举报页面不存在问题</a><a href='/b/'>办事服务</a></body></html>")
    assert classify(page(body), LINKS) == ("ok", 200, None)


def test_a_short_home_page_with_firewall_badges_in_its_footer_is_ok() -> None:
    body = ('<html><head><title>某某县人民政府</title></head><body><h1>某某县人民政府</h1>'
            '<a href="/a/">政务公开</a><a href="/b/">办事服务</a>'
            '<div class="footer">本站由网站安全狗、360网站卫士、创宇盾提供安全防护 '
            '<img src="http://404.safedog.cn/images/safedogsite/broswer_logo.jpg"></div></body></html>')
    assert classify(page(body), LINKS) == ("ok", 200, None)


@pytest.mark.parametrize("key", sorted(BLOCK_PAGES))
def test_vendor_block_pages_are_blocked_with_the_vendor_named(key: str) -> None:
    block = BLOCK_PAGES[key]
    result = page(block.body, block.status, headers={"content-type": "text/html; charset=utf-8",
                                                     **{k.lower(): v for k, v in block.headers.items()}})
    judged = judge(result, LINKS)
    assert (judged.outcome, judged.status) == ("blocked", block.status)
    if block.status not in LINKS.blocked_statuses:
        assert judged.error == "waf" and judged.reason == block.vendor


@pytest.mark.parametrize("key", sorted(BADGES))
def test_the_same_vendors_badges_in_a_normal_pages_footer_are_not_blocks(key: str) -> None:
    block = BLOCK_PAGES[key]
    body = site_page("<p>欢迎访问。</p>", footer=BADGES[key])
    headers = {"content-type": "text/html; charset=utf-8", **{k.lower(): v for k, v in block.headers.items()}}
    assert classify(page(body, headers=headers), LINKS) == ("ok", 200, None)


def test_a_redirect_without_location_is_dead() -> None:
    result = FetchResult(url=U, final_url=U, status=302, content_type="text/html", body=b"")
    assert classify(result, LINKS) == ("dead", 302, "redirect")


@pytest.mark.parametrize("error", ["app_scheme", "private_address"])
def test_app_scheme_redirects_and_private_addresses_are_skipped(error: str) -> None:
    result = FetchResult(url=U, final_url=U, status=302, error=error)
    assert classify(result, LINKS) == ("skipped", 302, error)


def test_an_attachment_answered_by_a_not_found_html_page_is_soft_404() -> None:
    xls = "http://127.0.0.1:8001/files/plan.xls"
    body = site_page('<div class="err">对不起，您访问的页面不存在或已被删除！</div>', title="提示信息")
    result = FetchResult(url=xls, final_url=xls, status=200, body=body.encode(), content_type="text/html",
                         headers={"content-type": "text/html; charset=utf-8"})
    assert judge(result, LINKS).triple() == ("dead", 200, "soft_404")


def test_an_attachment_answered_by_an_ordinary_html_page_is_ok() -> None:
    pdf = "http://127.0.0.1:8001/files/plan.pdf"
    result = FetchResult(url=pdf, final_url=pdf, status=200, body=site_page("<p>文件下载</p>").encode(),
                         content_type="text/html", headers={"content-type": "text/html; charset=utf-8"})
    assert classify(result, LINKS) == ("ok", 200, None)


ERROR_PAGE = site_page("<div class='tip'>抱歉，您要找的内容暂时无法显示（编号 7731）</div>", title="温馨提示")


def probe_answer(url: str, body: str, **kw: object) -> FetchResult:
    return FetchResult(url=url, final_url=kw.pop("final_url", url), status=200, body=body.encode(),  # type: ignore[arg-type]
                       content_type="text/html", headers={"content-type": "text/html; charset=utf-8"}, **kw)


def test_a_page_matching_the_sites_not_found_fingerprint_is_soft_404_without_any_phrase() -> None:
    fp = not_found_print(probe_answer("http://127.0.0.1:8001/zwdt/govmon-nf-1a2b.html", ERROR_PAGE))
    assert fp is not None
    missing = probe_answer(U, ERROR_PAGE.replace("7731", "9120"))
    assert judge(missing, LINKS).outcome == "ok"  # no phrase: only the fingerprint knows
    assert judge(missing, LINKS, fingerprint=fp).triple() == ("dead", 200, "soft_404")
    real = probe_answer(U, site_page("<p>温馨提示：明日停水。</p>", title="停水通知"))
    assert judge(real, LINKS, fingerprint=fp).outcome == "ok"


def test_a_redirect_to_the_sites_error_page_matches_its_fingerprint() -> None:
    err = "http://127.0.0.1:8001/tips/missing.shtml"
    fp = not_found_print(probe_answer("http://127.0.0.1:8001/govmon-nf-1a2b.html", ERROR_PAGE, final_url=err,
                                      redirects=["http://127.0.0.1:8001/govmon-nf-1a2b.html"]))
    assert fp is not None and fp.final_path == "/tips/missing.shtml"
    moved = probe_answer(U, site_page("<p>x</p>", title="其他"), final_url=err, redirects=[U])
    assert judge(moved, LINKS, fingerprint=fp).triple() == ("dead", 200, "soft_404")


@pytest.mark.parametrize(("final_url", "body"), [
    ("http://127.0.0.1:8001/", ERROR_PAGE),                                     # unknown URLs get the home page
    ("http://127.0.0.1:8001/zwdt/govmon-nf-1a2b.html", "<html><body><div id='app'></div></body></html>"),  # script shell
    ("http://127.0.0.1:8001/zwdt/govmon-nf-1a2b.html", site_page("<div class='info'>发布时间：2021-08-20</div><p>正文</p>")),
])
def test_fingerprints_that_cannot_stand_for_not_found_are_not_used(final_url: str, body: str) -> None:
    probe = "http://127.0.0.1:8001/zwdt/govmon-nf-1a2b.html"
    redirects = [probe] if final_url != probe else []
    assert not_found_print(probe_answer(probe, body, final_url=final_url, redirects=redirects)) is None


def test_only_short_html_answers_without_a_date_line_need_a_fingerprint() -> None:
    assert needs_fingerprint(probe_answer(U, ERROR_PAGE))
    assert not needs_fingerprint(probe_answer(U, site_page("<div>发布时间：2021-08-20</div>")))
    assert not needs_fingerprint(page(html(), 404))
    assert needs_fingerprint(probe_answer("http://127.0.0.1:8001/f/a.xls", site_page("<p>x</p>" * 20000)))


def test_every_vendor_markup_signature_carries_one_of_the_gate_anchors() -> None:
    from monitor.net import firewalls
    for vendor in firewalls.VENDORS:
        for markup in vendor.markup:
            literal = markup.replace("[-_]", "-").replace("s?", "s").replace("\\", "").lower()
            assert any(anchor in literal for anchor in firewalls.ANCHORS), (vendor.name, markup)
    for block in BLOCK_PAGES.values():
        assert firewalls.markup_gate(block.body) or firewalls.by_headers(block.headers, block.status), block.vendor


def test_a_short_real_page_sharing_the_error_pages_template_and_title_is_not_soft_404() -> None:
    fp = not_found_print(probe_answer("http://127.0.0.1:8001/govmon-nf-1a2b3c.html",
                                      site_page("<p>抱歉，您要找的 govmon-nf-1a2b3c.html 暂时无法显示</p>")))
    assert fp is not None
    echo = probe_answer("http://127.0.0.1:8001/old-news.html", site_page("<p>抱歉，您要找的 old-news.html 暂时无法显示</p>"))
    real = probe_answer(U, site_page("<p>联系电话：0353-1234567，传真：0353-7654321</p>"))
    assert judge(echo, LINKS, fingerprint=fp).triple() == ("dead", 200, "soft_404")
    assert judge(real, LINKS, fingerprint=fp).triple() == ("ok", 200, None)
