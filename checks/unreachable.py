"""unreachable: placeholder until its issue lands (owned by the check's author)."""

from __future__ import annotations

from typing import ClassVar

from checks.base import NoOptions, TargetKind


class _Pending:
    id: ClassVar[str] = "unreachable"
    targets: ClassVar[frozenset[TargetKind]] = frozenset()
    options_model = NoOptions


CHECK = _Pending()
