"""``govmon worker``: run queued tasks (inspections, probes, feed polls) until stopped (SIGTERM/SIGINT).

A worker is one process: ``--concurrency`` tasks at once on one event loop, taken from
``--queues``; results go to ``--db`` (PostgreSQL when several workers share it). The run's
registry and settings come with the tasks through the broker.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import Annotated, Optional

import typer

from monitor.cli.app import State, app, database_url, fail


@app.command("worker")
def worker_command(
    broker: Annotated[str, typer.Option("--broker", help="Redis URL of the task queue (redis://host:6379/0).")],
    db: Annotated[Optional[str], typer.Option("--db", help="Database URL shared by the workers (default: settings).")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="Tasks run at once.")] = 4,
    queues: Annotated[str, typer.Option("--queues", help="Queues to take tasks from, comma-separated.")] = "inspect,probe,feeds",
    vantage: Annotated[str, typer.Option("--vantage", help="Name of this worker's network (tags its probes).")] = "",
) -> None:
    """Run queued inspection, probe and feed tasks until stopped."""
    from dramatiq import Worker

    from monitor.run.broker import HEARTBEAT_TIMEOUT_MS, QUEUES, make_broker, redis_client
    from monitor.run.tasks import WorkerContext, declare, probe_queue, set_context

    names = [q.strip() for q in queues.split(",") if q.strip()]
    unknown = sorted(set(names) - set(QUEUES))
    if unknown or not names:
        raise fail(f"--queues: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(QUEUES)}")
    settings = State.settings()
    tasks_log = logging.getLogger("monitor.run")
    tasks_log.setLevel(logging.INFO)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(f"worker {os.getpid()}: %(message)s"))
    tasks_log.addHandler(handler)
    redis_client(broker).close()  # a wrong URL is one line now, not a traceback in a thread
    queue_broker = make_broker(broker, int(os.environ.get("GOVMON_QUEUE_HEARTBEAT_MS", HEARTBEAT_TIMEOUT_MS)))
    declare(queue_broker)
    taken = set(names)
    if "probe" in taken and vantage:  # this vantage point's probes, and probes for any network
        taken.add(probe_queue(vantage))
        queue_broker.declare_queue(probe_queue(vantage))
    context = WorkerContext(broker, database_url(db, settings), vantage)
    set_context(context)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    worker = Worker(queue_broker, queues=taken, worker_threads=concurrency)
    worker.queue_prefetch = concurrency  # no task waits in one worker's cache while another worker is idle
    worker.start()
    typer.echo(f"govmon worker {os.getpid()}: queues {', '.join(names)}, {concurrency} at once"
               + (f", vantage {vantage}" if vantage else ""), err=True)
    try:
        while not stop.wait(1.0):
            pass
    finally:
        worker.stop()
        queue_broker.close()
        set_context(None)
        context.close()
