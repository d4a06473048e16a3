"""All database tables and the one ``Store`` that opens sessions.

SQLite by default (a file in the data directory, WAL mode), PostgreSQL through a
``postgresql+psycopg://`` URL. Datetimes are stored as naive UTC and handed back aware.
Large blobs (snapshots, findings documents) are zlib-compressed JSON.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Column, DateTime, LargeBinary, UniqueConstraint, event, func
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Field, Session, SQLModel, create_engine, select

from monitor.errors import StorageError
from monitor.snapshots import AccountSnapshot, FeedFetch, LinkResult, PageSnapshot, Post, Probe, SiteSnapshot


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC (portable across SQLite and PostgreSQL); reads them back aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _dt(index: bool = False, nullable: bool = False) -> Any:
    return Field(default=None if nullable else ..., sa_column=Column(UTCDateTime, index=index, nullable=nullable))


def to_db(value: datetime | None) -> datetime | None:
    """Normalise to aware UTC (naive input is taken as UTC) before it reaches the database."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def from_db(value: datetime | None) -> datetime | None:
    return None if value is None else (value.replace(tzinfo=UTC) if value.tzinfo is None else value)


def pack(obj: Any) -> bytes:
    return zlib.compress(json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"), 6)


def unpack(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


class PageRow(SQLModel, table=True):
    __tablename__ = "pages"
    id: int | None = Field(default=None, primary_key=True)
    site_id: str = Field(index=True)
    url: str = Field(index=True)
    final_url: str = ""
    status: int | None = None
    error: str | None = None
    content_type: str = ""
    size: int = 0
    content_hash: str = ""
    title: str = ""
    fetched_at: datetime = _dt(index=True)


class LinkRow(SQLModel, table=True):
    __tablename__ = "links"
    url: str = Field(primary_key=True)
    outcome: str
    status: int | None = None
    error: str | None = None
    final_url: str = ""
    checked_at: datetime = _dt(index=True)


class SnapshotRow(SQLModel, table=True):
    __tablename__ = "snapshots"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    target_id: str = Field(index=True)
    taken_at: datetime = _dt(index=True)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ProbeRow(SQLModel, table=True):
    __tablename__ = "probes"
    id: int | None = Field(default=None, primary_key=True)
    site_id: str = Field(index=True)
    url: str
    at: datetime = _dt(index=True)
    ok: bool
    status: int | None = None
    error: str | None = None
    elapsed_ms: int = 0


class PostRow(SQLModel, table=True):
    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("account_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    account_id: str = Field(index=True)
    key: str
    published_at: datetime = _dt(index=True)
    title: str = ""
    text: str = ""
    url: str = ""
    first_seen: datetime = _dt()


class FeedFetchRow(SQLModel, table=True):
    __tablename__ = "feed_fetches"
    id: int | None = Field(default=None, primary_key=True)
    account_id: str = Field(index=True)
    at: datetime = _dt(index=True)
    ok: bool
    url: str = ""
    status: int | None = None
    error: str | None = None
    items: int = 0
    oldest: datetime | None = _dt(nullable=True)
    newest: datetime | None = _dt(nullable=True)


class ResultRow(SQLModel, table=True):
    """One target's judged result for one period: the site/account object of the findings document."""

    __tablename__ = "results"
    __table_args__ = (UniqueConstraint("period", "kind", "target_id"),)
    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(index=True)
    kind: str
    target_id: str
    as_of: str
    status: str = "done"
    verdict: str = ""
    score: float | None = None
    inspected_at: datetime = _dt()
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class InspectionRow(SQLModel, table=True):
    __tablename__ = "inspections"
    period: str = Field(primary_key=True)
    as_of: str
    started_at: datetime = _dt()
    finished_at: datetime | None = _dt(nullable=True)
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class LeaseRow(SQLModel, table=True):
    """A named lock with an expiry, so two daemons never run the same job twice."""

    __tablename__ = "leases"
    name: str = Field(primary_key=True)
    owner: str
    expires_at: datetime = _dt()


class JobRunRow(SQLModel, table=True):
    __tablename__ = "job_runs"
    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(index=True)
    run_key: str = Field(default="", index=True)
    owner: str = ""
    started_at: datetime = _dt()
    finished_at: datetime | None = _dt(nullable=True)
    outcome: str = "running"
    detail: str = ""


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


class Store:
    """The only place that opens database sessions; speaks in snapshots and results."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = make_engine(url)
            SQLModel.metadata.create_all(self.engine)
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
        taken = snap.finished_at or snap.started_at
        with self.session() as s:
            s.add(SnapshotRow(kind="site", target_id=snap.site_id, taken_at=to_db(taken),
                              body=pack(snap.model_dump(mode="json"))))

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

    # probes -----------------------------------------------------------------
    def add_probes(self, site_id: str, probes: Iterable[Probe]) -> None:
        with self.session() as s:
            s.add_all(ProbeRow(site_id=site_id, url=p.url, at=to_db(p.at), ok=p.ok, status=p.status,
                               error=p.error, elapsed_ms=p.elapsed_ms) for p in probes)

    def probes(self, site_id: str, start: datetime, end: datetime) -> list[Probe]:
        with self.session() as s:
            rows = s.exec(select(ProbeRow).where(ProbeRow.site_id == site_id, ProbeRow.at >= to_db(start),
                                                 ProbeRow.at < to_db(end)).order_by(ProbeRow.at)).all()
        return [Probe(url=r.url, at=from_db(r.at), ok=r.ok, status=r.status, error=r.error,
                      elapsed_ms=r.elapsed_ms) for r in rows]

    def probe_counts(self, start: datetime, end: datetime) -> dict[str, tuple[int, int]]:
        """site id → (probes, failed probes) in [start, end)."""
        with self.session() as s:
            rows = s.exec(select(ProbeRow.site_id, ProbeRow.ok, func.count()).where(
                ProbeRow.at >= to_db(start), ProbeRow.at < to_db(end)).group_by(ProbeRow.site_id, ProbeRow.ok)).all()
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
        return [dict(unpack(r.body), _kind=r.kind, _status=r.status) for r in rows]

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
        return None if row is None or row.body is None else unpack(row.body)

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
