"""write_atomic: the target is replaced whole or not at all; failures name the file and leave no debris."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from monitor.model.errors import OutputError
from monitor.store.files import write_atomic


def test_a_write_replaces_the_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "notice.html"
    write_atomic(target, "第一版")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["notice.html"]


def test_an_existing_files_permissions_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "notice.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert (target.stat().st_mode & 0o777, target.read_text(encoding="utf-8")) == (0o640, "new")


def test_a_failed_rename_keeps_what_was_there_and_removes_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "notice.html"
    target.mkdir()
    (target / "keep.txt").write_text("kept", encoding="utf-8")
    with pytest.raises(OutputError, match=f"{target}: cannot write the notice: .*left as it was"):
        write_atomic(target, "new", what="notice")
    assert (target / "keep.txt").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice.html"]


def test_a_target_under_a_file_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="out/notice.html: cannot write"):
        write_atomic(blocker / "notice.html", "x")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_keeps_the_last_good_file(tmp_path: Path) -> None:
    target = tmp_path / "notice.html"
    target.write_text("good", encoding="utf-8")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="Permission denied"):
            write_atomic(target, "new")
    finally:
        tmp_path.chmod(0o755)
    assert target.read_text(encoding="utf-8") == "good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice.html"]
