"""Publish one month's notice from the store: the one entry point for `govmon report`, the daemon and the demo.

Reads the month's finished inspection and up to ``[report] history_months`` earlier ones,
applies the review decisions in force (人工复核, ``monitor.judge.review``), builds the model, and writes ``{file_prefix}-{month}.{html,docx}`` into ``out_dir`` — and, when
the inspection left anything for a person to check (units not inspected, unread feeds, near
misses, suspected problems), the office's internal checklist ``{file_prefix}-{month}-核实清单.{html,docx}``.
A month issued with ``govmon notice issue`` keeps its date of issue and working-day deadline, and
the previous month's rectification cases decide who is 多次督促后仍未整改 (``reports.history``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from monitor.config.settings import Settings
from monitor.judge.review import apply_review
from monitor.model.errors import GovmonError, StorageError
from monitor.model.period import Period
from monitor.store.files import write_atomic
from monitor.store.store import Store

FORMATS = ("html", "docx")
REVIEW_SUFFIX = "核实清单"


def default_out_dir(settings: Settings) -> Path:
    """Where notices go unless told: ``[report] out_dir``, else ``<data_dir>/notices``."""
    if settings.report.out_dir:
        return Path(settings.report.out_dir).expanduser()
    return settings.general.resolved_data_dir() / "notices"


def check_formats(formats: Iterable[str]) -> list[str]:
    """Lower-cased, de-duplicated formats; an unknown one is an error naming it."""
    wanted = list(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise GovmonError(f"--format: unknown format {', '.join(unknown) or '(none)'} (known: {', '.join(FORMATS)})")
    return wanted


def stored_inspection(store: Store, month: str) -> dict[str, Any]:
    """The month's findings document; a clear error when the inspection is missing or unfinished."""
    document = store.inspection(month)
    if document is None:
        partial = len(store.results(month))
        hint = f" ({partial} target results stored but the inspection did not finish)" if partial else ""
        raise StorageError(f"{store.url}: no finished inspection stored for {month}{hint}; "
                           "run `govmon inspect` for that month first")
    return document


def reviewed_inspection(store: Store, month: str, settings: Settings) -> dict[str, Any]:
    """The month's findings document with the review decisions in force applied
    (``monitor.judge.review``): what the notice, the checklist and the workbench state."""
    return apply_review(stored_inspection(store, month), store.decisions(until_period=month), settings.scoring)


def history(store: Store, month: str, months: int, settings: Settings | None = None) -> list[dict[str, Any]]:
    """The stored inspections of up to ``months`` calendar months before ``month`` (reviewed when
    ``settings`` are given)."""
    found, period = [], Period.for_month(month)
    decisions = store.decisions(until_period=month) if settings is not None else []
    for _ in range(months):
        period = period.previous()
        document = store.inspection(period.month)
        if document is not None:
            found.append(apply_review(document, decisions, settings.scoring) if settings is not None else document)
    return found


def rectification(store: Store, month: str, settings: Settings) -> dict[tuple[str, str], Any]:
    """The cases of the notice before ``month`` by (kind, id), as the repeat rule reads them."""
    from reports.history import Rectified

    zone = settings.general.zone()
    out = {}
    for case in store.cases(period=Period.for_month(month).previous().month):
        decided = case.last_recheck()
        out[(case.kind, case.target_id)] = Rectified(
            case.state, decided.outcome if decided else None,
            decided.at.astimezone(zone).date().isoformat() if decided else "")
    return out


def render_month(store: Store, month: str, settings: Settings, out_dir: Path,
                 formats: Iterable[str] = FORMATS, *, doc_number: str | None = None,
                 issue_date: date | None = None) -> list[Path]:
    """Write the notice of ``month`` in each format, then the office's checklist when it has items;
    returns the written paths (notice files first, in format order)."""
    from reports.docx import render_docx, render_review_docx
    from reports.evidence import UnprovenStatement
    from reports.html import render_html, render_review_html
    from reports.model import build_report

    wanted = check_formats(formats)
    document = reviewed_inspection(store, month, settings)
    issued, deadline = store.notice_issue(month), None
    if issued is not None and issue_date in (None, issued.issued_on):
        issue_date, deadline = issued.issued_on, issued.deadline  # the notice as issued: its working-day deadline
    try:
        model = build_report(document, history=history(store, month, settings.report.history_months, settings),
                             settings=settings.report, doc_number=doc_number, issue_date=issue_date,
                             rectification=rectification(store, month, settings), deadline=deadline)
    except ValueError as exc:
        raise StorageError(f"{store.url}: stored inspection of {month}: {exc}") from None
    stem = f"{settings.report.file_prefix}-{month}"
    template = Path(settings.report.docx_template).expanduser() if settings.report.docx_template else None
    paths = []
    try:
        for fmt in wanted:
            content = render_html(model) if fmt == "html" else render_docx(model, template=template)
            paths.append(write_atomic(out_dir / f"{stem}.{fmt}", content, what=f"notice ({fmt.upper()})"))
        if not model.review.empty:
            for fmt in wanted:
                content = render_review_html(model) if fmt == "html" else render_review_docx(model, template=template)
                paths.append(write_atomic(out_dir / f"{stem}-{REVIEW_SUFFIX}.{fmt}", content,
                                          what=f"checklist ({fmt.upper()})"))
    except UnprovenStatement as exc:
        raise StorageError(f"{store.url}: stored inspection of {month}: {exc}") from None
    return paths
