"""Engines and the statements the Store shares: SQLite pragmas, dialect upserts, chunked executemany."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlmodel import create_engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    """Create the engine; for SQLite make the parent directory and enable WAL."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def create_tables(engine: Engine, metadata: MetaData) -> None:
    """Create missing tables; two processes opening a new database at once may race between
    "does it exist?" and "create it", so a table another process just made is not an error."""
    for attempt in range(3):
        try:
            metadata.create_all(engine)
            return
        except (OperationalError, ProgrammingError) as exc:
            if "already exists" not in str(exc) or attempt == 2:
                raise


#: Rows per executemany batch: bounded memory per round trip on a 35,000-link site.
CHUNK_ROWS = 1000


def execute_chunks(conn: Any, statement: Any, rows: list[dict[str, Any]]) -> None:
    """One prepared statement executed over the rows, a chunk at a time (executemany)."""
    for start in range(0, len(rows), CHUNK_ROWS):
        conn.execute(statement, rows[start:start + CHUNK_ROWS])


def transient(exc: DBAPIError) -> bool:
    """A lock, a busy database, a dropped connection or a full disk may pass; a constraint will not."""
    return isinstance(exc, OperationalError) or bool(exc.connection_invalidated)


def first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def dialect_insert(conn: Any) -> Any:
    """The dialect's INSERT with ON CONFLICT (SQLite and PostgreSQL spell it alike)."""
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
