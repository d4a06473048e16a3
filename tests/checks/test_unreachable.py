"""unreachable: ≥5% failed probes over ≥20 probes is a veto; a short crawl's probes never make a ratio."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from checks.base import CheckContext
from checks.unreachable import CHECK, Options
from monitor.period import Period
from monitor.registry import Site
from monitor.settings import shipped_settings
from monitor.snapshots import Probe, SiteSnapshot

HOME = "http://127.0.0.1:8104/"
AT = datetime(2021, 8, 1, tzinfo=UTC)
SITE = Site(id="1403000004", name="测试区人民政府", url=HOME)


def probes(total: int, failed: int) -> list[Probe]:
    out = []
    for i in range(total):
        bad = i < failed
        out.append(Probe(url=HOME, at=AT + timedelta(hours=i), ok=not bad, status=None if bad else 200,
                         error="timeout" if bad else None, elapsed_ms=15000 if bad else 120))
    return out


def run(total: int, failed: int, **options: Any) -> list[dict[str, Any]]:
    snap = SiteSnapshot(site_id=SITE.id, url=HOME, started_at=AT, probes=probes(total, failed))
    ctx = CheckContext(Period.for_as_of(date(2021, 8, 31)), Options(**options), shipped_settings())
    return [f.to_dict() for f in CHECK.run_site(SITE, snap, ctx)]


def finding(severity: str, total: int, failed: int, reason: str) -> dict[str, Any]:
    return {"check": "unreachable", "severity": severity, "url": HOME, "probes": total, "failed": failed,
            "reason": reason, "points": 0.0, "clause": ""}


def test_one_failure_in_twenty_probes_is_exactly_five_percent_and_a_veto() -> None:
    assert run(20, 1) == [finding("veto", 20, 1, "ratio")]


def test_one_failure_in_twenty_one_probes_is_below_five_percent_and_a_notice() -> None:
    assert run(21, 1) == [finding("notice", 21, 1, "below_ratio")]


def test_a_month_of_probes_over_the_ratio_is_a_veto() -> None:
    assert run(720, 40) == [finding("veto", 720, 40, "ratio")]
    assert run(720, 35) == [finding("notice", 720, 35, "below_ratio")]


def test_one_failed_crawl_probe_of_three_is_not_a_veto() -> None:
    assert run(3, 1) == [finding("notice", 3, 1, "too_few_probes")]
    assert run(3, 2) == [finding("notice", 3, 2, "too_few_probes")]


def test_every_crawl_probe_failing_is_a_veto_home_page_unreachable() -> None:
    assert run(3, 3) == [finding("veto", 3, 3, "all_failed")]
    assert run(19, 19) == [finding("veto", 19, 19, "all_failed")]


def test_too_few_probes_to_call_all_failed_is_a_notice() -> None:
    assert run(2, 2) == [finding("notice", 2, 2, "too_few_probes")]


def test_no_failure_or_no_probe_gives_no_finding() -> None:
    assert run(25, 0) == []
    assert run(0, 0) == []


@pytest.mark.parametrize(("total", "failed", "reason"), [(10, 1, "ratio"), (9, 1, "too_few_probes")])
def test_thresholds_follow_the_options(total: int, failed: int, reason: str) -> None:
    assert run(total, failed, min_probes=10, fail_ratio=0.1)[0]["reason"] == reason
