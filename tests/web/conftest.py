"""The workbench served by a real uvicorn on 127.0.0.1 (a free port) over a real SQLite store
holding the simulated city's August and September 2021 as `govmon demo` stored them."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from monitor.config.load import load_settings
from monitor.config.settings import Settings
from monitor.model.snapshots import PageSnapshot, Post, Probe, SiteSnapshot
from monitor.store.store import Store
from monitor.web import create_app

FIXTURES = Path(__file__).parent.parent / "fixtures" / "review"
AT = datetime(2021, 10, 1, 2, 0, tzinfo=UTC)


def city(month: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"findings-{month}.json").read_text(encoding="utf-8"))


def store_document(store: Store, document: dict[str, Any]) -> None:
    """As `govmon inspect` stores a month: each target's result, then the finished inspection."""
    store.start_inspection(document["period"], document["as_of"], AT)
    for kind, key in (("site", "sites"), ("account", "accounts")):
        for target in document[key]:
            store.save_result(document["period"], kind, target["id"], document["as_of"], target, AT)
    store.finish_inspection(document["period"], document, AT)


#: The page text of the portal's September expression error as the crawl read it (hostile markup included).
PAGE_TEXT = ("阳泉市人民政府\n阳泉市组织社会组织管理业务培训\n发布时间：2021-09-17\n第一段<script>alert(1)</script>。\n"
             "会组织管理各项工作抓实抓细。\n截止目前，社会组织管理各项任务已完成年度目标。\n下一步将继续推进。\n"
             "第五段\n第六段")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Workbench:
    base: str
    store: Store
    db_url: str
    settings: Settings

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=60, follow_redirects=False)


def serve(store: Store, settings: Settings) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store, settings), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def fill(store: Store, documents: list[dict[str, Any]]) -> None:
    for document in documents:
        store_document(store, document)
    start = datetime(2021, 9, 1, 0, 30, tzinfo=UTC)
    store.add_probes("1403000001", [Probe(url="http://127.0.0.1:58209/", at=start + timedelta(hours=h),
                                          ok=h % 50 != 6, status=200 if h % 50 != 6 else None,
                                          error=None if h % 50 != 6 else "timeout", elapsed_ms=120,
                                          source="scheduled") for h in range(0, 29 * 24, 2)])
    sept = next((d for d in documents if d["period"] == "2021-09"), None)
    portal = next((t for t in sept["sites"] if t["id"] == "1403000001"), None) if sept else None
    error = next((f for f in portal["findings"] if f["check"] == "expression_error"), None) if portal else None
    if error is not None:
        taken = datetime(2021, 9, 30, 15, 0, tzinfo=UTC)
        page = PageSnapshot(url=error["url"], final_url=error["url"], status=200, fetched_at=taken,
                            content_hash="ab12cd34ef56ab78" + "0" * 48, title="阳泉市组织社会组织管理业务培训",
                            text=PAGE_TEXT)
        store.save_site_snapshot(SiteSnapshot(site_id="1403000001", url=portal["url"], started_at=taken,
                                              finished_at=taken, pages=[page]))
    store.add_posts("wechat-yangquanshuiwu", [
        Post(key=f"p{n}", published_at=datetime(2021, 8, 30, 2, tzinfo=UTC) + timedelta(days=n * 2), title=f"水务动态{n}")
        for n in range(8)], seen_at=AT)


@pytest.fixture
def make_workbench(tmp_path: Path) -> Iterator[Callable[..., Workbench]]:
    """A workbench over a store of one's own: ``make_workbench(documents=None)`` (the city's two months)."""
    started: list[Iterator[str]] = []
    stores: list[Store] = []

    def make(documents: list[dict[str, Any]] | None = None) -> Workbench:
        url = f"sqlite:///{tmp_path / f'govmon-{len(stores)}.db'}"
        store = Store(url)
        stores.append(store)
        fill(store, documents if documents is not None else [city("2021-08"), city("2021-09")])
        settings = load_settings()
        running = serve(store, settings)
        started.append(running)
        return Workbench(next(running), store, url, settings)

    yield make
    for running in started:
        next(running, None)
    for store in stores:
        store.close()


@pytest.fixture
def workbench(make_workbench: Callable[..., Workbench]) -> Workbench:
    return make_workbench()
