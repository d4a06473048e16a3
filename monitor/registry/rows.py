"""One spreadsheet row → a registry entry, with every problem of the row named by field.

Used by ``monitor.registry.spreadsheet``; vocabularies (platform names, status words) come from
``[accounts].platform_names`` / ``status_names`` in settings, compared after ``norm``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from monitor.accounts.parse import parse_time
from monitor.accounts.sources import csv_feed_problem, source_for
from monitor.model.errors import RegistryError
from monitor.model.period import CHINA_TZ
from monitor.registry.model import PLATFORMS, SITE_ID_RE, Account, Registry, Site

if TYPE_CHECKING:
    from monitor.config.settings import Settings

STATUSES = ("active", "closing", "migrating", "closed")
KINDS = {"portal": ("政府门户网站", "门户网站", "门户", "portal"), "department": ("部门网站", "部门", "department")}
_HOST_RE = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/\S*)?$")


@dataclass(frozen=True, slots=True)
class Issue:
    """One bad cell, row or header, located as a person would find it in the spreadsheet."""

    file: str
    sheet: str
    row: int
    column: str
    header: str
    reason: str

    def __str__(self) -> str:
        where = self.file + (f", sheet {self.sheet}" if self.sheet else "") + f", row {self.row}"
        if self.column:
            where += f", column {self.column}" + (f" ({self.header})" if self.header else "")
        return f"{where}: {self.reason}"


class SpreadsheetError(RegistryError):
    """The spreadsheet has bad rows; ``issues`` lists every one of them."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        lines = [f"{len(issues)} problem(s) in the spreadsheet, nothing written:"] + [f"  {i}" for i in issues]
        super().__init__("\n".join(lines))


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a row is: file, sheet, row number, and field → (column letter, header text)."""

    file: str
    sheet: str
    row: int
    columns: dict[str, tuple[str, str]]

    def issue(self, field: str, reason: str) -> Issue:
        letter, header = self.columns.get(field, ("", ""))
        return Issue(self.file, self.sheet, self.row, letter, header, reason)


class RowError(Exception):
    """A row's problems as (field, reason) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {r}" for f, r in problems))
        self.problems = problems


def norm(text: Any) -> str:
    """Comparable form of a header or vocabulary word: NFKC, lower case, no spaces, marks or notes."""
    value = unicodedata.normalize("NFKC", str(text or "")).lower()
    value = re.sub(r"\([^)]*\)|\[[^\]]*\]", "", value)
    return re.sub(r"[\s*:：]", "", value)


def _web_address(raw: str) -> str | None:
    """A site URL with its scheme (offices often write the bare host name), or None."""
    if re.match(r"^https?://\S+$", raw, re.I):
        return raw
    return f"http://{raw}" if _HOST_RE.match(raw) else None


def _pydantic_problems(exc: ValidationError) -> list[tuple[str, str]]:
    return [(str(e["loc"][0]) if e["loc"] else "", e["msg"]) for e in exc.errors()]


def site_row(cells: dict[str, str]) -> Site:
    """A site from its cells; raises ``RowError`` naming every bad field."""
    problems = [(f, "empty") for f in ("name", "id", "url") if not cells.get(f)]
    site_id = re.sub(r"\s", "", cells.get("id", ""))
    if site_id and not SITE_ID_RE.match(site_id):
        problems.append(("id", f"网站标识码 must be 10 digits or 'bm' + 8 digits, got {site_id!r}"))
    url = _web_address(cells.get("url", "")) if cells.get("url") else ""
    if url is None:
        problems.append(("url", f"not a web address: {cells['url']!r}"))
    kind = next((k for k, words in KINDS.items() if norm(cells.get("kind", "")) in words), None)
    if cells.get("kind") and kind is None:
        problems.append(("kind", f"unknown site type {cells['kind']!r} (门户网站 or 部门网站)"))
    if problems:
        raise RowError(problems)
    try:
        return Site(id=site_id, name=cells["name"], url=url or "", owner=cells.get("owner", ""),
                    district=cells.get("district") or "市直", kind=kind or "department")  # type: ignore[arg-type]
    except ValidationError as exc:
        raise RowError(_pydantic_problems(exc)) from None


