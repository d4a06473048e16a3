"""Settings: defaults from settings.toml, user file merged over them, GOVMON_* variables, clear errors."""

from pathlib import Path

import pytest

from monitor.config.load import load_settings
from monitor.model.errors import ConfigError


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


def test_unknown_check_section_is_an_error_naming_the_file(tmp_path: Path) -> None:
    from monitor.judge.validate import load_checked_settings

    user = tmp_path / "bad.toml"
    user.write_text("[checks.no_such_check]\nx = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"{user}: checks.no_such_check: unknown check"):
        load_checked_settings(user, environ={})


def test_a_bad_check_option_from_the_environment_names_the_variable() -> None:
    from monitor.judge.validate import load_checked_settings

    with pytest.raises(ConfigError, match="GOVMON_CHECKS__DEAD_LINK__NO_SUCH_KEY: checks.dead_link.no_such_key: unknown key"):
        load_checked_settings(environ={"GOVMON_CHECKS__DEAD_LINK__NO_SUCH_KEY": "1"})


def test_database_url_defaults_to_a_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings(environ={"GOVMON_GENERAL__DATA_DIR": str(tmp_path)})
    assert settings.general.resolved_database_url() == f"sqlite:///{tmp_path / 'govmon.db'}"


def test_the_package_ships_the_documented_settings_file() -> None:
    from importlib import resources

    root = Path(__file__).resolve().parents[2]
    shipped = resources.files("monitor.config").joinpath("defaults.toml").read_bytes()
    assert shipped == (root / "settings.toml").read_bytes()


def test_the_models_define_no_values_of_their_own() -> None:
    """One source of truth: every value of a settings table comes from the shipped file."""
    from monitor.config.settings import Section, Settings

    tables = [f.annotation for f in Settings.model_fields.values() if isinstance(f.annotation, type)
              and issubclass(f.annotation, Section)]
    assert len(tables) >= 9
    for model in (Settings, *tables):
        with_default = [name for name, field in model.model_fields.items() if not field.is_required()]
        assert with_default == [], model.__name__


def test_a_table_built_from_the_shipped_defaults_takes_changes_and_validates_them() -> None:
    from monitor.config.settings import CrawlSettings

    crawl = CrawlSettings.shipped(retries=0)
    assert (crawl.retries, crawl.timeout_total) == (0, 15.0)
    with pytest.raises(Exception, match="retries"):
        CrawlSettings.shipped(retries="many")


def _defaults_from(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str | None) -> None:
    """Point the loader at a package ``fakepkg`` whose defaults file holds ``text`` (None: no file)."""
    import sys

    from monitor.config import shipped as module
    package = tmp_path / "fakepkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    if text is not None:
        (package / "defaults.toml").write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "fakepkg", raising=False)
    monkeypatch.setattr(module, "DEFAULTS_PACKAGE", "fakepkg")
    module._defaults_tree.cache_clear()


@pytest.fixture
def fresh_defaults():
    from monitor.config import shipped as module
    module._defaults_tree.cache_clear()
    yield
    module._defaults_tree.cache_clear()


@pytest.mark.parametrize(("text", "message"), [
    (None, "fakepkg/defaults.toml cannot be read"),
    ("", "fakepkg/defaults.toml are empty"),
    ("[crawl\n", "fakepkg/defaults.toml are not valid TOML"),
    ("[general]\ndata_dir = 'x'\n", "general.database_url: missing key"),
])
def test_missing_or_broken_shipped_defaults_are_a_clear_error_never_empty_rules(
        fresh_defaults: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str | None, message: str) -> None:
    _defaults_from(monkeypatch, tmp_path, text)
    with pytest.raises(ConfigError, match=message):
        load_settings(environ={})


def test_an_unreadable_user_file_is_an_error_naming_it(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.mkdir()
    with pytest.raises(ConfigError, match=f"{user}: cannot read"):
        load_settings(user, environ={})


@pytest.mark.parametrize(("toml_value", "problem"), [
    (r'"../通报"', "'..' is not allowed"),
    (r'"a/b"', "'/' is not allowed"),
    (r'"a\\b"', r"'\\' is not allowed"),
    (r'"通报\b"', r"'\x08' is not allowed"),
    (r'".."', "'..' is not allowed"),
    (r'" "', "must not be empty"),
])
def test_a_file_prefix_that_could_leave_the_output_folder_is_an_error_naming_the_key(
        tmp_path: Path, toml_value: str, problem: str) -> None:
    user = tmp_path / "mine.toml"
    user.write_text(f"[report]\nfile_prefix = {toml_value}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(user, environ={})
    assert f"{user}: report.file_prefix:" in str(err.value)
    assert problem in str(err.value)


def test_an_ordinary_file_prefix_is_kept(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text('[report]\nfile_prefix = "阳泉市 通报.v2"\n', encoding="utf-8")
    assert load_settings(user, environ={}).report.file_prefix == "阳泉市 通报.v2"
