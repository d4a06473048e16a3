"""Read the spreadsheets offices keep (xlsx or csv) into a ``Registry``.

Tables are found by their header row (within the first ``HEADER_SCAN`` rows, below any title
rows): a row naming at least two of 网站名称 / 网站标识码 / 首页网址 is a table of sites, one
naming two of 账号名称 / 平台 / 订阅地址 a table of accounts; a sheet with both kinds of column
holds both (each row is a site when it names a site, else an account). Sheets without such a
header (instructions, totals) are skipped. Headers are compared after NFKC, lower-casing and
removing spaces, ``*`` marks and bracketed notes, so "首页网址（必填）*" is 首页网址.
CSV files may be UTF-8 (with or without BOM) or GBK, as Excel in China saves them.

Every bad row is reported — file, sheet, row, column letter, header and reason — and nothing is
returned unless all rows are good (``SpreadsheetError`` carries them all). Account ids come from
an 账号ID column or are generated as ``<platform>-<pinyin initials of the name>`` (``-2``,
``-3`` … on a clash, in row order); keep an 账号ID column to pin ids across renames.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.accounts.parse import decode_csv
from monitor.model.errors import RegistryError
from monitor.registry.model import Registry, Site
from monitor.registry.rows import Issue, Loc, RowError, SpreadsheetError, account_row, assemble, norm, site_row

if TYPE_CHECKING:
    from monitor.config.settings import Settings

HEADER_SCAN = 10
SITE_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("网站名称",), "id": ("网站标识码", "标识码", "网站代码"),
    "url": ("首页网址", "网址", "网站网址", "网站地址", "首页地址", "网站域名", "域名", "url"),
    "owner": ("主办单位", "开办主体", "主办单位名称"), "district": ("所属区县", "所属地区", "所属区域", "区县", "地区"),
    "kind": ("网站类型", "网站类别"),
}
ACCOUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("账号名称", "新媒体名称", "账号"), "platform": ("平台", "平台类型", "所属平台", "平台名称"),
    "owner": ("账号主体", "开办主体", "开设主体", "主办单位", "主体"),
    "feed": ("订阅地址", "rss", "rss地址", "订阅源", "feed"), "district": SITE_COLUMNS["district"],
    "status": ("状态", "账号状态", "运营状态"),
    "deadline": ("注销期限", "关停期限", "注销日期", "关停日期", "截止日期", "期限"),
    "id": ("账号id", "账号标识", "账号编号", "id"),
}
SITE_MARKS = ("name", "id", "url")
ACCOUNT_MARKS = ("name", "platform", "feed")
REQUIRED = {"sites": ("name", "id", "url"), "accounts": ("name", "platform", "owner")}


@dataclass
class Table:
    """Rows of one sheet under its header: (row number, cell values)."""

    file: str
    sheet: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def map_columns(headers: list[str], names: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Field → column index for the header cells that name a field (first match wins)."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        parts = [norm(header)] + [norm(p) for p in str(header or "").split("/")]
        for name, aliases in names.items():
            if name not in found and any(p in aliases for p in parts if p):
                found[name] = index
    return found


def read_tables(path: Path) -> list[Table]:
    """All sheets of an xlsx, or the one table of a csv, as raw rows (header row not yet chosen)."""
    if not path.exists():
        raise RegistryError(f"{path}: spreadsheet not found")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return list(_xlsx_tables(path))
    if path.suffix.lower() == ".csv":
        return [_csv_table(path)]
    raise RegistryError(f"{path}: unsupported spreadsheet type {path.suffix!r} (use .xlsx or .csv)")


def _xlsx_tables(path: Path) -> Iterator[Table]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException on bad files
        raise RegistryError(f"{path}: not a readable xlsx workbook ({exc})") from None
    try:
        for sheet in book.worksheets:
            rows = [(n, list(values)) for n, values in enumerate(sheet.iter_rows(values_only=True), 1)]
            yield Table(str(path), sheet.title, 0, [], rows)
    finally:
        book.close()


def _csv_table(path: Path) -> Table:
    text = decode_csv(path.read_bytes())
    if text is None:
        raise RegistryError(f"{path}: not UTF-8 or GBK text")
    rows = [(n, list(values)) for n, values in enumerate(csv.reader(io.StringIO(text)), 1)]
    return Table(str(path), "", 0, [], rows)


def find_header(table: Table) -> tuple[dict[str, int], dict[str, int]] | None:
    """Choose the header row; returns (site columns, account columns), either possibly empty."""
    for number, values in table.rows[:HEADER_SCAN]:
        headers = ["" if v is None else str(v) for v in values]
        sites, accounts = map_columns(headers, SITE_COLUMNS), map_columns(headers, ACCOUNT_COLUMNS)
        is_sites = sum(k in sites for k in SITE_MARKS) >= 2
        is_accounts = sum(k in accounts for k in ACCOUNT_MARKS) >= 2
        if is_sites or is_accounts:
            table.header_row, table.headers = number, headers
            table.rows = [(n, v) for n, v in table.rows if n > number]
            return (sites if is_sites else {}), (accounts if is_accounts else {})
    return None


def cell_text(value: Any) -> str:
    """A cell as text: integral floats without ".0" (Excel stores 标识码 as numbers), dates ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def import_registry(paths: list[Path], settings: "Settings") -> Registry:
    """Read every table of every file; raises ``SpreadsheetError`` listing all bad rows."""
    issues: list[Issue] = []
    sites: list[tuple[Loc, Site]] = []
    accounts: list[tuple[Loc, dict[str, Any]]] = []
    for path in paths:
        found = 0
        for table in read_tables(path):
            columns = find_header(table)
            if columns is not None:
                found += 1
                _read_rows(table, columns, settings, issues, sites, accounts)
        if not found:
            issues.append(Issue(str(path), "", 1, "", "", "no header row naming 网站名称/网站标识码/首页网址 or "
                                f"账号名称/平台/订阅地址 in the first {HEADER_SCAN} rows of any sheet"))
    registry = assemble(sites, accounts, issues)
    if issues:
        tables = list(dict.fromkeys((i.file, i.sheet) for i in issues))
        raise SpreadsheetError(sorted(issues, key=lambda i: (tables.index((i.file, i.sheet)), i.row)))
    return registry


