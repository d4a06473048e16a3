"""Every database table of govmon (sqlmodel), and how values are stored.

Datetimes are stored as naive UTC (portable across SQLite and PostgreSQL) and read back aware;
large blobs (snapshots, findings documents) are zlib-compressed JSON. Only ``monitor.store.store``
opens sessions over these tables.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, LargeBinary, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


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
    return zlib.compress(_dumps(obj).encode("utf-8"), 6)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)


PACK_CHUNK = 65_536


def pack_streamed(head: dict[str, Any], lists: dict[str, Iterable[Any]]) -> bytes:
    """``pack({**head, **lists})`` — the same bytes — without the whole JSON text or object in memory:
    each item of ``lists`` is dumped and compressed in turn. An 18,000-page snapshot dumped at once
    (every page's text, 490,000 link sources as dicts) peaked at ≈ 500 MB over the crawl's own."""
    compressor = zlib.compressobj(6)
    out: list[bytes] = []
    buffer: list[str] = []
    size = 0

    def emit(text: str) -> None:
        nonlocal size
        buffer.append(text)
        size += len(text)
        if size >= PACK_CHUNK:
            out.append(compressor.compress("".join(buffer).encode("utf-8")))
            buffer.clear()
            size = 0

    emit("{")
    for n, key in enumerate(sorted({*head, *lists})):
        emit(f"{', ' if n else ''}{_dumps(key)}: ")
        if key not in lists:
            emit(_dumps(head[key]))
            continue
        emit("[")
        for i, item in enumerate(lists[key]):
            emit(f"{', ' if i else ''}{_dumps(item)}")
        emit("]")
    emit("}")
    out.append(compressor.compress("".join(buffer).encode("utf-8")))
    out.append(compressor.flush())
    return b"".join(out)


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


class MarkRow(SQLModel, table=True):
    """A list's content mark at one crawl (``ContentMark``), kept apart from the snapshot blobs so
    a year of daily marks is read without unpacking a year of snapshots."""

    __tablename__ = "content_marks"
    id: int | None = Field(default=None, primary_key=True)
    site_id: str = Field(index=True)
    url: str
    taken_at: datetime = _dt(index=True)
    items_hash: str


class ProbeRow(SQLModel, table=True):
    """One home-page probe (``Probe``). ``source``, ``blocked`` and ``void`` came after the first
    release: NULL in older rows reads as an ad-hoc, counted probe (never a scheduled one)."""

    __tablename__ = "probes"
    id: int | None = Field(default=None, primary_key=True)
    site_id: str = Field(index=True)
    url: str
    at: datetime = _dt(index=True)
    ok: bool
    status: int | None = None
    error: str | None = None
    elapsed_ms: int = 0
    source: str | None = Field(default=None, nullable=True)
    blocked: bool | None = Field(default=None, nullable=True)
    void: str | None = Field(default=None, nullable=True)
    vantage: str | None = Field(default=None, nullable=True)


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
    started_at: datetime = _dt(index=True)
    finished_at: datetime | None = _dt(nullable=True)
    outcome: str = "running"
    detail: str = ""


class ReviewRow(SQLModel, table=True):
    """One review decision (人工复核), append-only: never updated or deleted; a later decision on
    the same finding (or override of the same target and month) supersedes it (``monitor.judge.review``)."""

    __tablename__ = "review_decisions"
    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(index=True)
    kind: str
    target_id: str = Field(index=True)
    finding_id: str = Field(default="", index=True)
    action: str
    verdict: str = ""
    reviewer: str
    reason: str = ""
    at: datetime = _dt(index=True)


class NoticeIssueRow(SQLModel, table=True):
    """A month's notice as issued (``govmon notice issue``): the date its rectification deadline counts from."""

    __tablename__ = "notice_issues"
    period: str = Field(primary_key=True)
    issued_on: str  # YYYY-MM-DD, the date of issue
    deadline: str  # YYYY-MM-DD, ``working_days`` working days after it
    working_days: int
    by: str
    at: datetime = _dt()
    note: str = ""


class RectificationEventRow(SQLModel, table=True):
    """One move of a unit's rectification case (``monitor.judge.rectification``): append-only,
    never updated or deleted; the case's state is its last event's ``to_state``."""

    __tablename__ = "rectification_events"
    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(index=True)
    kind: str
    target_id: str = Field(index=True)
    action: str
    from_state: str | None = Field(default=None, nullable=True)
    to_state: str
    outcome: str | None = Field(default=None, nullable=True)
    by: str
    at: datetime = _dt(index=True)
    note: str = ""
    deadline: str = ""
    detail: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class EvidencePageRow(SQLModel, table=True):
    """A page as fetched behind a fault finding (body zlib-compressed, headers as JSON), and the
    screenshot of a veto page when one was taken (``screenshot_note`` says why not otherwise)."""

    __tablename__ = "evidence_pages"
    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(index=True)
    kind: str
    target_id: str = Field(index=True)
    url: str
    final_url: str = ""
    status: int | None = None
    headers: str = "[]"
    content_type: str = ""
    fetched_at: datetime = _dt(index=True)
    sha256: str = ""
    size: int = 0
    truncated: bool = False
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    finding_ids: str = "[]"
    veto: bool = False
    screenshot: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    screenshot_note: str = ""
