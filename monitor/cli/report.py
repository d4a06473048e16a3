"""``govmon report``: render a month's notice (通报) as HTML and/or DOCX from stored results only.

The month must have a finished inspection in the store (``govmon inspect`` writes it); earlier
months' inspections supply the repeat offenders. Nothing is fetched and the clock is not read:
the date of issue is ``--issue-date`` or the inspection's as-of + ``[report] issue_offset_days``.
Bad options and a month without a finished inspection raise ``GovmonError`` (one line, exit code 2).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from monitor.cli.app import State, app, database_url
from monitor.config.settings import Settings
from monitor.model.errors import GovmonError
from monitor.run.report import default_out_dir
from monitor.store.store import Store


def _out_dir(out: Path | None, settings: Settings) -> Path:
    return out if out is not None else default_out_dir(settings)


@app.command("report")
def report(
    month: Annotated[str, typer.Option("--month", help="Month to report, YYYY-MM.")],
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: html, docx.")] = "html,docx",
    out: Annotated[Optional[Path], typer.Option("--out", help="Output directory.")] = None,
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL (default: from settings).")] = None,
    doc_number: Annotated[Optional[str], typer.Option("--doc-number", help="文号, e.g. 阳政办函〔2021〕151号.")] = None,
    issue_date: Annotated[Optional[str], typer.Option("--issue-date", help="成文日期, YYYY-MM-DD.")] = None,
) -> None:
    """Render the monthly notice (通报) from the stored inspection of --month."""
    from monitor.run.report import check_formats, render_month

    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise GovmonError(f"--month: invalid month {month!r}: expected YYYY-MM")
    wanted = check_formats(formats.split(","))
    try:
        issued = date.fromisoformat(issue_date) if issue_date else None
    except ValueError:
        raise GovmonError(f"--issue-date: invalid date {issue_date!r}: expected YYYY-MM-DD") from None
    settings = State.settings()
    store = Store(database_url(db, settings))
    try:
        paths = render_month(store, month, settings, _out_dir(out, settings), wanted,
                             doc_number=doc_number, issue_date=issued)
    finally:
        store.close()
    for path in paths:
        typer.echo(str(path))
