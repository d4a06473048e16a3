"""The readable end of ``govmon check``: findings grouped by check, dead links, the verdict in one line."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from monitor.crawl.progress import CrawlProgress
from monitor.model.document import FAIL, PASS, verdict_of
from monitor.model.snapshots import SiteSnapshot

DEAD_LINK_ROWS = 20


def _by_check(findings: list[dict[str, Any]]) -> Table:
    table = Table(title="Findings by check", title_justify="left")
    for name, justify in (("check", "left"), ("veto", "right"), ("deduct", "right"), ("notice", "right"),
                          ("points", "right"), ("first", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        groups[finding["check"]].append(finding)
    for check, items in sorted(groups.items()):
        counts = {sev: sum(1 for f in items if f["severity"] == sev) for sev in ("veto", "deduct", "notice")}
        points = sum(float(f.get("points", 0)) for f in items)
        table.add_row(check, *(str(counts[s]) for s in ("veto", "deduct", "notice")), f"{points:g}",
                      escape(items[0].get("url", "")))
    return table


def _dead_links(findings: list[dict[str, Any]]) -> Table | None:
    dead = [f for f in findings if f["check"] == "dead_link" and not f.get("blocked")]
    if not dead:
        return None
    shown = f"{len(dead)}" if len(dead) <= DEAD_LINK_ROWS else f"first {DEAD_LINK_ROWS} of {len(dead)}"
    title = f"Dead links ({shown})"
    table = Table(title=title, title_justify="left")
    table.add_column("status")
    table.add_column("url", overflow="fold")
    table.add_column("found on", overflow="fold")
    for finding in dead[:DEAD_LINK_ROWS]:
        sources = finding.get("sources", [])
        where = (sources[0] if sources else "") + (f" (+{len(sources) - 1})" if len(sources) > 1 else "")
        table.add_row(str(finding.get("status")), escape(finding["url"]),
                      ("\\[home] " if finding.get("home") else "") + escape(where))
    return table


def print_verdict(result: dict[str, Any], out: Console, *extra: Table | None) -> None:
    """Findings by check, any extra tables, then the verdict with its reason in one line."""
    findings = result.get("findings", [])
    out.print(_by_check(findings) if findings else "No findings.")
    for table in extra:
        if table is not None:
            out.print(table)
    verdict = verdict_of(result)
    style = {PASS: "bold green", FAIL: "bold red"}.get(verdict, "bold yellow")
    out.print(f"[{style}]{verdict.replace('_', ' ').upper()}[/]  {escape(result.get('reason', ''))}")


def print_account_summary(result: dict[str, Any], console: Console | None = None) -> None:
    """Print the account, its findings by check and the verdict's reason."""
    out = console or Console()
    out.print(f"[bold]{escape(result['name'])}[/]  {result['platform']}  {escape(result.get('owner', ''))}"
              f"  (id {result['id']})")
    print_verdict(result, out)


def print_summary(result: dict[str, Any], snap: SiteSnapshot, progress: CrawlProgress,
                  console: Console | None = None) -> None:
    """Print the site, crawl figures, findings by check, dead links and the verdict's reason."""
    out = console or Console()
    seconds = (snap.finished_at - snap.started_at).total_seconds() if snap.finished_at else 0.0
    out.print(f"[bold]{escape(result['name'])}[/]  {escape(result['url'])}  (id {result['id']})")
    pages = f"{len(snap.pages)} page{'' if len(snap.pages) == 1 else 's'}"
    out.print(f"{pages} crawled, {len(snap.links)} distinct links, {seconds:.1f} s — "
              f"{progress.errors} dead, {progress.blocked} blocked")
    for note in snap.notes:
        out.print(f"  note: {note}", style="dim", markup=False)
    print_verdict(result, out, _dead_links(result.get("findings", [])))
