"""Link outcomes: dead, blocked (could not check) and soft 404, with precision on long pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.classify import classify
from monitor.fetch import FetchResult
from monitor.settings import LinkSettings

LINKS = LinkSettings.shipped()
U = "http://127.0.0.1:8001/a.html"
ARTICLE = "关于开展2021年度政府网站检查工作的通知。各县区、各部门：为进一步提升政府网站建设水平，现就有关事项通知如下。" * 40


def page(html: str, status: int = 200, **kw: object) -> FetchResult:
    body = html.encode("utf-8")
    return FetchResult(url=U, final_url=kw.pop("final_url", U), status=status, body=body,  # type: ignore[arg-type]
                       content_type="text/html", headers={"content-type": "text/html; charset=utf-8"}, **kw)


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


@pytest.mark.parametrize("body", [
    html(title="页面不存在"),
    html(title="404 Not Found - 某某市人民政府"),
    html(title="某某市人民政府", h1="您访问的页面不存在"),
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
    assert classify(page(html(title=title)), LINKS) == ("dead", 200, "soft_404")
