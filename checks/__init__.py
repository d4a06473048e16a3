"""The built-in checks, registered in one explicit tuple (module name == check id)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from checks.base import read_options

if TYPE_CHECKING:
    from monitor.config.settings import Settings

CHECK_MODULES: tuple[str, ...] = (
    "dead_link",
    "stale_homepage",
    "stale_column",
    "empty_column",
    "expression_error",
    "interaction_unanswered",
    "service_guide_incomplete",
    "unreachable",
    "update_frequency",
    "stale_account",
    "duplicate_account",
    "feed_unreachable",
    "account_not_retired",
)

ALL_CHECKS: tuple[Any, ...] = tuple(import_module(f"checks.{name}").CHECK for name in CHECK_MODULES)
BY_ID: dict[str, Any] = {check.id: check for check in ALL_CHECKS}


def check_options(settings: Settings, check_id: str) -> BaseModel:
    """The validated options of the registered check ``check_id`` (``[checks.<id>]`` of settings)."""
    return read_options(settings, check_id, BY_ID[check_id].options_model)
