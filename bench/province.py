"""A province, simulated: K copies of the sandbox city inspected in one process, by 1 and by 2 workers.

    /work/main/.venv/bin/python bench/province.py --pg postgresql+psycopg://govmon@127.0.0.1:5432/postgres
    /work/main/.venv/bin/python bench/province.py --pg URL --copies 10 --concurrency 4

Each copy of the city (monitor/sandbox, as of 2021-08-31: 33 sites, 87 accounts) is served on its
own 127.0.0.1 ports by this process; site ids get a made-up region code per copy, account ids a
suffix. ``redis-server`` is started as a child on a free port; every run gets a fresh PostgreSQL
database on the ``--pg`` server (created and dropped here). Printed per run: wall time, requests
served per second, peak RSS (VmHWM) of each worker, and the queue's cost as the 1-worker run's wall
time over the single-process run's (per-task fetchers, per-site link caches, Redis round trips).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.registry.model import parse_registry  # noqa: E402
from monitor.registry.spreadsheet import registry_toml  # noqa: E402
from monitor.sandbox.city import city_registry, serve_city  # noqa: E402

AS_OF = date(2021, 8, 31)
GOVMON = str(Path(sys.executable).parent / "govmon")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def province_registry(worlds: list[Any]) -> tuple[str, int, int]:
    """One registry of every copy: site ids re-coded per copy (14<copy+10>…), account ids suffixed."""
    sites, accounts = [], []
    for copy, world in enumerate(worlds):
        city = parse_registry(city_registry(world.bases))
        sites += [s.model_copy(update={"id": f"14{copy + 10:02d}{s.id[4:]}"}) for s in city.sites]
        accounts += [a.model_copy(update={"id": f"{a.id}-c{copy}"}) for a in city.accounts]
    from monitor.registry.model import Registry
    registry = Registry(sites=sites, accounts=accounts)
    return registry_toml(registry, ["bench/province.py"]), len(sites), len(accounts)


def database(server: str, name: str, drop: bool = False) -> str:
    import psycopg

    admin = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)" if drop else f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + f"/{name}"


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def hits(worlds: list[Any]) -> int:
    return sum(n for world in worlds for per_host in world.hits.values() for n in per_host.values())


def run(label: str, workers: int, args: argparse.Namespace, registry: Path, broker: str, worlds: list[Any],
        tmp: Path) -> dict[str, Any]:
    name = f"govmon_province_{uuid.uuid4().hex[:8]}"
    db = database(args.pg, name)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for i in range(workers):
            log = open(tmp / f"{label}-worker{i}.log", "wb")  # noqa: SIM115
            procs.append(subprocess.Popen([GOVMON, "worker", "--broker", broker, "--db", db, "--queues", "inspect",
                                           "--concurrency", str(args.concurrency)], stdout=log, stderr=log))
        before = hits(worlds)
        command = [GOVMON, "inspect", "--db", db, "--registry", str(registry), "--as-of", AS_OF.isoformat(),
                   "--json", str(tmp / f"{label}.json")]
        if workers:
            command += ["--broker", broker]
        start = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
        wall = time.monotonic() - start
        if done.returncode != 0:
            raise SystemExit(f"{label}: govmon inspect failed: {done.stderr[-2000:]}")
        requests = hits(worlds) - before
        rss = [round(peak_rss_mb(p.pid)) for p in procs]
        return {"run": label, "workers": workers, "wall_s": round(wall, 1), "requests": requests,
                "requests_per_s": round(requests / wall), "peak_rss_mb_per_worker": rss}
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
        database(args.pg, name, drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", required=True, help="a PostgreSQL server URL (databases are created on it)")
    parser.add_argument("--copies", type=int, default=3, help="copies of the 33-site, 87-account city (3)")
    parser.add_argument("--concurrency", type=int, default=4, help="tasks at once per worker (4)")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--json", dest="json_out")
    args = parser.parse_args()
    server = shutil.which("redis-server")
    if server is None:
        raise SystemExit("redis-server not found (apt-get install -y redis-server)")
    tmp = Path(tempfile.mkdtemp(prefix="govmon-province-"))
    port = free_port()
    redis_proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                   "no", "--dir", str(tmp)], stdout=subprocess.DEVNULL)
    broker = f"redis://127.0.0.1:{port}/0"
    results = []
    try:
        with ExitStack() as stack:
            worlds = [stack.enter_context(serve_city(AS_OF)) for _ in range(args.copies)]
            text, n_sites, n_accounts = province_registry(worlds)
            registry = tmp / "registry.toml"
            registry.write_text(text, encoding="utf-8")
            print(f"province: {args.copies} cities, {n_sites} sites, {n_accounts} accounts; "
                  f"{args.concurrency} tasks at once per worker", flush=True)
            documents = {}
            for label, workers in (("single", 0), ("1-worker", 1), ("2-workers", 2)):
                results.append(run(label, workers, args, registry, broker, worlds, tmp))
                print(json.dumps(results[-1]), flush=True)
                documents[label] = json.loads((tmp / f"{label}.json").read_text(encoding="utf-8"))["summary"]
            same = documents["single"] == documents["1-worker"] == documents["2-workers"]
            print(f"summaries identical: {same}; queue cost: 1 worker takes "
                  f"{results[1]['wall_s'] / results[0]['wall_s']:.2f}× the single process's wall time; "
                  f"2 workers: {results[1]['wall_s'] / results[2]['wall_s']:.2f}× faster than 1", flush=True)
    finally:
        redis_proc.send_signal(signal.SIGTERM)
        redis_proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
