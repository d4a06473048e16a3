"""The pages behind fault findings, kept as fetched: a recording fetcher and the choice of pages.

A site's crawl goes through ``RecordingFetcher``, which keeps each GET it passes on (status,
headers, fetch time, sha256, the body zlib-compressed, cut at ``[evidence] max_body_bytes``) —
bounded in memory by a total. After judging, ``evidence_pages`` picks the pages that back fault
findings (veto ones first, then deductions; a dead link is backed by the pages that carry it), at
most ``max_pages_per_target``, and returns them ready for the store. A finding's page is matched
by its content hash when the finding gives one, so the body kept is the one judged.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from monitor.model.findings import FAULT
from monitor.net.result import FetchResult

#: Headers that describe the transfer, not the body as kept (it is stored decoded and whole).
TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"})


@dataclass(frozen=True, slots=True)
class Recorded:
    """One GET as fetched; ``body`` is zlib-compressed, ``sha256`` is of the whole body as received."""

    url: str
    final_url: str
    status: int | None
    error: str | None
    headers: tuple[tuple[str, str], ...]
    content_type: str
    fetched_at: datetime
    sha256: str
    size: int
    truncated: bool
    body: bytes


@dataclass
class EvidencePage:
    """A kept page with the fault findings it backs, and its screenshot (or why there is none)."""

    page: Recorded
    finding_ids: list[str] = field(default_factory=list)
    veto: bool = False
    screenshot: bytes | None = None
    screenshot_note: str = ""

    def body(self) -> bytes:
        return zlib.decompress(self.page.body) if self.page.body else b""


class RecordingFetcher:
    """Wraps a ``Fetcher`` for one site's crawl: every GET passes through unchanged and is kept."""

    def __init__(self, inner: Any, *, max_body_bytes: int, max_total_bytes: int = 256 * 1024 * 1024) -> None:
        self._inner = inner
        self._max_body = max_body_bytes
        self._budget = max_total_bytes
        self.by_url: dict[str, Recorded] = {}
        self.by_hash: dict[str, Recorded] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def get(self, url: str, *args: Any, **kwargs: Any) -> FetchResult:
        result: FetchResult = await self._inner.get(url, *args, **kwargs)
        self.record(result)
        return result

    def record(self, result: FetchResult) -> None:
        if result.error is not None and result.status is None:
            return  # nothing came back: the finding's own status says so
        body = result.body[: self._max_body] if self._max_body else b""
        packed = zlib.compress(body, 6) if body else b""
        if len(packed) > self._budget:
            return
        self._budget -= len(packed)
        digest = hashlib.sha256(result.body).hexdigest() if result.body else ""
        headers = tuple((k, v) for k, v in result.headers.items() if k.lower() not in TRANSFER_HEADERS)
        kept = Recorded(url=result.url, final_url=result.final_url, status=result.status, error=result.error,
                        headers=headers, content_type=result.content_type, fetched_at=result.fetched_at,
                        sha256=digest, size=len(result.body), truncated=result.truncated or len(body) < len(result.body),
                        body=packed)
        for key in (result.url, result.final_url):
            self.by_url.setdefault(key, kept)
        if digest:
            self.by_hash.setdefault(digest, kept)

    def find(self, url: str, sha256: str = "") -> Recorded | None:
        """The recorded fetch of ``url`` (the one with that content hash when given and kept)."""
        if sha256 and sha256 in self.by_hash:
            return self.by_hash[sha256]
        return self.by_url.get(url)


def backing_pages(finding: dict[str, Any]) -> list[tuple[str, str]]:
    """(url, content hash or "") of the pages a fault finding rests on."""
    if finding.get("check") == "dead_link":
        hashes = finding.get("source_hashes")
        hashes = hashes if isinstance(hashes, dict) else {}
        return [(str(s), str(hashes.get(s) or "")) for s in finding.get("sources") or []]
    url = finding.get("url")
    return [(str(url), str(finding.get("content_hash") or ""))] if url else []


def evidence_pages(result: dict[str, Any], recorder: RecordingFetcher, limit: int,
                   judged: dict[str, str] | None = None) -> list[EvidencePage]:
    """The recorded pages backing the target's fault findings, veto first, at most ``limit``;
    ``judged``: URL → content hash of the page as the snapshot judged it (picks that fetch of a
    URL fetched more than once, e.g. a home page also probed)."""
    faults = [f for f in result.get("findings") or [] if str(f.get("severity")) in FAULT]
    faults.sort(key=lambda f: f.get("severity") != "veto")
    chosen: dict[str, EvidencePage] = {}
    for finding in faults:
        for url, digest in backing_pages(finding):
            page = recorder.find(url, digest or (judged or {}).get(url, ""))
            if page is None:
                continue
            key = page.sha256 or page.final_url
            if key not in chosen:
                if len(chosen) >= limit:
                    continue
                chosen[key] = EvidencePage(page)
            entry = chosen[key]
            fid = str(finding.get("id") or "")
            if fid and fid not in entry.finding_ids:
                entry.finding_ids.append(fid)
            entry.veto = entry.veto or finding.get("severity") == "veto"
    return list(chosen.values())
