"""Time to save an 18,000-page site's link results and pages: a ``merge`` per row (before) vs bulk upserts (after).

    PYTHONPATH=. python bench/store.py [--pages 18000] [--links 33529] [--pg postgresql+psycopg://…]

The URLs have bench/sitegen.py's shapes (dated TRS article pages, paginated column lists,
attachments, injected faults); 33,529 distinct links is what the 18,016-page generated site
links to. Each store is a fresh SQLite file in WAL mode (and, with ``--pg``, the given
PostgreSQL database, emptied first). "First" saves insert every row; "again" saves the same
URLs re-checked (every row updated), as the next inspection does. The last line measures how
long the event loop stalls while the links are saved: called directly vs awaited through
``Store.call`` (the store's writer thread).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from bench.sitegen import COLUMNS, PER_LIST, Generator
from monitor.model.snapshots import LinkResult, PageSnapshot
from monitor.store.store import Store
from monitor.store.tables import LinkRow, PageRow, to_db

T0 = datetime(2021, 8, 31, 2, 0, tzinfo=UTC)


def site_urls(pages: int, links: int) -> tuple[list[str], list[str]]:
    """(page URLs, distinct link URLs) in sitegen's shapes."""
    base, ext = "http://127.0.0.1:8080", "http://127.0.0.1:8081"
    gen = Generator(Path(tempfile.gettempdir()), pages, base, ext, "http://127.0.0.1:9", date(2021, 8, 31))
    page_urls = [f"{base}/"]
    for code, _ in COLUMNS:
        n_lists = max(1, -(-len(gen.articles[code]) // PER_LIST))
        page_urls += [f"{base}/{code}/index.html"] + [f"{base}/{code}/index_{i}.html" for i in range(1, n_lists)]
        page_urls += [base + a.path for a in gen.articles[code]]
    page_urls = page_urls[:pages]
    found = list(dict.fromkeys([*page_urls, *(u for urls in gen.faults.values() for u in urls)]))
    extra = (f"{base}/{a.col}/{a.day:%Y%m}/P0{a.ident}{k}.{('pdf', 'doc', 'xls')[k % 3]}"
             for k in range(3) for arts in gen.articles.values() for a in arts)
    while len(found) < links:
        found.append(next(extra))
    return page_urls, found[:links]


def results(urls: list[str], at: datetime) -> list[LinkResult]:
    return [LinkResult(url=u, outcome="ok", status=200, final_url=u, checked_at=at) for u in urls]


def legacy_save_links(store: Store, links: list[LinkResult]) -> None:
    """The save before bulk upserts (release b9fa111): one ORM ``merge`` per link."""
    with Session(store.engine) as s:
        for link in links:
            s.merge(LinkRow(url=link.url, outcome=link.outcome, status=link.status, error=link.error,
                            final_url=link.final_url, checked_at=to_db(link.checked_at)))
        s.commit()


def legacy_save_pages(store: Store, site_id: str, pages: list[PageSnapshot]) -> None:
    with Session(store.engine) as s:
        s.add_all(PageRow(site_id=site_id, url=p.url, final_url=p.final_url, status=p.status, error=p.error,
                          content_type=p.content_type, size=p.size, content_hash=p.content_hash, title=p.title,
                          fetched_at=to_db(p.fetched_at)) for p in pages)
        s.commit()


def timed(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def fresh_store(url: str | None, tmp: Path, name: str) -> Store:
    store = Store(url or f"sqlite:///{tmp / name}.db")
    if url:
        with store.engine.begin() as conn:
            conn.execute(text("DELETE FROM links")), conn.execute(text("DELETE FROM pages"))
    return store


def compare(url: str | None, tmp: Path, page_urls: list[str], link_urls: list[str]) -> dict[str, float]:
    first, again = results(link_urls, T0), results(link_urls, T0 + timedelta(days=1))
    pages = [PageSnapshot(url=u, final_url=u, status=200, content_type="text/html", size=20000, title="标题",
                          fetched_at=T0) for u in page_urls]
    out: dict[str, float] = {}
    for label, save_links, save_pages in (("before", legacy_save_links, legacy_save_pages),
                                          ("after", Store.save_links, Store.save_pages)):
        store = fresh_store(url, tmp, label)
        out[f"{label} links first"] = timed(lambda: save_links(store, first))
        out[f"{label} links again"] = timed(lambda: save_links(store, again))
        out[f"{label} pages"] = timed(lambda: save_pages(store, "1403000001", pages))
        store.close()
    return out


async def loop_stall(store: Store, links: list[LinkResult], awaited: bool) -> float:
    """The longest gap between 5 ms ticks of the loop while the links are saved."""
    worst, stop = 0.0, asyncio.Event()

    async def ticker() -> None:
        nonlocal worst
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            worst, last = max(worst, now - last), now

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    if awaited:
        await store.call(store.save_links, links)
    else:
        store.save_links(links)
    stop.set()
    await tick
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=18016)
    parser.add_argument("--links", type=int, default=33529)
    parser.add_argument("--pg", default=None, help="also on this PostgreSQL URL (its links and pages are emptied)")
    args = parser.parse_args()
    page_urls, link_urls = site_urls(args.pages, args.links)
    print(f"{len(page_urls)} pages, {len(link_urls)} distinct links")
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in (("sqlite", None), *((("postgresql", args.pg),) if args.pg else ())):
            figures = compare(url, Path(tmp), page_urls, link_urls)
            for what in ("links first", "links again", "pages"):
                before, after = figures[f"before {what}"], figures[f"after {what}"]
                print(f"{name:10} {what:12} before {before:7.2f} s  after {after:6.2f} s  ×{before / after:5.1f}")
        store = fresh_store(None, Path(tmp), "stall")
        links = results(link_urls, T0)
        direct = asyncio.run(loop_stall(store, links, awaited=False))
        awaited = asyncio.run(loop_stall(store, results(link_urls, T0 + timedelta(days=1)), awaited=True))
        store.close()
        print(f"loop stall while saving the links: called directly {direct:.2f} s, awaited via Store.call {awaited:.3f} s")


if __name__ == "__main__":
    main()
