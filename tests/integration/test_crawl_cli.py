"""``govmon check`` end to end against the fault world: exit codes, --json, storage, freshness reuse."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from monitor import cli
from monitor.crawl.progress import LiveProgress
from monitor.sandbox import faults
from monitor.sandbox.faults import DEPT, EXT, PORTAL
from monitor.sandbox.server import RunningWorld
from monitor.store.store import Store
from tests.integration.conftest import FAST_ENV

pytestmark = pytest.mark.slow

GOVMON = str(Path(sys.executable).with_name("govmon"))


def govmon(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``govmon`` in ``tmp`` (no registry.toml there) with fast crawl settings."""
    env = {**os.environ, **FAST_ENV, "GOVMON_GENERAL__DATA_DIR": str(tmp / "data")}
    return subprocess.run([GOVMON, *args], cwd=tmp, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def registry(tmp_path: Path, fault_world: RunningWorld) -> Path:
    path = tmp_path / "registry.toml"
    path.write_text(faults.registry_toml(fault_world.bases), encoding="utf-8")
    return path


@pytest.fixture
def main(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """``govmon`` in-process through its real entry point: returns (exit code, stdout, stderr)."""
    for name, value in {**FAST_ENV, "GOVMON_GENERAL__DATA_DIR": str(tmp_path / "data")}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["govmon", *args])
        with pytest.raises(SystemExit) as exit_:
            cli.main()
        out, err = capsys.readouterr()
        return int(exit_.value.code or 0), out, err

    return run


def dead_rows(obj: dict) -> list[dict]:
    return [{k: f[k] for k in ("url", "status", "home", "sources")} for f in obj["findings"]
            if f["check"] == "dead_link" and f["severity"] == "deduct"]


def test_check_of_a_registry_site_reports_exact_dead_links_and_exits_by_verdict(
        tmp_path: Path, fault_world: RunningWorld, registry: Path) -> None:
    run = govmon(tmp_path, "check", faults.SITE_IDS[PORTAL], "--registry", str(registry), "--as-of", "2021-08-31",
                 "--json", "out.json")
    obj = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert run.returncode == {"pass": 0, "fail": 1, "not_inspected": 4}[obj["verdict"]], run.stderr
    assert (obj["id"], obj["name"], obj["url"]) == (faults.SITE_IDS[PORTAL], "示范市人民政府", fault_world.url(PORTAL))
    assert dead_rows(obj) == faults.expected(fault_world.bases, PORTAL)
    on_home = [f for f in obj["findings"] if f["check"] == "dead_link" and f["home"] and f["severity"] == "deduct"]
    assert {f["points"] for f in on_home} == {1.0}
    assert "Findings by check" in run.stdout and obj["reason"] in run.stdout


def test_a_failing_verdict_exits_1(main, fault_world: RunningWorld, registry: Path) -> None:
    code, out, _ = main("check", fault_world.url(PORTAL), "--registry", str(registry), "--as-of", "2022-06-30",
                        "--json", "-")
    obj = json.loads(out)
    assert obj["verdict"] == "fail" and code == 1
    assert any(f["check"] == "stale_homepage" and f["severity"] == "veto" for f in obj["findings"])


def test_a_site_that_does_not_answer_is_not_inspected_and_exits_4(main, fault_world: RunningWorld) -> None:
    code, out, _ = main("check", fault_world.url(faults.GONE), "--as-of", "2021-08-31", "--json", "-")
    obj = json.loads(out)
    assert (obj["verdict"], obj["score"], obj["error"], code) == ("not_inspected", None, "home_unreachable", 4)
    assert obj["reason"].startswith("未能完成检查：首页无法访问")
    assert all(f["severity"] == "notice" for f in obj["findings"])


def test_any_url_is_checked_as_an_ad_hoc_site_and_stored(main, tmp_path: Path, fault_world: RunningWorld) -> None:
    db = str(tmp_path / "x.db")
    _, out, _ = main("check", fault_world.url(DEPT), "--as-of", "2021-08-31", "--json", "-", "--db", db)
    obj = json.loads(out)
    assert obj["id"] == "0000000000" and obj["name"] == fault_world.bases[DEPT].removeprefix("http://")
    assert dead_rows(obj) == faults.expected(fault_world.bases, DEPT)
    store = Store(f"sqlite:///{tmp_path / 'x.db'}")
    snap = store.latest_site_snapshot("0000000000")
    assert snap is not None and snap.url == fault_world.url(DEPT)
    assert len(snap.probes) == 3 and any(link.outcome == "dead" for link in snap.links)
    store.close()


def test_a_rerun_within_the_freshness_window_reuses_stored_link_results(main, tmp_path: Path,
                                                                        fresh_world: RunningWorld) -> None:
    (tmp_path / "registry.toml").write_text(faults.registry_toml(fresh_world.bases), encoding="utf-8")
    args = ("check", faults.SITE_IDS[PORTAL], "--as-of", "2021-08-31", "--json", "-", "--depth", "1")
    first, second = main(*args), main(*args)
    assert json.loads(first[1])["findings"] == json.loads(second[1])["findings"]
    checked = {path: n for path, n in fresh_world.hits[EXT].items() if "/govmon-nf-" not in path}  # not-found probes aside
    assert checked == {"/ok.html": 1, "/missing.html": 1}  # checked once over two runs
    assert fresh_world.hits[PORTAL]["/zwdt/"] == 2  # pages are fetched again: they must be parsed


def test_a_rerun_within_the_freshness_window_judges_the_stored_snapshot_without_fetching(
        main, tmp_path: Path, fresh_world: RunningWorld) -> None:
    (tmp_path / "registry.toml").write_text(faults.registry_toml(fresh_world.bases), encoding="utf-8")
    first = main("check", faults.SITE_IDS[PORTAL], "--as-of", "2021-08-31", "--json", "-")
    fetched = sum(fresh_world.hits[PORTAL].values())
    later = main("check", faults.SITE_IDS[PORTAL], "--as-of", "2022-06-30", "--json", "-")
    assert sum(fresh_world.hits[PORTAL].values()) == fetched  # nothing fetched: judged from storage
    assert (first[0], later[0]) == (0, 1)  # the same snapshot, stale a year later
    assert any(f["check"] == "stale_homepage" for f in json.loads(later[1])["findings"])
    main("check", faults.SITE_IDS[PORTAL], "--as-of", "2021-08-31", "--json", "-", "--refresh")
    assert sum(fresh_world.hits[PORTAL].values()) > fetched


@pytest.mark.parametrize(("args", "message"), [
    (["not a url"], "not an http(s) URL or registry site id: 'not a url'"),
    (["ftp://files.example.cn/"], "not an http(s) URL"),
    (["http://127.0.0.1:9/", "--as-of", "2021-02-30"], "--as-of: invalid date '2021-02-30'"),
    (["9999999999"], "no site with id 9999999999 in the registry"),
    (["http://127.0.0.1:9/", "--registry", "missing.toml"], "missing.toml: registry file not found"),
    (["http://127.0.0.1:9/", "--max-pages", "0"], "--max-pages"),
])
def test_bad_input_exits_2_with_a_clear_message(main, args: list[str], message: str) -> None:
    code, _, err = main("check", *args)
    assert code == 2
    assert message in err


def test_the_live_progress_bar_shows_pages_links_and_dead_counts() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120)
    with LiveProgress("示范市人民政府", console) as progress:
        progress.queued(3)
        progress.page("http://127.0.0.1:1/", "ok")
        progress.link("http://127.0.0.1:1/x.pdf", "dead")
        progress.link("http://127.0.0.1:1/waf", "blocked")
    shown = buffer.getvalue()
    assert "pages 1 · links 2" in shown and "dead 1" in shown and "blocked 1" in shown and "3/3" in shown
