"""``govmon serve``: the office's workbench in the browser (review findings, download the reviewed notice).

Binds to 127.0.0.1 by default; there is no login (the reviewer types a name, recorded with each
decision), so expose it to the office network only behind a proxy that authenticates."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from monitor.cli.app import State, app, database_url
from monitor.store.store import Store

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@app.command("serve")
def serve(
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL or SQLite file (default: from settings).")] = None,
    host: Annotated[str, typer.Option("--host", help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8650,
) -> None:
    """Serve the review workbench (总览、月度、单位、人工复核) over the store."""
    import uvicorn

    from monitor.web import create_app

    settings = State.settings()
    store = Store(database_url(db, settings))
    if host not in LOOPBACK:
        typer.echo(f"warning: --host {host}: the workbench has no login; anyone who reaches this address can "
                   "record review decisions under any name (put an authenticating proxy in front)", err=True)
    typer.echo(f"govmon workbench on http://{host}:{port}/ (Ctrl-C to stop)")
    try:
        uvicorn.run(create_app(store, settings), host=host, port=port, log_level="warning", access_log=False)
    finally:
        store.close()
