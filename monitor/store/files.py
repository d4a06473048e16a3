"""Write an output file so a crash or a full disk never leaves half of it over the last good one.

The bytes go to a temporary file in the target's own folder (same file system, so the rename is
atomic), are flushed to disk, and the temporary file is renamed over the target. Any failure
removes the temporary file, leaves the old target untouched and raises ``OutputError`` naming
the file and the reason.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from monitor.model.errors import OutputError


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Read once at import (``os.umask`` can only be read by setting it, which is not thread-safe).
_UMASK = _read_umask()


def write_atomic(path: Path, data: bytes | str, *, what: str = "file") -> Path:
    """Replace ``path`` with ``data`` (str is written as UTF-8) in one step; returns ``path``."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"{path}: cannot write the {what}: {reason}; "
                          "any earlier version of the file is left as it was") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 minus the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK
