"""An attachment table in DOCX: the GovTable style, 156 mm wide with fixed column widths,
the header row repeated on every page, rows kept whole, unit cells spanning their problem rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import _Cell, _Row

from reports.ooxml import child, mm, set_attrs
from reports.tables import Attachment, Column

if TYPE_CHECKING:
    from reports.docx_document import NoticeDocument

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}


def _row_flags(row: _Row, header: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    set_attrs(child(trpr, "w:cantSplit"), val="1")
    if header:
        set_attrs(child(trpr, "w:tblHeader"), val="1")


def _fill(nd: NoticeDocument, cell: _Cell, text: str, style: str, align: str) -> None:
    """One paragraph per line of ``text`` (evidence URLs are one per line)."""
    lines = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    first.style = style
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph(style=style)
        paragraph.alignment = ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT)
        if line:
            nd.run(paragraph, line)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _text_style(column: Column) -> str:
    return "GovTableSmall" if column.small else "GovTableText"


def _fixed_layout(table, columns: tuple[Column, ...]) -> None:  # type: ignore[no-untyped-def]
    tblpr = table._tbl.tblPr
    set_attrs(child(tblpr, "w:tblW"), w=mm(sum(c.width_mm for c in columns)), type="dxa")
    set_attrs(child(tblpr, "w:tblLayout"), type="fixed")
    grid = table._tbl.tblGrid
    for col, spec in zip(grid.findall(qn("w:gridCol")), columns, strict=True):
        col.set(qn("w:w"), str(mm(spec.width_mm)))


def add_attachment_table(nd: NoticeDocument, attachment: Attachment) -> None:
    """Append the attachment's table after its title."""
    columns = attachment.columns
    rows = 1 + sum(max(1, len(unit.problems)) for unit in attachment.units)
    table = nd.doc.add_table(rows=rows, cols=len(columns))
    table.style = nd.doc.styles["GovTable"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fixed_layout(table, columns)
    for row in table.rows:
        for cell, column in zip(row.cells, columns, strict=True):
            cell.width = Mm(column.width_mm)
    header = table.rows[0]
    _row_flags(header, header=True)
    for cell, column in zip(header.cells, columns, strict=True):
        _fill(nd, cell, column.title, "GovTableHeader", "center")
    spanning = [i for i, c in enumerate(columns) if not c.per_problem]
    per_problem = [i for i, c in enumerate(columns) if c.per_problem]
    at = 1
    for unit in attachment.units:
        height = max(1, len(unit.problems))
        for offset in range(height):
            row = table.rows[at + offset]
            _row_flags(row)
            values = unit.problems[offset] if offset < len(unit.problems) else ()
            for k, index in enumerate(per_problem):
                text = values[k] if k < len(values) else ""
                _fill(nd, row.cells[index], text, _text_style(columns[index]), columns[index].align)
        for k, index in enumerate(spanning):
            top = table.cell(at, index)
            _fill(nd, top, unit.cells[k], _text_style(columns[index]), columns[index].align)
            if height > 1:
                top.merge(table.cell(at + height - 1, index))
        at += height
