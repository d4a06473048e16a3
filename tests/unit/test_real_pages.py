"""Extraction on real government pages, driven by the manifest: a page added there is covered here.

Per page type: ``article`` — ``article_date`` is the manifest's date; ``list`` — ``list_items``
finds ``list_item_count`` items whose newest date is the manifest's; ``home`` — the newest dated
item of every block is the manifest's date; ``empty`` — ``empty_reason`` says why and no item is
found; ``interaction`` — the newest ask date of the board is the manifest's date.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.article_date import article_date
from monitor.empty_page import empty_reason
from monitor.interaction import parse_messages
from monitor.listing import list_items
from monitor.pagetext import page_title
from monitor.settings import load_settings

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real-pages"
MANIFEST = REAL / "manifest.json"
PAGES: list[dict[str, Any]] = json.loads(MANIFEST.read_text(encoding="utf-8"))["pages"] if MANIFEST.exists() else []
PATTERNS = load_settings().extract.empty_patterns


def _html(page: dict[str, Any]) -> str:
    return (REAL / page["file"]).read_text(encoding="utf-8")


def _base(page: dict[str, Any]) -> str:
    """A stand-in address for the page (never fetched): relative links resolve below it."""
    return f"http://127.0.0.1:9/real/{page['page_type']}/{page['file']}"


def _ref(page: dict[str, Any]) -> date | None:
    """As-of a month after the page's newest date, so year-less dates can be placed."""
    newest = page["newest_item_date"]
    return date.fromisoformat(newest) + timedelta(days=30) if newest else None


def _newest(page: dict[str, Any]) -> date | None:
    return date.fromisoformat(page["newest_item_date"]) if page["newest_item_date"] else None


@pytest.fixture(params=PAGES, ids=[p["file"] for p in PAGES])
def page(request: pytest.FixtureRequest) -> dict[str, Any]:
    return request.param


def test_manifest_is_present_and_lists_pages() -> None:
    if not MANIFEST.exists():
        pytest.skip("shared real pages not present")
    assert PAGES and all((REAL / p["file"]).exists() for p in PAGES)


def test_real_page_extraction_matches_the_manifest(page: dict[str, Any]) -> None:
    html, kind = _html(page), page["page_type"]
    if kind == "article":
        assert article_date(html) == _newest(page)
    elif kind == "list":
        items = list_items(html, _base(page), ref=_ref(page), scope="main")
        assert len(items) == page["list_item_count"]
        assert max((i.date for i in items if i.date), default=None) == _newest(page)
        assert empty_reason(html, PATTERNS) is None
    elif kind == "home":
        items = list_items(html, _base(page), ref=_ref(page), scope="all")
        assert max((i.date for i in items if i.date), default=None) == _newest(page)
    elif kind == "empty":
        assert empty_reason(html, PATTERNS) is not None
        assert list_items(html, _base(page), ref=_ref(page), scope="main") == []
    elif kind == "interaction":
        messages = parse_messages(html, _base(page), page.get("column_name") or "", ref=_ref(page))
        assert max((m.asked for m in messages if m.asked), default=None) == _newest(page)
    else:
        pytest.fail(f"{page['file']}: unknown page_type {kind!r}")


def test_real_page_default_list_items_agree_with_the_manifest_for_list_pages(page: dict[str, Any]) -> None:
    if page["page_type"] != "list":
        pytest.skip("list pages only")
    items = list_items(_html(page), _base(page), ref=_ref(page))
    assert len(items) == page["list_item_count"]


def test_real_page_has_a_title(page: dict[str, Any]) -> None:
    assert page_title(_html(page))
