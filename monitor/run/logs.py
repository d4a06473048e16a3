"""Logging for long-running commands: one readable line per event, or JSON lines on request."""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

_FIELDS = ("job", "run", "outcome", "duration_s", "detail")


class JsonFormatter(logging.Formatter):
    """One JSON object per line with the job fields when the record carries them."""

    def format(self, record: logging.LogRecord) -> str:
        out = {"ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds"),
               "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        out.update({k: getattr(record, k) for k in _FIELDS if hasattr(record, k)})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure(json_lines: bool = False, level: int = logging.INFO) -> None:
    """Send govmon's logs to stderr, readable or as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else
                         logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    root = logging.getLogger("govmon")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def write_crash_log(exc: BaseException, data_dir: Path | None, argv: list[str]) -> Path:
    """Write ``exc``'s traceback to a new log file and return its path.

    Where: ``<data_dir>/logs/`` when the data directory exists (an office finds it beside its
    database), else the system temporary directory. The command line and time head the file so a
    report to the maintainers carries what is needed to reproduce.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = (f"govmon crash at {stamp}\ncommand: {' '.join(argv)}\npid: {os.getpid()}\n\n"
            + "".join(traceback.format_exception(exc)))
    folders = ([data_dir / "logs"] if data_dir is not None and data_dir.is_dir() else []) + [Path(tempfile.gettempdir())]
    for folder in folders:
        try:
            folder.mkdir(exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f"govmon-crash-{stamp}-", suffix=".log", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            return Path(name)
        except OSError:
            continue
    raise OSError("no writable folder for the crash log")
