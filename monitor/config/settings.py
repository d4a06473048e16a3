"""Typed settings: one model per table of ``settings.toml``, loaded by ``monitor.config.load``.

Order (later wins): the defaults shipped inside the package (``monitor/config/defaults.toml``, a link
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

import os
import re
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, field_validator, model_validator

from monitor.config.shipped import read_defaults

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
    max_body_bytes: Annotated[int, Field(ge=0)]
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


class RectificationSettings(Section):
    """Rectification cases and their deadlines (documented in settings.toml [rectification])."""

    table: ClassVar[str] = "rectification"

    working_days: Annotated[int, Field(ge=1)]


class EvidenceSettings(Section):
    """The pages and screenshots kept behind fault findings (documented in settings.toml [evidence])."""

    table: ClassVar[str] = "evidence"

    max_pages_per_target: Annotated[int, Field(ge=0)]
    max_body_bytes: int
    chromium: str
    screenshot_width: Annotated[int, Field(ge=0)]
    screenshot_max_height: Annotated[int, Field(ge=0)]
    screenshot_timeout_seconds: Annotated[float, Field(gt=0)]
    max_screenshots_per_target: Annotated[int, Field(ge=0)]


class ProbeSettings(Section):
    """Home-page availability probes (documented in settings.toml [probes])."""

    table: ClassVar[str] = "probes"

    timeout_seconds: float
    control_url: str
    max_loop_lag_seconds: float
    vantage_points: list[str]


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
    rectification: RectificationSettings
    evidence: EvidenceSettings
