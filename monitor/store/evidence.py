"""The evidence pages behind fault findings in the Store (``monitor.crawl.evidence`` picks them).

Rows are added per inspection or re-check and never rewritten; the retention prune deletes them
with the other fetched data (``monitor.run.retention``)."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import select

from monitor.crawl.evidence import EvidencePage
from monitor.store.tables import EvidencePageRow, from_db, to_db


@dataclass(frozen=True, slots=True)
class StoredEvidence:
    """A kept page as read back: body decompressed, headers as (name, value) pairs."""

    id: int
    period: str
    kind: str
    target_id: str
    url: str
    final_url: str
    status: int | None
    headers: list[tuple[str, str]]
    content_type: str
    fetched_at: datetime
    sha256: str
    size: int
    truncated: bool
    body: bytes
    finding_ids: list[str]
    veto: bool
    screenshot: bytes | None
    screenshot_note: str


class EvidenceTables:
    """Mixed into ``Store``: needs its ``session()``."""

    session: Any

    def save_evidence(self, period: str, kind: str, target_id: str, pages: list[EvidencePage]) -> int:
        """Add the pages (their bodies stay compressed as recorded); returns how many."""
        with self.session() as s:
            for page in pages:
                p = page.page
                s.add(EvidencePageRow(period=period, kind=kind, target_id=target_id, url=p.url, final_url=p.final_url,
                                      status=p.status, headers=json.dumps([list(h) for h in p.headers], ensure_ascii=False),
                                      content_type=p.content_type, fetched_at=to_db(p.fetched_at), sha256=p.sha256,
                                      size=p.size, truncated=p.truncated, body=p.body or None,
                                      finding_ids=json.dumps(page.finding_ids), veto=page.veto,
                                      screenshot=page.screenshot, screenshot_note=page.screenshot_note))
        return len(pages)

    def evidence(self, target_id: str, period: str | None = None) -> list[StoredEvidence]:
        """A unit's kept pages (of one month), in fetch order."""
        with self.session() as s:
            q = select(EvidencePageRow).where(EvidencePageRow.target_id == target_id)
            if period is not None:
                q = q.where(EvidencePageRow.period == period)
            rows = s.exec(q.order_by(EvidencePageRow.fetched_at, EvidencePageRow.id)).all()
        return [StoredEvidence(
            id=int(r.id or 0), period=r.period, kind=r.kind, target_id=r.target_id, url=r.url, final_url=r.final_url,
            status=r.status, headers=[(str(k), str(v)) for k, v in json.loads(r.headers or "[]")],
            content_type=r.content_type, fetched_at=from_db(r.fetched_at), sha256=r.sha256,  # type: ignore[arg-type]
            size=r.size, truncated=r.truncated, body=zlib.decompress(r.body) if r.body else b"",
            finding_ids=list(json.loads(r.finding_ids or "[]")), veto=r.veto, screenshot=r.screenshot,
            screenshot_note=r.screenshot_note) for r in rows]
