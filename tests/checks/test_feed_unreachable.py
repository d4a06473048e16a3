"""feed_unreachable: a source that failed for the whole period is named "could not be judged"."""

from datetime import date, datetime
from typing import Any

from checks.base import CheckContext
from checks.feed_unreachable import CHECK, CLAUSE, Options
from monitor.period import CHINA_TZ, Period
from monitor.registry import Account
from monitor.settings import shipped_settings
from monitor.snapshots import AccountSnapshot, FeedFetch

FEED = "rsshub:/douyin/user/77"
URL = "http://127.0.0.1:1200/douyin/user/77"
ACCOUNT = Account(id="dy-1", name="太原文旅", platform="douyin", owner="太原市文化和旅游局", feed=FEED)


def cst(day: int, month: int = 8) -> datetime:
    return datetime(2021, month, day, 10, tzinfo=CHINA_TZ)


def failed(day: int, month: int = 8, *, status: int | None = None, error: str | None = None) -> FeedFetch:
    return FeedFetch(at=cst(day, month), ok=False, url=URL, status=status, error=error)


def run(fetches: list[FeedFetch], account: Account = ACCOUNT) -> list[dict[str, Any]]:
    ctx = CheckContext(Period.for_as_of(date(2021, 8, 31)), Options(), shipped_settings())
    return [f.to_dict() for f in CHECK.run_account(account, AccountSnapshot(account_id="dy-1", fetches=fetches), ctx)]


def test_every_read_of_the_period_failing_is_a_notice_with_the_last_failure() -> None:
    fetches = [FeedFetch(at=cst(30, 7), ok=True, url=URL, items=20), failed(2, status=503),
               failed(31, error="connect_error")]
    assert run(fetches) == [{"check": "feed_unreachable", "severity": "notice", "url": URL, "status": None,
                             "error": "connect_error", "points": 0.0, "clause": CLAUSE}]


def test_one_successful_read_in_the_period_means_the_source_answers() -> None:
    assert run([failed(2, status=404), FeedFetch(at=cst(20), ok=True, url=URL, items=3), failed(31, status=404)]) == []


def test_a_read_with_undated_items_still_shows_the_source_alive() -> None:
    alive = FeedFetch(at=cst(20), ok=True, url=URL, items=5, error="undated_items")
    assert run([failed(2, status=404), alive]) == []


def test_failures_outside_the_period_or_no_reads_at_all_give_nothing() -> None:
    assert run([failed(30, 7, status=404), failed(1, 9, status=404)]) == []
    assert run([]) == []


def test_closed_accounts_are_expected_to_have_no_feed() -> None:
    assert run([failed(2, status=404)], ACCOUNT.model_copy(update={"status": "closed"})) == []
