"""`govmon report` against a real SQLite store filled the way `govmon inspect` fills it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from monitor.cli import main
from monitor.config.settings import ReportSettings
from monitor.store.store import Store

AT = datetime(2021, 9, 1, 2, 0, tzinfo=UTC)
Runner = Callable[[list[str]], tuple[int, str]]


def _store(store: Store, document: dict[str, Any], finish: bool = True) -> None:
    store.start_inspection(document["period"], document["as_of"], AT)
    for kind, key in (("site", "sites"), ("account", "accounts")):
        for target in document[key]:
            store.save_result(document["period"], kind, target["id"], document["as_of"], target, AT)
    if finish:
        store.finish_inspection(document["period"], document, AT)


def govmon(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """Run the console entry point in-process: (exit code, stdout + stderr)."""
    monkeypatch.setattr("sys.argv", ["govmon", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    return lambda args: govmon(args, capsys, monkeypatch)


@pytest.fixture
def db(tmp_path: Path, august: dict, july: dict) -> str:
    url = f"sqlite:///{tmp_path / 'govmon.db'}"
    store = Store(url)
    _store(store, july)
    _store(store, august)
    store.close()
    return url


def test_report_writes_both_formats_and_prints_their_paths(tmp_path: Path, db: str, run: Runner) -> None:
    out = tmp_path / "out"
    code, output = run(["report", "--month", "2021-08", "--db", db, "--out", str(out),
                        "--doc-number", "阳政办函[2021]151号", "--issue-date", "2021-10-13"])
    assert code == 0, output
    assert output.splitlines() == [str(out / name) for name in (
        "通报-2021-08.html", "通报-2021-08.docx", "通报-2021-08-核实清单.html", "通报-2021-08-核实清单.docx")]
    doc = Document(str(out / "通报-2021-08.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert texts[1] == "阳政办函〔2021〕151号"
    assert "2021年10月13日" in texts and any("于2021年10月23日前完成整改" in t for t in texts)
    assert any("西瓜视频“阳泉高新区”自2021年7月起连续2个月检查不合格，经多次督促后仍未整改" in t for t in texts)
    html = (out / "通报-2021-08.html").read_text(encoding="utf-8")
    assert "合格率为93.9%" in html and "合格率为97.7%" in html


def test_report_can_render_one_format(tmp_path: Path, db: str, run: Runner) -> None:
    code, output = run(["report", "--month", "2021-08", "--db", db, "--out", str(tmp_path), "--format", "docx"])
    assert code == 0, output
    assert sorted(p.name for p in tmp_path.glob("通报-*")) == ["通报-2021-08-核实清单.docx", "通报-2021-08.docx"]


def test_month_without_stored_inspection_is_an_input_error(tmp_path: Path, db: str, run: Runner) -> None:
    code, output = run(["report", "--month", "2021-09", "--db", db, "--out", str(tmp_path)])
    assert code == 2
    assert f"govmon: error: {db}: no finished inspection stored for 2021-09" in output
    assert not list(tmp_path.glob("*.docx"))


def test_unfinished_inspection_is_refused_and_says_so(tmp_path: Path, august: dict, run: Runner) -> None:
    url = f"sqlite:///{tmp_path / 'partial.db'}"
    store = Store(url)
    _store(store, august, finish=False)
    store.close()
    code, output = run(["report", "--month", "2021-08", "--db", url, "--out", str(tmp_path)])
    assert code == 2
    assert "120 target results stored but the inspection did not finish" in output


@pytest.mark.parametrize(("args", "message"), [
    (["--month", "2021-13"], "govmon: error: --month: invalid month '2021-13'"),
    (["--month", "2021-08", "--format", "pdf"], "govmon: error: --format: unknown format pdf"),
    (["--month", "2021-08", "--issue-date", "13/10/2021"], "govmon: error: --issue-date: invalid date '13/10/2021'"),
])
def test_bad_options_are_usage_errors(tmp_path: Path, db: str, run: Runner, args: list[str], message: str) -> None:
    code, output = run(["report", *args, "--db", db, "--out", str(tmp_path)])
    assert code == 2 and message in output and not list(tmp_path.glob("*.html"))


def test_render_month_is_what_the_daemon_calls(tmp_path: Path, db: str, report_settings: ReportSettings) -> None:
    from monitor.config.load import shipped_settings
    from monitor.model.errors import StorageError
    from monitor.run.report import render_month

    store = Store(db)
    try:
        settings = shipped_settings()
        settings.report = report_settings.model_copy(update={"file_prefix": "notice"})
        paths = render_month(store, "2021-08", settings, tmp_path, ["docx", "html", "docx"])
        assert [p.name for p in paths] == ["notice-2021-08.docx", "notice-2021-08.html",
                                           "notice-2021-08-核实清单.docx", "notice-2021-08-核实清单.html"]
        assert all(p.stat().st_size > 0 for p in paths)
        with pytest.raises(StorageError, match="no finished inspection stored for 2021-06"):
            render_month(store, "2021-06", settings, tmp_path)
    finally:
        store.close()


def test_a_stored_inspection_whose_notice_would_name_a_unit_without_findings_is_refused(
        tmp_path: Path, august: dict, run: Runner) -> None:
    august["sites"][0]["verdict"] = "fail"  # failed, but no veto or deduction to show for it
    url = f"sqlite:///{tmp_path / 'refused.db'}"
    store = Store(url)
    _store(store, august)
    store.close()
    code, output = run(["report", "--month", "2021-08", "--db", url, "--out", str(tmp_path / "out")])
    assert code == 2
    assert "the notice refuses to state" in output and august["sites"][0]["name"] in output
    assert "carries no finding ids" in output
    assert list((tmp_path / "out").glob("*")) == []
