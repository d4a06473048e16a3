"""``govmon daemon`` and ``govmon status``."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from rich.console import Console
from rich.table import Table

from monitor.cli.app import State, app, database_url
from monitor.model.period import Period
from monitor.registry.model import load_registry
from monitor.run import logs
from monitor.run.daemon import JOB_TABLE, Daemon
from monitor.store.store import Store

RegistryOpt = Annotated[Optional[Path], typer.Option("--registry", help="Registry file (default: settings general.registry).")]
DbOpt = Annotated[Optional[str], typer.Option("--db", help="Database URL (default: settings).")]


@app.command()
def daemon(
    registry: RegistryOpt = None,
    db: DbOpt = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Where monthly notices are written.")] = None,
    log_json: Annotated[bool, typer.Option("--log-json", help="Structured JSON log lines.")] = False,
    run_now: Annotated[Optional[list[str]], typer.Option("--run-now", help="Also run this job at start (monthly, snapshot, feeds, prune).")] = None,
    broker: Annotated[Optional[str], typer.Option("--broker", help="Redis URL: put probes and feed polls on the "
                                                  "queue for `govmon worker`s instead of running them here.")] = None,
) -> None:
    """Run the scheduled monitor: probes, feed polling, daily snapshots, the monthly inspection and notice."""
    settings = State.settings()
    logs.configure(json_lines=log_json or settings.daemon.log_json)
    reg_path = registry or Path(settings.general.registry)
    reg = load_registry(reg_path)
    store = Store(database_url(db, settings))
    for kind in run_now or []:
        if kind not in ("monthly", "snapshot", "feeds", "prune"):
            raise typer.BadParameter(f"unknown job {kind!r} (monthly, snapshot, feeds, prune)", param_hint="--run-now")
    if broker is not None:
        from monitor.run.broker import redis_client
        redis_client(broker).close()  # a wrong URL is one line now, not a failed job every hour
    runner = Daemon(settings, reg, store, registry_path=reg_path, out_dir=out, run_now=tuple(run_now or ()),
                    broker=broker)
    code = asyncio.run(runner.run())
    store.close()
    raise typer.Exit(code)


def _next_runs(store: Store) -> dict[str, Any]:
    jobstore = SQLAlchemyJobStore(engine=store.engine, tablename=JOB_TABLE)
    try:
        jobs = jobstore.get_all_jobs()
    except Exception:  # no table yet: the daemon never ran on this database
        return {}
    out: dict[str, Any] = {}
    for job in jobs:
        kind = job.id.split(":", 1)[0]
        when = job.next_run_time
        if when is not None and (kind not in out or out[kind] is None or when < out[kind]):
            out[kind] = when
    return out


def status_data(store: Store, registry: Any, now: datetime, tz: str) -> dict[str, Any]:
    """Next run and last outcome of each job; probes and posts gathered this month."""
    from zoneinfo import ZoneInfo

    period = Period.for_as_of(now.astimezone(ZoneInfo(tz)).date())
    start, end = period.start_at(ZoneInfo(tz)), period.as_of_end(ZoneInfo(tz))
    nxt, last = _next_runs(store), store.last_job_runs()
    jobs = {}
    for kind in sorted(set(nxt) | set(last)):
        row = last.get(kind)
        jobs[kind] = {
            "next_run": nxt[kind].isoformat() if nxt.get(kind) else None,
            "last_run": None if row is None else {"job": row.job, "run": row.run_key, "outcome": row.outcome,
                                                  "started_at": row.started_at.isoformat(), "detail": row.detail},
        }
    probes, posts = store.probe_counts(start, end), store.post_counts(start, end)
    sites = {s.id: {"name": s.name, "probes": probes.get(s.id, (0, 0))[0], "failed": probes.get(s.id, (0, 0))[1]}
             for s in registry.sites}
    accounts = {a.id: {"name": a.name, "posts": posts.get(a.id, 0)} for a in registry.accounts}
    return {"now": now.isoformat(timespec="seconds"), "period": period.month, "jobs": jobs,
            "probes_total": sum(v["probes"] for v in sites.values()),
            "posts_total": sum(v["posts"] for v in accounts.values()), "sites": sites, "accounts": accounts}


@app.command()
def status(registry: RegistryOpt = None, db: DbOpt = None,
           as_json: Annotated[bool, typer.Option("--json", help="Machine-readable, per site and account.")] = False) -> None:
    """Show each job's next run and last outcome, and the data gathered this month."""
    settings = State.settings()
    reg = load_registry(registry or Path(settings.general.registry))
    store = Store(database_url(db, settings))
    data = status_data(store, reg, datetime.now(UTC), settings.general.timezone)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console = Console()
    table = Table(title=f"govmon status — {data['period']}")
    for col in ("job", "next run", "last run", "outcome", "detail"):
        table.add_column(col)
    for kind, job in data["jobs"].items():
        last = job["last_run"] or {}
        table.add_row(kind, job["next_run"] or "-", last.get("started_at", "-"), last.get("outcome", "-"),
                      (last.get("detail") or "")[:60])
    console.print(table)
    console.print(f"this month: {data['probes_total']} probes of {len(data['sites'])} sites, "
                  f"{data['posts_total']} posts of {len(data['accounts'])} accounts")
