"""Build ``reports/templates/notice.docx``: the Word template of the notice (GB/T 9704 layout).

Run ``python -m reports.build_template [OUT]`` to rebuild it. The template holds no text, only
what a user may restyle in Word and pass back through ``[report] docx_template``: the page
(A4, margins 37/35/28/26 mm, line-only grid of 28.95 pt), the document defaults (仿宋_GB2312
3号), the named Gov* styles the renderer uses, the GovTable table style, and the footers with
``— N —`` page numbers (odd right, even left, none on the first page).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from reports.ooxml import (
    LINE_TWIPS,
    RED,
    add_page_field,
    child,
    mm,
    set_attrs,
    set_color,
    set_flag,
    set_fonts,
    set_indent,
    set_jc,
    set_size,
    set_spacing,
)

TEMPLATE = Path(__file__).resolve().parent / "templates" / "notice.docx"
FANGSONG, XBS, HEI, KAI, SONG = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
FOOTER_DISTANCE_MM = 17.0  # the red line of the letter format sits 20 mm above the paper's edge
PAGE_NUMBER_LIFT_MM = 8.0  # page numbers about 7 mm below the type area (§7)


@dataclass(frozen=True, slots=True)
class StyleSpec:
    name: str
    font: str
    size: float
    jc: str = "both"
    first_chars: float = 0.0
    line: int = LINE_TWIPS
    outline: int | None = None
    snap: bool = True
    color: str | None = None
    page_break: bool = False
    after: int = 0  # twips after the paragraph


PARAGRAPH_STYLES = (
    StyleSpec("GovBody", FANGSONG, 16, first_chars=2),
    StyleSpec("GovTitle", XBS, 22, jc="center", snap=False),
    StyleSpec("GovRecipients", FANGSONG, 16),
    StyleSpec("GovHeading1", HEI, 16, first_chars=2, outline=0),
    StyleSpec("GovHeading2", KAI, 16, first_chars=2, outline=1),
    StyleSpec("GovAttachNote", FANGSONG, 16),
    StyleSpec("GovSignature", FANGSONG, 16, jc="right"),
    StyleSpec("GovDate", FANGSONG, 16, jc="right"),
    StyleSpec("GovNote", FANGSONG, 16, first_chars=2),
    StyleSpec("GovOrgan", XBS, 42, jc="center", line=1260, snap=False, color=RED),
    StyleSpec("GovDocNumber", FANGSONG, 16, jc="center"),
    StyleSpec("GovAttachLabel", HEI, 16, jc="left", page_break=True),
    StyleSpec("GovAttachTitle", XBS, 22, jc="center", snap=False, after=290),
    StyleSpec("GovTableHeader", HEI, 12, jc="center", line=360, snap=False),
    StyleSpec("GovTableText", FANGSONG, 12, jc="left", line=360, snap=False),
    StyleSpec("GovTableSmall", FANGSONG, 10.5, jc="left", line=300, snap=False),
    StyleSpec("GovPageNumber", SONG, 14, jc="right", line=240, snap=False),
)
CHARACTER_STYLES = (("GovHeading2Char", KAI), ("GovStrong", FANGSONG))


def _defaults(doc: DocumentObject) -> None:
    """docDefaults and Normal: 仿宋_GB2312 16 pt, fixed 28.95 pt, no spacing, justified, no widow control."""
    styles = doc.styles.element
    defaults = child(styles, "w:docDefaults", before=("w:latentStyles", "w:style"))
    rpr = child(child(defaults, "w:rPrDefault"), "w:rPr")
    set_fonts(rpr, FANGSONG)
    set_size(rpr, 16)
    set_attrs(child(rpr, "w:lang"), val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr = child(child(defaults, "w:pPrDefault"), "w:pPr")
    set_spacing(ppr)
    normal = doc.styles["Normal"]
    npr = normal.element.get_or_add_pPr()
    set_flag(npr, "w:widowControl", False)
    set_spacing(npr)
    set_jc(npr, "both")
    nr = normal.element.get_or_add_rPr()
    set_fonts(nr, FANGSONG)
    set_size(nr, 16)


def _paragraph_style(doc: DocumentObject, spec: StyleSpec) -> None:
    style = doc.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    ppr = style.element.get_or_add_pPr()
    if spec.page_break:
        set_flag(ppr, "w:pageBreakBefore")
    set_flag(ppr, "w:widowControl", False)
    if not spec.snap:
        set_flag(ppr, "w:snapToGrid", False)
    set_spacing(ppr, line=spec.line, after=spec.after)
    set_indent(ppr, spec.size, first=spec.first_chars)
    set_jc(ppr, spec.jc)
    if spec.outline is not None:
        set_attrs(child(ppr, "w:outlineLvl"), val=spec.outline)
    rpr = style.element.get_or_add_rPr()
    set_fonts(rpr, spec.font)
    if spec.color:
        set_color(rpr, spec.color)
    set_size(rpr, spec.size)


def _table_style(doc: DocumentObject) -> None:
    """GovTable: ½ pt black single lines on every cell, 1 mm cell padding, centred."""
    style = doc.styles.add_style("GovTable", WD_STYLE_TYPE.TABLE)
    style.base_style = doc.styles["Normal Table"]
    tblpr = child(style.element, "w:tblPr")
    set_attrs(child(tblpr, "w:jc"), val="center")
    borders = child(tblpr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        set_attrs(child(borders, f"w:{side}"), val="single", sz=4, space=0, color="000000")
    margins = child(tblpr, "w:tblCellMar")
    for side, width in (("top", 28), ("left", 57), ("bottom", 28), ("right", 57)):
        set_attrs(child(margins, f"w:{side}"), w=width, type="dxa")


def _page_number_footer(footer, align: str) -> None:  # type: ignore[no-untyped-def]
    """``— N —`` in 宋体 4号, 1 character in from the outer edge (§7)."""
    paragraph = footer.paragraphs[0]
    paragraph.style = "GovPageNumber"
    ppr = paragraph._p.get_or_add_pPr()
    set_jc(ppr, align)
    set_indent(ppr, 14, left=1 if align == "left" else 0, right=1 if align == "right" else 0)
    set_spacing(ppr, line=240, rule="auto", after=mm(PAGE_NUMBER_LIFT_MM))

    def run() -> object:
        r = paragraph._p.add_r()
        set_fonts(r.get_or_add_rPr(), SONG)
        return r

    paragraph.add_run("— ")
    add_page_field(paragraph._p, run)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        set_fonts(r._r.get_or_add_rPr(), SONG)


def _section(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(FOOTER_DISTANCE_MM)
    section.different_first_page_header_footer = True
    doc.settings.odd_and_even_pages_header_footer = True
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    for key in list(grid.attrib):
        del grid.attrib[key]
    set_attrs(grid, type="lines", linePitch=LINE_TWIPS)
    _page_number_footer(section.footer, "right")
    _page_number_footer(section.even_page_footer, "left")
    first = section.first_page_footer.paragraphs[0]
    first.style = "GovPageNumber"


def build_template(out: Path = TEMPLATE) -> Path:
    """Write the template; returns its path."""
    doc = Document()
    body = doc.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    _defaults(doc)
    for spec in PARAGRAPH_STYLES:
        _paragraph_style(doc, spec)
    for name, font in CHARACTER_STYLES:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        rpr = style.element.get_or_add_rPr()
        set_fonts(rpr, font)
        if name == "GovStrong":
            rpr.insert(1, OxmlElement("w:b"))
    _table_style(doc)
    _section(doc)
    props = doc.core_properties
    props.title, props.author, props.comments = "通报模板", "govmon", "GB/T 9704-2012 layout; restyle the Gov* styles."
    props.revision = 1
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


if __name__ == "__main__":
    print(build_template(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE))
