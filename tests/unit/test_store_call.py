"""Store.call: storage runs on the writer thread, a failing database is retried with backoff and
then ends the run with one line (an inspection never judges a target on a storage failure)."""

from __future__ import annotations

import asyncio
import threading
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

import monitor.store.store
from monitor.config.load import load_settings
from monitor.model.errors import StorageError
from monitor.model.period import CHINA_TZ, Period
from monitor.registry.model import Registry, parse_registry
from monitor.run.inspect import inspect
from monitor.store.store import Store

AS_OF = date(2021, 8, 31)


class FlakyStore(Store):
    """A store whose ``done_targets`` and ``account_snapshot`` fail ``failures`` times as a locked SQLite would."""

    def __init__(self, url: str, failures: int) -> None:
        super().__init__(url)
        self.failures, self.threads = failures, set[str]()

    def _maybe_fail(self) -> None:
        self.threads.add(threading.current_thread().name)
        if self.failures > 0:
            self.failures -= 1
            raise OperationalError("SELECT …", {}, Exception("database is locked"))

    def done_targets(self, period: str, as_of: str) -> set[tuple[str, str]]:
        self._maybe_fail()
        return super().done_targets(period, as_of)

    def account_snapshot(self, account_id: str, until: datetime | None = None) -> Any:
        if account_id == "wx1":
            self.failures = 99
        self._maybe_fail()
        return super().account_snapshot(account_id, until)


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(monitor.store.store, "CALL_BACKOFF_SECONDS", 0.01)


def run(store: Store, registry: Registry | None = None) -> dict[str, Any]:
    return asyncio.run(inspect(registry or Registry(sites=[], accounts=[]), settings=load_settings(), store=store,
                               period=Period.for_as_of(AS_OF), now=datetime.combine(AS_OF, time(23), CHINA_TZ)))


def test_a_passing_lock_is_retried_on_the_writer_thread(tmp_path: Path) -> None:
    store = FlakyStore(f"sqlite:///{tmp_path / 'govmon.db'}", failures=2)
    assert run(store)["period"] == "2021-08"
    assert store.failures == 0
    assert all(name.startswith("govmon-store") for name in store.threads)
    store.close()


def test_a_database_that_keeps_failing_ends_the_run_with_one_line(tmp_path: Path) -> None:
    store = FlakyStore(f"sqlite:///{tmp_path / 'govmon.db'}", failures=99)
    with pytest.raises(StorageError) as err:
        run(store)
    message = str(err.value)
    assert "\n" not in message
    assert "done_targets failed after 4 attempts: database is locked" in message
    store.close()


def test_a_storage_failure_inside_a_target_ends_the_run_instead_of_judging_it(tmp_path: Path) -> None:
    registry = parse_registry('''
[[accounts]]
id = "wx1"
name = "甲市发布"
platform = "wechat"
owner = "甲市人民政府新闻办公室"
feed = "http://127.0.0.1:9/wx1.xml"
''')
    store = FlakyStore(f"sqlite:///{tmp_path / 'govmon.db'}", failures=0)
    with pytest.raises(StorageError, match="account_snapshot failed after 4 attempts"):
        run(store, registry)
    assert store.results("2021-08") == []  # nothing stored as an "error" verdict
    store.close()
