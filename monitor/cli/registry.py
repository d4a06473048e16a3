"""``govmon registry validate [FILE]`` and ``govmon registry import FILE... --out registry.toml``."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer

from monitor.accounts.sources import CsvSource, scheme_of, source_for
from monitor.cli.app import State, app, fail
from monitor.config.settings import Settings
from monitor.model.errors import GovmonError, RegistryError
from monitor.registry.model import Registry, load_registry
from monitor.registry.spreadsheet import checked_registry_toml, import_registry
from monitor.store.files import write_atomic

registry_app = typer.Typer(help="The registry of sites and accounts: check it, or build it from spreadsheets.",
                           no_args_is_help=True)
app.add_typer(registry_app, name="registry")


def feed_problems(registry: Registry, path: Path, settings: Settings) -> list[str]:
    """Accounts whose feed no source reads, or whose ``csv:`` export is missing, by file line."""
    text = path.read_text(encoding="utf-8")
    lines = [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"^\s*\[\[\s*accounts\s*\]\]", line)]
    scoped = settings.model_copy(deep=True)
    scoped.general.registry = str(path)
    problems = []
    for index, account in enumerate(registry.accounts):
        where = f"{path}:{lines[index]}" if index < len(lines) else str(path)
        prefix = f"{where}: accounts[{index}] (id={account.id}): feed"
        if account.feed and source_for(account.feed) is None:
            problems.append(f"{prefix}: unsupported feed {account.feed!r} (http(s)://…, rsshub:/route or csv:PATH)")
        elif scheme_of(account.feed) == "csv":
            try:
                export = CsvSource.path(account.feed, scoped)
            except RegistryError as exc:
                problems.append(f"{prefix}: {exc}")
                continue
            if not export.is_file():
                problems.append(f"{prefix}: export file {export} not found")
    return problems


def _counts(title: str, counter: Counter[str]) -> str:
    parts = ", ".join(f"{key} {n}" for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"  {title}: {parts or '-'}"


@registry_app.command("validate")
def validate(
    file: Annotated[Optional[Path], typer.Argument(help="Registry file (default: [general].registry).")] = None,
) -> None:
    """Check the registry (fields, ids, feeds) and print counts per platform and district."""
    settings = State.settings()
    path = file or Path(settings.general.registry)
    try:
        registry = load_registry(path)
    except GovmonError as exc:
        raise fail(str(exc)) from None
    problems = feed_problems(registry, path, settings)
    if problems:
        raise fail("\n".join(problems))
    typer.echo(f"{path}: {len(registry.sites)} sites, {len(registry.accounts)} accounts — valid")
    typer.echo(_counts("sites by district", Counter(s.district for s in registry.sites)))
    typer.echo(_counts("accounts by platform", Counter(a.platform for a in registry.accounts)))
    typer.echo(_counts("accounts by district", Counter(a.district for a in registry.accounts)))
    typer.echo(_counts("accounts by status", Counter(a.status for a in registry.accounts)))


@registry_app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="Spreadsheets (.xlsx or .csv) of sites and/or accounts.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Registry TOML file to write.")],
) -> None:
    """Build a registry from the spreadsheets offices keep; every bad row is reported, nothing half-written."""
    settings = State.settings()
    try:
        registry = import_registry(list(files), settings)
        write_atomic(out, checked_registry_toml(registry, out, [f.name for f in files]), what="registry")
    except RegistryError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"{exc.filename or out}: {exc.strerror}") from None
    typer.echo(f"wrote {out}: {len(registry.sites)} sites, {len(registry.accounts)} accounts")
