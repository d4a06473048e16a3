"""The ``govmon`` command: ``app`` (the typer app and shared options), ``main`` (the entry point), one module per command."""
