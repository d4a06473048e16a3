"""Retention: the monthly prune of bulky, short-lived data, then a vacuum.

Deleted when older than ``[general] retention_months`` (counted in whole calendar months of the
inspection time zone): site snapshots, pages, availability probes, link results, content marks,
finished job runs and the evidence pages kept behind fault findings. Kept forever: month results, inspections (findings documents), posts
and feed fetches. The cut never reaches into what the next inspection reads back: the month it
inspects and the longest stale-column window before it. This module deletes over the tables
directly (bulk ``DELETE … WHERE``), the one exception to "only the Store opens sessions".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, text
from sqlalchemy.engine import Engine

from checks import check_options
from monitor.config.settings import Settings
from monitor.model.period import Period, window_start
from monitor.store.store import Store
from monitor.store.tables import EvidencePageRow, JobRunRow, LinkRow, MarkRow, PageRow, ProbeRow, SnapshotRow

#: (table, its timestamp column): what the prune deletes.
PRUNED = ((SnapshotRow, "taken_at"), (PageRow, "fetched_at"), (ProbeRow, "at"), (LinkRow, "checked_at"),
          (MarkRow, "taken_at"), (JobRunRow, "started_at"), (EvidencePageRow, "fetched_at"))


@dataclass
class PruneReport:
    cutoff: datetime | None
    deleted: dict[str, int] = field(default_factory=dict)
    vacuum: str = ""

    def line(self) -> str:
        if self.cutoff is None:
            return "retention_months = 0: nothing pruned"
        counts = ", ".join(f"{name} {n}" for name, n in self.deleted.items())
        return f"pruned data before {self.cutoff.isoformat(timespec='seconds')}: {counts}; {self.vacuum}"


def cutoff(settings: Settings, now: datetime) -> datetime | None:
    """The first moment kept: the start of the month ``retention_months`` back, or earlier when
    the next inspection's column windows reach further; None when retention is off."""
    months = settings.general.retention_months
    if months <= 0:
        return None
    tz = settings.general.zone()
    today = now.astimezone(tz).date()
    index = today.year * 12 + today.month - 1 - months
    first = date(index // 12, index % 12 + 1, 1)
    inspected = Period.for_as_of(today).previous()
    windows = check_options(settings, "stale_column").windows.values()  # type: ignore[attr-defined]
    needed = min([inspected.start, *(window_start(inspected.as_of, w) for w in windows)]) - timedelta(days=1)
    kept_from = min(first, needed)
    return datetime(kept_from.year, kept_from.month, kept_from.day, tzinfo=tz).astimezone(UTC)


def delete_before(engine: Engine, before: datetime) -> dict[str, int]:
    """Delete the pruned tables' rows older than ``before`` in one transaction; counts per table."""
    deleted: dict[str, int] = {}
    with engine.begin() as conn:
        for row, column in PRUNED:
            table = row.__table__  # type: ignore[attr-defined]
            where = table.c[column] < before
            if row is JobRunRow:
                where = where & (table.c.outcome != "running")
            deleted[table.name] = conn.execute(delete(table).where(where)).rowcount
    return deleted


def vacuum(engine: Engine) -> str:
    """Give freed pages back: SQLite's incremental vacuum when enabled, else VACUUM; PostgreSQL ANALYZE
    (its autovacuum reclaims space)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name != "sqlite":
            conn.execute(text("ANALYZE"))
            return "analyzed"
        if conn.execute(text("PRAGMA auto_vacuum")).scalar() == 2:
            # The pragma frees one page per step; executescript steps it to the end (execute: one page).
            conn.connection.dbapi_connection.executescript("PRAGMA incremental_vacuum;")  # type: ignore[union-attr]
            done = "incremental vacuum"
        else:
            conn.execute(text("VACUUM"))
            done = "vacuumed"
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).fetchall()  # the file shrinks at the checkpoint
        return done


def prune(store: Store, settings: Settings, now: datetime) -> PruneReport:
    """The monthly prune (daemon job ``prune``, ``govmon db prune``)."""
    before = cutoff(settings, now)
    if before is None:
        return PruneReport(None)
    deleted = delete_before(store.engine, before)
    return PruneReport(before, deleted, vacuum(store.engine))
