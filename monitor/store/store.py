"""The one ``Store`` that opens database sessions; it speaks in snapshots and results.

SQLite by default (a file in the data directory, WAL mode), PostgreSQL through a
``postgresql+psycopg://`` URL. The tables are in ``monitor.store.tables``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from itertools import islice
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import func
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, select

from monitor.model.document import upgrade_document, upgrade_target
from monitor.model.errors import StorageError
from monitor.model.review import Decision, validate
from monitor.model.snapshots import (
    AccountSnapshot,
    ContentMark,
    FeedFetch,
    LinkResult,
    LinkSource,
    PageSnapshot,
    Post,
    Probe,
    SiteSnapshot,
)
from monitor.store.db import (
    CHUNK_ROWS,
    create_tables,
    dialect_insert,
    execute_chunks,
    first_line,
    make_engine,
    transient,
)
from monitor.store.evidence import EvidenceTables
from monitor.store.jobs import JobTables
from monitor.store.rectification import RectificationTables
from monitor.store.schema import ensure_current
from monitor.store.tables import (
    FeedFetchRow,
    InspectionRow,
    LinkRow,
    MarkRow,
    PageRow,
    PostRow,
    ProbeRow,
    ResultRow,
    ReviewRow,
    SnapshotRow,
    from_db,
    pack,
    pack_streamed,
    to_db,
    unpack,
)

__all__ = ["Store", "create_tables", "make_engine"]

P = ParamSpec("P")
T = TypeVar("T")
log = logging.getLogger(__name__)
#: Attempts of one awaited storage call, and the first pause between them (doubling).
CALL_ATTEMPTS = 4
CALL_BACKOFF_SECONDS = 0.5


def pack_snapshot(snap: SiteSnapshot) -> bytes:
    """The stored body of ``snap`` (its ``history`` left out), pages and links dumped one at a time.

    A link's sources are stored as numbers into ``source_pages`` (each distinct page and content
    hash once): 490,000 occurrences on 18,000 pages were 39 MB compressed as objects, the random
    hex hashes repeated in each; ``unpack_snapshot`` restores them."""
    head = snap.model_dump(mode="json", exclude={"history", "pages", "links"})
    ids: dict[tuple[str, str], int] = {}

    def links() -> Iterator[dict[str, Any]]:
        for link in snap.links:
            row = link.model_dump(mode="json", exclude={"sources"})
            row["sources"] = [ids.setdefault((s.page, s.content_hash), len(ids)) for s in link.sources]
            yield row

    def source_pages() -> Iterator[list[str]]:  # dumped after "links" (keys in order): ``ids`` is complete
        return (list(key) for key in ids)

    return pack_streamed(head, {"pages": (p.model_dump(mode="json") for p in snap.pages), "links": links(),
                                "source_pages": _later(source_pages)})


def _later(make: Callable[[], Iterator[T]]) -> Iterator[T]:
    """The items of ``make()``, called at the first item asked for, not before."""
    yield from make()


def unpack_snapshot(body: bytes) -> SiteSnapshot:
    """A stored site snapshot; sources stored as numbers become one shared ``LinkSource`` per page."""
    data = unpack(body)
    table = data.pop("source_pages", None)
    if table is None:
        return SiteSnapshot.model_validate(data)
    shared = [LinkSource(page=page, content_hash=digest) for page, digest in table]
    numbers = [link.pop("sources") for link in data.get("links", [])]
    snap = SiteSnapshot.model_validate(data)
    for link, picked in zip(snap.links, numbers, strict=True):
        link.sources = [shared[i] for i in picked]
    return snap


class Store(JobTables, RectificationTables, EvidenceTables):
    """The only place that opens database sessions; speaks in snapshots and results.

    Synchronous methods serve the CLI and reports; coroutines go through ``call``, which runs
    the method on the store's one writer thread, so a database lock held elsewhere (another
    process writing SQLite) never stalls the event loop and its probes."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="govmon-store")
        try:
            self.engine = make_engine(url)
            ensure_current(self.engine)
        except (OperationalError, ImportError) as exc:
            raise StorageError(f"cannot open database {url}: {exc}") from None

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self.engine.dispose()

    async def call(self, method: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``method(*args, **kwargs)`` on the writer thread; retry a failing database with backoff.

        After the last attempt the failure is a one-line ``StorageError`` (the run ends cleanly)."""
        loop = asyncio.get_running_loop()
        pause = CALL_BACKOFF_SECONDS
        for attempt in range(1, CALL_ATTEMPTS + 1):
            try:
                return await loop.run_in_executor(self._writer, partial(method, *args, **kwargs))
            except (OperationalError, DBAPIError) as exc:
                if not transient(exc) or attempt == CALL_ATTEMPTS:
                    raise StorageError(f"database {self.engine.url.render_as_string(hide_password=True)}: "
                                       f"{getattr(method, '__name__', 'call')} failed after {attempt} attempts: "
                                       f"{first_line(exc)}") from None
                log.warning("storage %s failed (attempt %d of %d), retrying in %.1fs: %s",
                            getattr(method, "__name__", "call"), attempt, CALL_ATTEMPTS, pause, first_line(exc))
                await asyncio.sleep(pause)
                pause *= 2
        raise AssertionError("unreachable")

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
        """One row per page fetch (pages are history, never updated), inserted in bulk, a chunk of
        rows built at a time (a crawl's pages may be a file-backed ``PageSpill`` of 200,000)."""
        rows = ({"site_id": site_id, "url": p.url, "final_url": p.final_url, "status": p.status, "error": p.error,
                 "content_type": p.content_type, "size": p.size, "content_hash": p.content_hash, "title": p.title,
                 "fetched_at": to_db(p.fetched_at)} for p in pages)
        with self.engine.begin() as conn:
            while chunk := list(islice(rows, CHUNK_ROWS)):
                conn.execute(PageRow.__table__.insert(), chunk)

    def save_links(self, links: Iterable[LinkResult]) -> None:
        """Upsert each URL's latest result: ``INSERT … ON CONFLICT (url) DO UPDATE`` in chunks, a
        chunk of rows built at a time (a crawl's links may be a file-backed ``LinkSpill`` of 370,000);
        a URL given twice ends as its last result."""
        rows = ({"url": link.url, "outcome": link.outcome, "status": link.status, "error": link.error,
                 "final_url": link.final_url, "checked_at": to_db(link.checked_at)} for link in links)
        table = LinkRow.__table__
        with self.engine.begin() as conn:
            stmt = dialect_insert(conn)(table)
            upsert = stmt.on_conflict_do_update(index_elements=["url"], set_={
                c.name: stmt.excluded[c.name] for c in table.columns if c.name != "url"})
            while chunk := list(islice(rows, CHUNK_ROWS)):
                latest = {row["url"]: row for row in chunk}  # one statement may not update a row twice
                conn.execute(upsert, list(latest.values()))

    def _insert_many(self, table: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            with self.engine.begin() as conn:
                execute_chunks(conn, table.insert(), rows)

    def page_records(self, site_id: str, urls: Iterable[str], until: datetime) -> dict[str, dict[str, Any]]:
        """URL → its latest stored fetch up to ``until``: fetched_at, status, error, content_hash, title
        (the evidence shown beside a finding; URLs never fetched are left out)."""
        wanted = sorted(set(urls))
        out: dict[str, dict[str, Any]] = {}
        with self.session() as s:
            for chunk in (wanted[i:i + 500] for i in range(0, len(wanted), 500)):
                rows = s.exec(select(PageRow).where(PageRow.site_id == site_id, PageRow.url.in_(chunk),
                                                    PageRow.fetched_at <= to_db(until))
                              .order_by(PageRow.fetched_at, PageRow.id)).all()
                for r in rows:
                    out[r.url] = {"url": r.url, "final_url": r.final_url, "status": r.status, "error": r.error,
                                  "content_hash": r.content_hash, "title": r.title, "fetched_at": from_db(r.fetched_at)}
        return out

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
        marks = [{"site_id": snap.site_id, "url": m.url, "taken_at": to_db(m.taken_at), "items_hash": m.items_hash}
                 for m in snap.marks()]
        with self.engine.begin() as conn:
            conn.execute(SnapshotRow.__table__.insert().values(
                kind="site", target_id=snap.site_id, taken_at=to_db(taken),
                body=pack_snapshot(snap)))
            execute_chunks(conn, MarkRow.__table__.insert(), marks)

    def latest_site_snapshot(self, site_id: str, at_or_before: datetime | None = None,
                             not_before: datetime | None = None) -> SiteSnapshot | None:
        with self.session() as s:
            q = select(SnapshotRow).where(SnapshotRow.kind == "site", SnapshotRow.target_id == site_id)
            if at_or_before is not None:
                q = q.where(SnapshotRow.taken_at <= to_db(at_or_before))
            if not_before is not None:
                q = q.where(SnapshotRow.taken_at >= to_db(not_before))
            row = s.exec(q.order_by(SnapshotRow.taken_at.desc(), SnapshotRow.id.desc()).limit(1)).first()
        return None if row is None else unpack_snapshot(row.body)

    def content_marks(self, site_id: str, since: datetime, until: datetime) -> list[ContentMark]:
        """The content marks of the site's snapshots taken in [since, until] (daemon's daily ones too)."""
        with self.session() as s:
            rows = s.exec(select(MarkRow).where(MarkRow.site_id == site_id, MarkRow.taken_at >= to_db(since),
                                                MarkRow.taken_at <= to_db(until)).order_by(MarkRow.taken_at)).all()
        return [ContentMark(url=r.url, taken_at=from_db(r.taken_at), items_hash=r.items_hash) for r in rows]

    # probes -----------------------------------------------------------------
    def add_probes(self, site_id: str, probes: Iterable[Probe]) -> None:
        self._insert_many(ProbeRow.__table__, [
            {"site_id": site_id, "url": p.url, "at": to_db(p.at), "ok": p.ok, "status": p.status, "error": p.error,
             "elapsed_ms": p.elapsed_ms, "source": p.source, "blocked": p.blocked, "void": p.void,
             "vantage": p.vantage} for p in probes])

    def probes(self, site_id: str, start: datetime, end: datetime) -> list[Probe]:
        with self.session() as s:
            rows = s.exec(select(ProbeRow).where(ProbeRow.site_id == site_id, ProbeRow.at >= to_db(start),
                                                 ProbeRow.at < to_db(end)).order_by(ProbeRow.at)).all()
        return [Probe(url=r.url, at=from_db(r.at), ok=r.ok, status=r.status, error=r.error,
                      elapsed_ms=r.elapsed_ms, source="scheduled" if r.source == "scheduled" else "adhoc",
                      blocked=bool(r.blocked), void=r.void, vantage=r.vantage) for r in rows]

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
        """Store posts not seen before (by key), in bulk; returns how many were new.

        ``ON CONFLICT DO NOTHING`` keeps a post another process stored meanwhile as it was."""
        table = PostRow.__table__
        with self.engine.begin() as conn:
            known = set(conn.execute(select(table.c.key).where(table.c.account_id == account_id)).scalars())
            new: dict[str, dict[str, Any]] = {}
            for post in posts:
                if post.key not in known and post.key not in new:
                    new[post.key] = {"account_id": account_id, "key": post.key,
                                     "published_at": to_db(post.published_at), "title": post.title,
                                     "text": post.text, "url": post.url, "first_seen": to_db(seen_at)}
            insert = dialect_insert(conn)(table).on_conflict_do_nothing(index_elements=["account_id", "key"])
            execute_chunks(conn, insert, list(new.values()))
        return len(new)

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

    def result_time(self, period: str, kind: str, target_id: str) -> datetime | None:
        """When the target's result for ``period`` was stored (its judgement read the snapshots before it)."""
        with self.session() as s:
            at = s.exec(select(ResultRow.inspected_at).where(ResultRow.period == period, ResultRow.kind == kind,
                                                             ResultRow.target_id == target_id)).first()
        return from_db(at)

    def done_targets(self, period: str, as_of: str) -> set[tuple[str, str]]:
        with self.session() as s:
            rows = s.exec(select(ResultRow.kind, ResultRow.target_id).where(
                ResultRow.period == period, ResultRow.as_of == as_of, ResultRow.status == "done")).all()
        return {(k, t) for k, t in rows}

    def result_of(self, period: str, kind: str, target_id: str, as_of: str) -> dict[str, Any] | None:
        """One target's stored result for ``period`` judged at ``as_of``, when it is done (not an error)."""
        with self.session() as s:
            row = s.exec(select(ResultRow).where(ResultRow.period == period, ResultRow.kind == kind,
                                                 ResultRow.target_id == target_id, ResultRow.as_of == as_of,
                                                 ResultRow.status == "done")).first()
        return None if row is None else upgrade_target(unpack(row.body))

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

    # review decisions (append-only) ------------------------------------------------
    def add_decision(self, decision: Decision) -> Decision:
        """Record one review decision (validated first); returns it with its row id. Never updates a row."""
        validate(decision)
        row = ReviewRow(period=decision.period, kind=decision.kind, target_id=decision.target_id,
                        finding_id=decision.finding_id, action=decision.action, verdict=decision.verdict,
                        reviewer=decision.reviewer.strip(), reason=decision.reason.strip(), at=to_db(decision.at))
        with self.session() as s:
            s.add(row)
            s.flush()
        return _decision(row)

    def decisions(self, until_period: str | None = None, target_id: str | None = None) -> list[Decision]:
        """Every decision taken in or before ``until_period`` (all when None), oldest first."""
        with self.session() as s:
            q = select(ReviewRow)
            if until_period is not None:
                q = q.where(ReviewRow.period <= until_period)
            if target_id is not None:
                q = q.where(ReviewRow.target_id == target_id)
            rows = s.exec(q.order_by(ReviewRow.at, ReviewRow.id)).all()
        return [_decision(r) for r in rows]


def _decision(row: ReviewRow) -> Decision:
    return Decision(period=row.period, kind=row.kind, target_id=row.target_id, action=row.action,
                    reviewer=row.reviewer, reason=row.reason, at=from_db(row.at), finding_id=row.finding_id,
                    verdict=row.verdict, id=row.id)
