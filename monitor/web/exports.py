"""A month's reviewed findings as CSV and XLSX for the office's own spreadsheets.

Cells come from crawled pages (titles, text, URLs), so a cell starting with ``= + - @`` (or a
tab / carriage return) is prefixed with ``'``: a spreadsheet shows it as text and never runs it
as a formula (CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER = ("月份", "类型", "标识", "名称", "主办单位", "结论", "检查项", "严重程度", "条款", "页面", "扣分",
          "复核", "复核人", "复核理由", "发现编号")
SEVERITY = {"veto": "单项否决", "deduct": "扣分", "notice": "提示"}
DECISION = {"confirm": "确认", "dismiss": "排除"}
VERDICT = {"pass": "合格", "fail": "不合格", "not_inspected": "未能完成检查"}


def safe_cell(value: Any) -> Any:
    """The value, a text starting like a formula made inert with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def rows(document: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    """One row per finding (dismissed ones included, marked), units without findings left out."""
    for kind, key, noun in (("site", "sites", "网站"), ("account", "accounts", "账号")):
        for target in document.get(key) or []:
            for f in list(target.get("findings") or []) + list(target.get("dismissed") or []):
                review = f.get("review") or {}
                yield (document.get("period"), noun, target.get("id"), target.get("name"), target.get("owner"),
                       VERDICT.get(str(target.get("verdict")), target.get("verdict")), f.get("check"),
                       SEVERITY.get(str(f.get("severity")), f.get("severity")), f.get("clause") or "",
                       f.get("url") or "", f.get("points") or 0, DECISION.get(str(review.get("decision")), ""),
                       review.get("reviewer", ""), review.get("reason", ""), f.get("id"))


def to_csv(document: dict[str, Any]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows(document):
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(document: dict[str, Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"发现问题{document.get('period', '')}"
    sheet.append(list(HEADER))
    for row in rows(document):
        sheet.append([safe_cell(v) for v in row])
    for column, width in zip("ABCDEFGHIJKLMNO", (9, 6, 14, 24, 24, 10, 18, 9, 36, 40, 6, 6, 10, 24, 34)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
