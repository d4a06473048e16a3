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
from typing import Any, Literal

from pydantic import BaseModel, ValidationError, model_validator

from monitor.errors import ConfigError

ENV_PREFIX = "GOVMON_"


class Section(BaseModel):
    model_config = {"extra": "forbid", "validate_assignment": True}


class GeneralSettings(Section):
    data_dir: str = "./govmon-data"
    database_url: str = ""
    timezone: str = "Asia/Shanghai"
    registry: str = "registry.toml"
    retention_months: int = 13

    def resolved_data_dir(self) -> Path:
        return Path(os.path.expanduser(self.data_dir)).resolve()

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir() / 'govmon.db'}"


class CrawlSettings(Section):
    user_agent: str = "govmon/0.1"
    transport: Literal["aiohttp", "httpx"] = "aiohttp"
    ca_file: str = ""
    concurrency: int = 16
    sites_at_once: int = 4
    accounts_at_once: int = 8
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
    site_budget_seconds: float = 1800.0
    max_body_bytes: int = 5_000_000
    obey_robots: bool = True
    freshness_hours: float = 24.0
    max_url_length: int = 1024
    max_path_repeats: int = 2
    max_query_variants: int = 30
    probes_per_check: int = 3
    attachment_extensions: list[str] = []
    allow_private: bool = False
    max_decompression_ratio: float = 200.0
    session_params: list[str] = []
    tracking_params: list[str] = []


class LinkSettings(Section):
    check_external: bool = True
    external_per_host_concurrency: int = 4
    head_first: bool = True
    soft_404_patterns: list[str] = []
    waf_patterns: list[str] = []
    blocked_statuses: list[int] = [403, 429]
    structure_links: int = 8
    soft_404_main_text: int = 300
    not_found_probes: bool = True
    not_found_similarity: float = 0.8
    blocked_retry_seconds: float = 3.0


class ExtractSettings(Section):
    column_kinds: dict[str, list[str]] = {}
    empty_patterns: list[str] = []
    max_list_pages: int = 3
    nav_selectors: list[str] = []
    max_columns: int = 80
    max_message_details: int = 20
    max_guides: int = 10
    concurrency: int = 6
    guide_link_words: list[str] = []
    guide_fields: dict[str, list[str]] = {}
    guide_blank_values: list[str] = []


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
    full_marks: float = 100.0
    pass_line: float = 60.0
    scored_site_kinds: list[str] = ["portal", "department"]
    accounts_use_pass_line: bool = False
    indicators: dict[str, ScoringIndicator] = {}
    groups: dict[str, ScoringGroup] = {}
    rules: dict[str, dict[str, ScoringRule]] = {}

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

    rsshub_base: str = "http://127.0.0.1:1200"
    csv_dir: str = ""
    full_page: int = 10
    core_platforms: list[str] = ["wechat", "weibo", "app"]
    min_posts_per_week: dict[str, int] = {"wechat": 3, "weibo": 3, "app": 3, "other": 1}
    platform_names: dict[str, str] = {}
    status_names: dict[str, str] = {}

    def required_posts(self, platform: str) -> int:
        """Posts required per natural week on ``platform`` (unlisted platforms use "other")."""
        return self.min_posts_per_week.get(platform, self.min_posts_per_week.get("other", 1))


class ReportSettings(Section):
    """The monthly notice (通报): office details, dates, templates (documented in settings.toml [report])."""

    office: str = ""
    office_short: str = ""
    recipients: str = ""
    doc_number_pattern: str = ""
    doc_number: str = ""
    doc_number_seq: int = 0
    head: Literal["auto", "letter", "file", "none"] = "auto"
    city: str = ""
    scope: str = "全市"
    basis_extra: str = "省政府有关要求"
    report_to: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    rectification_days: int = 10
    issue_offset_days: int = 13
    disclosure: str = "（此件公开发布）"
    requirements_template: str = ""
    docx_template: str = ""
    out_dir: str = ""
    file_prefix: str = "通报"
    history_months: int = 6
    max_named_units: int = 10
    max_evidence_urls: int = 5
    district_order: list[str] = []
    platform_names: dict[str, str] = {}
    stated_notices: list[str] = ["duplicate_account"]


class ProbeSettings(Section):
    """Home-page availability probes (documented in settings.toml [probes])."""

    timeout_seconds: float = 15.0
    control_url: str = ""
    max_loop_lag_seconds: float = 1.0


class DaemonSettings(Section):
    probe_minutes: float = 60.0
    probe_concurrency: int = 8
    feed_hours: float = 6.0
    snapshot_cron: str = "0 3 * * *"
    snapshot_max_pages: int = 60
    monthly_cron: str = "0 2 1 * *"
    prune_cron: str = "0 4 2 * *"
    report_formats: list[str] = ["html", "docx"]
    misfire_grace_seconds: int = 86400
    shutdown_grace_seconds: float = 30.0
    lease_seconds: int = 3600
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
    probes: ProbeSettings = ProbeSettings()

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


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict; a missing or malformed file is a ``ConfigError`` naming it."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
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
    from monitor.scoring import check_rules

    try:
        check_rules(settings.scoring, BY_ID)
    except ConfigError as exc:
        raise ConfigError(f"{origin}: {exc}") from None
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
    tree = read_toml(base_path) if base_path.exists() else {}
    origin = str(base_path)
    _validate(tree, origin)
    if path is not None:
        user = Path(path)
        tree = _merge(tree, read_toml(user))
        origin = str(user)
        _validate(tree, origin)
    env = dict(os.environ if environ is None else environ)
    for name, dotted, value in _env_overrides(env):
        _set_path(tree, dotted, value)
        _validate(tree, f"environment variable {name}")
    return _validate(tree, origin)
