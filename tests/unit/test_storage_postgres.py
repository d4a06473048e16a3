"""The same Store on a real PostgreSQL server (CI starts one; skipped where GOVMON_TEST_PG_URL is unset)."""

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from monitor.snapshots import PageSnapshot, Post, Probe, SiteSnapshot
from monitor.storage import Store

PG_URL = os.environ.get("GOVMON_TEST_PG_URL", "")
pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="GOVMON_TEST_PG_URL not set")]
T0 = datetime(2021, 9, 30, 16, 0, tzinfo=UTC)


@pytest.fixture()
def store() -> Store:
    s = Store(PG_URL)
    with s.engine.begin() as conn:
        for table in ("pages", "links", "snapshots", "content_marks", "probes", "posts", "feed_fetches", "results",
                      "inspections", "leases", "job_runs"):
            conn.execute(text(f"DELETE FROM {table}"))
    yield s
    s.close()


def test_snapshot_posts_probes_and_results_round_trip_on_postgres(store: Store) -> None:
    site = f"14030{uuid.uuid4().int % 100000:05d}"
    home = PageSnapshot(url="http://127.0.0.1:1/", final_url="http://127.0.0.1:1/", fetched_at=T0)
    snap = SiteSnapshot(site_id=site, url=home.url, started_at=T0, finished_at=T0, home=home)
    store.save_site_snapshot(snap)
    assert store.latest_site_snapshot(site) == snap
    assert store.add_posts("wx", [Post(key="a", published_at=T0), Post(key="a", published_at=T0)], T0) == 1
    store.add_probes(site, [Probe(url="u", at=T0, ok=False, error="timeout")])
    assert store.probe_counts(T0, T0 + timedelta(seconds=1)) == {site: (1, 1)}
    store.save_result("2021-09", "site", site, "2021-09-30", {"id": site, "verdict": "fail"}, T0)
    assert store.done_targets("2021-09", "2021-09-30") == {("site", site)}


def test_lease_is_exclusive_on_postgres(store: Store) -> None:
    assert store.acquire_lease("job", "a", timedelta(minutes=5), T0)
    assert not store.acquire_lease("job", "b", timedelta(minutes=5), T0)
