"""The daemon's tables in the Store: leases (compare-and-set) and job runs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import select

from monitor.store.db import dialect_insert
from monitor.store.tables import JobRunRow, LeaseRow, to_db


class JobTables:
    """Mixed into ``Store``: needs its ``engine`` and ``session()``."""

    engine: Any
    session: Any

    def acquire_lease(self, name: str, owner: str, ttl: timedelta, now: datetime) -> bool:
        """Take, renew or take over (once expired) the named lease; False while another owner holds it.

        One conditional UPDATE decided by its row count (a compare-and-set on SQLite and
        PostgreSQL alike), then an insert-if-absent for a name never leased before."""
        table, expires = LeaseRow.__table__, to_db(now + ttl)
        with self.engine.begin() as conn:
            taken = conn.execute(update(table).where(
                table.c.name == name, or_(table.c.owner == owner, table.c.expires_at < to_db(now))
            ).values(owner=owner, expires_at=expires)).rowcount
            if taken == 1:
                return True
            insert = dialect_insert(conn)(table).values(name=name, owner=owner, expires_at=expires)
            inserted = conn.execute(insert.on_conflict_do_nothing(index_elements=["name"]).returning(table.c.name))
            return inserted.first() is not None

    def renew_lease(self, name: str, owner: str, ttl: timedelta, now: datetime) -> bool:
        """Extend a lease this owner still holds; False when it was lost (expired and taken over)."""
        table = LeaseRow.__table__
        with self.engine.begin() as conn:
            return conn.execute(update(table).where(table.c.name == name, table.c.owner == owner)
                                .values(expires_at=to_db(now + ttl))).rowcount == 1

    def release_lease(self, name: str, owner: str) -> None:
        table = LeaseRow.__table__
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.name == name, table.c.owner == owner))

    def job_done(self, job: str, run_key: str) -> bool:
        """Whether a run of ``job`` for ``run_key`` already finished successfully (any daemon)."""
        with self.session() as s:
            row = s.exec(select(JobRunRow.id).where(JobRunRow.job == job, JobRunRow.run_key == run_key,
                                                    JobRunRow.outcome == "ok").limit(1)).first()
        return row is not None

    def start_job_run(self, job: str, run_key: str, owner: str, at: datetime) -> int:
        with self.session() as s:
            row = JobRunRow(job=job, run_key=run_key, owner=owner, started_at=at)
            s.add(row)
            s.flush()
            return int(row.id or 0)

    def finish_job_run(self, run_id: int, outcome: str, detail: str, at: datetime) -> None:
        with self.session() as s:
            row = s.get(JobRunRow, run_id)
            if row is not None:
                row.outcome, row.detail, row.finished_at = outcome, detail[:2000], at
                s.add(row)

    def last_job_runs(self) -> dict[str, JobRunRow]:
        """The latest run of each job kind (the part of the job name before ':')."""
        with self.session() as s:
            rows = s.exec(select(JobRunRow).order_by(JobRunRow.started_at, JobRunRow.id)).all()
        last: dict[str, JobRunRow] = {}
        for row in rows:
            last[row.job.split(":", 1)[0]] = row
        return last

    def job_runs(self, job_prefix: str) -> list[JobRunRow]:
        with self.session() as s:
            rows = s.exec(select(JobRunRow).where(JobRunRow.job.startswith(job_prefix))
                          .order_by(JobRunRow.started_at, JobRunRow.id)).all()
        return list(rows)
