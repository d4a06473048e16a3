"""`govmon serve` as the office runs it: a subprocess bound to 127.0.0.1 on a free port over a
stored database; it answers the overview and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from monitor.store.store import Store
from tests.web.conftest import city, free_port, store_document


@pytest.mark.slow
def test_govmon_serve_answers_the_overview_and_stops_on_sigterm(tmp_path: Path) -> None:
    db = tmp_path / "govmon.db"
    store = Store(f"sqlite:///{db}")
    store_document(store, city("2021-08"))
    store.close()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.2)
        assert page.status_code == 200 and "93.9%" in page.text and 'href="/months/2021-08"' in page.text
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    # uvicorn shuts down gracefully, then re-raises the signal it caught: killed by SIGTERM, no traceback
    assert proc.returncode in (0, -signal.SIGTERM) and "Traceback" not in err, err
    assert f"govmon workbench on http://127.0.0.1:{port}/" in out
