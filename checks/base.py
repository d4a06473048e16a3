"""The check protocol, findings and their severities.

A check is a plain object with an ``id`` (equal to its module name and to the ``check`` key
of its findings), the target kinds it applies to, the options model read from
``[checks.<id>]`` in settings, and a pure ``run`` over a stored snapshot. It never does I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pydantic import BaseModel

from monitor.model.period import Period

if TYPE_CHECKING:
    from monitor.registry.model import Account, Registry, Site
    from monitor.config.settings import Settings
    from monitor.model.snapshots import AccountSnapshot, SiteSnapshot


class Severity(StrEnum):
    """单项否决 / 扣分 / 提示."""

    VETO = "veto"
    DEDUCT = "deduct"
    NOTICE = "notice"


class TargetKind(StrEnum):
    SITE = "site"
    ACCOUNT = "account"


class NoOptions(BaseModel):
    model_config = {"extra": "forbid"}


@dataclass(slots=True)
class Finding:
    """One problem with its evidence. ``data`` holds the check's own keys."""

    check: str
    severity: Severity
    url: str
    data: dict[str, Any] = field(default_factory=dict)
    points: float = 0.0
    clause: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"check": self.check, "severity": str(self.severity), "url": self.url}
        out.update(self.data)
        out["points"] = round(self.points, 2)
        out["clause"] = self.clause
        return out

    def sort_key(self) -> tuple[str, str, str]:
        return (self.check, self.url, repr(sorted(self.data.items(), key=lambda kv: kv[0])))


@dataclass(slots=True)
class CheckContext:
    """What a check may read besides its snapshot: the period, its options, the registry."""

    period: Period
    options: BaseModel
    settings: "Settings"
    registry: "Registry | None" = None


class SiteCheck(Protocol):
    id: ClassVar[str]
    targets: ClassVar[frozenset[TargetKind]]
    options_model: ClassVar[type[BaseModel]]

    def run_site(self, site: "Site", snap: "SiteSnapshot", ctx: CheckContext) -> Iterable[Finding]: ...


class AccountCheck(Protocol):
    id: ClassVar[str]
    targets: ClassVar[frozenset[TargetKind]]
    options_model: ClassVar[type[BaseModel]]

    def run_account(self, account: "Account", snap: "AccountSnapshot", ctx: CheckContext) -> Iterable[Finding]: ...
