"""Benchmark: crawl a generated 18,000-page government site served by nginx; compare with other tools.

    /work/venv/bin/python bench/crawl.py                     # full size, all tools
    /work/venv/bin/python bench/crawl.py --pages 2000 --skip-competitors
    /work/venv/bin/python bench/crawl.py --install-tools     # pip/npm-install the competitors first

Steps: generate the site (bench/sitegen.py) into a temp dir; serve it with nginx on free
127.0.0.1 ports (bench/nginx.py); GET every page through each HTTP stack (bench/transports.py);
crawl it with govmon's ``crawl_site`` in a child process; then LinkChecker, linkinator and lychee
(bench/tools.py). Each tool: wall time, peak RSS of its process, dead links found against the
injected ones (precision / recall). Figures only: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.nginx import Nginx, free_port  # noqa: E402
from bench.sitegen import BLOCKED_KINDS, DEAD_KINDS, Site, generate  # noqa: E402
from bench.tools import Run, install, measure, run_linkchecker, run_linkinator, run_lychee  # noqa: E402

AS_OF = date(2021, 8, 31)
DEFAULT_TOOLS = Path("/tmp/govmon-bench-tools")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, default=18000, help="pages of the generated site (default 18000)")
    p.add_argument("--concurrency", type=int, default=16, help="requests in flight for every tool (default 16)")
    p.add_argument("--transport", choices=["aiohttp", "httpx"], default=None, help="govmon transport (default: settings)")
    p.add_argument("--skip-competitors", action="store_true", help="run govmon only")
    p.add_argument("--skip-govmon", action="store_true", help="run the competitors only")
    p.add_argument("--skip-transports", action="store_true", help="skip the HTTP stack comparison")
    p.add_argument("--only", default="", help="comma list of competitors: linkchecker,linkinator,lychee")
    p.add_argument("--tool-timeout", type=float, default=900.0, help="seconds each tool may run (default 900)")
    p.add_argument("--tools-dir", type=Path, default=DEFAULT_TOOLS, help=f"competitors' home (default {DEFAULT_TOOLS})")
    p.add_argument("--install-tools", action="store_true", help="pip/npm-install the competitors into --tools-dir")
    p.add_argument("--profile", choices=["pyinstrument", "py-spy"], default=None, help="profile govmon's crawl")
    p.add_argument("--keep", action="store_true", help="keep the generated site's temp dir")
    p.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    p.add_argument("--govmon-child", nargs=3, metavar=("URL", "OUT", "CONC"), help=argparse.SUPPRESS)
    return p.parse_args(argv)


# govmon, in its own process ---------------------------------------------------------------
async def govmon_crawl(url: str, out: Path, concurrency: int, transport: str | None) -> None:
    from monitor.crawl.crawler import crawl_site
    from monitor.crawl.linkcheck import LinkChecker
    from monitor.judge.validate import load_checked_settings as load_settings
    from monitor.net.fetch import Fetcher
    from monitor.registry.model import Site as RegSite

    settings = load_settings()
    over = {"concurrency": concurrency, "per_host_concurrency": concurrency, "max_pages": 10**6, "max_depth": 1000,
            "allow_private": True}  # the "external" sites are a second 127.0.0.1 port
    if transport:
        over["transport"] = transport
    settings.crawl = settings.crawl.model_copy(update=over)
    site = RegSite(id="1400000001", name="某某市人民政府", url=url)
    started = time.perf_counter()
    async with Fetcher(settings.crawl, settings.links) as fetcher:
        checker = LinkChecker(fetcher, settings.links)
        snap = await crawl_site(site, settings=settings, fetcher=fetcher, linkchecker=checker, as_of=AS_OF)
        stats = fetcher.stats
    seconds = time.perf_counter() - started
    by_outcome: dict[str, list[str]] = {}
    for link in snap.links:
        by_outcome.setdefault(link.outcome, []).append(link.url)
    out.write_text(json.dumps({
        "seconds": seconds, "pages": len(snap.pages), "links": len(snap.links),
        "occurrences": sum(len(link.sources) for link in snap.links), "requests": stats.requests,
        "bytes": stats.bytes, "retries": stats.retries, "notes": snap.notes[:20],
        "outcomes": {k: sorted(v) for k, v in by_outcome.items()},
    }))


def run_govmon(site: Site, work: Path, args: argparse.Namespace) -> Run:
    out = work / "govmon.json"
    argv = [sys.executable, str(Path(__file__).resolve()), "--govmon-child", site.base + "/", str(out),
            str(args.concurrency)]
    if args.transport:
        argv[2:2] = ["--transport", args.transport]
    if args.profile == "pyinstrument":
        argv = [sys.executable, "-m", "pyinstrument", "-o", str(work / "profile.txt"), *argv[1:]]
    elif args.profile == "py-spy":
        spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        if not Path(spy).exists():
            return Run("govmon", note="py-spy not installed (pip install py-spy)")
        argv = [spy, "record", "-f", "speedscope", "-o", str(work / "profile.json"), "--", *argv]
    run = measure("govmon", argv, timeout=args.tool_timeout, stdout=work / "govmon.out", cwd=ROOT)
    if not out.exists():
        run.note = run.note or f"no result (exit {run.code}): {(work / 'govmon.err').read_text()[-400:]}"
        return run
    data = json.loads(out.read_text())
    outcomes = data.pop("outcomes")
    run.dead = set(outcomes.get("dead", []))
    run.extra = {**data, "blocked": len(outcomes.get("blocked", [])), "ok": len(outcomes.get("ok", [])),
                 "skipped": len(outcomes.get("skipped", []))}
    return run


# reporting ------------------------------------------------------------------------------------
def score(run: Run, site: Site) -> dict[str, object]:
    truth = site.dead()
    hit = run.dead & truth
    blocked = set().union(*(site.injected[k] for k in BLOCKED_KINDS))
    return {"found": len(run.dead), "true": len(hit), "false": len(run.dead - truth),
            "blocked_called_dead": len(run.dead & blocked),
            "precision": len(hit) / len(run.dead) if run.dead else 0.0,
            "recall": len(hit) / len(truth) if truth else 0.0,
            "missed": {k: len(site.injected[k] - run.dead) for k in DEAD_KINDS if site.injected[k] - run.dead}}


def report(site: Site, runs: list[Run], transports: list[tuple[str, float, int]]) -> dict[str, object]:
    gov = next(r for r in runs if r.name == "govmon")
    print(f"\nsite: {len(site.pages)} pages, {site.occurrences} link occurrences, {len(site.distinct)} distinct links, "
          f"{len(site.dead())} injected dead ({', '.join(f'{k} {len(site.injected[k])}' for k in DEAD_KINDS)}), "
          f"{len(site.injected['blocked_403'])} blocked (403)")
    if gov.extra:
        x = gov.extra
        print(f"govmon crawl: {x['pages']} pages, {x['links']} distinct links, {x['occurrences']} occurrences, "
              f"{x['requests']} requests; pages/s {x['pages'] / gov.wall:.0f}, distinct links/s {x['links'] / gov.wall:.0f}")
    print(f"\n{'tool':<12}{'wall s':>9}{'CPU s':>8}{'peak RSS MB':>13}{'dead found':>12}{'precision':>11}{'recall':>8}"
          f"{'govmon time':>13}{'govmon RSS':>12}  note")
    rows = []
    for run in runs:
        if run.code is None and not run.wall:
            print(f"{run.name:<12}{'-':>9}  {run.note}")
            rows.append({"tool": run.name, "note": run.note})
            continue
        s = score(run, site)
        ratio_t = f"{gov.wall / run.wall:.2f}x" if run.wall and gov.wall and run.code is not None else "-"
        ratio_m = f"{gov.rss_mb / run.rss_mb:.2f}x" if run.rss_mb and gov.rss_mb else "-"
        print(f"{run.name:<12}{run.wall:>9.1f}{run.cpu:>8.1f}{run.rss_mb:>13.0f}{s['found']:>12}{s['precision']:>11.3f}"
              f"{s['recall']:>8.3f}{ratio_t:>13}{ratio_m:>12}  {run.note} {('missed ' + str(s['missed'])) if s['missed'] else ''}")
        rows.append({"tool": run.name, "wall": run.wall, "cpu": run.cpu, "rss_mb": run.rss_mb, "exit": run.code, "note": run.note,
                     **s, **{k: v for k, v in run.extra.items() if k != "notes"}})
    return {"site": {"pages": len(site.pages), "occurrences": site.occurrences, "distinct": len(site.distinct),
                     "injected": {k: len(v) for k, v in site.injected.items()}},
            "transports": [{"stack": n, "req_s": r, "ok": ok} for n, r, ok in transports], "tools": rows}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.govmon_child:
        url, out, conc = args.govmon_child
        asyncio.run(govmon_crawl(url, Path(out), int(conc), args.transport))
        return
    if args.install_tools:
        install(args.tools_dir)
    args.keep = args.keep or args.profile is not None
    work = Path(tempfile.mkdtemp(prefix="govmon-bench-"))
    work.chmod(0o755)
    port, ext_port, dead_port = free_port(), free_port(), free_port()
    started = time.perf_counter()
    site = generate(work, args.pages, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{ext_port}",
                    f"http://127.0.0.1:{dead_port}", AS_OF)
    print(f"generated {len(site.pages)} pages in {time.perf_counter() - started:.1f} s under {work}", flush=True)
    server = Nginx(work, port, ext_port)
    server.start()
    try:
        figures = run_steps(site, work, args)
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))


def run_steps(site: Site, work: Path, args: argparse.Namespace) -> dict[str, object]:
    transports: list[tuple[str, float, int]] = []
    if not args.skip_transports:
        from bench.transports import run_all

        print(f"\nGET of {len(site.pages)} pages at concurrency {args.concurrency}:", flush=True)
        transports = run_all(site.pages, args.concurrency)
    runs = [Run("govmon", note="skipped (--skip-govmon)")]
    if not args.skip_govmon:
        print("\ngovmon crawl_site ...", flush=True)
        runs = [run_govmon(site, work, args)]
        print(f"  {runs[0].wall:.1f} s, CPU {runs[0].cpu:.1f} s, {runs[0].rss_mb:.0f} MB {runs[0].note}", flush=True)
    if not args.skip_competitors:
        wanted = set(args.only.split(",")) if args.only else {"linkchecker", "linkinator", "lychee"}
        steps = [("linkchecker", lambda: run_linkchecker(args.tools_dir, site.base + "/", work, args.tool_timeout,
                                                          args.concurrency)),
                 ("linkinator", lambda: run_linkinator(args.tools_dir, site.base + "/", work, args.tool_timeout,
                                                       args.concurrency)),
                 ("lychee", lambda: run_lychee(args.tools_dir, site.pages, work, args.tool_timeout, args.concurrency))]
        for name, step in steps:
            if name in wanted:
                print(f"{name} ...", flush=True)
                runs.append(step())
                print(f"  {runs[-1].wall:.1f} s, CPU {runs[-1].cpu:.1f} s, {runs[-1].rss_mb:.0f} MB {runs[-1].note}",
                      flush=True)
    return report(site, runs, transports)


if __name__ == "__main__":
    main()
