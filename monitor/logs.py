"""Logging for long-running commands: one readable line per event, or JSON lines on request."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

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
