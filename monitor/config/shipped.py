"""The TOML files settings come from: the defaults shipped in the package and a user's file.

The shipped ``defaults.toml`` is a link to the documented top-level ``settings.toml``, read with
``importlib.resources`` so an installed wheel has it; a missing or broken one is a ``ConfigError``
(never an empty rule set).
"""

from __future__ import annotations

import copy
import functools
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from monitor.model.errors import ConfigError

DEFAULTS_PACKAGE = "monitor.config"
DEFAULTS_RESOURCE = "defaults.toml"


def defaults_origin() -> str:
    """How errors name the shipped defaults file."""
    return f"{DEFAULTS_PACKAGE}/{DEFAULTS_RESOURCE}"


def read_defaults() -> dict[str, Any]:
    """The shipped defaults as a fresh dict; an installation without them is a ``ConfigError``."""
    return copy.deepcopy(_defaults_tree())


@functools.cache
def _defaults_tree() -> dict[str, Any]:
    where = defaults_origin()
    try:
        data = resources.files(DEFAULTS_PACKAGE).joinpath(DEFAULTS_RESOURCE).read_bytes()
    except OSError as exc:
        raise ConfigError(f"the shipped defaults {where} cannot be read ({exc.strerror or exc}): "
                          "the installation is incomplete; reinstall govmon") from None
    try:
        tree = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"the shipped defaults {where} are not valid TOML: {exc}") from None
    if not tree:
        raise ConfigError(f"the shipped defaults {where} are empty: the installation is incomplete; reinstall govmon")
    return tree


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict; a missing, unreadable or malformed file is a ``ConfigError`` naming it."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
