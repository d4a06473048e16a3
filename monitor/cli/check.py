"""``govmon check URL``: crawl one site now, judge it, show a summary (exit 0 pass, 1 fail, 2 bad input,
4 not inspected).

URL is a registry site's id or URL (that entry is used: name, extra hosts, pinned columns), or
any http(s) URL — then an ad-hoc site with the placeholder id ``0000000000`` is checked.
Pages, link results, probes and the snapshot go to the Store. Run again within
``crawl.freshness_hours``, the stored snapshot is judged again (e.g. with another ``--as-of``)
without refetching; ``--refresh`` (or ``--max-pages``/``--depth``) crawls again, reusing link
results checked within the window.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Optional, TypeVar
from urllib.parse import urlsplit

import typer

from monitor.cli.app import EXIT_FAILED, EXIT_NOT_INSPECTED, EXIT_OK, State, app, database_url, fail, write_json
from monitor.cli.check_summary import print_account_summary, print_summary
from monitor.config.settings import Settings
from monitor.crawl.crawler import crawl_site
from monitor.crawl.linkcheck import LinkChecker
from monitor.crawl.progress import CrawlProgress, LiveProgress
from monitor.judge.engine import judge_site
from monitor.model.document import FAIL, PASS, verdict_of
from monitor.model.period import CHINA_TZ, Period, parse_as_of
from monitor.model.snapshots import LinkResult, SiteSnapshot
from monitor.model.urls import normalize
from monitor.net.fetch import Fetcher
from monitor.registry.model import SITE_ID_RE, Registry, Site, load_registry
from monitor.run.check import check_account
from monitor.store.store import Store

AD_HOC_ID = "0000000000"
T = TypeVar("T")


def resolve_site(target: str, registry: Registry | None) -> Site:
    """The registry site named by id or URL, else an ad-hoc site for any http(s) URL."""
    wanted = normalize(target) if "://" in target else None
    for site in registry.sites if registry else []:
        if target == site.id or (wanted is not None and wanted == normalize(site.url)):
            return site
    if SITE_ID_RE.match(target):
        raise fail(f"no site with id {target} in the registry")
    url = target if "://" in target or " " in target else f"http://{target}"
    absolute = normalize(url)
    if absolute is None or not url.lower().startswith(("http://", "https://")):
        raise fail(f"not an http(s) URL or registry site id: {target!r}")
    return Site(id=AD_HOC_ID, name=urlsplit(absolute).netloc, url=absolute)


def _registry(path: Path | None, settings: Settings) -> Registry | None:
    """``--registry`` must exist; the settings' default registry is used when present."""
    if path is not None:
        return load_registry(path)
    default = Path(settings.general.registry)
    return load_registry(default) if default.exists() else None


async def run_crawl(site: Site, settings: Settings, *, as_of: date, fresh: dict[str, LinkResult],
                    progress: CrawlProgress, max_pages: int | None, max_depth: int | None) -> SiteSnapshot:
    """One Fetcher and LinkChecker for the run, then ``crawl_site``."""
    async with Fetcher(settings.crawl, settings.links) as fetcher:
        checker = LinkChecker(fetcher, settings.links, fresh=fresh)
        return await crawl_site(site, settings=settings, fetcher=fetcher, linkchecker=checker, as_of=as_of,
                                progress=progress, max_pages=max_pages, max_depth=max_depth)


