"""``govmon inspect``: the monthly inspection of every registry target; prints the summary.

The period is the calendar month of ``--as-of`` up to that day (default: yesterday in the
``[general]`` time zone; the clock is read here, the inspection takes the day and ``now`` as
arguments). Results are stored target by target, so an interrupted run picks up where it stopped. Exit 0 when the
inspection ran (failing targets are the notice's business, not an error); 2 on bad input.
"""

from __future__ import annotations

import asyncio
import sys
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from monitor.cli.app import State, app, database_url, fail, write_json
from monitor.config.settings import Settings
from monitor.crawl.progress import RichBar
from monitor.model.document import FAIL, NOT_INSPECTED, verdict_of
from monitor.model.period import Period, parse_as_of
from monitor.registry.model import Registry, load_registry
from monitor.run.inspect import InspectProgress, inspect
from monitor.store.store import Store


class LiveInspectProgress(RichBar, InspectProgress):
    """A rich bar of finished targets with page/link counters, on stderr."""

    def __init__(self, label: str, console: Console | None = None) -> None:
        InspectProgress.__init__(self)
        self._bar_setup(label, console, "pages {task.fields[pages]} · links {task.fields[links]} · "
                        "[red]dead {task.fields[dead]}[/] · failing {task.fields[failing]} · "
                        "not inspected {task.fields[missed]}",
                        {"pages": 0, "links": 0, "dead": 0, "failing": 0, "missed": 0})

    def changed(self) -> None:
        if hasattr(self, "_task"):
            self._bar.update(self._task, total=self.targets or None, completed=self.finished, pages=self.pages,
                             links=self.links, dead=self.errors, failing=len(self.failed),
                             missed=len(self.not_inspected))


def registry_from(path: Path | None, settings: Settings) -> Registry:
    return load_registry(path if path is not None else Path(settings.general.registry))


def registry_text(path: Path | None, settings: Settings) -> str:
    """The registry file's text, as workers receive it through the broker."""
    return (path if path is not None else Path(settings.general.registry)).read_text(encoding="utf-8")


def print_summary(document: dict[str, Any], console: Console | None = None) -> None:
    """Totals, pass rates and the failing (or not inspected) targets with their reasons."""
    out = console or Console()
    s = document["summary"]
    table = Table(title=f"Inspection {document['period']} (as of {document['as_of']})", title_justify="left")
    for name in ("", "total", "checked", "failed", "not inspected", "pass rate"):
        table.add_column(name, justify="left" if not name else "right")
    for kind, label in (("sites", "政府网站 sites"), ("accounts", "政务新媒体 accounts")):
        rate = s.get(f"{kind}_pass_rate")
        table.add_row(label, str(s[f"{kind}_total"]), str(s[f"{kind}_checked"]), str(s[f"{kind}_failed"]),
                      str(s[f"{kind}_not_inspected"]), "—" if rate is None else f"{rate:.1f}%")
    out.print(table)
    out.print("pass rate = (checked − failed) / checked; targets not inspected (未能完成检查) are outside both",
              style="dim")
    flagged = [t for kind in ("sites", "accounts") for t in document[kind]
               if verdict_of(t) in (FAIL, NOT_INSPECTED)]
    if flagged:
        names = Table(show_header=True, box=None, pad_edge=False)
        for name in ("", "name", "id", "reason"):
            names.add_column(name, overflow="fold")
        for target in flagged:
            mark = "[red]不合格[/]" if verdict_of(target) == FAIL else "[yellow]未能完成检查[/]"
            reason = (target.get("reason") or "").removeprefix("不合格：").removeprefix("未能完成检查：")
            names.add_row(mark, escape(target["name"]), escape(target["id"]), escape(reason))
        out.print(names)


def default_as_of(settings: Settings) -> date:
    """Yesterday in the inspection time zone."""
    return datetime.now(settings.general.zone()).date() - timedelta(days=1)


@app.command("inspect")
def inspect_command(
    registry: Annotated[Optional[Path], typer.Option("--registry", help="Registry file (default: settings).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Judge as of YYYY-MM-DD (default: yesterday, China time).")] = None,
    json_out: Annotated[Optional[str], typer.Option("--json", help="Write the findings document to FILE ('-' = stdout).")] = None,
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL or SQLite file (default: settings).")] = None,
    broker: Annotated[Optional[str], typer.Option("--broker", help="Redis URL: enqueue the targets for `govmon worker`s "
                                                  "and wait for them (default: inspect in this process).")] = None,
    timeout: Annotated[Optional[float], typer.Option("--timeout", help="With --broker: give up after SECONDS "
                                                     "(stored targets are reused next time).")] = None,
) -> None:
    """Inspect every site and account of the registry for the month of as-of; resumes when interrupted."""
    settings = State.settings()
    try:
        day = parse_as_of(as_of) if as_of is not None else default_as_of(settings)
    except ValueError as exc:
        raise fail(f"--as-of: {exc}") from None
    reg = registry_from(registry, settings)
    store = Store(database_url(db, settings))
    quiet = json_out == "-" or not sys.stderr.isatty()
    progress = InspectProgress() if quiet else LiveInspectProgress(f"inspect {day:%Y-%m}")
    try:
        with progress if isinstance(progress, LiveInspectProgress) else nullcontext():
            if broker is None:
                document = asyncio.run(inspect(reg, settings=settings, store=store, period=Period.for_as_of(day),
                                               now=datetime.now(UTC), progress=progress))
            else:
                from monitor.run.distribute import inspect_on_queue
                document = inspect_on_queue(reg, registry_text(registry, settings), settings=settings, store=store,
                                            period=Period.for_as_of(day), now=datetime.now(UTC), broker_url=broker,
                                            progress=progress, timeout_s=timeout)
    finally:
        store.close()
    if json_out is not None:
        write_json(json_out, document)
    if json_out != "-":
        print_summary(document)
