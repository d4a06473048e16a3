"""``govmon inspect --broker``: the monthly inspection spread over workers through the task queue.

The coordinator does what a single-process run does around the targets, and nothing else:
it opens the inspection in the store, reuses the targets already stored for the period and
as-of, enqueues one "inspect target" task per remaining target, follows the workers' reports,
then reads every result back from the store and writes the findings document with
``findings_document`` — the same function, over the same stored results, as ``monitor.run.inspect``.
A coordinator interrupted and started again enqueues only what is not stored yet.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from monitor.config.settings import Settings
from monitor.model.document import findings_document
from monitor.model.period import Period
from monitor.registry.model import Registry
from monitor.run.broker import BrokerError, enqueue, make_broker, next_report, put_run, redis_client
from monitor.run.inspect import InspectProgress, pick_stored
from monitor.store.store import Store


class RunFailed(BrokerError):
    """A worker gave up on a target (its database kept failing) or the run timed out."""


def inspect_on_queue(registry: Registry, registry_text: str, *, settings: Settings, store: Store, period: Period,
                     now: datetime, broker_url: str, progress: InspectProgress | None = None,
                     timeout_s: float | None = None) -> dict[str, Any]:
    """Enqueue the period's unfinished targets, wait for the workers, return the findings document."""
    progress = progress or InspectProgress()
    client = redis_client(broker_url)
    broker = make_broker(broker_url)
    as_of = period.as_of.isoformat()
    store.start_inspection(period.month, as_of, now)
    sites, accounts = pick_stored(registry, store.results(period.month), store.done_targets(period.month, as_of))
    todo = [("site", s.id) for s in registry.sites if s.id not in sites] + \
           [("account", a.id) for a in registry.accounts if a.id not in accounts]
    progress.begin(len(registry.sites) + len(registry.accounts), len(sites) + len(accounts))
    run_id = put_run(client, {"registry": registry_text, "settings": settings.model_dump(mode="json"),
                              "as_of": as_of, "now": now.isoformat()})
    for kind, target_id in todo:
        enqueue(broker, "inspect", "inspect_target", run_id=run_id, kind=kind, target_id=target_id)
    try:
        _follow(client, run_id, set(todo), progress, timeout_s)
    finally:
        broker.close()
        client.close()
    done_sites, done_accounts = pick_stored(registry, store.results(period.month), set(todo))
    sites.update(done_sites)
    accounts.update(done_accounts)
    document = findings_document(period, [sites[s.id] for s in registry.sites if s.id in sites],
                                 [accounts[a.id] for a in registry.accounts if a.id in accounts])
    store.finish_inspection(period.month, document, now)
    return document


def _follow(client: Any, run_id: str, waiting: set[tuple[str, str]], progress: InspectProgress,
            timeout_s: float | None) -> None:
    """Read the run's reports until every target in ``waiting`` has one (a target reported twice,
    by a redelivered task, counts once); a worker's error or the timeout ends the run with one line."""
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    while waiting:
        if deadline is not None and time.monotonic() > deadline:
            raise RunFailed(f"{len(waiting)} targets not finished after {timeout_s:.0f} s (run {run_id}); "
                            "stored targets are reused when the inspection is started again")
        got = next_report(client, run_id, 1.0)
        if got is None:
            continue
        if "error" in got:
            raise RunFailed(f"{got['kind']} {got['id']}: {got['error']}")
        key = (got["kind"], got["id"])
        if key in waiting:
            waiting.discard(key)
            progress.target(got["kind"], got["id"], got["verdict"])
