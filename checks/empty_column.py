"""empty_column: a column that exists but shows no content (空白栏目).

Why: "栏目存在但无内容" is veto item 栏目不更新 (c) once 5 columns are blank; fewer are
deductions, 4 is a near miss (counting is scoring's job, ``[scoring.groups.empty_column]``).

A fetched column is blank when
- its page says so (``empty_reason``: 暂无信息 / 暂无数据 / 正在建设中 …, any kind) → ``marked_empty``;
- a list column (kind in ``list_kinds``) shows no item at all → ``no_items``. Other kinds
  (机构职能, 领导之窗 …) are single text pages, so "no list items" proves nothing there;
- every item it lists leads to a dead link (per ``snap.links``) → ``all_items_dead``.
Only a column whose first list page was read (``state = "ok"``) can be blank. A column whose page
could not be fetched is not blank: its URL is a dead link (``dead_link``); one answered by a
firewall challenge (``blocked``), a soft 404 or a file is not judged (``stale_column`` notes it).
A column whose list is filled by script (``state = "script_rendered"``: an empty list container
and an AJAX call) is a notice, ``reason = "script_rendered"`` (可能由脚本加载，请人工核实).
Keys: url (the column's list page), column (its name), reason, and marker (the page's own
words, only with ``marked_empty``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from pydantic import BaseModel

from checks.base import CheckContext, CheckOptions
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.snapshots import ColumnSnapshot, SiteSnapshot
from monitor.registry.model import Site


class Options(CheckOptions):
    list_kinds: list[str]


def unique_columns(columns: Iterable[ColumnSnapshot]) -> list[ColumnSnapshot]:
    """One column per list-page URL: a column found twice (pinned and discovered) counts once."""
    seen: dict[str, ColumnSnapshot] = {}
    for column in columns:
        seen.setdefault(column.url, column)
    return list(seen.values())


def dead_urls(snap: SiteSnapshot) -> frozenset[str]:
    return frozenset(link.url for link in snap.links if link.outcome == "dead")


def empty_state(column: ColumnSnapshot, dead: frozenset[str], list_kinds: Iterable[str]) -> str | None:
    """Why a read column is blank (``marked_empty`` / ``no_items`` / ``all_items_dead``), or None."""
    if not column.readable():
        return None
    if column.empty_reason:
        return "marked_empty"
    if not column.items:
        return "no_items" if column.kind in set(list_kinds) else None
    if all(item.url in dead for item in column.items):
        return "all_items_dead"
    return None


class EmptyColumn:
    id: ClassVar[str] = "empty_column"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.SITE})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_site(self, site: Site, snap: SiteSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        dead = dead_urls(snap)
        for column in unique_columns(snap.columns):
            if column.read_state() == "script_rendered":
                yield Finding(self.id, Severity.NOTICE, column.url, {"column": column.name, "reason": "script_rendered"})
                continue
            reason = empty_state(column, dead, options.list_kinds)
            if reason is None:
                continue
            data: dict[str, object] = {"column": column.name, "reason": reason}
            if reason == "marked_empty":
                data["marker"] = column.empty_reason
            yield Finding(self.id, Severity.DEDUCT, column.url, data)


CHECK = EmptyColumn()
