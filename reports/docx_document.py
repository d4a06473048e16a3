"""A notice template being filled: the bundled or the office's own .docx, its named styles checked,
paragraphs and runs added in those styles with their fonts declared (WPS and Word agree then)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from monitor.model.errors import ConfigError
from reports.build_template import FANGSONG
from reports.ooxml import set_fonts

REQUIRED_STYLES = ("GovBody", "GovTitle", "GovRecipients", "GovHeading1", "GovHeading2", "GovAttachNote",
                   "GovSignature", "GovDate", "GovNote", "GovOrgan", "GovDocNumber", "GovAttachLabel",
                   "GovAttachTitle", "GovTableHeader", "GovTableText", "GovTableSmall", "GovHeading2Char",
                   "GovStrong", "GovTable", "GovPageNumber")
SPAN_STYLES = {"heading2": "GovHeading2Char", "strong": "GovStrong"}
TYPE_AREA_PT = 442.0


class NoticeDocument:
    """A loaded template being filled: paragraphs in named styles, fonts declared per run."""

    def __init__(self, template: Path) -> None:
        try:
            self.doc: DocumentObject = Document(str(template))
        except Exception as exc:  # python-docx raises several types for a bad package
            raise ConfigError(f"report.docx_template: cannot open {template}: {exc}") from None
        names = {s.name for s in self.doc.styles}
        missing = [n for n in REQUIRED_STYLES if n not in names]
        if missing:
            raise ConfigError(f"report.docx_template: {template} lacks the style(s) {', '.join(missing)}")
        body = self.doc.element.body
        for element in list(body):
            if element.tag != qn("w:sectPr"):
                body.remove(element)

    def font(self, style_name: str) -> str:
        """The East Asian font a style declares, following its base styles."""
        style = self.doc.styles[style_name]
        while style is not None:
            rpr = style.element.rPr
            fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
            if fonts is not None and fonts.get(qn("w:eastAsia")):
                return str(fonts.get(qn("w:eastAsia")))
            style = style.base_style
        return FANGSONG

    def run(self, paragraph: DocxParagraph, text: str, char_style: str | None = None):  # type: ignore[no-untyped-def]
        run = paragraph.add_run(text, style=char_style)
        set_fonts(run._r.get_or_add_rPr(), self.font(char_style or paragraph.style.name))
        return run

    def paragraph(self, style: str, text: str = "") -> DocxParagraph:
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            self.run(paragraph, text)
        return paragraph

    def blank(self) -> DocxParagraph:
        return self.doc.add_paragraph(style="GovBody")
