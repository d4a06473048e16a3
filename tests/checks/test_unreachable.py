"""unreachable: the veto needs scheduled probes through the period (≥20 a day on ≥7 days) with ≥5%
failed; a crawl's probes, refusals and void slots never make it."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from checks.base import CheckContext
from checks.unreachable import CHECK, Options
from monitor.config.load import shipped_settings
from monitor.model.period import Period
from monitor.model.snapshots import Probe, SiteSnapshot
from monitor.registry.model import Site

HOME = "http://127.0.0.1:8104/"
CN = ZoneInfo("Asia/Shanghai")
START = datetime(2021, 8, 2, 0, 10, tzinfo=CN)
SITE = Site(id="1403000004", name="测试区人民政府", url=HOME)


def probe(at: datetime, *, ok: bool = True, source: str = "scheduled", **extra: Any) -> Probe:
    facts: dict[str, Any] = {"status": 200 if ok else None, "error": None if ok else "timeout",
                             "elapsed_ms": 120 if ok else 15000, **extra}
    return Probe(url=HOME, at=at, ok=ok, source=source, **facts)  # type: ignore[arg-type]


def month(days: int, per_day: int, failed: int = 0, *, source: str = "scheduled") -> list[Probe]:
    """``per_day`` hourly probes on each of ``days`` days; the first ``failed`` of them failed."""
    out = []
    for day in range(days):
        for hour in range(per_day):
            out.append(probe(START + timedelta(days=day, hours=hour), ok=len(out) >= failed, source=source))
    return out


def run(probes: list[Probe], **options: Any) -> list[dict[str, Any]]:
    snap = SiteSnapshot(site_id=SITE.id, url=HOME, started_at=START, probes=probes)
    ctx = CheckContext(Period.for_as_of(date(2021, 8, 31)), Options.shipped(**options), shipped_settings())
    return [f.to_dict() for f in CHECK.run_site(SITE, snap, ctx)]


def keys(found: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(f["severity"], f["reason"], f["probes"], f["failed"], f["days"], f["blocked"], f["void"]) for f in found]


def test_seven_days_of_twenty_probes_with_five_percent_failed_is_a_veto() -> None:
    assert keys(run(month(7, 20, failed=7))) == [("veto", "ratio", 140, 7, 7, 0, 0)]


def test_one_failure_fewer_than_five_percent_is_a_notice() -> None:
    assert keys(run(month(7, 20, failed=6))) == [("notice", "below_ratio", 140, 6, 7, 0, 0)]


def test_a_whole_month_of_hourly_probes_follows_the_ratio_exactly() -> None:
    assert keys(run(month(30, 24, failed=36))) == [("veto", "ratio", 720, 36, 30, 0, 0)]
    assert keys(run(month(30, 24, failed=35))) == [("notice", "below_ratio", 720, 35, 30, 0, 0)]


def test_three_failing_crawl_probes_are_a_notice_not_a_veto() -> None:
    crawl = [probe(START + timedelta(minutes=m), ok=False, source="adhoc") for m in range(3)]
    assert keys(run(crawl)) == [("notice", "too_few_probes", 3, 3, 0, 0, 0)]


def test_six_monitored_days_are_too_few_however_many_probes_failed() -> None:
    assert keys(run(month(6, 24, failed=144))) == [("notice", "too_few_probes", 144, 144, 6, 0, 0)]


def test_days_with_fewer_than_twenty_probes_do_not_count_as_monitored() -> None:
    assert keys(run(month(10, 19, failed=190))) == [("notice", "too_few_probes", 190, 190, 0, 0, 0)]


def test_ad_hoc_probes_never_complete_the_monitoring() -> None:
    probes = month(6, 20) + month(1, 20, failed=20, source="adhoc")
    assert keys(run(probes)) == [("notice", "too_few_probes", 140, 20, 6, 0, 0)]


def test_refused_probes_are_in_neither_count_and_reported_apart() -> None:
    probes = month(7, 20, failed=6)
    refused = [probe(START + timedelta(days=d, hours=21), ok=False, status=403, error=None, blocked=True) for d in range(7)]
    assert keys(run(probes + refused)) == [("notice", "below_ratio", 140, 6, 7, 7, 0)]
    assert keys(run(refused)) == [("notice", "blocked", 0, 0, 0, 7, 0)]


def test_void_slots_are_in_neither_count() -> None:
    probes = month(7, 20)
    void = [probe(START + timedelta(days=d, hours=22), ok=False, void="control_failed") for d in range(7)]
    lagged = [probe(START + timedelta(days=1, hours=23), ok=False, void="loop_lag")]
    assert run(probes + void + lagged) == []
    assert keys(run(month(7, 20, failed=6) + void)) == [("notice", "below_ratio", 140, 6, 7, 0, 7)]


def test_a_day_is_a_day_of_the_inspection_calendar() -> None:
    # 20 probes from 20:00 to 15:00 the next day, China time: split over two days, neither has 20.
    probes = [probe(datetime(2021, 8, d, 20, tzinfo=CN) + timedelta(hours=h), ok=h != 0) for d in range(2, 16, 2)
              for h in range(20)]
    assert keys(run(probes)) == [("notice", "too_few_probes", 140, 7, 0, 0, 0)]


def test_no_failure_or_no_probe_gives_no_finding() -> None:
    assert run(month(7, 24)) == []
    assert run([]) == []


@pytest.mark.parametrize(("days", "reason"), [(3, "ratio"), (2, "too_few_probes")])
def test_thresholds_follow_the_options(days: int, reason: str) -> None:
    assert run(month(days, 10, failed=3), min_per_day=10, min_days=3, fail_ratio=0.1)[0]["reason"] == reason


# vantage points ---------------------------------------------------------------------------------
TWO = ["telecom-sx", "unicom-bj"]


def seen_from(vantage: str, probes: list[Probe], minutes: int = 2) -> list[Probe]:
    """The same slots probed from ``vantage``, a few minutes later (its worker's own timing)."""
    return [p.model_copy(update={"vantage": vantage, "at": p.at + timedelta(minutes=minutes)}) for p in probes]


def run_from(probes: list[Probe], vantage_points: list[str]) -> list[dict[str, Any]]:
    settings = shipped_settings()
    settings = settings.model_copy(update={"probes": settings.probes.model_copy(
        update={"vantage_points": vantage_points})})
    snap = SiteSnapshot(site_id=SITE.id, url=HOME, started_at=START, probes=probes)
    ctx = CheckContext(Period.for_as_of(date(2021, 8, 31)), Options.shipped(), settings)
    return [f.to_dict() for f in CHECK.run_site(SITE, snap, ctx)]


def test_slots_failed_from_every_vantage_point_make_the_veto() -> None:
    both = seen_from("telecom-sx", month(7, 20, failed=7)) + seen_from("unicom-bj", month(7, 20, failed=7), 5)
    found = run_from(both, TWO)
    assert keys(found) == [("veto", "ratio", 140, 7, 7, 0, 0)]  # slots, not probes: 140, not 280
    assert found[0]["vantage_failed"] == 0


def test_failures_seen_from_one_vantage_point_alone_are_a_notice_never_a_veto() -> None:
    failing = seen_from("telecom-sx", month(7, 20, failed=20))
    loading = seen_from("unicom-bj", month(7, 20, failed=0), 5)
    found = run_from(failing + loading, TWO)
    assert found == []  # every slot loaded from unicom-bj: nothing failed, nothing to report


def test_a_slot_failed_from_one_vantage_point_and_not_probed_from_the_other_counts_neither_way() -> None:
    failing = seen_from("telecom-sx", month(7, 20, failed=20))
    loading = [p for p in seen_from("unicom-bj", month(7, 20, failed=0), 5)][20:]  # day 1 not probed from it
    found = run_from(failing + loading, TWO)
    assert keys(found) == [("notice", "one_vantage", 120, 0, 6, 0, 0)]
    assert found[0]["vantage_failed"] == 20


def test_one_configured_vantage_point_judges_every_probe_as_before() -> None:
    probes = seen_from("telecom-sx", month(7, 20, failed=20))
    assert keys(run_from(probes, ["telecom-sx"])) == keys(run(probes))
    assert "vantage_failed" not in run_from(probes, ["telecom-sx"])[0]
