"""feed_unreachable: a source that could not be read is named 未能获取更新情况 — all period, or for the
time its failures left undecided; the inspection's own read after as-of counts."""

from datetime import UTC, date, datetime
from typing import Any

from checks.base import CheckContext
from checks.feed_unreachable import CHECK, CLAUSE, Options
from monitor.config.load import shipped_settings
from monitor.model.period import CHINA_TZ, Period
from monitor.model.snapshots import AccountSnapshot, FeedFetch, Post
from monitor.registry.model import Account

FEED = "rsshub:/douyin/user/77"
URL = "http://127.0.0.1:1200/douyin/user/77"
ACCOUNT = Account(id="dy-1", name="太原文旅", platform="douyin", owner="太原市文化和旅游局", feed=FEED)


def cst(day: int, month: int = 8) -> datetime:
    return datetime(2021, month, day, 10, tzinfo=CHINA_TZ)


def failed(day: int, month: int = 8, *, status: int | None = None, error: str | None = None) -> FeedFetch:
    return FeedFetch(at=cst(day, month), ok=False, url=URL, status=status, error=error)


ALL_WEEKS = ["2021-W31", "2021-W32", "2021-W33", "2021-W34"]


def run(fetches: list[FeedFetch], account: Account = ACCOUNT, posts: list[datetime] = ()) -> list[dict[str, Any]]:
    ctx = CheckContext(Period.for_as_of(date(2021, 8, 31)), Options.shipped(), shipped_settings())
    snap = AccountSnapshot(account_id="dy-1", fetches=fetches,
                           posts=[Post(key=f"p{n}", published_at=t.astimezone(UTC)) for n, t in enumerate(posts)])
    return [f.to_dict() for f in CHECK.run_account(account, snap, ctx)]


def notice(reason: str, weeks: list[str], window: bool, status: int | None = None,
           error: str | None = None) -> dict[str, Any]:
    return {"check": "feed_unreachable", "severity": "notice", "url": URL, "status": status, "error": error,
            "reason": reason, "weeks": weeks, "window": window, "points": 0.0, "clause": CLAUSE}


def listing(day: int, oldest: int, month: int = 8) -> FeedFetch:
    return FeedFetch(at=cst(day, month), ok=True, url=URL, items=20, oldest=cst(oldest, month), newest=cst(day, month))


def test_every_read_of_the_period_failing_is_a_notice_with_the_last_failure() -> None:
    fetches = [FeedFetch(at=cst(30, 7), ok=True, url=URL, items=20), failed(2, status=503),
               failed(31, error="connect_error")]
    assert run(fetches) == [notice("no_read", ALL_WEEKS, True, error="connect_error")]


def test_the_inspections_own_read_after_as_of_names_a_dead_feed() -> None:
    # ``govmon inspect --as-of 2021-08-31`` run on 1 September: its one read is the evidence.
    assert run([failed(1, 9, status=404)]) == [notice("no_read", ALL_WEEKS, True, status=404)]


def test_one_successful_read_covering_the_period_means_nothing_is_undecided() -> None:
    fetches = [failed(2, status=404), listing(31, 1), failed(1, 9, status=404)]
    assert run(fetches, posts=[cst(d) for d in (3, 10, 17, 24, 30)]) == []


def test_weeks_failed_reads_left_uncovered_are_named() -> None:
    # Read fine on 12 Aug, failing from the 20th: the last two weeks and the 2-week window are unknown.
    fetches = [listing(12, 1), failed(20, status=502), failed(31, status=502)]
    assert run(fetches, posts=[cst(3), cst(10)]) == [notice("gaps", ["2021-W33", "2021-W34"], True, status=502)]


def test_uncovered_weeks_with_enough_stored_posts_are_not_undecided() -> None:
    fetches = [listing(12, 1), failed(20, status=502), listing(31, 28)]
    assert run(fetches, posts=[cst(d) for d in (3, 10, 17, 24, 30)]) == []


def test_a_read_with_undated_items_still_shows_the_source_alive() -> None:
    alive = FeedFetch(at=cst(20), ok=True, url=URL, items=5, error="undated_items")
    assert run([failed(2, status=404), alive], posts=[cst(d) for d in (3, 10, 17, 24, 30)]) == []


def test_failures_before_the_period_or_no_reads_at_all_give_nothing() -> None:
    assert run([failed(30, 7, status=404)]) == []
    assert run([]) == []


def test_closed_accounts_are_expected_to_have_no_feed() -> None:
    assert run([failed(2, status=404)], ACCOUNT.model_copy(update={"status": "closed"})) == []
