"""The notice as an HTML page ready to publish on a government website (notification-format.md §10).

jinja2's sandbox with autoescape and ``StrictUndefined``: every value is escaped, and a template that
names a field the model lacks fails loudly instead of printing nothing. The templates live
in ``templates/`` (``notice.html.j2``, the office's ``review.html.j2``, the shared table and
CSS); the renderer verifies the model's evidence and prepares the table rows (rowspans).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from reports.model import ReportModel
from reports.tables import Attachment

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True, slots=True)
class HtmlCell:
    lines: tuple[str, ...]
    rowspan: int
    align: str
    small: bool


def table_rows(attachment: Attachment) -> list[list[HtmlCell]]:
    """Rows of cells in column order; a unit's own cells appear once, on its first row, spanning the rest."""
    rows: list[list[HtmlCell]] = []
    spanning = [i for i, c in enumerate(attachment.columns) if not c.per_problem]
    per_problem = [i for i, c in enumerate(attachment.columns) if c.per_problem]
    for unit in attachment.units:
        height = max(1, len(unit.problems))
        for offset in range(height):
            cells: dict[int, HtmlCell] = {}
            values = unit.problems[offset] if offset < len(unit.problems) else ()
            for k, index in enumerate(per_problem):
                text = values[k] if k < len(values) else ""
                column = attachment.columns[index]
                cells[index] = HtmlCell(tuple(text.split("\n")) if text else (), 1, column.align, column.small)
            if offset == 0:
                for k, index in enumerate(spanning):
                    column = attachment.columns[index]
                    cells[index] = HtmlCell((unit.cells[k],), height, column.align, column.small)
            rows.append([cells[i] for i in sorted(cells)])
    return rows


def environment(directory: Path = TEMPLATES) -> jinja2.Environment:
    """The notice's template environment: Jinja's sandbox, every value escaped, undefined names fatal."""
    return SandboxedEnvironment(loader=jinja2.FileSystemLoader(str(directory)), undefined=jinja2.StrictUndefined,
                                autoescape=True, trim_blocks=True, lstrip_blocks=True)


def render_html(model: ReportModel) -> str:
    """The notice page; ``UnprovenStatement`` when a statement lacks the findings that prove it."""
    model.verify()
    template = environment().get_template("notice.html.j2")
    return template.render(model=model, tables=[(a, table_rows(a)) for a in model.attachments])


def render_review_html(model: ReportModel) -> str:
    """The office's checklist page (internal, ``noindex``), after the same verification."""
    model.verify()
    template = environment().get_template("review.html.j2")
    return template.render(review=model.review, sections=[(s, table_rows(s.table)) for s in model.review.sections])
