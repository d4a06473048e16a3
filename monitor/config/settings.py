"""Typed settings: the shipped defaults, a user's ``--settings FILE`` and ``GOVMON_*``.

Order (later wins): the defaults shipped inside the package (``monitor/defaults.toml``, a link
to the documented top-level ``settings.toml``; read with ``importlib.resources`` so an
installed wheel has them) → the user's file → environment variables ``GOVMON_<SECTION>__<KEY>``
(e.g. ``GOVMON_CRAWL__CONCURRENCY=8``; values parsed as TOML literals, falling back to a plain
string). An unknown key or a value of the wrong type is a ``ConfigError`` naming the file (or
variable) and the dotted key.

The models below state types, not values: every value comes from the shipped file, so a
default is defined once. Code and tests that need the defaults call ``shipped_settings()`` or
``<Section>.shipped(**changes)``; a missing or unreadable defaults file is a ``ConfigError``,
never an empty rule set.
"""

from __future__ import annotations

import copy
import functools
import os
import re
import tomllib
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, Literal, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError, field_validator, model_validator

from monitor.model.errors import ConfigError

ENV_PREFIX = "GOVMON_"


DEFAULTS_PACKAGE = "monitor.config"
DEFAULTS_RESOURCE = "defaults.toml"


_UNSAFE_IN_NAME = re.compile(r"[/\\\x00-\x1f\x7f]")


def file_name_part(value: str) -> str:
    """``value`` if it can be part of a file name: not empty, no path separator, not ``.``/``..``,
    no control character (it names files written into the output folder, never elsewhere)."""
    if not value.strip():
        raise ValueError("must not be empty (it starts the file names)")
    if value.strip() in (".", "..") or ".." in value:
        raise ValueError(f"{value!r}: '..' is not allowed in a file name")
    if bad := _UNSAFE_IN_NAME.search(value):
        raise ValueError(f"{value!r}: {bad.group()!r} is not allowed in a file name (no folders, no control characters)")
    return value


class Section(BaseModel):
    model_config = {"extra": "forbid", "validate_assignment": True}

    #: The ``[table]`` of the settings file this model reads ("" for nested models).
    table: ClassVar[str] = ""

    @classmethod
    def shipped(cls, **changes: Any) -> Self:
        """This table's shipped defaults with ``changes`` applied (validated like a user's file)."""
        if not cls.table:
            raise TypeError(f"{cls.__name__} is not a top-level settings table")
        return cls.model_validate({**read_defaults()[cls.table], **changes})


class GeneralSettings(Section):
    table: ClassVar[str] = "general"

    data_dir: str
    database_url: str
    timezone: str
    registry: str
    retention_months: int

    def zone(self) -> ZoneInfo:
        """The inspection calendar's time zone: naive times, as-of days and natural weeks use it."""
        return ZoneInfo(self.timezone)

    def resolved_data_dir(self) -> Path:
        return Path(os.path.expanduser(self.data_dir)).resolve()

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir() / 'govmon.db'}"


class CrawlSettings(Section):
    table: ClassVar[str] = "crawl"

    user_agent: str
    transport: Literal["aiohttp", "httpx"]
    ca_file: str
    concurrency: int
    sites_at_once: int
    accounts_at_once: int
    per_host_concurrency: int
    per_host_rate: float
    host_overrides: dict[str, dict[str, float]]
    timeout_total: float
    timeout_connect: float
    retries: int
    retry_backoff: float
    retry_after_max: float
    max_redirects: int
    max_depth: int
    max_pages: int
    site_budget_seconds: float
    max_body_bytes: int
    obey_robots: bool
    freshness_hours: float
    max_url_length: int
    max_path_repeats: int
    max_query_variants: int
    probes_per_check: int
    attachment_extensions: list[str]
    allow_private: bool
    max_decompression_ratio: float
    session_params: list[str]
    tracking_params: list[str]


class LinkSettings(Section):
    table: ClassVar[str] = "links"

    check_external: bool
    external_per_host_concurrency: int
    head_first: bool
    soft_404_patterns: list[str]
    waf_patterns: list[str]
    blocked_statuses: list[int]
    structure_links: int
    soft_404_main_text: int
    not_found_probes: bool
    not_found_similarity: float
    blocked_retry_seconds: float


class ExtractSettings(Section):
    table: ClassVar[str] = "extract"

    column_kinds: dict[str, list[str]]
    empty_patterns: list[str]
    max_list_pages: int
    nav_selectors: list[str]
    max_columns: int
    max_message_details: int
    max_guides: int
    concurrency: int
    guide_link_words: list[str]
    guide_fields: dict[str, list[str]]
    guide_blank_values: list[str]


class ScoringRule(Section):
    """How findings of one check (narrowed by ``when`` / ``at_least``) are judged: severity, points, clause."""

    severity: Literal["veto", "deduct", "notice"]
    clause: str
    title: str = ""
    points: float = 0.0
    indicator: str = ""
    group: str = ""
    when: dict[str, list[str | int | bool]] = {}
    at_least: dict[str, float] = {}


