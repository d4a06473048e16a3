"""monitor.pages.scripted: stub roots are followed, script shells and script-filled lists are recognised —
and ordinary pages (a long page with a slow refresh, a list that is simply empty) are not."""

import pytest

from monitor.pages.scripted import is_shell, redirect_target, script_list

BASE = "http://127.0.0.1:8080/"


@pytest.mark.parametrize(("html", "target"), [
    ('<html><head><meta http-equiv="refresh" content="0;url=/portal/"></head><body></body></html>',
     "http://127.0.0.1:8080/portal/"),
    ("<html><head><meta http-equiv='Refresh' content='0; URL=http://www.example.gov.cn/index.html'></head></html>",
     "http://www.example.gov.cn/index.html"),
    ('<html><head><script>window.location.href="/index/index.html";</script></head><body></body></html>',
     "http://127.0.0.1:8080/index/index.html"),
    ("<script type='text/javascript'>location.replace('zfxxgk/index.shtml')</script>",
     "http://127.0.0.1:8080/zfxxgk/index.shtml"),
    ('<html><body><script>top.location = "https://127.0.0.1:8443/";</script>正在跳转…</body></html>',
     "https://127.0.0.1:8443/"),
])
def test_a_stub_root_names_the_page_it_forwards_to(html: str, target: str) -> None:
    assert redirect_target(html, BASE) == target


def test_a_real_page_with_a_refresh_or_a_location_script_is_not_a_stub() -> None:
    text = "<p>" + "市政府召开常务会议，研究部署下一阶段重点工作。" * 20 + "</p>"
    page = f'<html><head><meta http-equiv="refresh" content="300;url=/"></head><body>{text}</body></html>'
    assert redirect_target(page, BASE) is None
    scripted = f'<html><body>{text}<script>function go(){{location.href="/search/";}}</script></body></html>'
    assert redirect_target(scripted, BASE) is None
    assert redirect_target('<meta http-equiv="refresh" content="600">', BASE) is None
    assert redirect_target('<script>location.href="javascript:void(0)";</script>', BASE) is None


def test_an_app_shell_is_script_rendered_and_a_short_real_page_is_not() -> None:
    assert is_shell('<html><head><script src="/js/app.js"></script></head><body><div id="app"></div></body></html>')
    assert is_shell('<html><body><div id="root"></div><noscript>请启用JavaScript</noscript></body></html>')
    nav = "".join(f'<a href="/c{i}/">栏目{i}</a>' for i in range(6))
    assert not is_shell(f'<html><body><div id="app">{nav}</div><script src="/js/app.js"></script></body></html>')
    assert not is_shell("<html><body><h1>通知</h1><p>本网站正在维护，请稍后访问。</p></body></html>")


def test_an_empty_list_filled_by_an_ajax_call_is_script_filled() -> None:
    ajax = '<ul id="list"></ul><script>$.ajax({url:"/api/list",success:function(d){}});</script>'
    assert script_list(f"<html><body><h2>工作动态</h2>{ajax}</body></html>")
    fetches = '<div class="news-list"></div><script>fetch("/api/news").then(r => r.json())</script>'
    assert script_list(f"<html><body>{fetches}</body></html>")
    assert script_list('<html><body><table><tbody id="data" data-url="/api/xxgk"></tbody></table></body></html>')


def test_an_empty_list_without_a_script_that_fills_it_is_not_script_filled() -> None:
    assert not script_list('<html><body><ul class="list"></ul><script src="/js/common.js"></script></body></html>')
    assert not script_list('<html><body><ul id="list"><li><a href="/a.html">一条信息</a></li></ul>'
                           '<script>$.ajax({url:"/api/count"});</script></body></html>')

