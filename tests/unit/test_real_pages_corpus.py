"""Extraction on the corpus of real government pages (tests/fixtures/real_pages).

Driven by the corpus manifest, so a page added there is covered here. Truths were read from the
pages by hand (see each page's ``notes``), never produced by running the extractors. The pages of
the shared development set are copied in (``origin`` says so), so the suite reads nothing outside
the repository.

Per page type: ``article`` — ``article_date`` is the manifest's date; ``list`` — ``list_items``
(scope ``main``) finds ``list_item_count`` items whose newest date is the manifest's; ``home`` —
``list_items`` (scope ``all``) finds ``list_item_count`` distinct dated links whose newest date is
the manifest's; ``empty`` — ``empty_reason`` names a reason and no item is found;
``interaction`` — the newest ask date of the board's messages is the manifest's.

As-of (``ref``): the manifest's newest date + 30 days, a fixed day after the page was current, so
year-less dates ([12-29], 01-11) are placed in the year the page was live. A year-end as-of would
be wrong for them: on a page saved in January a "[12-29]" row belongs to the previous December.

A page may carry ``"xfail": "reason"`` only when its truth is out of scope for static extraction
(e.g. a date rendered by JavaScript alone) or a known, named limit of the readers — never to hide
an extractor bug. ``"xfail_in"`` narrows it to the named checks (``list_items``,
``default_scope``, ``article_date``, ``messages``), so the page's other checks still run.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.config.load import load_settings
from monitor.pages.article_date import article_date
from monitor.pages.empty import empty_reason
from monitor.pages.listing import list_items
from monitor.pages.messages import parse_messages
from monitor.pages.text import page_title

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "real_pages"
MANIFEST = CORPUS / "manifest.json"
PAGES: list[dict[str, Any]] = json.loads(MANIFEST.read_text(encoding="utf-8"))["pages"]
PATTERNS = load_settings().extract.empty_patterns
KINDS = {"article", "list", "home", "empty", "interaction", "guide"}
REQUIRED = {"file", "source", "extraction", "site_name", "page_type", "vendor", "column_name",
            "newest_item_date", "list_item_count", "notes", "sha256", "bytes"}


def _html(page: dict[str, Any]) -> str:
    return (CORPUS / page["file"]).read_text(encoding="utf-8")


def _base(page: dict[str, Any]) -> str:
    """The page's own address as the page states it (saved-from comment, canonical meta, its
    pagination links) so links resolve and self-links drop as in a crawl; it is only joined with
    hrefs, never fetched or resolved. Else a 127.0.0.1 stand-in (a home page at a site root)."""
    if page.get("url"):
        return str(page["url"])
    if page["page_type"] == "home":
        return f"http://127.0.0.1:9/{page['file'].removesuffix('.html')}/"
    return f"http://127.0.0.1:9/real/{page['page_type']}/{page['file']}"


def _newest(page: dict[str, Any]) -> date | None:
    return date.fromisoformat(page["newest_item_date"]) if page["newest_item_date"] else None


def _ref(page: dict[str, Any]) -> date | None:
    newest = _newest(page)
    return newest + timedelta(days=30) if newest else None


def _param(page: dict[str, Any], check: str = "") -> Any:
    limited = page.get("xfail_in")
    failing = page.get("xfail") and (not limited or check in limited)
    marks = [pytest.mark.xfail(reason=page["xfail"], strict=True)] if failing else []
    return pytest.param(page, id=page["file"], marks=marks)


def test_corpus_manifest_entries_are_complete_and_match_their_files() -> None:
    assert PAGES
    for page in PAGES:
        assert REQUIRED <= page.keys(), page["file"]
        data = (CORPUS / page["file"]).read_bytes()
        assert len(data) == page["bytes"], page["file"]
        assert hashlib.sha256(data).hexdigest() == page["sha256"], page["file"]
        assert page["page_type"] in KINDS, page["file"]
        source = page["source"]
        assert (source.get("repo") and source.get("path")) or source.get("index_file_id"), page["file"]


@pytest.mark.parametrize("page", [_param(p, "article_date") for p in PAGES if p["page_type"] == "article"])
def test_article_date_is_the_publication_date_read_from_the_page(page: dict[str, Any]) -> None:
    assert article_date(_html(page)) == _newest(page)


@pytest.mark.parametrize("page", [_param(p, "list_items") for p in PAGES if p["page_type"] in ("list", "home")])
def test_list_items_find_the_column_rows_and_their_newest_date(page: dict[str, Any]) -> None:
    scope = "main" if page["page_type"] == "list" else "all"
    items = list_items(_html(page), _base(page), ref=_ref(page), scope=scope)
    dated = [item.date for item in items if item.date]
    count = len(items) if scope == "main" else len(dated)  # a home page's truth counts its dated links
    assert (count, max(dated, default=None)) == (page["list_item_count"], _newest(page))


@pytest.mark.parametrize("page", [_param(p) for p in PAGES
                                  if p["page_type"] == "list" and str(p.get("url") or "").endswith("/")])
def test_a_column_read_as_dir_or_as_its_index_html_gives_the_same_rows(page: dict[str, Any]) -> None:
    """TRS/Hanweb link a column both as ``…/col/`` and ``…/col/index.html``: one page, one list."""
    html, url = _html(page), str(page["url"])
    as_dir = list_items(html, url, ref=_ref(page), scope="main")
    as_index = list_items(html, url + "index.html", ref=_ref(page), scope="main")
    assert [i.url for i in as_index] == [i.url for i in as_dir]


@pytest.mark.parametrize("page", [_param(p) for p in PAGES if p["page_type"] == "list"])
def test_a_list_page_with_rows_is_not_reported_empty(page: dict[str, Any]) -> None:
    assert empty_reason(_html(page), PATTERNS) is None


@pytest.mark.parametrize("page", [_param(p) for p in PAGES if p["page_type"] == "empty"])
def test_an_empty_column_page_says_why_and_yields_no_item(page: dict[str, Any]) -> None:
    html = _html(page)
    assert empty_reason(html, PATTERNS) is not None
    assert list_items(html, _base(page), ref=_ref(page), scope="main") == []


@pytest.mark.parametrize("page", [_param(p, "default_scope") for p in PAGES if p["page_type"] == "list"])
def test_a_list_page_read_with_the_default_scope_gives_the_same_count(page: dict[str, Any]) -> None:
    """``auto`` must recognise a column's list page as one, not as a home page of blocks."""
    items = list_items(_html(page), _base(page), ref=_ref(page))
    assert len(items) == page["list_item_count"]


@pytest.mark.parametrize("page", [_param(p, "messages") for p in PAGES if p["page_type"] == "interaction"])
def test_a_message_board_gives_its_newest_question_date(page: dict[str, Any]) -> None:
    messages = parse_messages(_html(page), _base(page), page.get("column_name") or "", ref=_ref(page))
    assert max((m.asked for m in messages if m.asked), default=None) == _newest(page)


@pytest.mark.parametrize("page", PAGES, ids=[p["file"] for p in PAGES])
def test_every_real_page_has_a_title(page: dict[str, Any]) -> None:
    assert page_title(_html(page))
