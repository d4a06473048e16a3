"""Keeping the evidence of one judged target: the recorded pages behind its fault findings, and a
screenshot of each veto page (one browser at a time). Called by the inspection and the re-check."""

from __future__ import annotations

import asyncio
import logging
import weakref
from itertools import chain
from typing import Any

from monitor.config.settings import Settings
from monitor.crawl.evidence import RecordingFetcher, evidence_pages
from monitor.crawl.screenshot import Shot, take
from monitor.model.errors import StorageError

log = logging.getLogger(__name__)
#: Screenshots one after another (per event loop): the browser is the heaviest thing govmon runs.
_BROWSERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def _browser() -> asyncio.Semaphore:
    return _BROWSERS.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(1))


def recorder(fetcher: Any, settings: Settings) -> RecordingFetcher:
    """A recording wrapper over the run's fetcher for one site's crawl."""
    return RecordingFetcher(fetcher, max_body_bytes=settings.evidence.max_body_bytes)


def judged_hashes(snap: Any) -> dict[str, str]:
    """URL → content hash of every page a site snapshot judged (requested and final URL)."""
    home = getattr(snap, "home", None)
    pages = chain([home] if home is not None else [], getattr(snap, "pages", []), getattr(snap, "columns", []))
    out: dict[str, str] = {}
    for page in pages:  # a big crawl's pages are read back from their spill file one at a time
        if page.content_hash:
            out.setdefault(page.url, page.content_hash)
            out.setdefault(getattr(page, "final_url", "") or page.url, page.content_hash)
    return out


async def keep(store: Any, settings: Settings, period: str, kind: str, target_id: str, result: dict[str, Any],
               recorded: RecordingFetcher, snap: Any = None) -> int:
    """Store the evidence of ``result``'s fault findings; returns the pages kept. Never fails the
    target: a problem here is logged (a database failure after its retries still ends the run)."""
    options = settings.evidence
    try:
        pages = evidence_pages(result, recorded, options.max_pages_per_target, judged_hashes(snap))
        shots = 0
        for page in pages:
            if not page.veto:
                continue
            if shots >= options.max_screenshots_per_target:
                page.screenshot_note = f"未截图：每个单位最多截图{options.max_screenshots_per_target}张"
                continue
            try:
                async with _browser():
                    shot = await take(page.page.final_url or page.page.url, chromium=options.chromium,
                                      width=options.screenshot_width, max_height=options.screenshot_max_height,
                                      timeout=options.screenshot_timeout_seconds)
            except Exception as exc:  # noqa: BLE001 — a screenshot that fails is a note, the page is still kept
                log.exception("screenshot of %s failed", page.page.url)
                shot = Shot(None, f"未截图：{type(exc).__name__}")
            page.screenshot, page.screenshot_note = shot.png, shot.note
            shots += shot.png is not None
        if pages:
            await store.call(store.save_evidence, period, kind, target_id, pages)
        return len(pages)
    except StorageError:
        raise
    except Exception:  # noqa: BLE001 — evidence is kept beside the result, never instead of it
        log.exception("keeping the evidence of %s %s failed", kind, target_id)
        return 0
