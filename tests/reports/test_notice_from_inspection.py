"""A notice rendered from a real inspection says only what its findings prove.

Part of the simulated city (as of 2021-08-31) is served on 127.0.0.1 and inspected with the real
crawler, feeds, checks and scoring into a SQLite file; one site of the registry points at a port
nobody listens on and one site's crawl breaks (a unit that could not be inspected). The notice is
rendered from the store as `govmon report` does (HTML and DOCX, DOCX read back), and every
statement is checked against the stored findings through the ids the model carries.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

import pytest
from docx import Document

import monitor.run.inspect as inspect_module
from monitor.config.load import load_settings
from monitor.model.period import CHINA_TZ, Period
from monitor.registry.model import Registry, Site, parse_registry
from monitor.run.inspect import inspect
from monitor.run.report import history, render_month
from monitor.sandbox.city import city_registry, serve_city
from monitor.sandbox.server import RunningWorld
from monitor.store.store import Store
from reports.evidence import FAULT, NOT_INSPECTED, verdict
from reports.model import build_report
from tests.reports.evidence_check import (
    assert_no_notice_stated_as_fault,
    assert_problems_rest_on_faults,
    problem_paragraphs,
)

AS_OF = date(2021, 8, 31)
NOW = datetime.combine(AS_OF, dtime(23, 0), CHINA_TZ)
#: 林业局 (home page not updated), 矿区 (message unanswered), 审计局 (4 stale columns: a near miss),
#: 教育局 and 财政局, and 交通运输局 whose crawl breaks.
SITE_IDS = ("1403000024", "1403030001", "1403000017", "1403000003", "1403000005", "1403000010")
BROKEN = "1403000010"
ACCOUNT_IDS = ("xigua-yangquangaoxinqu", "douyin-yuxianfabu", "weibo-yangquanwenlv", "wechat-yangquanfabu",
               "wechat-yangquanshifeigongqiyedangjian", "wechat-yangquanshishichangjianduguanliju")
DEAD_ID = "1403000099"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def city() -> Iterator[RunningWorld]:
    with serve_city(AS_OF) as world:
        yield world


@pytest.fixture(scope="module")
def inspected(city: RunningWorld, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    full = parse_registry(city_registry(city.bases))
    dead = Site(id=DEAD_ID, name="阳泉市示例局", url=f"http://127.0.0.1:{_closed_port()}/", owner="阳泉市示例局",
                district="市直")
    registry = Registry(sites=[s for s in full.sites if s.id in SITE_IDS] + [dead],
                        accounts=[a for a in full.accounts if a.id in ACCOUNT_IDS])
    url = f"sqlite:///{tmp_path_factory.mktemp('inspection') / 'govmon.db'}"
    store = Store(url)
    real = inspect_module.crawl_site

    async def breaking(site: Any, **kwargs: Any) -> Any:
        if site.id == BROKEN:
            raise RuntimeError("parser exploded")
        return await real(site, **kwargs)

    inspect_module.crawl_site = breaking
    try:
        document = asyncio.run(inspect(registry, settings=load_settings(), store=store,
                                       period=Period.for_as_of(AS_OF), now=NOW, clock=lambda: NOW))
    finally:
        inspect_module.crawl_site = real
        store.close()
    return url, document


def test_every_named_unit_has_a_fault_finding_of_its_category(inspected, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, document = inspected
    settings = load_settings()
    store = Store(url)
    try:
        paths = render_month(store, "2021-08", settings, tmp_path)
        model = build_report(store.inspection("2021-08"), history=history(store, "2021-08", 6),
                             settings=settings.report)
    finally:
        store.close()
    assert [p.name for p in paths][:2] == ["通报-2021-08.html", "通报-2021-08.docx"]
    assert assert_problems_rest_on_faults(model, document) >= 3
    assert_no_notice_stated_as_fault(model, document)
    sites = {t["id"]: t for t in document["sites"]}
    assert verdict(sites["1403000024"]) == "fail"
    named = "\n".join(p.text for p in problem_paragraphs(model))
    assert "“阳泉市林业局”网站首页已" in named
    docx = Document(str(tmp_path / "通报-2021-08.docx"))
    docx_text = "\n".join(p.text for p in docx.paragraphs)
    html = (tmp_path / "通报-2021-08.html").read_text(encoding="utf-8")
    for target in document["sites"] + document["accounts"]:
        faults = [f for f in target["findings"] if f["severity"] in FAULT]
        if not faults or verdict(target) == NOT_INSPECTED:
            start = docx_text.index("二、存在的主要问题")
            problems = docx_text[start:docx_text.index("（三）", start)]
            assert f"“{target['name']}”" not in problems, target["name"]
    table_names = {row.cells[1].text for table in docx.tables for row in list(table.rows)[1:]}
    assert table_names == {t["name"] for t in document["sites"] + document["accounts"] if verdict(t) == "fail"}
    assert "接近单项否决" not in docx_text and "接近单项否决" not in html
    wenlv = next(a for a in document["accounts"] if a["id"] == "weibo-yangquanwenlv")
    if any(f["check"] == "feed_unreachable" for f in wenlv["findings"]):
        assert "阳泉文旅" not in docx_text and "阳泉文旅" not in html


def test_units_not_inspected_are_counted_apart_and_listed_for_the_office(inspected, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, document = inspected
    broken = next(s for s in document["sites"] if s["id"] == BROKEN)
    assert verdict(broken) == NOT_INSPECTED
    store = Store(url)
    try:
        paths = render_month(store, "2021-08", load_settings(), tmp_path)
    finally:
        store.close()
    not_inspected = [s for s in document["sites"] if verdict(s) == NOT_INSPECTED]
    failed = [s for s in document["sites"] if verdict(s) == "fail"]
    checked = len(document["sites"]) - len(not_inspected)
    text = "\n".join(p.text for p in Document(str(tmp_path / "通报-2021-08.docx")).paragraphs)
    assert f"经检查，完成检查的{checked}家政府网站中，不合格政府网站{len(failed)}家" in text
    assert f"另有政府网站{len(not_inspected)}家" in text and "不计入合格率" in text
    for site in not_inspected:
        assert f"“{site['name']}”" not in text
    review = Document(str(tmp_path / "通报-2021-08-核实清单.docx"))
    assert tmp_path / "通报-2021-08-核实清单.html" in paths
    rows = {row.cells[1].text: row.cells[3].text for table in review.tables for row in list(table.rows)[1:]}
    assert rows["“阳泉市交通运输局”网站"].startswith("未能完成检查：")
    assert "（此件不公开）" in [p.text for p in review.paragraphs]
