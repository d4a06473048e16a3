"""Evidence pages in the store (real SQLite): kept compressed, read back whole, chosen by the
findings they back, pruned with the other fetched data."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.crawl.evidence import RecordingFetcher, evidence_pages
from monitor.net.result import FetchResult
from monitor.run.retention import delete_before
from monitor.store.store import Store

T0 = datetime(2021, 8, 31, 2, 0, tzinfo=UTC)
HOME = "http://127.0.0.1:8001/"
COLUMN = "http://127.0.0.1:8001/gzdt/"
ARTICLE = "http://127.0.0.1:8001/gzdt/a1.html"


class _Inner:
    """Stands for the network: answers each GET with a fixed page (the recorder is what is tested)."""

    def __init__(self, pages: dict[str, bytes]) -> None:
        self.pages = pages

    async def get(self, url: str, **_: object) -> FetchResult:
        body = self.pages.get(url)
        if body is None:
            return FetchResult(url=url, final_url=url, error="connect_error", fetched_at=T0)
        return FetchResult(url=url, final_url=url, status=200, content_type="text/html", body=body, fetched_at=T0,
                           headers={"content-type": "text/html; charset=utf-8", "content-encoding": "gzip",
                                    "server": "TRS"})


def _recorded(pages: dict[str, bytes], max_body: int = 1000) -> RecordingFetcher:
    import asyncio

    recorder = RecordingFetcher(_Inner(pages), max_body_bytes=max_body)

    async def run() -> None:
        for url in [*pages, "http://127.0.0.1:8001/gone"]:
            await recorder.get(url)

    asyncio.run(run())
    return recorder


def _result() -> dict:
    return {"verdict": "fail", "findings": [
        {"id": "s/stale_column/1", "check": "stale_column", "severity": "deduct", "url": COLUMN},
        {"id": "s/dead_link/1", "check": "dead_link", "severity": "deduct", "url": "http://127.0.0.1:8001/x.doc",
         "sources": [ARTICLE, HOME]},
        {"id": "s/stale_homepage/1", "check": "stale_homepage", "severity": "veto", "url": HOME},
        {"id": "s/empty_column/1", "check": "empty_column", "severity": "notice", "url": "http://127.0.0.1:8001/n/"},
    ]}


def test_pages_behind_fault_findings_are_chosen_veto_first_and_bounded() -> None:
    recorder = _recorded({HOME: b"<html>home</html>", COLUMN: b"<html>column</html>", ARTICLE: b"<html>a</html>",
                          "http://127.0.0.1:8001/n/": b"<html>notice only</html>"})
    pages = evidence_pages(_result(), recorder, limit=10)
    assert [(p.page.url, p.veto, p.finding_ids) for p in pages] == [
        (HOME, True, ["s/stale_homepage/1", "s/dead_link/1"]), (COLUMN, False, ["s/stale_column/1"]),
        (ARTICLE, False, ["s/dead_link/1"])]
    assert dict(pages[0].page.headers) == {"content-type": "text/html; charset=utf-8", "server": "TRS"}
    assert [p.page.url for p in evidence_pages(_result(), recorder, limit=2)] == [HOME, COLUMN]


def test_a_body_is_cut_at_the_limit_and_marked_while_its_hash_is_of_the_whole() -> None:
    import hashlib

    body = b"<html>" + b"x" * 5000 + b"</html>"
    page = evidence_pages(_result(), _recorded({HOME: body}, max_body=1000), limit=5)[0]
    assert (page.page.size, page.page.truncated, len(page.body())) == (len(body), True, 1000)
    assert page.page.sha256 == hashlib.sha256(body).hexdigest()


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'g.db'}")
    yield s
    s.close()


def test_evidence_round_trips_and_is_pruned_with_fetched_data(store: Store) -> None:
    recorder = _recorded({HOME: "<html>首页 2021年08月05日</html>".encode(), COLUMN: b"<html>c</html>"})
    pages = evidence_pages(_result(), recorder, limit=10)
    pages[0].screenshot, pages[0].screenshot_note = b"\x89PNG\r\n\x1a\nfake", ""
    assert store.save_evidence("2021-08", "site", "1403000024", pages) == 2
    kept = store.evidence("1403000024", "2021-08")
    assert [(k.url, k.status, k.veto, k.finding_ids) for k in kept] == [
        (HOME, 200, True, ["s/stale_homepage/1", "s/dead_link/1"]), (COLUMN, 200, False, ["s/stale_column/1"])]
    assert kept[0].body.decode() == "<html>首页 2021年08月05日</html>" and kept[0].fetched_at == T0
    assert kept[0].screenshot.startswith(b"\x89PNG") and kept[1].screenshot is None
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT body FROM evidence_pages ORDER BY id").scalars().first()
    assert zlib.decompress(stored) == kept[0].body  # kept compressed
    assert store.evidence("1403000024", "2021-09") == []
    deleted = delete_before(store.engine, datetime(2021, 9, 1, tzinfo=UTC))
    assert deleted["evidence_pages"] == 2 and store.evidence("1403000024") == []
