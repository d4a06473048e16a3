"""The one ``Store`` that opens database sessions; it speaks in snapshots and results.

SQLite by default (a file in the data directory, WAL mode), PostgreSQL through a
``postgresql+psycopg://`` URL. The tables are in ``monitor.tables``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, event, func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlmodel import Session, SQLModel, create_engine, select

from monitor.errors import StorageError
from monitor.engine import upgrade_document, upgrade_target
from monitor.snapshots import AccountSnapshot, ContentMark, FeedFetch, LinkResult, PageSnapshot, Post, Probe, SiteSnapshot
from monitor.tables import (FeedFetchRow, InspectionRow, JobRunRow, LeaseRow, LinkRow, MarkRow, PageRow, PostRow,
                            ProbeRow, ResultRow, SnapshotRow, from_db, pack, to_db, unpack)


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


class Store:
    """The only place that opens database sessions; speaks in snapshots and results."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = make_engine(url)
            create_tables(self.engine, SQLModel.metadata)
        except (OperationalError, ImportError) as exc:
            raise StorageError(f"cannot open database {url}: {exc}") from None

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    # pages and links --------------------------------------------------------
    def save_pages(self, site_id: str, pages: Iterable[PageSnapshot]) -> None:
        with self.session() as s:
            s.add_all(
                PageRow(site_id=site_id, url=p.url, final_url=p.final_url, status=p.status, error=p.error,
                        content_type=p.content_type, size=p.size, content_hash=p.content_hash, title=p.title,
                        fetched_at=to_db(p.fetched_at))
                for p in pages
            )

    def save_links(self, links: Iterable[LinkResult]) -> None:
        with self.session() as s:
            for link in links:
                s.merge(LinkRow(url=link.url, outcome=link.outcome, status=link.status, error=link.error,
                                final_url=link.final_url, checked_at=to_db(link.checked_at)))

    def fresh_links(self, since: datetime) -> dict[str, LinkResult]:
        """Link results checked at or after ``since`` (the freshness window's start)."""
        with self.session() as s:
            rows = s.exec(select(LinkRow).where(LinkRow.checked_at >= to_db(since))).all()
        return {
            r.url: LinkResult(url=r.url, outcome=r.outcome, status=r.status, error=r.error,  # type: ignore[arg-type]
                              final_url=r.final_url, checked_at=from_db(r.checked_at))
            for r in rows
        }

    # snapshots --------------------------------------------------------------
    def save_site_snapshot(self, snap: SiteSnapshot) -> None:
        """The snapshot (its ``history`` left out: marks live in their own table) and its content marks."""
        taken = snap.finished_at or snap.started_at
        with self.session() as s:
            s.add(SnapshotRow(kind="site", target_id=snap.site_id, taken_at=to_db(taken),
                              body=pack(snap.model_dump(mode="json", exclude={"history"}))))
            s.add_all(MarkRow(site_id=snap.site_id, url=m.url, taken_at=to_db(m.taken_at), items_hash=m.items_hash)
                      for m in snap.marks())

    def latest_site_snapshot(self, site_id: str, at_or_before: datetime | None = None,
                             not_before: datetime | None = None) -> SiteSnapshot | None:
        with self.session() as s:
            q = select(SnapshotRow).where(SnapshotRow.kind == "site", SnapshotRow.target_id == site_id)
            if at_or_before is not None:
                q = q.where(SnapshotRow.taken_at <= to_db(at_or_before))
            if not_before is not None:
                q = q.where(SnapshotRow.taken_at >= to_db(not_before))
            row = s.exec(q.order_by(SnapshotRow.taken_at.desc(), SnapshotRow.id.desc()).limit(1)).first()
        return None if row is None else SiteSnapshot.model_validate(unpack(row.body))

    def content_marks(self, site_id: str, since: datetime, until: datetime) -> list[ContentMark]:
        """The content marks of the site's snapshots taken in [since, until] (daemon's daily ones too)."""
        with self.session() as s:
            rows = s.exec(select(MarkRow).where(MarkRow.site_id == site_id, MarkRow.taken_at >= to_db(since),
                                                MarkRow.taken_at <= to_db(until)).order_by(MarkRow.taken_at)).all()
        return [ContentMark(url=r.url, taken_at=from_db(r.taken_at), items_hash=r.items_hash) for r in rows]

    # probes -----------------------------------------------------------------
    def add_probes(self, site_id: str, probes: Iterable[Probe]) -> None:
        with self.session() as s:
            s.add_all(ProbeRow(site_id=site_id, url=p.url, at=to_db(p.at), ok=p.ok, status=p.status,
                               error=p.error, elapsed_ms=p.elapsed_ms, source=p.source, blocked=p.blocked,
                               void=p.void) for p in probes)

    def probes(self, site_id: str, start: datetime, end: datetime) -> list[Probe]:
        with self.session() as s:
            rows = s.exec(select(ProbeRow).where(ProbeRow.site_id == site_id, ProbeRow.at >= to_db(start),
                                                 ProbeRow.at < to_db(end)).order_by(ProbeRow.at)).all()
        return [Probe(url=r.url, at=from_db(r.at), ok=r.ok, status=r.status, error=r.error,
                      elapsed_ms=r.elapsed_ms, source="scheduled" if r.source == "scheduled" else "adhoc",
                      blocked=bool(r.blocked), void=r.void) for r in rows]

    def probe_counts(self, start: datetime, end: datetime) -> dict[str, tuple[int, int]]:
        """site id → (probes, failed probes) in [start, end); blocked and void probes are in neither."""
        counted = (func.coalesce(ProbeRow.blocked, False) == False) & ProbeRow.void.is_(None)  # noqa: E712
        with self.session() as s:
            rows = s.exec(select(ProbeRow.site_id, ProbeRow.ok, func.count()).where(
                ProbeRow.at >= to_db(start), ProbeRow.at < to_db(end), counted)
                .group_by(ProbeRow.site_id, ProbeRow.ok)).all()
        out: dict[str, tuple[int, int]] = {}
        for site_id, ok, count in rows:
            total, failed = out.get(site_id, (0, 0))
            out[site_id] = (total + count, failed + (0 if ok else count))
        return out

    # posts and feed fetches ---------------------------------------------------
    def add_posts(self, account_id: str, posts: Iterable[Post], seen_at: datetime) -> int:
        """Store posts not seen before (by key); returns how many were new."""
        new = 0
        with self.session() as s:
            known = set(s.exec(select(PostRow.key).where(PostRow.account_id == account_id)).all())
            for post in posts:
                if post.key in known:
                    continue
                known.add(post.key)
                s.add(PostRow(account_id=account_id, key=post.key, published_at=to_db(post.published_at),
                              title=post.title, text=post.text, url=post.url, first_seen=to_db(seen_at)))
                new += 1
        return new

    def add_feed_fetch(self, account_id: str, fetch: FeedFetch) -> None:
        with self.session() as s:
            s.add(FeedFetchRow(account_id=account_id, at=to_db(fetch.at), ok=fetch.ok, url=fetch.url,
                               status=fetch.status, error=fetch.error, items=fetch.items,
                               oldest=to_db(fetch.oldest), newest=to_db(fetch.newest)))

    def account_snapshot(self, account_id: str, until: datetime | None = None) -> AccountSnapshot:
        """The account's whole stored history (posts and source attempts) up to ``until``."""
        with self.session() as s:
            pq = select(PostRow).where(PostRow.account_id == account_id)
            fq = select(FeedFetchRow).where(FeedFetchRow.account_id == account_id)
            if until is not None:
                fq = fq.where(FeedFetchRow.at <= to_db(until))
            posts = s.exec(pq.order_by(PostRow.published_at, PostRow.key)).all()
            fetches = s.exec(fq.order_by(FeedFetchRow.at)).all()
        return AccountSnapshot(
            account_id=account_id,
            posts=[Post(key=p.key, published_at=from_db(p.published_at), title=p.title, text=p.text, url=p.url)
                   for p in posts],
            fetches=[FeedFetch(at=from_db(f.at), ok=f.ok, url=f.url, status=f.status, error=f.error,
                               items=f.items, oldest=from_db(f.oldest), newest=from_db(f.newest)) for f in fetches],
        )

    def post_counts(self, start: datetime, end: datetime) -> dict[str, int]:
        with self.session() as s:
            rows = s.exec(select(PostRow.account_id, func.count()).where(
                PostRow.published_at >= to_db(start), PostRow.published_at < to_db(end)).group_by(PostRow.account_id)).all()
        return {a: n for a, n in rows}

    # results and inspections ----------------------------------------------------
    def save_result(self, period: str, kind: str, target_id: str, as_of: str, obj: dict[str, Any],
                    at: datetime, status: str = "done") -> None:
        """Store (or replace) one target's result for a period, atomically."""
        with self.session() as s:
            old = s.exec(select(ResultRow).where(ResultRow.period == period, ResultRow.kind == kind,
                                                 ResultRow.target_id == target_id)).first()
            if old is not None:
                s.delete(old)
                s.flush()
            s.add(ResultRow(period=period, kind=kind, target_id=target_id, as_of=as_of, status=status,
                            verdict=obj.get("verdict", ""), score=obj.get("score"), inspected_at=to_db(at),
                            body=pack(obj)))

    def results(self, period: str, kind: str | None = None) -> list[dict[str, Any]]:
        with self.session() as s:
            q = select(ResultRow).where(ResultRow.period == period)
            if kind is not None:
                q = q.where(ResultRow.kind == kind)
            rows = s.exec(q.order_by(ResultRow.kind, ResultRow.target_id)).all()
        return [upgrade_target(dict(unpack(r.body), _kind=r.kind, _status=r.status)) for r in rows]

    def done_targets(self, period: str, as_of: str) -> set[tuple[str, str]]:
        with self.session() as s:
            rows = s.exec(select(ResultRow.kind, ResultRow.target_id).where(
                ResultRow.period == period, ResultRow.as_of == as_of, ResultRow.status == "done")).all()
        return {(k, t) for k, t in rows}

    def periods(self) -> list[str]:
        with self.session() as s:
            return sorted(set(s.exec(select(ResultRow.period)).all()))

    def start_inspection(self, period: str, as_of: str, at: datetime) -> None:
        with self.session() as s:
            row = s.get(InspectionRow, period)
            if row is None or row.as_of != as_of:
                if row is not None:
                    s.delete(row)
                    s.flush()
                s.add(InspectionRow(period=period, as_of=as_of, started_at=to_db(at)))

    def finish_inspection(self, period: str, document: dict[str, Any], at: datetime) -> None:
        with self.session() as s:
            row = s.get(InspectionRow, period)
            if row is None:
                row = InspectionRow(period=period, as_of=document.get("as_of", ""), started_at=to_db(at))
            row.finished_at = to_db(at)
            row.body = pack(document)
            s.add(row)

    def inspection(self, period: str) -> dict[str, Any] | None:
        with self.session() as s:
            row = s.get(InspectionRow, period)
        return None if row is None or row.body is None else upgrade_document(unpack(row.body))

    # leases and job runs ----------------------------------------------------------
    def acquire_lease(self, name: str, owner: str, ttl: timedelta, now: datetime) -> bool:
        """Take or renew the named lease; False when another owner holds an unexpired one."""
        with self.session() as s:
            row = s.get(LeaseRow, name, with_for_update=True)
            if row is None:
                s.add(LeaseRow(name=name, owner=owner, expires_at=to_db(now + ttl)))
                try:
                    s.flush()
                except IntegrityError:
                    s.rollback()
                    return False
                return True
            if row.owner != owner and from_db(row.expires_at) > now:
                return False
            row.owner, row.expires_at = owner, to_db(now + ttl)
            s.add(row)
        return True

    def release_lease(self, name: str, owner: str) -> None:
        with self.session() as s:
            row = s.get(LeaseRow, name)
            if row is not None and row.owner == owner:
                s.delete(row)

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
