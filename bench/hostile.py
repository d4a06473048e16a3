"""Benchmark: crawl the fault world's hostile county site; print peak RSS and requests per trap.

    /work/main/.venv/bin/python bench/hostile.py                 # 40 bomb links, concurrency 16
    /work/main/.venv/bin/python bench/hostile.py --bombs 80 --no-session-normalisation

The fault world (monitor/sandbox/faults.py, county site: monitor/sandbox/faults_hostile.py) is
served on 127.0.0.1 by this process; the crawl runs in a child process (``crawl_site`` with the
project's settings, ``[crawl] allow_private`` on, no page limit) so that ``os.wait4`` measures its
peak RSS alone. The start page links the county site's cases plus ``--bombs`` links to its
brotli bomb (102 bytes → 64 MB) and gzip bomb (64 KB → 64 MB), all fetched at the crawl's
concurrency. Printed: wall time, peak RSS, requests per trap (the session-id trap under /app/),
the bombs' decoded bytes kept, and the dead/blocked links found against the expected ones.
Figures only: nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tools import measure  # noqa: E402
from monitor.sandbox import faults  # noqa: E402
from monitor.sandbox.faults_hostile import COUNTY, county_page  # noqa: E402
from monitor.sandbox.server import Host, Route, serve_world  # noqa: E402

AS_OF = date(2021, 8, 31)
START = "/bench/"
TRAPS = {"session ids (/app/)": "/app/"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bombs", type=int, default=40, help="links to each compression bomb (default 40)")
    p.add_argument("--concurrency", type=int, default=16, help="requests in flight (default 16)")
    p.add_argument("--no-session-normalisation", action="store_true",
                   help="empty [crawl] session_params/tracking_params (what the trap costs without them)")
    p.add_argument("--max-pages", type=int, default=500, help="[crawl] max_pages (default 500, the shipped value)")
    p.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    p.add_argument("--child", nargs=2, metavar=("URL", "OUT"), help=argparse.SUPPRESS)
    return p.parse_args(argv)


def world(bombs: int):  # type: ignore[no-untyped-def]
    """The fault world plus a start page on the county site linking its cases and the bombs."""

    def build(bases: dict[str, str]) -> dict[str, Host]:
        hosts = faults.build_fault_world(bases)
        links = ['<li><a href="/">首页</a></li>', '<li><a href="/jb/">网站普查</a></li>']
        links += [f'<li><a href="/bomb/{kind}.html?n={i}">数据{kind}{i}</a></li>'
                  for i in range(bombs) for kind in ("br", "gz")]
        hosts[COUNTY].add(START, Route(county_page("基准", f'<ul class="list">{"".join(links)}</ul>')))
        return hosts

    return build


async def child(url: str, out: Path, args: argparse.Namespace) -> None:
    from monitor.crawl.crawler import crawl_site
    from monitor.crawl.linkcheck import LinkChecker
    from monitor.judge.validate import load_checked_settings as load_settings
    from monitor.net.fetch import Fetcher
    from monitor.registry.model import Site

    settings = load_settings()
    over: dict[str, object] = {"concurrency": args.concurrency, "per_host_concurrency": args.concurrency,
                               "max_pages": args.max_pages, "max_depth": 1000, "allow_private": True}
    if args.no_session_normalisation:
        over.update(session_params=[], tracking_params=[])
    settings.crawl = settings.crawl.model_copy(update=over)
    settings.links = settings.links.model_copy(update={"blocked_retry_seconds": 0.5})
    started = time.perf_counter()
    async with Fetcher(settings.crawl, settings.links) as fetcher:
        checker = LinkChecker(fetcher, settings.links)
        snap = await crawl_site(Site(id="1401000003", name="示范县人民政府", url=url), settings=settings,
                                fetcher=fetcher, linkchecker=checker, as_of=AS_OF)
        stats = fetcher.stats
    bombs = [p.size for p in snap.pages if "/bomb/" in p.url]
    out.write_text(json.dumps({
        "seconds": time.perf_counter() - started, "pages": len(snap.pages), "links": len(snap.links),
        "requests": stats.requests, "bytes_read": stats.bytes, "bomb_pages": len(bombs),
        "bomb_bytes_kept_max": max(bombs, default=0),
        "outcomes": {o: sorted(lk.url for lk in snap.links if lk.outcome == o) for o in ("dead", "blocked", "skipped")},
        "notes": snap.notes,
    }, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        asyncio.run(child(args.child[0], Path(args.child[1]), args))
        return 0
    with tempfile.TemporaryDirectory(prefix="govmon-hostile-") as tmp, \
            serve_world(world(args.bombs), faults.KEYS, dead=faults.DEAD_KEYS) as running:
        out = Path(tmp) / "crawl.json"
        argv_child = [sys.executable, str(Path(__file__).resolve()), "--child", running.url(COUNTY, START), str(out),
                      "--concurrency", str(args.concurrency), "--max-pages", str(args.max_pages)]
        if args.no_session_normalisation:
            argv_child.append("--no-session-normalisation")
        run = measure("govmon", argv_child, timeout=900, stdout=Path(tmp) / "child.out", cwd=ROOT)
        if run.code != 0 or not out.exists():
            print((Path(tmp) / "child.err").read_text("utf-8")[-3000:], file=sys.stderr)
            return 1
        found = json.loads(out.read_text("utf-8"))
        hits = running.hits[COUNTY]
        traps = {name: sum(n for path, n in hits.items() if path.startswith(prefix)) for name, prefix in TRAPS.items()}
        expected_dead = {row["url"] for row in faults.expected(running.bases, COUNTY)}
        expected_blocked = {row["url"] for row in faults.expected(running.bases, COUNTY, faults.EXPECTED_BLOCKED)}
        dead, blocked = set(found["outcomes"]["dead"]), set(found["outcomes"]["blocked"])
    figures = {
        "wall_s": round(run.wall, 2), "peak_rss_mb": round(run.rss_mb, 1), "cpu_s": round(run.cpu, 2),
        "requests": found["requests"], "requests_per_trap": traps, "pages": found["pages"], "links": found["links"],
        "bomb_links": 2 * args.bombs, "bomb_bytes_kept_max": found["bomb_bytes_kept_max"],
        "bytes_read": found["bytes_read"],
        "dead_found": len(dead), "dead_expected": len(expected_dead), "dead_correct": len(dead & expected_dead),
        "blocked_found": len(blocked), "blocked_expected": len(expected_blocked),
        "blocked_correct": len(blocked & expected_blocked),
    }
    for key, value in figures.items():
        print(f"{key:>22}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
