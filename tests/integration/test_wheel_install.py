"""Done-when of issue 11: a wheel installed outside the checkout runs the demo with the shipped rules.

The wheel is built from a copy of the package sources (so the checkout gets no build debris)
with the running environment's setuptools, offline. It is installed ``--no-deps`` into a fresh
virtual environment in a temporary folder whose only view of the dependencies is a ``.pth`` file
naming this environment's site-packages (plain paths: the editable install's hooks there are not
run). ``govmon demo`` then runs from an empty folder with no PYTHONPATH: the defaults can only
come from inside the installed package. Measured: build ≈10 s, install ≈6 s, demo 1–4 min
(a plain ``pip install`` of the wheel with its dependencies from PyPI would add minutes and the
network).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, capture_output=True, text=True, **kw)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{args}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def build_wheel(dist: Path, work: Path) -> Path:
    pytest.importorskip("setuptools")
    pytest.importorskip("wheel")
    source = work / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "settings.toml"):
        shutil.copy2(ROOT / name, source / name)
    for package in ("monitor", "checks", "reports"):
        shutil.copytree(ROOT / package, source / package, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "-w", str(dist), str(source)], timeout=600)
    return next(dist.glob("govmon-*.whl"))


def fresh_venv(where: Path, wheel: Path) -> Path:
    _run([sys.executable, "-m", "venv", "--without-pip", str(where)], timeout=120)
    python = where / "bin" / "python"
    own = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    shared = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (own / "_govmon_test_deps.pth").write_text("\n".join(shared) + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
          str(wheel)], timeout=600)
    return where


@pytest.mark.skipif(sys.platform == "win32", reason="venv layout bin/ (POSIX)")
def test_an_installed_wheel_runs_the_demo_from_an_empty_folder_with_the_real_figures(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist", tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("monitor/config/defaults.toml") == (ROOT / "settings.toml").read_bytes()
    venv = fresh_venv(tmp_path / "venv", wheel)
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("GOVMON_")}
    where = _run([str(venv / "bin" / "python"), "-c", "import monitor; print(monitor.__file__)"], cwd=empty, env=env)
    assert Path(where.stdout.strip()).is_relative_to(venv)

    done = _run([str(venv / "bin" / "govmon"), "demo"], cwd=empty, env=env, timeout=840)
    out = empty / "govmon-demo"
    figures = {}
    for month in ("2021-08", "2021-09"):
        s = json.loads((out / f"findings-{month}.json").read_text(encoding="utf-8"))["summary"]
        figures[month] = (s["sites_failed"], s["sites_total"], s["accounts_failed"], s["accounts_total"])
        for name in (f"通报-{month}.html", f"通报-{month}.docx"):
            assert str(Path("govmon-demo") / name) in done.stdout and (out / name).stat().st_size > 0
    assert figures == {"2021-08": (2, 33, 2, 87), "2021-09": (4, 33, 9, 87)}
