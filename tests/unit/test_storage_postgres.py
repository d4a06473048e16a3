"""The same Store on a real PostgreSQL server (CI starts one; skipped where GOVMON_TEST_PG_URL is unset)."""

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from monitor.model.snapshots import PageSnapshot, Post, Probe, SiteSnapshot
from monitor.store.store import Store

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


def test_links_are_upserted_in_bulk_on_postgres(store: Store) -> None:
    from monitor.model.snapshots import LinkResult

    urls = [f"http://127.0.0.1:1/{n}" for n in range(1500)]
    store.save_links(LinkResult(url=u, outcome="ok", status=200, checked_at=T0) for u in urls)
    store.save_links([LinkResult(url=urls[0], outcome="dead", status=404, checked_at=T0),
                      LinkResult(url=urls[0], outcome="dead", status=410, checked_at=T0)])
    fresh = store.fresh_links(T0)
    assert len(fresh) == 1500 and fresh[urls[0]].status == 410


def test_lease_is_exclusive_on_postgres(store: Store) -> None:
    assert store.acquire_lease("job", "a", timedelta(minutes=5), T0)
    assert not store.acquire_lease("job", "b", timedelta(minutes=5), T0)


def test_a_renewed_lease_outlives_its_first_expiry_on_postgres(store: Store) -> None:
    ttl = timedelta(minutes=5)
    assert store.acquire_lease("monthly@2021-08", "first", ttl, T0)
    assert store.renew_lease("monthly@2021-08", "first", ttl, T0 + timedelta(minutes=4))
    assert not store.acquire_lease("monthly@2021-08", "second", ttl, T0 + timedelta(minutes=6))
    assert store.acquire_lease("monthly@2021-08", "second", ttl, T0 + timedelta(minutes=10))
    assert not store.renew_lease("monthly@2021-08", "first", ttl, T0 + timedelta(minutes=10))
    store.release_lease("monthly@2021-08", "second")
    assert store.acquire_lease("monthly@2021-08", "first", ttl, T0 + timedelta(minutes=10))


@pytest.fixture()
def scratch_url() -> str:
    """A database of its own on the server, dropped afterwards (migrations start from nothing)."""
    from sqlalchemy import create_engine

    name = f"govmon_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_a_base_schema_is_upgraded_with_its_rows_on_postgres(scratch_url: str) -> None:
    from alembic import command

    from monitor.store.schema import BASE_REVISION, SchemaOutdated, config, head, model_diff, upgrade
    from monitor.store.store import make_engine

    engine = make_engine(scratch_url)
    with engine.begin() as conn:
        command.upgrade(config(conn), BASE_REVISION)
        conn.execute(text("INSERT INTO job_runs (job, run_key, owner, started_at, outcome, detail) "
                          "VALUES ('monthly', '2021-08', 'h:1', :t, 'ok', '1 site')"), {"t": T0.replace(tzinfo=None)})
    with pytest.raises(SchemaOutdated):
        Store(scratch_url)
    assert upgrade(engine) == (BASE_REVISION, head())
    assert model_diff(engine) == []
    engine.dispose()
    store = Store(scratch_url)
    assert store.last_job_runs()["monthly"].started_at == T0
    store.close()


def test_a_new_postgres_database_is_created_at_head(scratch_url: str) -> None:
    from monitor.store.schema import current, head, model_diff

    store = Store(scratch_url)
    assert current(store.engine) == head()
    assert model_diff(store.engine) == []
    store.close()


def test_prune_and_analyze_on_postgres(store: Store) -> None:
    from monitor.config.load import load_settings
    from monitor.run.retention import prune

    old = datetime(2019, 1, 5, tzinfo=UTC)
    store.add_probes("1403000001", [Probe(url="u", at=old, ok=True), Probe(url="u", at=T0, ok=True)])
    store.save_result("2019-01", "site", "1403000001", "2019-01-31", {"id": "1403000001", "verdict": "pass"}, old)
    report = prune(store, load_settings(), T0)
    assert report.deleted["probes"] == 1 and report.vacuum == "analyzed"
    assert store.probe_counts(old, T0 + timedelta(days=1)) == {"1403000001": (1, 0)}
    assert store.done_targets("2019-01", "2019-01-31") == {("site", "1403000001")}
