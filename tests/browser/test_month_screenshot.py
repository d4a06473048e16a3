"""The month page rendered by headless Chromium (Debian's package) at 1366×768: a screenshot file
is made. Kept under pytest's tmp_path, or ``GOVMON_SCREENSHOTS`` when set, for a person to look at."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.web.conftest import Workbench

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--window-size=1366,768"]


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", head[16:24])


def screenshot(url: str, out: Path, profile: Path) -> Path:
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={out}", url],
                   check=True, capture_output=True, timeout=120)
    return out


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="headless Chromium is not installed")
@pytest.mark.parametrize("path", ["/months/2021-09", "/units/site/1403000001?month=2021-09"])
def test_a_page_renders_in_headless_chromium_at_1366x768(make_workbench: Callable[..., Workbench], tmp_path: Path,
                                                         path: str) -> None:
    bench = make_workbench()
    keep = Path(os.environ.get("GOVMON_SCREENSHOTS") or tmp_path)
    keep.mkdir(parents=True, exist_ok=True)
    name = "month-2021-09.png" if path.startswith("/months") else "unit-1403000001.png"
    shot = screenshot(bench.base + path, keep / name, tmp_path / "profile")
    assert shot.exists() and shot.stat().st_size > 20_000  # a blank page compresses to a few kB
    assert png_size(shot) == (1366, 768)
