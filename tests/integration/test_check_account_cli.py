"""``govmon check --account ID`` against feeds served on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from monitor.sandbox.server import serve_world
from tests.integration import daemon_world


def _govmon(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", *args], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)


def test_check_account_polls_the_feed_and_judges_its_weeks(tmp_path: Path) -> None:
    with serve_world(daemon_world.build(), daemon_world.KEYS) as web:
        registry = tmp_path / "registry.toml"
        registry.write_text(daemon_world.registry_text(web.bases), encoding="utf-8")
        run = _govmon(tmp_path, "check", "--account", "wx1", "--registry", str(registry), "--as-of", "2021-09-30",
                      "--json", "-", "--db", str(tmp_path / "g.db"))
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert (result["id"], result["platform"], result["verdict"]) == ("wx1", "wechat", "pass")
    weeks = sorted((f["week"], f["posts"], f["required"]) for f in result["findings"] if f["check"] == "update_frequency")
    # September's weeks are those whose Thursday is in September: W35 (30 Aug–5 Sep) to W39 (27 Sep–3 Oct);
    # W38 (posts on 24, 25, 26) is enough; the feed read today covers W39 to its end (posts on 27, 28).
    assert weeks == [("2021-W35", 0, 3), ("2021-W36", 0, 3), ("2021-W37", 0, 3), ("2021-W39", 2, 3)]
    assert not any(f["check"] == "stale_account" for f in result["findings"])


def test_check_account_errors_name_the_problem(tmp_path: Path) -> None:
    registry = tmp_path / "registry.toml"
    registry.write_text(daemon_world.registry_text({k: "http://127.0.0.1:9" for k in daemon_world.KEYS}), encoding="utf-8")
    unknown = _govmon(tmp_path, "check", "--account", "nope", "--registry", str(registry), "--db", str(tmp_path / "g.db"))
    assert unknown.returncode == 2 and "account 'nope' is not in the registry" in unknown.stderr
    both = _govmon(tmp_path, "check", "http://127.0.0.1:9/", "--account", "wx1", "--registry", str(registry))
    assert both.returncode == 2 and "one of them" in both.stderr
