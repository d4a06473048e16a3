"""The notice as DOCX in the GB/T 9704 layout, filled into the Word template's Gov* styles.

The template (bundled ``templates/notice.docx`` or the user's ``[report] docx_template``)
brings the page, the grid, the styles and the footers; this module only adds paragraphs in
those styles. Every run also declares its font in all four slots with ``w:hint="eastAsia"``,
taken from its style in the template — so a user who restyles GovBody in Word still gets
their font, and Word never falls back to a Latin font for “ ” or digits.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from reports.build_template import TEMPLATE
from reports.docx_document import SPAN_STYLES, TYPE_AREA_PT, NoticeDocument
from reports.docx_table import add_attachment_table
from reports.layout import signature_indents
from reports.model import ReportModel
from reports.ooxml import RED, mm, set_border, set_indent, set_size, set_spacing
from reports.wording import text_width


def _letter_head(nd: NoticeDocument, model: ReportModel) -> None:
    """信函格式: red 标志 (no 文件), red thick-thin line 170 mm, 文号 flush right (§4.1)."""
    size = min(42.0, float(int(TYPE_AREA_PT / max(text_width(model.office), 1))))
    organ = nd.paragraph("GovOrgan")
    run = nd.run(organ, model.office)
    set_size(run._r.get_or_add_rPr(), size)
    ppr = organ._p.get_or_add_pPr()
    set_spacing(ppr, line=round(size * 30))
    set_indent(ppr, 16, left=-mm(7) / 320, right=-mm(7) / 320)
    set_border(ppr, "bottom", "thickThinSmallGap", 24, RED, 11)
    number = nd.paragraph("GovDocNumber", model.doc_number or "")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for _ in range(2):
        nd.blank()


def _file_head(nd: NoticeDocument, model: ReportModel) -> None:
    """文件格式: red 标志 + 文件 35 mm below the type area's top, 文号 centred over a red rule."""
    name = f"{model.office}文件"
    size = min(42.0, float(int(TYPE_AREA_PT / max(text_width(name), 1))))
    organ = nd.paragraph("GovOrgan")
    set_size(nd.run(organ, name)._r.get_or_add_rPr(), size)
    set_spacing(organ._p.get_or_add_pPr(), line=round(size * 30), before=mm(35))
    nd.blank()
    number = nd.paragraph("GovDocNumber", model.doc_number or "")
    set_border(number._p.get_or_add_pPr(), "bottom", "single", 12, RED, 11)
    for _ in range(2):
        nd.blank()


def _first_page_red_line(nd: NoticeDocument) -> None:
    """The letter format's second double line, 20 mm above the paper's bottom edge, first page only."""
    footer = nd.doc.sections[0].first_page_footer
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    ppr = paragraph._p.get_or_add_pPr()
    set_spacing(ppr, line=40, after=mm(3))
    set_indent(ppr, 16, left=-mm(7) / 320, right=-mm(7) / 320)
    set_border(ppr, "top", "thinThickSmallGap", 24, RED, 0)


def _title(nd: NoticeDocument, model: ReportModel) -> None:
    title = nd.paragraph("GovTitle")
    for index, line in enumerate(model.title_lines):
        run = nd.run(title, line)
        if index < len(model.title_lines) - 1:
            run.add_break()
    if model.head == "none" and model.doc_number:
        nd.paragraph("GovDocNumber", model.doc_number)


def _body(nd: NoticeDocument, model: ReportModel) -> None:
    nd.paragraph("GovRecipients", model.recipients)
    styles = {"heading1": "GovHeading1", "heading2": "GovHeading2", "body": "GovBody"}
    for para in model.paragraphs:
        paragraph = nd.paragraph(styles.get(para.role, "GovBody"))
        for span in para.spans:
            nd.run(paragraph, span.text, SPAN_STYLES.get(span.role))


def _closing(nd: NoticeDocument, model: ReportModel) -> None:
    """附件说明, 署名, 成文日期, 附注 — kept on one page with the body's last line (keep with next),
    so the signature never stands alone on a new page (§4.6)."""
    chain = [nd.doc.paragraphs[-1]]
    if model.attachment_note:
        chain.append(nd.blank())
        for line in model.attachment_note:
            chain.append(nd.paragraph("GovAttachNote", line.text))
            set_indent(chain[-1]._p.get_or_add_pPr(), 16, left=line.left, first=line.first_line)
    chain.append(nd.blank())
    chain.append(nd.paragraph("GovSignature", model.signature))
    set_indent(chain[-1]._p.get_or_add_pPr(), 16, right=model.signature_indent.signature)
    chain.append(nd.paragraph("GovDate", model.date_text))
    set_indent(chain[-1]._p.get_or_add_pPr(), 16, right=model.signature_indent.date)
    if model.disclosure:
        chain.append(nd.paragraph("GovNote", model.disclosure))
    for paragraph in chain[:-1]:
        paragraph.paragraph_format.keep_with_next = True


def render_docx(model: ReportModel, *, template: Path | None = None) -> bytes:
    """The notice as a .docx file's bytes, from ``template`` (default: the bundled one);
    ``UnprovenStatement`` when a statement lacks the findings that prove it."""
    model.verify()
    nd = NoticeDocument(template or TEMPLATE)
    if model.head == "letter":
        _letter_head(nd, model)
        _first_page_red_line(nd)
    elif model.head == "file":
        _file_head(nd, model)
    _title(nd, model)
    nd.blank()
    _body(nd, model)
    _closing(nd, model)
    for attachment in model.attachments:
        nd.paragraph("GovAttachLabel", attachment.label)
        nd.blank()
        nd.paragraph("GovAttachTitle", attachment.title)
        add_attachment_table(nd, attachment)
    props = nd.doc.core_properties
    props.title, props.author, props.subject = model.title, model.office, model.doc_number or ""
    return _saved(nd)


def render_review_docx(model: ReportModel, *, template: Path | None = None) -> bytes:
    """The office's checklist as .docx bytes: marking top left (where 密级 stands), title, lead,
    one 一、 section with its table per kind of item, 署名, date and （此件不公开）; no 版头."""
    model.verify()
    review = model.review
    nd = NoticeDocument(template or TEMPLATE)
    nd.paragraph("GovAttachLabel", review.marking)
    nd.blank()
    title = nd.paragraph("GovTitle")
    for index, line in enumerate(review.title_lines):
        run = nd.run(title, line)
        if index < len(review.title_lines) - 1:
            run.add_break()
    nd.blank()
    nd.paragraph("GovBody", review.lead)
    for section in review.sections:
        nd.blank()
        nd.paragraph("GovHeading1", section.heading).paragraph_format.keep_with_next = True
        nd.paragraph("GovBody", section.lead).paragraph_format.keep_with_next = True
        add_attachment_table(nd, section.table)
    nd.blank()
    indents = signature_indents(review.office, review.date_text)
    signature = nd.paragraph("GovSignature", review.office)
    set_indent(signature._p.get_or_add_pPr(), 16, right=indents.signature)
    signature.paragraph_format.keep_with_next = True
    day = nd.paragraph("GovDate", review.date_text)
    set_indent(day._p.get_or_add_pPr(), 16, right=indents.date)
    day.paragraph_format.keep_with_next = True
    nd.paragraph("GovNote", review.disclosure)
    props = nd.doc.core_properties
    props.title, props.author, props.subject = review.title, review.office, review.marking
    return _saved(nd)


def _saved(nd: NoticeDocument) -> bytes:
    buffer = io.BytesIO()
    nd.doc.save(buffer)
    return buffer.getvalue()
