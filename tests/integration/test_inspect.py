"""``inspect``: every target judged and stored as it finishes; resumes after a crash or SIGKILL.

A part of the simulated city (as of 2021-08-31) is served on 127.0.0.1 and inspected with the
real crawler, feeds, checks and a real SQLite file.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

import pytest

import monitor.run.inspect as inspect_module
from monitor.config.load import load_settings
from monitor.model.document import summary
from monitor.model.period import CHINA_TZ, Period
from monitor.model.snapshots import Probe
from monitor.registry.model import Registry, parse_registry
from monitor.run.inspect import InspectProgress, inspect
from monitor.sandbox.city import city_registry, serve_city
from monitor.sandbox.server import RunningWorld
from monitor.store.store import Store

AS_OF = date(2021, 8, 31)
PERIOD = Period.for_as_of(AS_OF)
NOW = datetime.combine(AS_OF, dtime(23, 0), CHINA_TZ)
SITE_IDS = ("1403030001", "1403000024", "1403000003", "1403000013")
ACCOUNT_IDS = ("xigua-yangquangaoxinqu", "wechat-yangquanfabu", "douyin-yuxianfabu", "weibo-yangquanwenlv",
               "wechat-yangquanshifeigongqiyedangjian", "wechat-yangquanshishichangjianduguanliju")
#: Two waves of sites at the default concurrency, so a kill after the first stored site lands mid-run.
KILL_SITE_IDS = (*SITE_IDS, "1403000002", "1403000005", "1403000010", "1403220001")
GOVMON = str(Path(sys.executable).parent / "govmon")


@pytest.fixture(scope="module")
def city() -> Iterator[RunningWorld]:
    with serve_city(AS_OF) as world:
        yield world


def part_of_city(world: RunningWorld, site_ids: tuple[str, ...] = SITE_IDS,
                 account_ids: tuple[str, ...] = ACCOUNT_IDS) -> Registry:
    full = parse_registry(city_registry(world.bases))
    return Registry(sites=[s for s in full.sites if s.id in site_ids],
                    accounts=[a for a in full.accounts if a.id in account_ids])


def registry_toml(registry: Registry) -> str:
    lines = []
    for site in registry.sites:
        lines += ["[[sites]]", *(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in
                                 site.model_dump(include={"id", "name", "url", "owner", "district", "kind"}).items())]
    for account in registry.accounts:
        lines += ["[[accounts]]", *(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in account.model_dump(
            include={"id", "name", "platform", "owner", "district", "feed"}).items())]
    return "\n".join(lines) + "\n"


def run(registry: Registry, store: Store, **kwargs: Any) -> dict[str, Any]:
    return asyncio.run(inspect(registry, settings=load_settings(), store=store, period=PERIOD, now=NOW,
                               clock=lambda: NOW, **kwargs))


def by_id(document: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {target["id"]: target for target in document[kind]}


def test_every_target_is_judged_stored_and_documented(city: RunningWorld, tmp_path: Path) -> None:
    registry = part_of_city(city)
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    document = run(registry, store)
    assert (document["period"], document["as_of"]) == ("2021-08", "2021-08-31")
    assert [t["id"] for t in document["sites"]] == sorted(SITE_IDS)
    assert [t["id"] for t in document["accounts"]] == sorted(ACCOUNT_IDS)
    assert document["summary"] == summary(document["sites"], document["accounts"])
    assert store.inspection("2021-08") == document
    stored = {(r["_kind"], r["id"]): r for r in store.results("2021-08")}
    for kind, key in (("sites", "site"), ("accounts", "account")):
        for target in document[kind]:
            assert {k: v for k, v in stored[(key, target["id"])].items() if not k.startswith("_")} == target
    sites = by_id(document, "sites")
    assert sites["1403000024"]["verdict"] == "fail"
    assert {f["check"] for f in sites["1403000024"]["findings"]} >= {"stale_homepage"}
    assert any(f["check"] == "interaction_unanswered" for f in sites["1403030001"]["findings"])
    duplicates = [f for f in by_id(document, "accounts")["wechat-yangquanfabu"]["findings"]
                  if f["check"] == "duplicate_account"]
    assert duplicates == []
    store.close()


def test_a_week_of_scheduled_probes_with_five_percent_failed_fails_the_site(city: RunningWorld,
                                                                            tmp_path: Path) -> None:
    registry = part_of_city(city, ("1403000003",), ())
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    home = registry.sites[0].url
    hours = [datetime(2021, 8, day, hour, tzinfo=CHINA_TZ) for day in range(10, 17) for hour in range(20)]
    month = [Probe(url=home, at=at, ok=n >= 7, status=200 if n >= 7 else 502, source="scheduled")
             for n, at in enumerate(hours)]
    before = [Probe(url=home, at=datetime(2021, 7, 31, 10, tzinfo=CHINA_TZ), ok=False, status=502,
                    source="scheduled")]
    store.add_probes(registry.sites[0].id, [*month, *before])
    site = run(registry, store)["sites"][0]
    unreachable = [f for f in site["findings"] if f["check"] == "unreachable"]
    # the month's 140 scheduled probes (7 failed, 5%) make the ratio; the crawl's own are evidence only
    assert [(f["severity"], f["reason"], f["probes"], f["failed"], f["days"]) for f in unreachable] == [
        ("veto", "ratio", 140, 7, 7)]
    assert site["verdict"] == "fail"
    store.close()


def test_stored_ad_hoc_probes_alone_are_a_notice_however_many_failed(city: RunningWorld, tmp_path: Path) -> None:
    registry = part_of_city(city, ("1403000003",), ())
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    home = registry.sites[0].url
    checks = [Probe(url=home, at=datetime(2021, 8, day, 10, tzinfo=CHINA_TZ), ok=False, error="timeout",
                    source="adhoc") for day in range(1, 21)]
    store.add_probes(registry.sites[0].id, checks)
    site = run(registry, store)["sites"][0]
    unreachable = [f for f in site["findings"] if f["check"] == "unreachable"]
    crawl_probes = load_settings().crawl.probes_per_check
    assert [(f["severity"], f["reason"], f["probes"], f["failed"]) for f in unreachable] == [
        ("notice", "too_few_probes", 20 + crawl_probes, 20)]
    assert site["verdict"] == "pass"
    store.close()


def test_a_site_whose_inspection_crashed_is_not_inspected_and_is_retried(city: RunningWorld, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    registry = part_of_city(city, ("1403000003", "1403000013"), ("wechat-yangquanfabu",))
    store = Store(f"sqlite:///{tmp_path / 'govmon.db'}")
    real, crawled = inspect_module.crawl_site, []

    async def crashing(site: Any, **kwargs: Any) -> Any:
        crawled.append(site.id)
        if site.id == "1403000013":
            raise RuntimeError("parser exploded")
        return await real(site, **kwargs)

    monkeypatch.setattr(inspect_module, "crawl_site", crashing)
    document = run(registry, store)
    broken = by_id(document, "sites")["1403000013"]
    assert (broken["verdict"], broken["error"], broken["detail"]) == (
        "not_inspected", "internal_error", "RuntimeError: parser exploded")
    assert broken["reason"] == "未能完成检查：检查程序出错（RuntimeError: parser exploded）"
    s = document["summary"]
    assert (s["sites_total"], s["sites_checked"], s["sites_not_inspected"], s["sites_failed"]) == (2, 1, 1, 0)
    assert ("site", "1403000013") not in store.done_targets("2021-08", "2021-08-31")
    monkeypatch.setattr(inspect_module, "crawl_site", real)
    crawled.clear()
    again = run(registry, store)
    assert by_id(again, "sites")["1403000013"]["verdict"] in ("pass", "fail")
    assert by_id(again, "sites")["1403000003"] == by_id(document, "sites")["1403000003"]
    store.close()


class CrashAfter(InspectProgress):
    """Progress that crashes the inspection once ``limit`` targets were stored in this run."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def target(self, kind: str, target_id: str, verdict: str) -> None:
        super().target(kind, target_id, verdict)
        if self.finished - self.reused >= self.limit:
            raise RuntimeError("injected crash")


