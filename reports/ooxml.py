"""Small WordprocessingML helpers python-docx has no API for (fonts per slot, borders,
fields, grid and indents in character units), shared by the template builder and the renderer.

Units: twips (1/20 pt) for spacing and indents, eighths of a point for border widths,
half-points for font sizes (notification-format.md §1).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

TWIPS_PER_MM = 56.6929
LINE_TWIPS = 579  # fixed line spacing 28.95 pt, 22 lines in the 225 mm type area (§2)
RED = "FF0000"

FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


def mm(value: float) -> int:
    """Millimetres → twips."""
    return round(value * TWIPS_PER_MM)


def child(parent: BaseOxmlElement, tag: str, before: tuple[str, ...] = ()) -> BaseOxmlElement:
    """The first ``tag`` child of ``parent``, created (before any of ``before``, else appended) when missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    element = OxmlElement(tag)
    for name in before:
        anchor = parent.find(qn(name))
        if anchor is not None:
            anchor.addprevious(element)
            return element
    parent.append(element)
    return element


def set_attrs(element: BaseOxmlElement, **attrs: str | int) -> BaseOxmlElement:
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def set_fonts(rpr: BaseOxmlElement, font: str) -> None:
    """Declare ``font`` in every slot — ascii, hAnsi, eastAsia, cs — with ``w:hint="eastAsia"`` so
    ambiguous-width characters (“ ” — …) are drawn with the Chinese font (§5, §8.1)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        style = rpr.find(qn("w:rStyle"))  # rFonts comes right after rStyle, before everything else
        rpr.insert(0 if style is None else 1, fonts)
    for slot in FONT_SLOTS:
        fonts.set(qn(slot), font)
    fonts.set(qn("w:hint"), "eastAsia")


def set_size(rpr: BaseOxmlElement, points: float) -> None:
    half = str(round(points * 2))
    set_attrs(child(rpr, "w:sz", before=("w:szCs", "w:lang")), val=half)
    set_attrs(child(rpr, "w:szCs", before=("w:lang",)), val=half)


def set_color(rpr: BaseOxmlElement, color: str) -> None:
    set_attrs(child(rpr, "w:color", before=("w:sz", "w:szCs", "w:lang")), val=color)


PPR_ORDER = ("w:keepNext", "w:pageBreakBefore", "w:widowControl", "w:pBdr", "w:tabs", "w:snapToGrid",
             "w:spacing", "w:ind", "w:jc", "w:outlineLvl")


def _ppr_child(ppr: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    later = PPR_ORDER[PPR_ORDER.index(tag) + 1:] + ("w:rPr", "w:sectPr", "w:pPrChange")
    return child(ppr, tag, before=later)


def set_spacing(ppr: BaseOxmlElement, line: int = LINE_TWIPS, rule: str = "exact", before: int = 0,
                after: int = 0) -> None:
    set_attrs(_ppr_child(ppr, "w:spacing"), before=before, after=after, line=line, lineRule=rule)


def set_indent(ppr: BaseOxmlElement, font_pt: float, *, left: float = 0, right: float = 0,
               first: float = 0) -> None:
    """Indents in characters of ``font_pt``: the *Chars attributes (1/100 char) for Word and WPS plus
    twips for renderers that ignore them (LibreOffice); ``first`` < 0 is a hanging indent."""
    ind = _ppr_child(ppr, "w:ind")
    for key in list(ind.attrib):
        del ind.attrib[key]
    char = font_pt * 20
    attrs: dict[str, int] = {"left": round(left * char), "leftChars": round(left * 100),
                             "right": round(right * char), "rightChars": round(right * 100)}
    if first >= 0:
        attrs |= {"firstLine": round(first * char), "firstLineChars": round(first * 100)}
    else:
        attrs |= {"hanging": round(-first * char), "hangingChars": round(-first * 100)}
    set_attrs(ind, **attrs)


def set_jc(ppr: BaseOxmlElement, value: str) -> None:
    set_attrs(_ppr_child(ppr, "w:jc"), val=value)


def set_flag(ppr: BaseOxmlElement, tag: str, on: bool = True) -> None:
    """A boolean paragraph property: ``w:snapToGrid``, ``w:widowControl``, ``w:pageBreakBefore``, ``w:keepNext``."""
    set_attrs(_ppr_child(ppr, tag), val="1" if on else "0")


def set_border(ppr: BaseOxmlElement, side: str, style: str, size: int, color: str, space: int) -> None:
    """A paragraph border (``side`` = top/bottom); ``size`` in eighths of a point, ``space`` in points."""
    borders = _ppr_child(ppr, "w:pBdr")
    set_attrs(child(borders, f"w:{side}"), val=style, sz=size, space=space, color=color)


def add_page_field(paragraph_element: BaseOxmlElement, make_run) -> None:  # type: ignore[no-untyped-def]
    """``PAGE`` as a complex field: begin / instruction / separate / placeholder / end runs."""
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = make_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run.append(instr)
        elif kind == "text":
            t = OxmlElement("w:t")
            t.text = text
            run.append(t)
        else:
            run.append(set_attrs(OxmlElement("w:fldChar"), fldCharType=kind))
