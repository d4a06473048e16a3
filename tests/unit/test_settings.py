"""Settings: defaults from settings.toml, user file merged over them, GOVMON_* variables, clear errors."""

from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.settings import load_settings


def test_defaults_come_from_the_project_settings_file() -> None:
    settings = load_settings(environ={})
    assert settings.crawl.timeout_total == 15.0
    assert settings.crawl.concurrency == 16
    assert ".pdf" in settings.crawl.attachment_extensions


def test_user_file_overrides_only_the_keys_it_sets(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text("[crawl]\nmax_pages = 7\n", encoding="utf-8")
    settings = load_settings(user, environ={})
    assert settings.crawl.max_pages == 7
    assert settings.crawl.timeout_total == 15.0


def test_environment_variable_overrides_file_and_is_typed(tmp_path: Path) -> None:
    settings = load_settings(environ={"GOVMON_CRAWL__CONCURRENCY": "4", "GOVMON_GENERAL__DATA_DIR": "/tmp/x y"})
    assert settings.crawl.concurrency == 4
    assert settings.general.data_dir == "/tmp/x y"


def test_unknown_key_is_an_error_naming_file_and_key(tmp_path: Path) -> None:
    user = tmp_path / "bad.toml"
    user.write_text("[crawl]\nmax_pagez = 7\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(user, environ={})
    assert str(user) in str(err.value)
    assert "crawl.max_pagez" in str(err.value)
    assert "unknown key" in str(err.value)


def test_wrong_type_is_an_error_naming_the_key(tmp_path: Path) -> None:
    user = tmp_path / "bad.toml"
    user.write_text('[crawl]\ntimeout_total = "soon"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"crawl\.timeout_total"):
        load_settings(user, environ={})


def test_bad_environment_variable_is_named() -> None:
    with pytest.raises(ConfigError, match="GOVMON_CRAWL__RETRIES"):
        load_settings(environ={"GOVMON_CRAWL__RETRIES": "many"})


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    user = tmp_path / "broken.toml"
    user.write_text("[crawl\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="broken.toml: invalid TOML"):
        load_settings(user, environ={})


def test_unknown_check_section_is_an_error(tmp_path: Path) -> None:
    user = tmp_path / "bad.toml"
    user.write_text("[checks.no_such_check]\nx = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="checks.no_such_check: unknown check"):
        load_settings(user, environ={})


def test_database_url_defaults_to_a_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings(environ={"GOVMON_GENERAL__DATA_DIR": str(tmp_path)})
    assert settings.general.resolved_database_url() == f"sqlite:///{tmp_path / 'govmon.db'}"
