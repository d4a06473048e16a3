"""Schema migrations: a database of release b9fa111 is refused, upgraded and read back; head equals the models."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from monitor.store.schema import BASE_REVISION, SchemaOutdated, current, head, model_diff, upgrade
from monitor.store.store import Store, make_engine

FIXTURE = Path(__file__).parent.parent / "fixtures" / "db" / "govmon-b9fa111.db"
#: What to do when the models in monitor/store/tables.py changed without a migration.
ADD_A_REVISION = ("monitor/store/tables.py differs from the migrations' head: add a revision with "
                  "`python -m monitor.store.schema revision \"what changed\"`, check it, commit it")
T0 = datetime(2021, 8, 31, 2, 0, tzinfo=UTC)


def old_database(tmp_path: Path) -> Path:
    """A copy of the fixture: made by release b9fa111's Store (create_all, no version table), with rows."""
    path = tmp_path / "govmon.db"
    shutil.copy(FIXTURE, path)
    return path


def test_the_fixture_is_a_database_of_the_release_before_migrations(tmp_path: Path) -> None:
    with sqlite3.connect(old_database(tmp_path)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "alembic_version" not in tables
    assert {"pages", "links", "snapshots", "probes", "posts", "results", "inspections", "job_runs"} <= tables


def test_a_store_refuses_an_old_schema_and_says_how_to_upgrade(tmp_path: Path) -> None:
    path = old_database(tmp_path)
    with pytest.raises(SchemaOutdated) as err:
        Store(f"sqlite:///{path}")
    assert f"govmon db upgrade --db sqlite:///{path}" in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("command", [["report", "--month", "2021-08"], ["daemon", "--registry", "REGISTRY"]])
def test_the_cli_and_the_daemon_exit_2_on_an_old_schema_with_one_line(tmp_path: Path, command: list[str]) -> None:
    path = old_database(tmp_path)
    registry = tmp_path / "registry.toml"
    registry.write_text('[[sites]]\nid = "1403000001"\nname = "甲市人民政府"\nurl = "http://127.0.0.1:9/"\n'
                        'owner = "甲市人民政府办公室"\n', encoding="utf-8")
    args = [str(registry) if a == "REGISTRY" else a for a in command]
    run = subprocess.run([sys.executable, "-m", "monitor", *args, "--db", str(path), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0
    assert "govmon db upgrade --db" in run.stderr


def test_upgrading_a_b9fa111_database_keeps_every_row(tmp_path: Path) -> None:
    path = old_database(tmp_path)
    run = subprocess.run([sys.executable, "-m", "monitor", "db", "upgrade", "--db", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"schema {BASE_REVISION}" not in run.stdout and head() in run.stdout
    store = Store(f"sqlite:///{path}")
    snap = store.latest_site_snapshot("1403000001")
    assert snap is not None and snap.home is not None and snap.home.title == "阳泉市人民政府"
    assert store.fresh_links(T0)["http://127.0.0.1:1/a"].status == 404
    assert store.probe_counts(T0, datetime(2021, 9, 1, tzinfo=UTC)) == {"1403000001": (2, 1)}
    assert [p.title for p in store.account_snapshot("wechat-yangquanfabu").posts] == ["阳泉发布"]
    assert store.results("2021-08")[0]["score"] == 55.0
    assert store.inspection("2021-08")["sites"] == [{"id": "1403000001"}]
    assert store.last_job_runs()["monthly"].detail == "1 site"
    assert model_diff(store.engine) == []
    store.close()


def test_upgrading_twice_is_harmless(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{old_database(tmp_path)}")
    assert upgrade(engine) == (None, head())
    assert upgrade(engine) == (head(), head())
    engine.dispose()


def test_migrations_from_nothing_reach_the_models_exactly(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    upgrade(engine)
    assert current(engine) == head()
    assert model_diff(engine) == [], ADD_A_REVISION
    engine.dispose()


def test_a_new_database_is_created_at_head(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'db' / 'govmon.db'}")
    assert current(store.engine) == head()
    assert model_diff(store.engine) == []
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    store.close()
    Store(f"sqlite:///{tmp_path / 'db' / 'govmon.db'}").close()  # opening again is fine


def test_a_database_at_an_older_revision_is_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    from alembic import command

    from monitor.store.schema import config

    with engine.begin() as conn:
        command.upgrade(config(conn), BASE_REVISION)
    engine.dispose()
    with pytest.raises(SchemaOutdated, match=f"schema revision {BASE_REVISION}"):
        Store(f"sqlite:///{tmp_path / 'old.db'}")
