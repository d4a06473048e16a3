"""The registry of targets: government sites and new-media accounts (``registry.toml``).

Errors name the file, the entry's line and the field, e.g.
``registry.toml:14: sites[2] (id=1403000002): url: must start with http:// or https://``.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from monitor.accounts.sources import csv_feed_problem
from monitor.model.errors import RegistryError

PLATFORMS = ("wechat", "weibo", "app", "douyin", "toutiao", "kuaishou", "xigua", "bilibili", "baijiahao", "other")
SITE_ID_RE = re.compile(r"^(\d{10}|bm\d{8})$")


class PinnedColumn(BaseModel):
    """A column the registry fixes for a site, overriding discovery."""

    model_config = {"extra": "forbid"}
    name: str
    url: str
    kind: str = "other"
    level: int = 1


class Site(BaseModel):
    """A government website (政府网站)."""

    model_config = {"extra": "forbid"}
    id: str
    name: str
    url: str
    owner: str = ""
    district: str = "市直"
    kind: Literal["portal", "department"] = "department"
    hosts: list[str] = Field(default_factory=list)
    columns: list[PinnedColumn] = Field(default_factory=list)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must start with http:// or https:// and name a host")
        return value

    @field_validator("id")
    @classmethod
    def _site_id(cls, value: str) -> str:
        if not SITE_ID_RE.match(value):
            raise ValueError("网站标识码 must be 10 digits or 'bm' + 8 digits")
        return value


class Account(BaseModel):
    """A government new-media account (政务新媒体)."""

    model_config = {"extra": "forbid"}
    id: str
    name: str
    platform: str
    owner: str
    district: str = "市直"
    feed: str = ""
    status: Literal["active", "closing", "migrating", "closed"] = "active"
    deadline: date | None = None

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str) -> str:
        if value not in PLATFORMS:
            raise ValueError(f"unknown platform {value!r} (known: {', '.join(PLATFORMS)})")
        return value

    @field_validator("feed")
    @classmethod
    def _confined_csv(cls, value: str) -> str:
        problem = csv_feed_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class Registry(BaseModel):
    model_config = {"extra": "forbid"}
    sites: list[Site] = Field(default_factory=list)
    accounts: list[Account] = Field(default_factory=list)

    def site(self, site_id: str) -> Site:
        for site in self.sites:
            if site.id == site_id:
                return site
        raise KeyError(site_id)

    def account(self, account_id: str) -> Account:
        for account in self.accounts:
            if account.id == account_id:
                return account
        raise KeyError(account_id)


def _entry_lines(text: str, table: str) -> list[int]:
    """Line numbers (1-based) of each ``[[table]]`` header, in order."""
    pattern = re.compile(rf"^\s*\[\[\s*{table}\s*\]\]\s*(#.*)?$")
    return [i for i, line in enumerate(text.splitlines(), 1) if pattern.match(line)]


def _field_line(text: str, entry_line: int, field: str) -> int:
    """The line of ``field = …`` inside the entry starting at ``entry_line`` (else the entry's line)."""
    if not field:
        return entry_line
    pattern = re.compile(rf"^\s*{re.escape(field)}\s*=")
    for number, line in enumerate(text.splitlines()[entry_line:], entry_line + 1):
        if line.lstrip().startswith("["):
            break
        if pattern.match(line):
            return number
    return entry_line


def parse_registry(text: str, origin: str = "registry.toml") -> Registry:
    """Parse registry TOML text; every error names origin, line, entry and field."""
    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{origin}: invalid TOML: {exc}") from None
    unknown = set(raw) - {"sites", "accounts"}
    if unknown:
        raise RegistryError(f"{origin}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    try:
        registry = Registry.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        where = origin
        if len(loc) >= 2 and isinstance(loc[1], int):
            table, index = str(loc[0]), loc[1]
            lines = _entry_lines(text, table)
            if index < len(lines):
                where = f"{origin}:{_field_line(text, lines[index], str(loc[2]) if len(loc) > 2 else '')}"
            entry = raw.get(table, [])[index] if isinstance(raw.get(table), list) else {}
            ident = f" (id={entry.get('id')})" if isinstance(entry, dict) and entry.get("id") else ""
            field = ".".join(str(p) for p in loc[2:]) or "entry"
            hint = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
            raise RegistryError(f"{where}: {table}[{index}]{ident}: {field}: {hint}") from None
        raise RegistryError(f"{where}: {'.'.join(map(str, loc))}: {err['msg']}") from None
    _check_unique(registry, text, origin)
    return registry


def _check_unique(registry: Registry, text: str, origin: str) -> None:
    for table, entries in (("sites", registry.sites), ("accounts", registry.accounts)):
        seen: dict[str, int] = {}
        lines = _entry_lines(text, table)
        for index, entry in enumerate(entries):
            if entry.id in seen:
                line = f":{lines[index]}" if index < len(lines) else ""
                raise RegistryError(
                    f"{origin}{line}: {table}[{index}]: id: duplicate id {entry.id!r} (first at {table}[{seen[entry.id]}])"
                )
            seen[entry.id] = index


def load_registry(path: str | Path) -> Registry:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryError(f"{file}: registry file not found") from None
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_registry(text, str(file))
