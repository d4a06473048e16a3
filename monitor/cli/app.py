"""The ``govmon`` typer app and what its commands share: options, exit codes, errors, output.

Exit codes (``EXIT_*``): 0 pass / success, 1 findings fail a target, 2 usage or input error
(a ``GovmonError`` is printed as one line naming the file, line or key), 3 an unexpected error
(one line on stderr naming the log file that holds the traceback), 4 ``govmon check``: the target
could not be inspected (未能完成检查, neither a pass nor a fault).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from monitor.config.settings import Settings
from monitor.judge.validate import load_checked_settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CRASH, EXIT_NOT_INSPECTED = 0, 1, 2, 3, 4

app = typer.Typer(
    name="govmon",
    help="政府网站与政务新媒体监测 — compliance monitor for government websites and new-media accounts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class State:
    """Options common to every command (``govmon --settings FILE <command>``)."""

    settings_path: Path | None = None
    _settings: Settings | None = None

    @classmethod
    def settings(cls) -> Settings:
        if cls._settings is None:
            cls._settings = load_checked_settings(cls.settings_path)
        return cls._settings


def _version(value: bool) -> None:
    if value:
        from monitor import __version__

        typer.echo(f"govmon {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    settings: Annotated[Optional[Path], typer.Option("--settings", help="Settings file merged over the defaults.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    State.settings_path = settings
    State._settings = None


def fail(message: str) -> "typer.Exit":
    """Print a one-line usage/input error and return the exit to raise (code 2)."""
    typer.echo(f"govmon: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def database_url(db: str | None, settings: Settings) -> str:
    """``--db``: a SQLAlchemy URL or a SQLite file path; default from settings."""
    if db is None:
        return settings.general.resolved_database_url()
    return db if "://" in db else f"sqlite:///{Path(db).expanduser().resolve()}"


def write_json(target: str, obj: dict[str, Any]) -> None:
    """Write a findings object or document as UTF-8 JSON to ``target`` (``-`` = stdout)."""
    text = json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
    if target == "-":
        sys.stdout.write(text)
        return
    from monitor.store.files import write_atomic

    write_atomic(Path(target), text, what="findings document (JSON)")
