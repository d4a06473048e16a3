"""The database schema's version: Alembic migrations shipped in ``monitor.store.migrations``.

A brand-new database is created at head (tables from the models, then stamped). A database
made before migrations existed (no ``alembic_version``, the schema of release b9fa111) or at an
older revision is refused until ``govmon db upgrade`` brings it to head, so no command ever
writes into a schema it does not know.
"""

from __future__ import annotations

import logging
import sys
import time
from functools import lru_cache
from importlib.resources import files
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlmodel import SQLModel

import monitor.store.tables  # noqa: F401  (registers the tables)
from monitor.model.errors import StorageError

BASE_REVISION = "b9fa111"
#: Alembic narrates each step at INFO; govmon reports the outcome itself (``govmon db upgrade``).
logging.getLogger("alembic").setLevel(logging.WARNING)


class SchemaOutdated(StorageError):
    """The database's schema is older than this govmon's; ``govmon db upgrade`` fixes it."""


def include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Only govmon's own tables are compared (APScheduler's job table lives beside them)."""
    return type_ != "table" or name in SQLModel.metadata.tables


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("monitor.store.migrations")))
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def head() -> str:
    rev = ScriptDirectory.from_config(config()).get_current_head()
    if rev is None:
        raise StorageError("the migrations shipped with govmon have no head revision")
    return rev


def current(engine: Engine) -> str | None:
    """The stamped revision; ``None`` when the database has no version table (or an empty one)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def has_tables(engine: Engine) -> bool:
    return bool(set(sa_inspect(engine).get_table_names()) & set(SQLModel.metadata.tables))


def describe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def ensure_current(engine: Engine) -> None:
    """Create a new database at head; refuse one whose schema is older (or newer) than head."""
    rev = current(engine)
    if rev == head():
        return
    if rev is None and not has_tables(engine):
        _create_at_head(engine)
        return
    url = describe(engine)
    found = "the schema of a release before migrations" if rev is None else f"schema revision {rev}"
    raise SchemaOutdated(f"database {url} has {found}, this govmon needs {head()}; back it up, then run: "
                         f"govmon db upgrade --db {url}")


def _create_at_head(engine: Engine) -> None:
    """Tables from the models, then the head stamp; two processes may race here, both succeed."""
    for attempt in range(3):
        try:
            _incremental_vacuum(engine)
            SQLModel.metadata.create_all(engine)
            with engine.begin() as conn:
                if MigrationContext.configure(conn).get_current_revision() is None:
                    command.stamp(config(conn), "head")
            return
        except (OperationalError, ProgrammingError, IntegrityError):
            if current(engine) == head():
                return
            if attempt == 2:
                raise
            time.sleep(0.2 * (attempt + 1))


def _incremental_vacuum(engine: Engine) -> None:
    """A new SQLite file frees pages incrementally, so the monthly prune never runs a full VACUUM
    (which holds the write lock for as long as it copies the whole database)."""
    if engine.dialect.name != "sqlite" or has_tables(engine):
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("PRAGMA auto_vacuum = INCREMENTAL")
        conn.exec_driver_sql("VACUUM")  # applies the setting to the still empty file


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the database to head; a pre-migration database is first stamped as the base. Returns (from, to)."""
    before = current(engine)
    with engine.begin() as conn:
        cfg = config(conn)
        if before is None and has_tables(engine):
            command.stamp(cfg, BASE_REVISION)
        command.upgrade(cfg, "head")
    return before, head()


def model_diff(engine: Engine) -> list[Any]:
    """Differences between the database's schema and the models (empty at a faithful head)."""
    from alembic.autogenerate import compare_metadata

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_name": include_name, "compare_type": True})
        return list(compare_metadata(ctx, SQLModel.metadata))


def main(argv: list[str]) -> int:
    """``python -m monitor.store.schema revision MESSAGE``: autogenerate a revision against the models."""
    import tempfile
    from pathlib import Path

    from monitor.store.db import make_engine

    if len(argv) != 2 or argv[0] != "revision":
        print("usage: python -m monitor.store.schema revision MESSAGE", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'head.db'}")
        with engine.begin() as conn:
            command.upgrade(config(conn), "head")
        with engine.begin() as conn:
            command.revision(config(conn), message=argv[1], autogenerate=True)
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
