"""``govmon``'s entry point: every command module registered, errors turned into exit codes."""

from __future__ import annotations

import sys

import typer
from typer.exceptions import TyperException

from monitor.cli import check, daemon, db, demo, evidence, inspect, rectify, registry, report, serve, worker  # noqa: F401  (each adds its commands)
from monitor.cli.app import EXIT_CRASH, EXIT_USAGE, State, app
from monitor.model.errors import GovmonError


def main() -> None:
    """Console entry point."""
    try:
        code = app(standalone_mode=False)
    except GovmonError as exc:
        typer.echo(f"govmon: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("Aborted.", err=True)
        sys.exit(130)
    except TyperException as exc:  # usage errors (bad option, missing argument)
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"govmon: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # a bug or an environment failure nobody anticipated
        sys.exit(_crash(exc))
    sys.exit(code if isinstance(code, int) else 0)


def _crash(exc: BaseException) -> int:
    """Log the traceback to a file, say where on one stderr line, return exit code 3."""
    from monitor.run.logs import write_crash_log

    try:
        data_dir = State.settings().general.resolved_data_dir()
    except Exception:
        data_dir = None
    summary = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    try:
        where = f"details in {write_crash_log(exc, data_dir, sys.argv)}"
    except OSError:
        where = "no log file could be written"
    typer.echo(f"govmon: unexpected error ({summary}); {where}", err=True)
    return EXIT_CRASH
