"""A full disk while writing notices or a registry: exit 2 naming the file, the last good files intact.

"Full" is real: the child process runs with ``RLIMIT_FSIZE`` set below the output's size, so the
kernel refuses the write (EFBIG) exactly where a full disk would refuse it (ENOSPC).
"""

from __future__ import annotations

import csv
import os
import resource
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.store.store import Store

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2021, 9, 1, 2, 0, tzinfo=UTC)


def govmon(args: list[str], cwd: Path, max_file_bytes: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if max_file_bytes is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, resource.RLIM_INFINITY))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "monitor", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, preexec_fn=limit)


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_a_full_disk_keeps_the_last_good_notices_and_exits_2_naming_the_file(tmp_path: Path, august: dict) -> None:
    db = f"sqlite:///{tmp_path / 'govmon.db'}"
    store = Store(db)
    store.start_inspection(august["period"], august["as_of"], AT)
    for kind, key in (("site", "sites"), ("account", "accounts")):
        for target in august[key]:
            store.save_result(august["period"], kind, target["id"], august["as_of"], target, AT)
    store.finish_inspection(august["period"], august, AT)
    stored = store.inspection("2021-08")
    store.close()
    out = tmp_path / "notices"
    first = govmon(["report", "--month", "2021-08", "--db", db, "--out", str(out), "--doc-number", "第1号"], tmp_path)
    assert first.returncode == 0, first.stderr
    good = _folder(out)
    assert sorted(good) == ["通报-2021-08-核实清单.docx", "通报-2021-08-核实清单.html", "通报-2021-08.docx",
                            "通报-2021-08.html"]

    # 40,000 bytes: room for SQLite's 32 KiB shared-memory file and the 14 kB HTML, not the 43 kB DOCX
    # (written second; the office's checklist comes after the notice and is never reached).
    full = govmon(["report", "--month", "2021-08", "--db", db, "--out", str(out), "--doc-number", "第2号"], tmp_path,
                  max_file_bytes=40_000)
    assert full.returncode == 2, full.stderr
    assert full.stderr.startswith(f"govmon: error: {out / '通报-2021-08.docx'}: cannot write the notice (DOCX): "
                                  "File too large; any earlier version of the file is left as it was")
    assert len(full.stderr.strip().splitlines()) == 1
    now = _folder(out)
    assert sorted(now) == sorted(good)
    assert {k: v for k, v in now.items() if not k.endswith(".html") or "核实清单" in k} == \
        {k: v for k, v in good.items() if not k.endswith(".html") or "核实清单" in k}
    assert "第2号" in now["通报-2021-08.html"].decode("utf-8")
    assert stored is not None and Store(db).inspection("2021-08") == stored


def test_a_full_disk_keeps_the_last_good_registry(tmp_path: Path) -> None:
    sheet = tmp_path / "sites.csv"
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["序号", "网站名称", "网站标识码", "首页网址", "主办单位", "所属区县", "网站类型"])
        for n in range(1, 200):
            writer.writerow([n, f"测试市第{n}局网站", f"{1401000000 + n}", f"http://127.0.0.1:{8100 + n}/",
                             f"测试市第{n}局", "市直", "部门网站"])
    registry = tmp_path / "registry.toml"
    first = govmon(["registry", "import", str(sheet), "--out", str(registry)], tmp_path)
    assert first.returncode == 0, first.stderr
    good = registry.read_bytes()
    with sheet.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow([200, "测试市第200局网站", "1401000200", "http://127.0.0.1:8300/", "测试市第200局", "市直",
                                 "部门网站"])
    full = govmon(["registry", "import", str(sheet), "--out", str(registry)], tmp_path, max_file_bytes=len(good) // 2)
    assert full.returncode == 2, full.stderr
    assert f"{registry}: cannot write the registry: File too large" in full.stderr
    assert registry.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registry.toml", "sites.csv"]


pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs RLIMIT_FSIZE")]
