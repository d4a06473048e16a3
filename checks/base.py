"""The check protocol: what a check is, what it may read, and how its options are read.

A check is a plain object with an ``id`` (equal to its module name and to the ``check`` key
of its findings), the target kinds it applies to, the options model read from
``[checks.<id>]`` in settings, and a pure ``run`` over a stored snapshot. It never does I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

from pydantic import BaseModel

from monitor.model.findings import Finding, TargetKind
from monitor.model.period import Period

if TYPE_CHECKING:
    from monitor.config.settings import Settings
    from monitor.model.snapshots import AccountSnapshot, SiteSnapshot
    from monitor.registry.model import Account, Registry, Site


class CheckOptions(BaseModel):
    """A check's ``[checks.<id>]`` table. Models state types and bounds, never values: every value
    comes from the shipped settings file (one place), read by ``shipped`` in code and tests."""

    model_config = {"extra": "forbid"}

    @classmethod
    def shipped(cls, **changes: Any) -> Self:
        """The shipped ``[checks.<id>]`` (``<id>`` = the check's module) with ``changes`` applied."""
        from monitor.config.shipped import read_defaults

        check_id = cls.__module__.split(".")[1]
        return cls.model_validate({**read_defaults()["checks"].get(check_id, {}), **changes})


class NoOptions(CheckOptions):
    """The options of a check with no ``[checks.<id>]`` table."""


def read_options(settings: "Settings", check_id: str, model: type[BaseModel]) -> BaseModel:
    """The validated options of one check: its ``options_model`` over ``[checks.<id>]`` of settings."""
    return model.model_validate(settings.checks.get(check_id, {}))


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
