"""The attachment tables: 附件1 不合格政府网站问题情况, 附件2 不合格政务新媒体问题情况.

Every failing unit with every problem that failed it: veto problems first, then the
deductions that cost it points (a unit can fail on score alone). One table row per finding
where each finding has its own page (a column, a guide, a message, an error) so its link
stands beside it, else one row per check (dead links, weekly counts); the unit's own cells
(序号, name, id, owner …) span its problem rows. Notices (提示) that did
not count against the unit are left out (they go to the office's checklist). Every row
carries the ``Claim`` it states: the unit's row the fault findings that failed it, each
problem row the ids of the findings it words. A table with no failing unit is not appended.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from reports.evidence import FAULT, Claim, Evidence, UnprovenStatement, check_claim, is_fault, verdict
from reports.history import Repeat
from reports.problems import table_problems
from reports.wording import as_day, iso_date, platform_name


@dataclass(frozen=True, slots=True)
class Column:
    """A table column; ``per_problem`` columns change on every problem row, the others span the unit."""

    title: str
    width_mm: float
    align: str = "left"  # left | center
    per_problem: bool = False
    small: bool = False  # codes and URLs in the smaller table size (5号)


@dataclass(frozen=True, slots=True)
class UnitRows:
    """One unit: its own cells (the spanning columns, in order) and one tuple per problem row,
    with what the unit's cells state (``claim``) and what each problem row states (``claims``)."""

    cells: tuple[str, ...]
    problems: tuple[tuple[str, ...], ...]
    claim: Claim | None = None
    claims: tuple[Claim, ...] = ()


@dataclass(frozen=True, slots=True)
class Attachment:
    number: int
    label: str  # 附件1, or 附件 when it is the only one
    title: str
    columns: tuple[Column, ...]
    units: tuple[UnitRows, ...]


SITE_COLUMNS = (Column("序号", 12, "center"), Column("网站名称", 23), Column("网站标识码", 24, "center", small=True),
                Column("主办单位", 23), Column("问题", 36, per_problem=True),
                Column("问题页面链接", 38, per_problem=True, small=True))
ACCOUNT_COLUMNS = (Column("序号", 12, "center"), Column("账号名称", 27), Column("平台", 21, "center"),
                   Column("账号主体", 30), Column("问题", 41, per_problem=True),
                   Column("最后更新时间", 25, "center", small=True))


def _evidence(urls: tuple[str, ...], limit: int) -> str:
    if len(urls) > limit:
        return "\n".join(urls[:limit]) + f"\n等{len(urls)}个"
    return "\n".join(urls)


def _streak_note(repeat: Repeat | None) -> str:
    if repeat is None:
        return ""
    text = f"连续{repeat.months}个月不合格" + ("，多次督促后仍未整改" if repeat.same_problem else "")
    if repeat.basis == "rectification" and repeat.rechecked:
        year, month, day = (int(p) for p in repeat.rechecked.split("-"))
        text += f"（{year}年{month}月{day}日复查{'仍未整改' if repeat.same_problem else '已整改，本月为新问题'}）"
    return text


def _problem_rows(kind: str, target: dict[str, Any], as_of: date, repeat: Repeat | None, limit: int,
                  with_links: bool) -> UnitRows:
    """The problem rows of one failing unit; ``cells`` are filled in by the caller."""
    unit = ((kind, str(target.get("id"))),)
    rows, claims = [], []
    problems = table_problems(target, as_of, FAULT)
    for problem in problems:
        marker = "（单项否决）" if problem.severity == "veto" else "（扣分）"
        head, _, rest = problem.text.partition("：")
        text = f"{head}{marker}：{rest}" if rest else f"{head}{marker}"
        rows.append((text,) + ((_evidence(problem.evidence, limit),) if with_links else ()))
        claims.append(Claim("fault", unit, problem.ids, problem.check))
    failing = Claim("failing", unit, tuple(dict.fromkeys(i for p in problems for i in p.ids)))
    note = _streak_note(repeat)
    if note:
        rows.append((note,) + (("",) if with_links else ()))
        claims.append(failing)
    return UnitRows((), tuple(rows), failing, tuple(claims))


def _last_update(account: dict[str, Any]) -> str:
    days = [as_day(f.get("last_update") or f.get("last_post")) for f in account.get("findings") or [] if is_fault(f)]
    known = [d for d in days if d is not None]
    return iso_date(max(known)) if known else "—"


def build_attachments(document: dict[str, Any], *, as_of: date, names: dict[str, str],
                      repeats: dict[tuple[str, str], Repeat], max_evidence: int) -> list[Attachment]:
    """The attachment tables of the failing units (none when nothing failed)."""
    sites = [t for t in document.get("sites") or [] if verdict(t) == "fail"]
    accounts = [t for t in document.get("accounts") or [] if verdict(t) == "fail"]
    site_units = tuple(
        replace(_problem_rows("site", t, as_of, repeats.get(("site", str(t.get("id")))), max_evidence, True),
                cells=(str(i), str(t.get("name")), str(t.get("id")), str(t.get("owner") or "")))
        for i, t in enumerate(sites, 1))
    account_units = tuple(
        replace(_problem_rows("account", t, as_of, repeats.get(("account", str(t.get("id")))), max_evidence, False),
                cells=(str(i), str(t.get("name")), platform_name(str(t.get("platform")), names),
                       str(t.get("owner") or ""), _last_update(t)))
        for i, t in enumerate(accounts, 1))
    tables = [(title, cols, units) for title, cols, units in (
        ("不合格政府网站问题情况", SITE_COLUMNS, site_units),
        ("不合格政务新媒体问题情况", ACCOUNT_COLUMNS, account_units)) if units]
    single = len(tables) == 1
    return [Attachment(n, "附件" if single else f"附件{n}", title, cols, units)
            for n, (title, cols, units) in enumerate(tables, 1)]


def verify_table(attachment: Attachment, evidence: Evidence, stated: frozenset[str]) -> None:
    """Every unit of a table states a claim (its cells name it), and so does each of its problem rows."""
    for unit in attachment.units:
        text = "，".join(unit.cells)
        if unit.claim is None:
            raise UnprovenStatement(f"the notice refuses to state “{text}”: the row carries no findings")
        check_claim(unit.claim, text, evidence, stated)
        if len(unit.claims) != len(unit.problems):
            raise UnprovenStatement(f"the notice refuses the rows of “{text}”: {len(unit.problems)} rows, "
                                    f"{len(unit.claims)} with findings")
        for row, claim in zip(unit.problems, unit.claims, strict=True):
            if claim.units != unit.claim.units:
                raise UnprovenStatement(f"the notice refuses “{row[0]}” under “{text}”: it cites another unit")
            check_claim(claim, row[0], evidence, stated, named=False)