def run_quietly(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` whose main task holds no result: on Python 3.11, restoring the SIGINT
    handler formats ``repr(main task)`` — for a crawl, a repr of the whole snapshot (≈100 MB)."""
    box: list[T] = []

    async def main() -> None:
        box.append(await coro)

    asyncio.run(main())
    return box[0]


def _stored(store: Store, site: Site, since: datetime) -> SiteSnapshot | None:
    """The site's latest snapshot taken since ``since`` (same URL: ad-hoc sites share one id)."""
    snap = store.latest_site_snapshot(site.id, not_before=since)
    return snap if snap is not None and snap.url == site.url else None


def _save(store: Store, site: Site, snap: SiteSnapshot) -> None:
    store.save_pages(site.id, snap.pages)
    store.save_links(snap.links)
    store.add_probes(site.id, snap.probes)
    store.save_site_snapshot(snap)


@app.command()
def check(
    url: Annotated[Optional[str], typer.Argument(help="Site URL, or the id/URL of a site in the registry.")] = None,
    account: Annotated[Optional[str], typer.Option(
        "--account", help="Check this registry account (its feed) instead of a site.")] = None,
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="Judge as of YYYY-MM-DD (default: today, China time).")] = None,
    json_out: Annotated[Optional[str], typer.Option(
        "--json", help="Write the site/account object as JSON to FILE ('-' = stdout).")] = None,
    max_pages: Annotated[Optional[int], typer.Option(
        "--max-pages", min=1, help="Pages crawled at most (default: settings).")] = None,
    depth: Annotated[Optional[int], typer.Option(
        "--depth", min=0, help="Link depth crawled (default: settings).")] = None,
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL or SQLite file (default: settings).")] = None,
    registry: Annotated[Optional[Path], typer.Option("--registry", help="Registry file (default: settings).")] = None,
    refresh: Annotated[bool, typer.Option(
        "--refresh", help="Crawl again even if a snapshot within crawl.freshness_hours is stored.")] = False,
) -> None:
    """Check one site now (dead links and every site check) or one account (--account), with a verdict."""
    settings = State.settings()
    try:
        day = parse_as_of(as_of) if as_of is not None else datetime.now(CHINA_TZ).date()
    except ValueError as exc:
        raise fail(f"--as-of: {exc}") from None
    if (url is None) == (account is None):
        raise fail("give a site URL or --account ID (one of them)")
    reg = _registry(registry, settings)
    if account is not None:
        _check_account(account, reg, settings, day, db, json_out)
    site = resolve_site(str(url).strip(), reg)
    store = Store(database_url(db, settings))
    now = datetime.now(UTC)
    window_start = now - timedelta(hours=settings.crawl.freshness_hours)
    quiet = json_out == "-" or not sys.stderr.isatty()
    progress = CrawlProgress() if quiet else LiveProgress(site.name)
    try:
        snap = None if refresh or max_pages or depth is not None else _stored(store, site, window_start)
        if snap is not None:
            progress.pages, progress.links = len(snap.pages), len(snap.links)
            progress.errors = sum(1 for link in snap.links if link.outcome == "dead")
            progress.blocked = sum(1 for link in snap.links if link.outcome == "blocked")
            snap.notes.append(f"judged from the snapshot stored at {snap.started_at:%Y-%m-%d %H:%M} UTC "
                              "(within crawl.freshness_hours; --refresh crawls again)")
        else:
            with progress if isinstance(progress, LiveProgress) else nullcontext():
                snap = run_quietly(run_crawl(site, settings, as_of=day, fresh=store.fresh_links(window_start),
                                             progress=progress, max_pages=max_pages, max_depth=depth))
            _save(store, site, snap)
    finally:
        store.close()
    result = judge_site(site, snap, period=Period.for_as_of(day), settings=settings, registry=reg)
    if json_out is not None:
        write_json(json_out, result)
    if json_out != "-":
        print_summary(result, snap, progress)
    raise typer.Exit(exit_code(result))


def exit_code(result: dict[str, Any]) -> int:
    """0 pass, 1 fail, 4 not inspected (未能完成检查: neither a pass nor a fault; 3 is an unexpected error)."""
    return {PASS: EXIT_OK, FAIL: EXIT_FAILED}.get(verdict_of(result), EXIT_NOT_INSPECTED)


def _check_account(account_id: str, reg: Registry | None, settings: Settings, day: date, db: str | None,
                   json_out: str | None) -> None:
    """``--account``: poll the account's source now, judge its stored history, exit 0 pass / 1 fail."""
    if reg is None:
        raise fail(f"--account needs a registry (--registry, or {settings.general.registry} in this folder)")
    store = Store(database_url(db, settings))

    async def run() -> dict[str, Any]:
        async with Fetcher(settings.crawl, settings.links) as fetcher:
            return await check_account(account_id, settings=settings, registry=reg, store=store, fetcher=fetcher,
                                       as_of=day, now=datetime.now(UTC))

    try:
        result = run_quietly(run())
    finally:
        store.close()
    if json_out is not None:
        write_json(json_out, result)
    if json_out != "-":
        print_account_summary(result)
    raise typer.Exit(exit_code(result))
