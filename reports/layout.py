"""Layout decisions shared by the DOCX and HTML copies (notification-format.md §4).

Where the title breaks, how far 署名 and 成文日期 stand from the right edge, how the
附件说明 hangs, which 版头 variant a 文号 asks for, and the 文号's normal form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reports.wording import text_width

TITLE_CHARS = 20.0  # 2号 characters per line of the 156 mm type area (442 pt / 22 pt)


def split_title(segments: list[str], width: float = TITLE_CHARS) -> tuple[str, ...]:
    """Break the title between word segments: fewest lines, each within ``width``, lines
    as even as possible with the upper one not longer (a trapezoid, §4.2)."""
    whole = "".join(segments)
    if text_width(whole) <= width:
        return (whole,)
    best: tuple[float, tuple[str, ...]] | None = None
    for cut in range(1, len(segments)):
        upper, lower = "".join(segments[:cut]), "".join(segments[cut:])
        wu, wl = text_width(upper), text_width(lower)
        if wu > width or wl > width:
            continue
        cost = abs(wl - wu) + (0 if wu <= wl else 10)
        if best is None or cost < best[0]:
            best = (cost, (upper, lower))
    if best is not None:
        return best[1]
    lines, line = [], ""
    for seg in segments:
        if line and text_width(line + seg) > width:
            lines.append(line)
            line = ""
        line += seg
    return tuple(lines + [line])


@dataclass(frozen=True, slots=True)
class SignatureIndent:
    """Right indents in characters of the element's size (§4.6, without a seal)."""

    signature: float
    date: float


def signature_indents(signature: str, date_text: str) -> SignatureIndent:
    """署名 right indent 2; the date's first character 2 characters right of the 署名's."""
    n, d = text_width(signature), text_width(date_text)
    if 2 + d <= n:
        return SignatureIndent(2.0, 2.0 + (n - 2 - d))
    return SignatureIndent(2.0 + (d + 2 - n), 2.0)


@dataclass(frozen=True, slots=True)
class AttachmentLine:
    """One line of the 附件说明 with its indents in characters (§4.5)."""

    text: str
    left: float
    first_line: float  # negative = hanging


def attachment_lines(titles: list[str]) -> list[AttachmentLine]:
    """``附件：1.…`` / ``2.…`` aligned under each other; a single attachment has no number."""
    if not titles:
        return []
    if len(titles) == 1:
        return [AttachmentLine(f"附件：{titles[0]}", 5.0, -3.0)]
    lines = [AttachmentLine(f"附件：1.{titles[0]}", 6.0, -4.0)]
    lines += [AttachmentLine(f"{i}.{t}", 6.0, -1.0) for i, t in enumerate(titles[1:], start=2)]
    return lines


_YEAR_BRACKETS = re.compile(r"[\[【（(〔﹝]\s*(\d{4})\s*[\]】）)〕﹞]")


def normalize_doc_number(text: str) -> str:
    """``阳政办函[2021]151号`` → ``阳政办函〔2021〕151号``: 六角括号, no 第, no leading zeros."""
    text = _YEAR_BRACKETS.sub(lambda m: f"〔{m.group(1)}〕", text.strip())
    return re.sub(r"〕第?0*(\d+)号", r"〕\1号", text)


def head_kind(doc_number: str | None, setting: str) -> str:
    """``letter`` (信函格式, a 函 number), ``file`` (文件格式), or ``none`` (no red 版头)."""
    if setting != "auto":
        return setting
    if not doc_number:
        return "none"
    return "letter" if "函" in doc_number else "file"
