"""``govmon db upgrade`` and ``govmon db prune``: the database's schema and its retention."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Optional

import typer

from monitor.cli.app import State, app, database_url
from monitor.model.errors import StorageError

db_app = typer.Typer(help="The database: upgrade its schema, prune old data.", no_args_is_help=True)
app.add_typer(db_app, name="db")
DbOpt = Annotated[Optional[str], typer.Option("--db", help="Database URL or SQLite file (default: settings).")]


@db_app.command("upgrade")
def upgrade(db: DbOpt = None) -> None:
    """Bring the database's schema to this govmon's (a new database is created); back it up first."""
    from sqlalchemy.exc import SQLAlchemyError

    from monitor.store.db import make_engine
    from monitor.store.schema import describe
    from monitor.store.schema import upgrade as run_upgrade

    url = database_url(db, State.settings())
    engine = make_engine(url)
    try:
        before, after = run_upgrade(engine)
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot upgrade database {describe(engine)}: {str(exc).splitlines()[0]}") from None
    finally:
        engine.dispose()
    was = "new" if before is None else before
    typer.echo(f"database {describe(engine)}: schema {was} → {after}" if was != after
               else f"database {describe(engine)}: schema already at {after}")


@db_app.command("prune")
def prune(db: DbOpt = None) -> None:
    """Delete data older than ``[general] retention_months`` (month results and findings are kept), then vacuum."""
    from monitor.run.retention import prune as run_prune
    from monitor.store.store import Store

    settings = State.settings()
    store = Store(database_url(db, settings))
    try:
        report = run_prune(store, settings, datetime.now(UTC))
    finally:
        store.close()
    typer.echo(report.line())
