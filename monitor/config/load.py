"""Loading settings: the shipped defaults, then a user's ``--settings FILE``, then ``GOVMON_*``
variables, each layer validated so an error names the file or variable and the dotted key."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from monitor.config.settings import Settings
from monitor.config.shipped import defaults_origin, read_defaults, read_toml
from monitor.model.errors import ConfigError

ENV_PREFIX = "GOVMON_"

#: A cross-check of a whole ``Settings`` against knowledge that lives above this layer (the checks'
#: option models, the scoring rules' check ids): raises ``ConfigError`` naming the key.
Validator = Callable[[Settings], None]


def shipped_settings() -> Settings:
    """The shipped defaults alone (no user file, no environment): what tests and tools start from."""
    return _validate(read_defaults(), defaults_origin())


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` merged into ``base`` table by table (a user's file only states what it changes)."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _env_overrides(environ: dict[str, str]) -> list[tuple[str, list[str], Any]]:
    found = []
    for name, raw in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        path = [p.lower() for p in name[len(ENV_PREFIX):].split("__")]
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw
        found.append((name, path, value))
    return found


def _set_path(tree: dict[str, Any], path: list[str], value: Any) -> None:
    node = tree
    for part in path[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ConfigError(f"{'.'.join(path)}: {part} is not a table")
    node[path[-1]] = value


def _validate(tree: dict[str, Any], origin: str, validators: Sequence[Validator] = ()) -> Settings:
    try:
        settings = Settings.model_validate(tree)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        got = err.get("input")
        if err["type"] == "missing":
            raise ConfigError(f"{origin}: {key}: missing key (the shipped defaults define every key)") from None
        hint = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise ConfigError(f"{origin}: {key}: {hint} (got {got!r})") from None
    for validator in validators:
        try:
            validator(settings)
        except ConfigError as exc:
            raise ConfigError(f"{origin}: {exc}") from None
    return settings


def load_settings(path: str | Path | None = None, environ: dict[str, str] | None = None,
                  validators: Sequence[Validator] = ()) -> Settings:
    """Load the shipped defaults, then ``path`` (if any), then ``GOVMON_*`` variables; each layer is
    validated (and cross-checked by ``validators``) so an error names the file or variable that made it."""
    tree = read_defaults()
    origin = defaults_origin()
    _validate(tree, origin, validators)
    if path is not None:
        user = Path(path)
        tree = _merge(tree, read_toml(user))
        origin = str(user)
        _validate(tree, origin, validators)
    env = dict(os.environ if environ is None else environ)
    for name, dotted, value in _env_overrides(env):
        _set_path(tree, dotted, value)
        _validate(tree, f"environment variable {name}", validators)
    return _validate(tree, origin, validators)
