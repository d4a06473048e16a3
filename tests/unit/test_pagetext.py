"""page_texts: one walk gives exactly the two texts main_text and article_date read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.pages.article_date import ARTICLE_EXCLUDE, article_date
from monitor.pages.text import MAIN_EXCLUDE, expand_datastore, page_texts, parse_html, visible_text

HERE = Path(__file__).resolve().parent
PAGES = sorted({*(HERE.parent / "fixtures" / "html").glob("*.html"), *(HERE.parent / "fixtures" / "real_pages").glob("*.html")})


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_one_walk_equals_the_two_separate_walks(path: Path) -> None:
    html = path.read_text(encoding="utf-8", errors="replace")
    tree = parse_html(expand_datastore(html))
    main, article = page_texts(tree.body)
    assert main == visible_text(tree.body, MAIN_EXCLUDE)
    assert article == visible_text(tree.body, ARTICLE_EXCLUDE, hidden=True)
    assert article_date(html, tree=tree, text=article) == article_date(html)


def test_sidebar_and_hidden_text_stay_in_the_main_text_only() -> None:
    tree = parse_html("<html><body><div class='nav'>首页</div><p>正文内容</p><div class='sidebar'><p>相关链接</p></div>"
                      "<p style='display:none'>隐藏</p><p>结尾</p></body></html>")
    assert page_texts(tree.body) == ("正文内容\n相关链接\n隐藏\n结尾", "正文内容\n结尾")


def test_an_accessibility_toolkit_skipautofix_class_is_content_but_a_skip_link_is_chrome() -> None:
    """宜春/万载 pages mark their whole article class="skipAutoFix" (a 无障碍 toolkit marker)."""
    tree = parse_html("<html><body><a class='skip-to-content' href='#main'>跳到主要内容</a>"
                      "<div class='content skipAutoFix'><h1>统计公报</h1><span class='date skipAutoFix'>"
                      "发布日期：2017-05-15</span></div><div id='skipnav'>跳过导航</div></body></html>")
    assert page_texts(tree.body)[0] == "统计公报\n发布日期：2017-05-15"
    assert article_date("<html><head><meta name='PubDate' content='2022-04-24'></head><body>"
                        "<div class='content skipAutoFix'><h1>统计公报</h1><span class='date skipAutoFix'>"
                        "发布日期：2017-05-15</span></div></body></html>") == date(2017, 5, 15)
