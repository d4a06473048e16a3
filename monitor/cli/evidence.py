"""``govmon evidence --target ID --month YYYY-MM --warc OUT.warc.gz``: a unit's kept evidence as a WARC file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from monitor.cli.app import State, app, database_url, fail
from monitor.store.store import Store


@app.command("evidence")
def evidence(
    target: Annotated[str, typer.Option("--target", help="The site or account id of the registry.")],
    month: Annotated[str, typer.Option("--month", help="The inspected month, YYYY-MM.")],
    warc: Annotated[Path, typer.Option("--warc", help="The WARC file to write (.warc.gz).")],
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL or SQLite file (default: settings).")] = None,
) -> None:
    """Write a unit's evidence of --month (pages as fetched behind fault findings, veto screenshots) as WARC."""
    from monitor import __version__
    from monitor.run.warc import write_warc

    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise fail(f"--month: invalid month {month!r}: expected YYYY-MM")
    store = Store(database_url(db, State.settings()))
    try:
        pages = store.evidence(target, month)
    finally:
        store.close()
    if not pages:
        raise fail(f"no evidence kept for {target} in {month} (kept for fault findings only, "
                   f"for general.retention_months)")
    info = {"software": f"govmon {__version__}", "format": "WARC File Format 1.1", "isPartOf": f"govmon {month}",
            "description": f"Evidence of target {target} for {month}: pages as fetched behind fault findings"}
    count = write_warc(warc, pages, info)
    shots = sum(1 for p in pages if p.screenshot)
    typer.echo(f"{warc}: {len(pages)} page(s), {shots} screenshot(s), {count} WARC records")
