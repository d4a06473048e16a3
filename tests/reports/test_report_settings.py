"""[report] in settings.toml: every ReportSettings key is there, valid, and documented by a comment."""

from __future__ import annotations

import re
import tomllib

from monitor.settings import ReportSettings, default_settings_path


def _report_section() -> list[str]:
    lines = default_settings_path().read_text(encoding="utf-8").splitlines()
    start = lines.index("[report]")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    return lines[start + 1:end]


def test_every_report_key_is_in_settings_toml_with_a_comment_above() -> None:
    section = _report_section()
    keys = {}
    for index, line in enumerate(section):
        match = re.match(r"^(\w+) = ", line)
        if match:
            keys[match.group(1)] = index
    assert set(keys) == set(ReportSettings.model_fields)
    for key, index in keys.items():
        above = section[index - 1]
        assert above.startswith("#") or re.match(r"^\w+ = ", above), key


def test_report_section_validates_and_matches_the_model_defaults_where_it_should() -> None:
    with default_settings_path().open("rb") as fh:
        report = ReportSettings.model_validate(tomllib.load(fh)["report"])
    defaults = ReportSettings()
    for key in ("rectification_days", "issue_offset_days", "disclosure", "scope", "head", "file_prefix",
                "history_months", "max_named_units", "max_evidence_urls", "basis_extra"):
        assert getattr(report, key) == getattr(defaults, key), key
