"""What one fetch gave: a value, never an exception — a network failure is an ``error`` name.

Kept apart from the client (``monitor.net.fetch``) so that the code which judges responses
(``classify``, ``robots``) and every reader of fetched pages depends on the value, not the client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from monitor.net.decode import decode


@dataclass
class FetchResult:
    """What one GET/HEAD (after redirects and retries) gave; ``error`` names a network failure."""

    url: str
    final_url: str
    status: int | None = None
    error: str | None = None
    elapsed_ms: int = 0
    wire_ms: int = 0
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    redirects: list[str] = field(default_factory=list)
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    attempts: int = 1
    method: str = "GET"
    _decoded: tuple[str, str] | None = field(default=None, repr=False, compare=False)
    dns_again: bool = field(default=False, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 400

    def text(self) -> str:
        """The body decoded (header charset → <meta> → detection; see monitor.net.decode)."""
        if self._decoded is None:
            self._decoded = decode(self.body, self.headers.get("content-type"))
        return self._decoded[0]

    @property
    def encoding(self) -> str:
        self.text()
        assert self._decoded is not None
        return self._decoded[1]
