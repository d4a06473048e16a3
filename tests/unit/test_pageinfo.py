"""pageinfo over every saved real and CMS-style page: 网站标识码, column name and page type as
the manifests give them (the real-page corpus and the CMS markup set)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from monitor.pages.info import column_name, page_type, site_id_code

TESTS = Path(__file__).resolve().parents[1]
FOLDERS = [TESTS / "fixtures" / "real_pages", TESTS / "fixtures" / "html_cms"]
KNOWN_LIMITS = {"zblog_article_clock_label.html": "a short article followed by a longer related list reads as a list"}
_NFRA_CRUMB = ("rendered AngularJS page: mega-menu links carry class 'weizhi' (位置) and the trail is split over <li>s "
               "(当前位置：首页 | 政务信息 | 行政处罚 | …): the menu's first link 政策 is read as the trail")
KNOWN_COLUMN_LIMITS = {"nfra_xzcf_article_2024.html": _NFRA_CRUMB, "nfra_xzcf_zhejiang_article_2025.html": _NFRA_CRUMB,
                       "ccgp_hebei_zbgg_article_2021.html": "trail 您当前位置：承德市 > 围场县 > 采购公告 >中标公告 gives no "
                                                            "column (None, not a wrong one): no ColumnName meta, generic title"}


def _pages() -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for folder in FOLDERS:
        manifest = folder / "manifest.json"
        if manifest.exists():
            out.extend((folder, page) for page in json.loads(manifest.read_text(encoding="utf-8"))["pages"])
    return out


PAGES = _pages()


def _url(page: dict[str, Any]) -> str:
    if page.get("url"):
        return str(page["url"])
    return "http://127.0.0.1:9/" if page["page_type"] == "home" else f"http://127.0.0.1:9/real/{page['page_type']}/{page['file']}"


@pytest.mark.parametrize(("folder", "page"), PAGES, ids=[p["file"] for _, p in PAGES])
def test_site_id_code_is_the_one_the_page_shows(folder: Path, page: dict[str, Any]) -> None:
    html = (folder / page["file"]).read_text(encoding="utf-8", errors="replace")
    found = site_id_code(html)
    if page.get("site_id_code"):
        assert found == page["site_id_code"]
    elif found is not None:  # a manifest left it out: it must still be what the page itself shows
        assert re.search(rf"(?:标识码|sitecode)\W{{0,12}}{found}", html, re.I)


@pytest.mark.parametrize(("folder", "page"), PAGES, ids=[p["file"] for _, p in PAGES])
def test_column_name_is_the_columns_own(folder: Path, page: dict[str, Any]) -> None:
    if page["file"] in KNOWN_COLUMN_LIMITS:
        pytest.xfail(KNOWN_COLUMN_LIMITS[page["file"]])
    html = (folder / page["file"]).read_text(encoding="utf-8", errors="replace")
    found = column_name(html, _url(page))
    if page["page_type"] == "home":
        assert found is None
    elif page.get("column_name"):
        assert found == page["column_name"]


@pytest.mark.parametrize(("folder", "page"), PAGES, ids=[p["file"] for _, p in PAGES])
def test_page_type(folder: Path, page: dict[str, Any]) -> None:
    if page["file"] in KNOWN_LIMITS:
        pytest.xfail(KNOWN_LIMITS[page["file"]])
    html = (folder / page["file"]).read_text(encoding="utf-8", errors="replace")
    assert page_type(html, _url(page)) == page["page_type"]