def _locate(table: Table, number: int, cols: dict[str, int]) -> Loc:
    return Loc(table.file, table.sheet, number,
               {f: (column_letter(i), table.headers[i].strip() if i < len(table.headers) else "") for f, i in cols.items()})


def _read_rows(table: Table, columns: tuple[dict[str, int], dict[str, int]], settings: "Settings",
               issues: list[Issue], sites: list[tuple[Loc, Site]], accounts: list[tuple[Loc, dict[str, Any]]]) -> None:
    """Convert each non-empty row under the header; bad rows add issues and are left out."""
    by_kind = {"sites": columns[0], "accounts": columns[1]}
    missing = [(kind, name) for kind, cols in by_kind.items() if cols for name in REQUIRED[kind] if name not in cols]
    for kind, name in missing:
        names = SITE_COLUMNS if kind == "sites" else ACCOUNT_COLUMNS
        issues.append(Issue(table.file, table.sheet, table.header_row, "", "",
                            f"no column for {names[name][0]} in the header row"))
    if missing:
        return
    for number, values in table.rows:
        cells = {k: {f: cell_text(values[i]) if i < len(values) else "" for f, i in cols.items()}
                 for k, cols in by_kind.items()}
        site_like = bool(by_kind["sites"]) and bool(cells["sites"].get("name") or cells["sites"].get("url"))
        kind = "sites" if site_like or not by_kind["accounts"] else "accounts"
        if not any(cells[kind].values()):
            continue
        loc = _locate(table, number, by_kind[kind])
        try:
            if kind == "sites":
                sites.append((loc, site_row(cells["sites"])))
            else:
                accounts.append((loc, account_row(cells["accounts"], settings)))
        except RowError as err:
            issues.extend(loc.issue(name, reason) for name, reason in err.problems)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(value: str) -> str:
    """A TOML basic string: backslash, quote and every control character escaped."""
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def registry_toml(registry: Registry, sources: list[str]) -> str:
    """The registry as TOML text that ``parse_registry`` reads back to an equal registry."""
    lines = [f"# govmon registry: written by `govmon registry import` from {', '.join(sources)}",
             f"# {len(registry.sites)} sites, {len(registry.accounts)} accounts; `govmon registry validate` checks edits."]
    for site in registry.sites:
        lines += ["", "[[sites]]"] + [f"{k} = {toml_string(str(getattr(site, k)))}"
                                      for k in ("id", "name", "url", "owner", "district", "kind")]
    for account in registry.accounts:
        lines += ["", "[[accounts]]"] + [f"{k} = {toml_string(str(getattr(account, k)))}"
                                         for k in ("id", "name", "platform", "owner", "district", "feed", "status")]
        if account.deadline is not None:
            lines.append(f"deadline = {account.deadline.isoformat()}")
    return "\n".join(lines) + "\n"


def checked_registry_toml(registry: Registry, out: Path, sources: list[str]) -> str:
    """``registry_toml``, after checking that the text reads back equal (the caller writes it to ``out``)."""
    from monitor.registry.model import parse_registry

    text = registry_toml(registry, sources)
    if parse_registry(text, str(out)) != registry:
        raise RegistryError(f"{out}: the written registry does not read back equal (please report this)")
    return text