def test_a_crash_halfway_then_a_rerun_gives_the_uninterrupted_document(city: RunningWorld, tmp_path: Path) -> None:
    registry = part_of_city(city)
    whole = Store(f"sqlite:///{tmp_path / 'whole.db'}")
    expected = run(registry, whole)
    resumed = Store(f"sqlite:///{tmp_path / 'resumed.db'}")
    with pytest.raises(BaseExceptionGroup):
        run(registry, resumed, progress=CrashAfter(4), concurrency=1)
    stored_first = resumed.done_targets("2021-08", "2021-08-31")
    assert 4 <= len(stored_first) < len(SITE_IDS) + len(ACCOUNT_IDS)
    progress = InspectProgress()
    assert run(registry, resumed, progress=progress) == expected
    assert progress.reused == len(stored_first)
    for account_id in ACCOUNT_IDS:
        once, twice = whole.account_snapshot(account_id), resumed.account_snapshot(account_id)
        assert len(twice.fetches) == len(once.fetches) == 1
        assert [p.key for p in twice.posts] == [p.key for p in once.posts]
    whole.close()
    resumed.close()


def stored_count(db: Path, kind: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("select count(*) from results where kind = ?", (kind,)).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def without_times(document: dict[str, Any]) -> dict[str, Any]:
    """The document minus ``seen_at`` (when a dead link was checked: evidence, different every run)."""
    text = json.dumps(document, ensure_ascii=False)
    return json.loads(text, object_hook=lambda obj: {k: v for k, v in obj.items() if k != "seen_at"})


@pytest.mark.slow
def test_govmon_inspect_killed_halfway_then_run_again_gives_the_same_document(city: RunningWorld,
                                                                            tmp_path: Path) -> None:
    registry_file = tmp_path / "registry.toml"
    registry_file.write_text(registry_toml(part_of_city(city, KILL_SITE_IDS)), encoding="utf-8")

    def command(db: Path, out: Path) -> list[str]:
        return [GOVMON, "inspect", "--registry", str(registry_file), "--as-of", "2021-08-31", "--db", str(db),
                "--json", str(out)]

    whole = subprocess.run(command(tmp_path / "whole.db", tmp_path / "whole.json"), capture_output=True, text=True,
                           timeout=300)
    assert whole.returncode == 0, whole.stderr
    assert "pass rate" in whole.stdout and "阳泉市林业局" in whole.stdout
    killed_db = tmp_path / "killed.db"
    process = subprocess.Popen(command(killed_db, tmp_path / "never.json"), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while stored_count(killed_db, "site") < 1 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the inspection ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    stored_at_kill = stored_count(killed_db, "site") + stored_count(killed_db, "account")
    assert 1 <= stored_count(killed_db, "site") < len(KILL_SITE_IDS)
    assert stored_at_kill < len(KILL_SITE_IDS) + len(ACCOUNT_IDS)
    assert not (tmp_path / "never.json").exists()
    again = subprocess.run(command(killed_db, tmp_path / "again.json"), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    expected = json.loads((tmp_path / "whole.json").read_text(encoding="utf-8"))
    resumed = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert without_times(resumed) == without_times(expected)
    assert stored_count(killed_db, "site") == len(KILL_SITE_IDS)


@pytest.mark.slow
def test_govmon_inspect_names_a_missing_registry_and_a_bad_date(tmp_path: Path) -> None:
    missing = subprocess.run([GOVMON, "inspect", "--registry", str(tmp_path / "nope.toml"), "--as-of", "2021-08-31",
                              "--db", str(tmp_path / "x.db")], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "nope.toml" in missing.stderr
    bad = subprocess.run([GOVMON, "inspect", "--as-of", "2021-13-01", "--db", str(tmp_path / "x.db")],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "2021-13-01" in bad.stderr


def test_default_as_of_is_yesterday_in_the_inspection_time_zone() -> None:
    from monitor.cli.inspect import default_as_of

    today = datetime.now(CHINA_TZ).date()
    assert default_as_of(load_settings()) in (today - timedelta(days=1), today)
