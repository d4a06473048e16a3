"""[report] in settings.toml: every ReportSettings key is there, valid, and documented by a comment."""

from __future__ import annotations

import re
from pathlib import Path

from monitor.config.settings import ReportSettings

SETTINGS_TOML = Path(__file__).resolve().parents[2] / "settings.toml"


def _report_section() -> list[str]:
    lines = SETTINGS_TOML.read_text(encoding="utf-8").splitlines()
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