def _lookup(raw: str, table: dict[str, str], known: tuple[str, ...]) -> str | None:
    words = {norm(k): v for k, v in table.items()} | {k: k for k in known}
    return words.get(norm(raw))


def _deadline(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        moment = parse_time(raw, CHINA_TZ)
        return moment.astimezone(CHINA_TZ).date() if moment else None


def account_row(cells: dict[str, str], settings: "Settings") -> dict[str, Any]:
    """An account's fields from its cells (``id`` may be empty); raises ``RowError``."""
    problems = [(f, "empty") for f in ("name", "platform", "owner") if not cells.get(f)]
    platform = _lookup(cells.get("platform", ""), settings.accounts.platform_names, PLATFORMS)
    if cells.get("platform") and platform is None:
        problems.append(("platform", f"unknown platform {cells['platform']!r}: map it in [accounts].platform_names"))
    status = _lookup(cells.get("status", ""), settings.accounts.status_names, STATUSES) if cells.get("status") else "active"
    if status is None:
        problems.append(("status", f"unknown status {cells['status']!r}: map it in [accounts].status_names"))
    feed = cells.get("feed", "")
    if feed and source_for(feed) is None:
        problems.append(("feed", f"unsupported feed {feed!r} (http(s)://…, rsshub:/route or csv:PATH)"))
    elif feed and (problem := csv_feed_problem(feed)):
        problems.append(("feed", problem))
    deadline = _deadline(cells["deadline"]) if cells.get("deadline") else None
    if cells.get("deadline") and deadline is None:
        problems.append(("deadline", f"not a date: {cells['deadline']!r}"))
    if problems:
        raise RowError(problems)
    return {"id": cells.get("id", ""), "name": cells["name"], "platform": platform, "owner": cells["owner"],
            "district": cells.get("district") or "市直", "feed": feed, "status": status, "deadline": deadline}


def account_slug(platform: str, name: str) -> str:
    """``<platform>-<pinyin initials of the name>``, e.g. weibo + 太原发布 → ``weibo-tyfb``."""
    from pypinyin import Style, lazy_pinyin  # its tables are ≈ 55 MB: loaded when a name is spelled, not at startup

    letters = "".join(lazy_pinyin(unicodedata.normalize("NFKC", name), style=Style.FIRST_LETTER)).lower()
    return f"{platform}-{re.sub(r'[^a-z0-9]', '', letters)[:24] or 'account'}"


def assemble(sites: list[tuple[Loc, Site]], accounts: list[tuple[Loc, dict[str, Any]]], issues: list[Issue]) -> Registry:
    """Check ids across rows (duplicates are issues) and give generated ids to accounts without one."""
    first: dict[str, Loc] = {}
    for loc, site in sites:
        if site.id in first:
            issues.append(loc.issue("id", f"duplicate 网站标识码 {site.id} (first in row {first[site.id].row})"))
        first.setdefault(site.id, loc)
    taken: dict[str, Loc] = {}
    for loc, row in accounts:
        if row["id"] and row["id"] in taken:
            issues.append(loc.issue("id", f"duplicate account id {row['id']!r} (first in row {taken[row['id']].row})"))
        if row["id"]:
            taken.setdefault(row["id"], loc)
    built: list[Account] = []
    for loc, row in accounts:
        if not row["id"]:
            base, n = account_slug(row["platform"], row["name"]), 2
            row["id"] = base
            while row["id"] in taken:
                row["id"], n = f"{base}-{n}", n + 1
            taken[row["id"]] = loc
        try:
            built.append(Account(**row))
        except ValidationError as exc:
            issues.extend(loc.issue(f, r) for f, r in _pydantic_problems(exc))
    return Registry(sites=[s for _, s in sites], accounts=built)
