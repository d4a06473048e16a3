"""Typed settings: ``settings.toml`` defaults, a user's ``--settings FILE`` and ``GOVMON_*``.

Order (later wins): the project's ``settings.toml`` → the user's file → environment variables
``GOVMON_<SECTION>__<KEY>`` (e.g. ``GOVMON_CRAWL__CONCURRENCY=8``; values parsed as TOML
literals, falling back to a plain string). An unknown key or a value of the wrong type is a
``ConfigError`` naming the file (or variable) and the dotted key.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from monitor.errors import ConfigError

ENV_PREFIX = "GOVMON_"


class Section(BaseModel):
    model_config = {"extra": "forbid", "validate_assignment": True}


class GeneralSettings(Section):
    data_dir: str = "./govmon-data"
    database_url: str = ""
    timezone: str = "Asia/Shanghai"
    registry: str = "registry.toml"

    def resolved_data_dir(self) -> Path:
        return Path(os.path.expanduser(self.data_dir)).resolve()

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir() / 'govmon.db'}"


class CrawlSettings(Section):
    user_agent: str = "govmon/0.1"
    transport: str = "aiohttp"
    concurrency: int = 16
    per_host_concurrency: int = 8
    per_host_rate: float = 0.0
    host_overrides: dict[str, dict[str, float]] = {}
    timeout_total: float = 15.0
    timeout_connect: float = 5.0
    retries: int = 2
    retry_backoff: float = 0.5
    retry_after_max: float = 30.0
    max_redirects: int = 10
    max_depth: int = 3
    max_pages: int = 500
    max_body_bytes: int = 5_000_000
    obey_robots: bool = True
    freshness_hours: float = 24.0
    max_url_length: int = 1024
    max_path_repeats: int = 2
    max_query_variants: int = 30
    attachment_extensions: list[str] = []


class LinkSettings(Section):
    check_external: bool = True
    external_per_host_concurrency: int = 4
    head_first: bool = True
    soft_404_patterns: list[str] = []
    waf_patterns: list[str] = []
    blocked_statuses: list[int] = [403, 429]


class ExtractSettings(Section):
    column_kinds: dict[str, list[str]] = {}
    empty_patterns: list[str] = []
    max_list_pages: int = 3
    nav_selectors: list[str] = []


class ScoringSettings(Section):
    full_marks: float = 100.0
    pass_line: float = 60.0
    rules: dict[str, dict[str, Any]] = {}


class AccountSettings(Section):
    rsshub_base: str = "http://127.0.0.1:1200"
    core_platforms: list[str] = ["wechat", "weibo", "app"]
    min_posts_per_week: dict[str, int] = {}
    platform_names: dict[str, str] = {}


class ReportSettings(Section):
    office: str = ""
    office_short: str = ""
    recipients: str = ""
    doc_number_pattern: str = ""
    doc_number: str = ""
    city: str = ""
    scope: str = "全市"
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    rectification_days: int = 10
    issue_offset_days: int = 13
    disclosure: str = "（此件公开发布）"
    requirements_template: str = ""
    district_order: list[str] = []


class DaemonSettings(Section):
    probe_minutes: int = 60
    feed_hours: int = 6
    snapshot_cron: str = "0 3 * * *"
    monthly_cron: str = "0 2 1 * *"
    misfire_grace_seconds: int = 86400
    shutdown_grace_seconds: int = 30
    lease_seconds: int = 300
    min_probes_for_unreachable: int = 20
    log_json: bool = False


class Settings(Section):
    general: GeneralSettings = GeneralSettings()
    crawl: CrawlSettings = CrawlSettings()
    links: LinkSettings = LinkSettings()
    extract: ExtractSettings = ExtractSettings()
    checks: dict[str, dict[str, Any]] = {}
    scoring: ScoringSettings = ScoringSettings()
    accounts: AccountSettings = AccountSettings()
    report: ReportSettings = ReportSettings()
    daemon: DaemonSettings = DaemonSettings()

    def check_options(self, check_id: str) -> BaseModel:
        """The validated options of one check (its ``options_model`` over ``[checks.<id>]``)."""
        from checks import BY_ID

        return BY_ID[check_id].options_model.model_validate(self.checks.get(check_id, {}))


def default_settings_path() -> Path:
    """The project's ``settings.toml``: beside the source tree, or installed under share/."""
    here = Path(__file__).resolve().parent.parent / "settings.toml"
    if here.exists():
        return here
    return Path(sys.prefix) / "share" / "govmon" / "settings.toml"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: settings file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict) and key not in _REPLACED_TABLES:
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


_REPLACED_TABLES: frozenset[str] = frozenset()


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


def _validate(tree: dict[str, Any], origin: str) -> Settings:
    try:
        settings = Settings.model_validate(tree)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        got = err.get("input")
        hint = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise ConfigError(f"{origin}: {key}: {hint} (got {got!r})") from None
    from checks import BY_ID

    for check_id, options in settings.checks.items():
        if check_id not in BY_ID:
            raise ConfigError(f"{origin}: checks.{check_id}: unknown check (known: {', '.join(sorted(BY_ID))})")
        try:
            BY_ID[check_id].options_model.model_validate(options)
        except ValidationError as exc:
            err = exc.errors()[0]
            key = ".".join(str(p) for p in err["loc"])
            hint = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
            raise ConfigError(f"{origin}: checks.{check_id}.{key}: {hint}") from None
    return settings


def load_settings(path: str | Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Load defaults, then ``path`` (if any), then ``GOVMON_*`` variables."""
    base_path = default_settings_path()
    tree = _read_toml(base_path) if base_path.exists() else {}
    origin = str(base_path)
    _validate(tree, origin)
    if path is not None:
        user = Path(path)
        tree = _merge(tree, _read_toml(user))
        origin = str(user)
        _validate(tree, origin)
    env = dict(os.environ if environ is None else environ)
    for name, dotted, value in _env_overrides(env):
        _set_path(tree, dotted, value)
        _validate(tree, f"environment variable {name}")
    return _validate(tree, origin)
