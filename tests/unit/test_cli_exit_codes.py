"""Exit codes: 2 for bad input (one line naming file/key), 3 for an unexpected error (traceback in a log file)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor.cli import main


def govmon(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setattr("sys.argv", ["govmon", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def _explode(*_: object, **__: object) -> None:
    raise RuntimeError("disk controller on fire\nsecond line")


def test_an_unexpected_error_exits_3_with_one_line_naming_the_log_in_the_data_dir(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("GOVMON_GENERAL__DATA_DIR", str(data))
    monkeypatch.setattr("monitor.cli.registry.load_registry", _explode)
    code, err = govmon(["registry", "validate", str(tmp_path / "registry.toml")], capsys, monkeypatch)
    assert code == 3
    assert len(err.strip().splitlines()) == 1
    assert "RuntimeError: disk controller on fire" in err
    log = Path(re.search(r"details in (\S+\.log)", err).group(1))
    assert log.parent == data / "logs"
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "_explode" in text and "registry validate" in text


def test_without_a_data_dir_the_crash_log_goes_to_the_temp_dir(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("GOVMON_GENERAL__DATA_DIR", str(tmp_path / "never-made"))
    monkeypatch.setattr("monitor.cli.registry.load_registry", _explode)
    code, err = govmon(["registry", "validate", str(tmp_path / "registry.toml")], capsys, monkeypatch)
    assert code == 3
    assert [p.parent for p in temp.glob("govmon-crash-*.log")] == [temp]
    assert not (tmp_path / "never-made").exists()


def test_a_bad_settings_value_is_exit_2_naming_the_file_and_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text("[crawl]\nretries = 'many'\n", encoding="utf-8")
    code, err = govmon(["--settings", str(mine), "registry", "validate", str(tmp_path / "r.toml")], capsys, monkeypatch)
    assert code == 2
    assert err.startswith(f"govmon: error: {mine}: crawl.retries")
