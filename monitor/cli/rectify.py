"""``govmon notice issue``, ``govmon rectification …`` and ``govmon recheck``: the rectification workflow.

Issuing is its own command, not a side effect of ``govmon report``: a report is rendered as often
as the office likes (drafts, a corrected 文号) and reads no clock, while issuing is one dated act by
a named person that opens the month's cases and starts their deadlines — done once, refused twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from monitor.cli.app import EXIT_FAILED, EXIT_NOT_INSPECTED, EXIT_OK, State, app, database_url, fail
from monitor.judge.rectification import OUTCOME_NAMES, STATE_NAMES, chinese_workday, working_days_left
from monitor.model.period import CHINA_TZ, parse_as_of
from monitor.store.rectification import Case
from monitor.store.store import Store

notice_app = typer.Typer(help="The monthly notice as an act: issue it (opens the rectification cases).",
                         no_args_is_help=True)
app.add_typer(notice_app, name="notice")
rect_app = typer.Typer(help="Rectification cases (整改): list, show, report fixed, close.", no_args_is_help=True)
app.add_typer(rect_app, name="rectification")

Db = Annotated[Optional[str], typer.Option("--db", help="Database URL or SQLite file (default: settings).")]
By = Annotated[str, typer.Option("--by", help="Who takes this step (recorded with it).")]
Note = Annotated[str, typer.Option("--note", help="A note recorded with the step.")]
Month = Annotated[Optional[str], typer.Option("--month", help="The notice's month, YYYY-MM (default: the latest case).")]
Target = Annotated[str, typer.Option("--target", help="The site or account id of the registry.")]


def _month(value: str | None) -> str | None:
    import re

    if value is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise fail(f"--month: invalid month {value!r}: expected YYYY-MM")
    return value


def _today() -> date:
    return datetime.now(CHINA_TZ).date()


def _store(db: str | None) -> Store:
    return Store(database_url(db, State.settings()))


@notice_app.command("issue")
def notice_issue(
    month: Annotated[str, typer.Option("--month", help="The inspected month, YYYY-MM.")],
    by: By,
    issued: Annotated[Optional[str], typer.Option("--date", help="Date of issue, YYYY-MM-DD (default: today).")] = None,
    note: Note = "",
    db: Db = None,
) -> None:
    """Record the notice of --month as issued: each failing unit gets a case and a deadline in working days."""
    from monitor.run.rectification import issue

    _month(month)
    try:
        day = parse_as_of(issued) if issued else _today()
    except ValueError as exc:
        raise fail(f"--date: {exc}") from None
    store = _store(db)
    try:
        notice, units = issue(store, month, State.settings(), by=by, issued_on=day, now=datetime.now(UTC), note=note)
    finally:
        store.close()
    typer.echo(f"{month}: issued {notice.issued_on}, deadline {notice.deadline} "
               f"({notice.working_days} working days); {len(units)} case(s) notified")
    for kind, target_id, detail in units:
        typer.echo(f"  {kind} {target_id} {detail.get('name', '')}: {len(detail.get('findings') or [])} fault finding(s)")


def _line(case: Case, today: date) -> str:
    deadline = case.deadline
    left = ""
    if deadline and case.state in ("notified", "reported_fixed", "not_fixed"):
        try:
            n = working_days_left(today, date.fromisoformat(deadline), chinese_workday)
            left = f", {n} working day(s) left" if n else ", deadline passed"
        except Exception:  # a year the calendar does not know: the deadline stands, the count is left out
            left = ""
    return f"{case.period} {case.kind} {case.target_id}: {case.state} ({STATE_NAMES[case.state]}), deadline {deadline}{left}"


@rect_app.command("list")
def rect_list(month: Month = None, db: Db = None) -> None:
    """Every case (of --month), with its state and deadline."""
    store = _store(db)
    try:
        cases = store.cases(period=_month(month))
    finally:
        store.close()
    today = _today()
    for case in cases:
        typer.echo(_line(case, today))
    if not cases:
        typer.echo("no rectification cases" + (f" for {month}" if month else ""))


@rect_app.command("show")
def rect_show(target: Target, month: Month = None, db: Db = None) -> None:
    """One unit's case: every recorded step (who, when, note)."""
    from monitor.run.rectification import open_case

    store = _store(db)
    try:
        case = open_case(store, target, _month(month))
    finally:
        store.close()
    typer.echo(_line(case, _today()))
    for e in case.events:
        outcome = f" [{OUTCOME_NAMES[e.outcome]}]" if e.outcome else ""
        typer.echo(f"  {e.at:%Y-%m-%d %H:%M} UTC  {e.action}: {e.from_state or '-'} → {e.to_state}{outcome}"
                   f"  by {e.by}  {e.note}")


def _step(action: str, target: str, month: str | None, by: str, note: str, db: str | None) -> None:
    from monitor.run.rectification import open_case

    store = _store(db)
    try:
        case = open_case(store, target, _month(month))
        event = store.record_event(case.period, case.kind, case.target_id, action, by=by,  # type: ignore[arg-type]
                                   at=datetime.now(UTC), note=note)
    finally:
        store.close()
    typer.echo(f"{case.period} {case.kind} {case.target_id}: {event.from_state} → {event.to_state}")


@rect_app.command("report-fixed")
def rect_report_fixed(target: Target, by: By, note: Note = "", month: Month = None, db: Db = None) -> None:
    """The unit reports its problems fixed (整改情况报送); a re-check decides whether they are."""
    _step("report_fixed", target, month, by, note, db)


@rect_app.command("close")
def rect_close(target: Target, by: By, note: Note = "", month: Month = None, db: Db = None) -> None:
    """Close a re-checked case (销号)."""
    _step("close", target, month, by, note, db)


@app.command("recheck")
def recheck_command(
    target: Target,
    by: Annotated[str, typer.Option("--by", help="Who asked for the re-check.")] = "govmon",
    month: Month = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Judge as of YYYY-MM-DD (default: today).")] = None,
    db: Db = None,
    registry: Annotated[Optional[Path], typer.Option("--registry", help="Registry file (default: settings).")] = None,
) -> None:
    """Re-check a notified unit now (复查) and record fixed / not fixed (exit 0 fixed, 1 not fixed, 4 not inspected)."""
    from monitor.cli.check import _registry, run_quietly
    from monitor.run.rectification import open_case, recheck

    settings = State.settings()
    try:
        day = parse_as_of(as_of) if as_of else _today()
    except ValueError as exc:
        raise fail(f"--as-of: {exc}") from None
    reg = _registry(registry, settings)
    if reg is None:
        raise fail(f"recheck needs a registry (--registry, or {settings.general.registry} in this folder)")
    store = _store(db)
    try:
        case = open_case(store, target, _month(month))
        done = run_quietly(recheck(store, settings, reg, case, by=by, now=datetime.now(UTC), as_of=day))
    finally:
        store.close()
    outcome = done.verdict.outcome
    typer.echo(f"{case.period} {case.kind} {case.target_id}: re-check {outcome} ({OUTCOME_NAMES[outcome]}): "
               f"{done.verdict.note}; state {done.case.state} ({STATE_NAMES[done.case.state]})")
    raise typer.Exit({"fixed": EXIT_OK, "not_fixed": EXIT_FAILED}.get(outcome, EXIT_NOT_INSPECTED))
