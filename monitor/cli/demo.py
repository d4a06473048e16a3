"""``govmon demo``: the whole product on a simulated city, with no real site involved.

Serves the bundled simulated government web of 阳泉市 on 127.0.0.1, writes its registry,
inspects August 2021 (as of 2021-08-31) and September 2021 (as of 2021-09-30) — with the
daemon's weekly probes and feed polls simulated before each (see ``monitor.sandbox.city_demo``)
— and renders both notices (HTML and DOCX). Everything goes to ``--out`` (default
``./govmon-demo``), whose database is recreated on every run so the demo is repeatable.
``--keep`` leaves the city served afterwards (until Ctrl-C) to try ``govmon check`` on it.
The servers are stopped however the run ends.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console

from monitor.cli.app import State, app, database_url, fail
from monitor.cli.inspect import LiveInspectProgress, print_summary
from monitor.run.inspect import InspectProgress
from monitor.sandbox.city_demo import DEMO_AS_OF, run_demo
from monitor.sandbox.server import RunningWorld
from monitor.store.store import Store

if TYPE_CHECKING:
    from monitor.sandbox.server import RunningWorld

DEFAULT_OUT = Path("govmon-demo")


def _fresh_sqlite(out: Path) -> str:
    """The demo's own database in ``out``, removed first so every run starts empty."""
    db = (out / "govmon.db").resolve()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{db}"


def _check_empty(url: str) -> None:
    """A database the user names must not hold the demo months already (results would be reused)."""

    store = Store(url)
    try:
        taken = [as_of for as_of in DEMO_AS_OF if store.results(f"{as_of:%Y-%m}")]
    finally:
        store.close()
    if taken:
        raise fail(f"--db {url} already holds results for {', '.join(f'{d:%Y-%m}' for d in taken)}; "
                   "give an empty database (or leave --db out to use a fresh one in --out)")


def _keep_serving(console: Console) -> Callable[[RunningWorld], None]:
    """Block until Ctrl-C, with the city still served (``--keep``)."""

    def wait(world: RunningWorld) -> None:
        portal = world.bases.get("site1403000001", "")
        console.print(f"The simulated city stays up (e.g. the city portal at {portal}/); Ctrl-C to stop.")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            console.print("Stopping the simulated city.")
    return wait


@app.command("demo")
def demo(
    out: Annotated[Path, typer.Option("--out", help="Directory for the registry, database, findings and notices.")] = DEFAULT_OUT,
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL or SQLite file (default: a fresh one in --out).")] = None,
    keep: Annotated[bool, typer.Option("--keep", help="Keep serving the simulated city after the run, until Ctrl-C.")] = False,
) -> None:
    """Inspect a simulated city (阳泉市, August and September 2021) and write both notices."""

    settings = State.settings()
    console = Console(stderr=True)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(f"--out {out}: {exc.strerror}") from None
    if db is None:
        url = _fresh_sqlite(out)
    else:
        url = database_url(db, settings)
        _check_empty(url)
    live = sys.stderr.isatty()

    def progress(label: str) -> InspectProgress:
        return LiveInspectProgress(label, console) if live else InspectProgress()

    months = run_demo(out, url, settings, say=lambda text: console.print(text, markup=False, highlight=False),
                      progress=progress, keep=_keep_serving(console) if keep else None)
    stdout = Console()
    for month in months:
        print_summary(month.document, stdout)
        for path in month.files:
            stdout.print(f"  {path}", markup=False, highlight=False)
    console.print(f"Review the findings in the browser: govmon serve --db {url}", markup=False, highlight=False)