class ScoringIndicator(Section):
    """A deduction indicator: its Chinese name and the most points it may cost (the rules' cap)."""

    name: str
    cap: float


class ScoringGroup(Section):
    """Findings counted together: ``veto_at`` of them make all vetoes, ``near_miss_at`` a 接近单否 notice."""

    name: str
    veto_at: int
    near_miss_at: int = 0


class ScoringSettings(Section):
    table: ClassVar[str] = "scoring"

    full_marks: float
    pass_line: float
    scored_site_kinds: list[str]
    accounts_use_pass_line: bool
    indicators: dict[str, ScoringIndicator]
    groups: dict[str, ScoringGroup]
    rules: dict[str, dict[str, ScoringRule]]

    @model_validator(mode="after")
    def _known_references(self) -> "ScoringSettings":
        """A rule naming an indicator or group that is not defined is a typo: say which."""
        for check_id, variants in self.rules.items():
            for name, rule in variants.items():
                if rule.indicator and rule.indicator not in self.indicators:
                    raise ValueError(f"rules.{check_id}.{name}.indicator: unknown indicator {rule.indicator!r}")
                if rule.group and rule.group not in self.groups:
                    raise ValueError(f"rules.{check_id}.{name}.group: unknown group {rule.group!r}")
        return self


class AccountSettings(Section):
    """New-media accounts: sources of posts, weekly quotas, spreadsheet vocabularies."""

    table: ClassVar[str] = "accounts"

    rsshub_base: str
    csv_dir: str
    full_page: int
    core_platforms: list[str]
    min_posts_per_week: dict[str, int]
    platform_names: dict[str, str]
    status_names: dict[str, str]

    def required_posts(self, platform: str) -> int:
        """Posts required per natural week on ``platform`` (unlisted platforms use "other")."""
        return self.min_posts_per_week.get(platform, self.min_posts_per_week.get("other", 1))


class ReportSettings(Section):
    """The monthly notice (通报): office details, dates, templates (documented in settings.toml [report])."""

    table: ClassVar[str] = "report"

    office: str
    office_short: str
    recipients: str
    doc_number_pattern: str
    doc_number: str
    doc_number_seq: int
    head: Literal["auto", "letter", "file", "none"]
    city: str
    scope: str
    basis_extra: str
    report_to: str
    contact_name: str
    contact_phone: str
    contact_email: str
    rectification_days: int
    issue_offset_days: int
    disclosure: str
    requirements_template: str
    docx_template: str
    out_dir: str
    file_prefix: str
    history_months: int
    max_named_units: int
    max_evidence_urls: int
    district_order: list[str]
    platform_names: dict[str, str]
    stated_notices: list[str]

    @field_validator("file_prefix")
    @classmethod
    def _file_name_part(cls, value: str) -> str:
        return file_name_part(value)


class ProbeSettings(Section):
    """Home-page availability probes (documented in settings.toml [probes])."""

    table: ClassVar[str] = "probes"

    timeout_seconds: float
    control_url: str
    max_loop_lag_seconds: float


class DaemonSettings(Section):
    table: ClassVar[str] = "daemon"

    probe_minutes: float
    probe_concurrency: int
    feed_hours: float
    snapshot_cron: str
    snapshot_max_pages: int
    monthly_cron: str
    prune_cron: str
    report_formats: list[str]
    misfire_grace_seconds: int
    shutdown_grace_seconds: float
    lease_seconds: int
    log_json: bool


class Settings(Section):
    general: GeneralSettings
    crawl: CrawlSettings
    links: LinkSettings
    extract: ExtractSettings
    checks: dict[str, dict[str, Any]]
    scoring: ScoringSettings
    accounts: AccountSettings
    report: ReportSettings
    daemon: DaemonSettings
    probes: ProbeSettings


#: A cross-check of a whole ``Settings`` against knowledge that lives above this layer (the checks'
#: option models, the scoring rules' check ids): raises ``ConfigError`` naming the key.
Validator = Callable[[Settings], None]


def read_defaults() -> dict[str, Any]:
    """The shipped defaults as a fresh dict; an installation without them is a ``ConfigError``."""
    return copy.deepcopy(_defaults_tree())


@functools.cache
def _defaults_tree() -> dict[str, Any]:
    where = f"{DEFAULTS_PACKAGE}/{DEFAULTS_RESOURCE}"
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


def shipped_settings() -> Settings:
    """The shipped defaults alone (no user file, no environment): what tests and tools start from."""
    return _validate(read_defaults(), f"{DEFAULTS_PACKAGE}/{DEFAULTS_RESOURCE}")


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
    origin = f"{DEFAULTS_PACKAGE}/{DEFAULTS_RESOURCE}"
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
