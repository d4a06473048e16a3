"""page_texts: one walk gives exactly the two texts main_text and article_date read."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.article_date import ARTICLE_EXCLUDE, article_date
from monitor.pagetext import MAIN_EXCLUDE, expand_datastore, page_texts, parse_html, visible_text

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
