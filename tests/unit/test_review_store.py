"""Review decisions in a real SQLite store: append-only, read back oldest first, validated before
they are written; and the evidence lookups the workbench uses (page fetches, result time)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.model.review import Decision, InvalidDecision
from monitor.model.snapshots import PageSnapshot
from monitor.store.store import Store

AT = datetime(2021, 10, 8, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    yield s
    s.close()


def test_decisions_are_appended_and_read_back_oldest_first(store: Store) -> None:
    first = store.add_decision(Decision(period="2021-09", kind="site", target_id="1403110001", action="dismiss",
                                        reviewer=" 李明 ", reason="留言已答复", at=AT, finding_id="1403110001/x/1"))
    second = store.add_decision(Decision(period="2021-09", kind="site", target_id="1403110001", action="confirm",
                                         reviewer="王芳", reason="", at=AT + timedelta(hours=1),
                                         finding_id="1403110001/x/1"))
    store.add_decision(Decision(period="2021-10", kind="account", target_id="a1", action="override", reviewer="李明",
                                reason="账号已注销", at=AT + timedelta(days=30), verdict="not_inspected"))
    assert first.id is not None and second.id == first.id + 1 and first.reviewer == "李明"
    assert [(d.action, d.reviewer, d.at) for d in store.decisions(target_id="1403110001")] == [
        ("dismiss", "李明", AT), ("confirm", "王芳", AT + timedelta(hours=1))]
    assert [d.period for d in store.decisions(until_period="2021-09")] == ["2021-09", "2021-09"]
    assert store.decisions()[-1].verdict == "not_inspected"


def test_an_invalid_decision_is_refused_before_anything_is_written(store: Store) -> None:
    with pytest.raises(InvalidDecision, match="a dismiss needs a reason"):
        store.add_decision(Decision(period="2021-09", kind="site", target_id="1", action="dismiss", reviewer="李明",
                                    reason="", at=AT, finding_id="1/x/1"))
    assert store.decisions() == []


def test_page_records_give_the_latest_fetch_up_to_a_time_and_result_time_when_judged(store: Store) -> None:
    url = "http://127.0.0.1:8001/a.html"
    early, late = datetime(2021, 9, 1, tzinfo=UTC), datetime(2021, 10, 3, tzinfo=UTC)
    store.save_pages("s1", [PageSnapshot(url=url, final_url=url, status=200, fetched_at=early, content_hash="aa"),
                            PageSnapshot(url=url, final_url=url, status=200, fetched_at=late, content_hash="bb")])
    assert store.page_records("s1", [url, "http://127.0.0.1:8001/none"], datetime(2021, 9, 30, tzinfo=UTC)) == {
        url: {"url": url, "final_url": url, "status": 200, "error": None, "content_hash": "aa", "title": "",
              "fetched_at": early}}
    assert store.result_time("2021-09", "site", "s1") is None
    store.save_result("2021-09", "site", "s1", "2021-09-30", {"id": "s1", "verdict": "pass"}, AT)
    assert store.result_time("2021-09", "site", "s1") == AT
