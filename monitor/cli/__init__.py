"""The ``govmon`` command: ``app`` (the typer app and what commands share), ``entry`` (``main``, the
console entry point), and one module per command. Only this layer reads the clock and the terminal."""

from monitor.cli.entry import main

__all__ = ["main"]
