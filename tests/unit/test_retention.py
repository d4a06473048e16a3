"""Retention: the prune deletes old snapshots, pages, probes, links, marks and job runs; keeps results forever."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.config.load import load_settings
from monitor.config.settings import Settings
from monitor.model.snapshots import ContentMark, LinkResult, PageSnapshot, Post, Probe, SiteSnapshot
from monitor.registry.model import Registry
from monitor.run.daemon import Daemon
from monitor.run.retention import cutoff, prune
from monitor.store.store import Store

OLD = datetime(2021, 8, 31, 2, 0, tzinfo=UTC)
NEW = datetime(2023, 2, 20, 2, 0, tzinfo=UTC)
NOW = datetime(2023, 3, 2, 4, 0, tzinfo=UTC)
EVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


def settings(months: int) -> Settings:
    return load_settings(environ={"GOVMON_GENERAL__RETENTION_MONTHS": str(months)})


def fill(store: Store, at: datetime, site: str) -> None:
    home = PageSnapshot(url=f"http://127.0.0.1:1/{site}", final_url=f"http://127.0.0.1:1/{site}", fetched_at=at,
                        title="x" * 20000)
    snap = SiteSnapshot(site_id=site, url=home.url, started_at=at, finished_at=at, home=home, pages=[home])
    store.save_site_snapshot(snap)
    store.save_pages(site, [home])
    store.save_links([LinkResult(url=f"http://127.0.0.1:1/{site}/a", outcome="ok", status=200, checked_at=at)])
    store.add_probes(site, [Probe(url=home.url, at=at, ok=True)])
    store.add_posts("wx", [Post(key=site, published_at=at)], seen_at=at)
    store.save_result(f"{at:%Y-%m}", "site", site, at.date().isoformat(), {"id": site, "verdict": "pass"}, at)
    store.start_inspection(f"{at:%Y-%m}", at.date().isoformat(), at)
    store.finish_inspection(f"{at:%Y-%m}", {"period": f"{at:%Y-%m}", "sites": [{"id": site}]}, at)
    run = store.start_job_run("monthly", f"{at:%Y-%m}", "d", at)
    store.finish_job_run(run, "ok", "", at)


def marks(store: Store, site: str) -> list[ContentMark]:
    return store.content_marks(site, *EVER)


def test_the_cut_is_whole_months_back_but_never_inside_the_next_inspections_windows() -> None:
    # 13 months back from March 2023 is February 2022; the 1-year column window of the
    # February inspection starts on 2022-02-28, so everything from February 2022 on stays.
    assert cutoff(settings(13), NOW) == datetime(2022, 1, 31, 16, 0, tzinfo=UTC)
    # Three months would cut into the column windows: the cut stays before the 1-year window.
    assert cutoff(settings(3), NOW) == datetime(2022, 2, 26, 16, 0, tzinfo=UTC)
    assert cutoff(settings(0), NOW) is None


def test_prune_deletes_old_bulk_data_and_keeps_results_inspections_and_posts(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    fill(store, OLD, "1403000001")
    fill(store, NEW, "1403000002")
    store.start_job_run("snapshot", "2021-08-30", "crashed", OLD)
    report = prune(store, settings(13), NOW)
    assert report.deleted == {"snapshots": 1, "pages": 1, "probes": 1, "links": 1, "content_marks": 0,
                              "job_runs": 1, "evidence_pages": 0}
    assert report.vacuum == "incremental vacuum"  # a database govmon created frees pages incrementally
    assert store.latest_site_snapshot("1403000001") is None
    assert store.latest_site_snapshot("1403000002") is not None
    assert store.probe_counts(*EVER) == {"1403000002": (1, 0)}
    assert list(store.fresh_links(EVER[0])) == ["http://127.0.0.1:1/1403000002/a"]
    assert [r["id"] for r in store.results("2021-08")] == ["1403000001"]
    assert store.inspection("2021-08") == {"period": "2021-08", "sites": [{"id": "1403000001"}]}
    assert [p.key for p in store.account_snapshot("wx").posts] == ["1403000001", "1403000002"]
    # the old finished run goes; a run still marked running is kept for a person to look at
    assert sorted((r.job, r.run_key, r.outcome) for r in store.job_runs("")) == [
        ("monthly", "2023-02", "ok"), ("snapshot", "2021-08-30", "running")]
    store.close()


def test_an_incrementally_vacuumed_sqlite_file_shrinks_after_the_prune(tmp_path: Path) -> None:
    path = tmp_path / "govmon.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        conn.execute("VACUUM")
    store = Store(f"sqlite:///{path}")
    for n in range(30):
        fill(store, OLD - timedelta(days=n), f"14030000{n:02d}")
    store.engine.dispose()
    size = path.stat().st_size
    report = prune(store, settings(13), NOW)
    assert report.vacuum == "incremental vacuum" and report.deleted["snapshots"] == 30
    store.engine.dispose()
    assert path.stat().st_size < size / 2
    store.close()


def test_the_daemon_schedules_a_monthly_prune_keyed_by_month(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    daemon = Daemon(settings(13), Registry(sites=[], accounts=[]), store, now=lambda: NOW)
    trigger, args = daemon.desired_jobs()["prune"]
    assert args == ("prune", "") and "day='2'" in str(trigger)
    assert daemon.run_key("prune", NOW) == "2023-03"
    store.close()


def test_govmon_db_prune_prints_one_line(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    fill(store, OLD, "1403000001")
    store.close()
    run = subprocess.run([sys.executable, "-m", "monitor", "db", "prune", "--db", str(tmp_path / "govmon.db")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("pruned data before ") and "snapshots 1" in run.stdout


async def test_the_daemons_prune_job_prunes_and_records_its_line(tmp_path: Path) -> None:
    import asyncio

    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    fill(store, OLD, "1403000001")
    daemon = Daemon(settings(13), Registry(sites=[], accounts=[]), store, run_now=("prune",))
    task = asyncio.create_task(daemon.run())
    for _ in range(300):
        await asyncio.sleep(0.1)
        if any(r.outcome != "running" for r in store.job_runs("prune")):
            break
    daemon.stop()
    await asyncio.wait_for(task, 30)
    [run] = store.job_runs("prune")
    assert run.outcome == "ok" and run.detail.startswith("pruned data before ") and "snapshots 1" in run.detail
    assert store.latest_site_snapshot("1403000001") is None
    store.close()


def test_a_database_of_the_release_before_gets_a_full_vacuum(tmp_path: Path) -> None:
    import shutil

    from monitor.store.db import make_engine
    from monitor.store.schema import upgrade

    path = tmp_path / "govmon.db"
    shutil.copy(Path(__file__).parent.parent / "fixtures" / "db" / "govmon-b9fa111.db", path)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    store = Store(f"sqlite:///{path}")
    report = prune(store, settings(13), NOW)
    assert report.vacuum == "vacuumed" and report.deleted["snapshots"] == 1 and report.deleted["probes"] == 2
    assert store.results("2021-08")[0]["score"] == 55.0
    store.close()
