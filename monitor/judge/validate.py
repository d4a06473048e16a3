"""Settings cross-checked against the registered checks and the scoring rules.

The settings layer knows the shape of every table but not which checks exist; this module, above
both, names a typo such as ``[checks.dead_lnk]`` or ``[scoring.rules.x]`` with the file or variable
that wrote it. Commands load their settings through ``load_checked_settings``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError

import checks
from monitor.config.load import load_settings
from monitor.config.settings import Settings
from monitor.judge.scoring import check_rules
from monitor.model.errors import ConfigError


def validate_checks(settings: Settings) -> None:
    """Every ``[checks.<id>]`` names a registered check with valid options; every scoring rule a check."""
    check_rules(settings.scoring, checks.BY_ID)
    for check_id, options in settings.checks.items():
        if check_id not in checks.BY_ID:
            raise ConfigError(f"checks.{check_id}: unknown check (known: {', '.join(sorted(checks.BY_ID))})")
        try:
            checks.BY_ID[check_id].options_model.model_validate(options)
        except ValidationError as exc:
            err = exc.errors()[0]
            key = ".".join(str(p) for p in err["loc"])
            hint = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
            raise ConfigError(f"checks.{check_id}.{key}: {hint}") from None


def load_checked_settings(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """``load_settings`` with the checks' cross-validation at every layer."""
    return load_settings(path, dict(environ) if environ is not None else None, validators=(validate_checks,))
