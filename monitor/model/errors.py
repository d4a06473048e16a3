"""The exceptions govmon raises on bad input.

Tree::

    GovmonError            every error the CLI reports as one line and exit code 2
    ├── ConfigError        settings file / environment: names the file and key
    ├── RegistryError      registry file or spreadsheet: names the file, row/line and field
    ├── StorageError       database unreachable or inconsistent
    └── OutputError        an output file (notice, findings, registry) cannot be written

Network problems are never exceptions: they are values (``FetchResult.error``).
"""

from __future__ import annotations


class GovmonError(Exception):
    """Base of all user-facing errors; ``str(err)`` is a complete one-line message."""


class ConfigError(GovmonError):
    """A settings file or ``GOVMON_*`` variable is malformed, unknown or of the wrong type."""


class RegistryError(GovmonError):
    """The registry of sites and accounts is malformed."""


class StorageError(GovmonError):
    """The database cannot be opened or holds inconsistent data."""


class OutputError(GovmonError):
    """An output file cannot be written (read-only or full folder); the previous file is intact."""
