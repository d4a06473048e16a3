"""Benchmark: ``govmon check`` (crawl, store, judge) of a generated site; peak RSS, wall time, pages/s.

    PYTHONPATH=. /work/main/.venv/bin/python bench/check.py                  # 18,000 pages
    PYTHONPATH=. /work/main/.venv/bin/python bench/check.py --pages 200000   # the 200k-page memory figure

The site is bench/sitegen.py's (served by nginx on free 127.0.0.1 ports, bench/nginx.py); the
command is the real CLI in a child process with no page, depth or time limit (concurrency 16,
``allow_private`` for the 127.0.0.1 "external" host), writing its SQLite store in the work dir.
Peak RSS is the child's ``ru_maxrss`` (``os.wait4``). Figures only: nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crawl import AS_OF  # noqa: E402
from bench.nginx import Nginx, free_port  # noqa: E402
from bench.sitegen import generate  # noqa: E402
from bench.tools import measure  # noqa: E402

SETTINGS = """
[crawl]
concurrency = {concurrency}
per_host_concurrency = {concurrency}
max_pages = 10000000
max_depth = 1000
site_budget_seconds = 0
allow_private = true
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, default=18000, help="pages of the generated site (default 18000)")
    p.add_argument("--concurrency", type=int, default=16, help="requests in flight (default 16)")
    p.add_argument("--runs", type=int, default=1, help="runs of govmon check on the one generated site (default 1)")
    p.add_argument("--site", type=Path, default=None, help="reuse a site generated earlier by --keep (its work dir)")
    p.add_argument("--keep", action="store_true", help="keep the work dir (site, store, outputs)")
    p.add_argument("--timeout", type=float, default=3600.0, help="seconds a run may take (default 3600)")
    p.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    return p.parse_args(argv)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    work = args.site or Path(tempfile.mkdtemp(prefix="govmon-check-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)
    ports = work / "ports.json"
    if args.site is None or not ports.exists():
        port, ext_port, dead_port = free_port(), free_port(), free_port()
        started = time.perf_counter()
        site = generate(work, args.pages, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{ext_port}",
                        f"http://127.0.0.1:{dead_port}", AS_OF)
        ports.write_text(json.dumps({"port": port, "ext_port": ext_port, "pages": len(site.pages),
                                     "occurrences": site.occurrences, "distinct": len(site.distinct),
                                     "dead": len(site.dead())}))
        print(f"generated {len(site.pages)} pages, {site.occurrences} link occurrences, {len(site.distinct)} "
              f"distinct links in {time.perf_counter() - started:.1f} s under {work}", flush=True)
    known = json.loads(ports.read_text())
    port, ext_port = known["port"], known["ext_port"]
    (work / "settings.toml").write_text(SETTINGS.format(concurrency=args.concurrency))
    server = Nginx(work, port, ext_port)
    server.start()
    figures: list[dict[str, object]] = []
    try:
        for n in range(args.runs):
            db = work / f"store-{n}.sqlite"
            db.unlink(missing_ok=True)
            out = work / f"check-{n}.json"
            govmon = str(Path(sys.executable).with_name("govmon"))
            argv = [govmon, "--settings", str(work / "settings.toml"), "check", f"http://127.0.0.1:{port}/",
                    "--as-of", AS_OF.isoformat(), "--db", str(db), "--json", str(out), "--refresh"]
            before = load()
            run = measure("govmon check", argv, timeout=args.timeout, stdout=work / f"check-{n}.out", cwd=work,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
            result = json.loads(out.read_text()) if out.exists() else {}
            dead = sum(1 for f in result.get("findings", []) if f.get("check") == "dead_link"
                       and f.get("severity") != "notice")
            row = {"run": n, "wall": round(run.wall, 1), "cpu": round(run.cpu, 1), "rss_mb": round(run.rss_mb),
                   "exit": run.code, "pages_per_s": round(known["pages"] / run.wall), "dead_link_findings": dead,
                   "findings": len(result.get("findings", [])), "load_before": before, "load_after": load()}
            figures.append(row)
            print(json.dumps(row), flush=True)
            if run.code not in (0, 1):
                print((work / f"check-{n}.err").read_text()[-2000:], file=sys.stderr)
    finally:
        server.stop()
        if not args.keep and args.site is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps({"site": known, "runs": figures}, indent=2))


if __name__ == "__main__":
    main()
