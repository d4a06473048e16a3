"""stale_account: no post within 14 days before as-of is a veto — only when the history covers the window
and the silence is confirmed (a complete source, or two reads 24 h apart that agree)."""

from datetime import UTC, date, datetime
from typing import Any

from checks.base import CheckContext
from checks.stale_account import CHECK, CLAUSE, GAP_CLAUSE, SINGLE_CLAUSE, Options
from monitor.config.load import shipped_settings
from monitor.model.period import CHINA_TZ, Period
from monitor.model.snapshots import AccountSnapshot, FeedFetch, Post
from monitor.registry.model import Account

FEED = "rsshub:/weibo/user/1001"
URL = "http://127.0.0.1:1200/weibo/user/1001"
AS_OF = date(2021, 8, 31)
POLLED = datetime(2021, 8, 31, 21, tzinfo=CHINA_TZ)
ACCOUNT = Account(id="wb-1", name="太原发布", platform="weibo", owner="太原市人民政府新闻办公室", feed=FEED)


def cst(day: int, hour: int = 9, minute: int = 0, month: int = 8) -> datetime:
    return datetime(2021, month, day, hour, minute, tzinfo=CHINA_TZ)


def ok_fetch(oldest: datetime, at: datetime = POLLED, items: int = 20, newest: datetime | None = None,
             url: str = URL) -> FeedFetch:
    return FeedFetch(at=at, ok=True, url=url, status=200, items=items, oldest=oldest, newest=newest or oldest)


def snap(posts: list[datetime], fetches: list[FeedFetch] | None = None) -> AccountSnapshot:
    """By default the feed was read a week before as-of and on as-of, both listing the posts up to then."""
    def listed(at: datetime) -> FeedFetch:
        return ok_fetch(cst(1, month=7), at=at, newest=max((p for p in posts if p < at), default=None))
    return AccountSnapshot(account_id="wb-1",
                           posts=[Post(key=f"p{n}", published_at=t.astimezone(UTC)) for n, t in enumerate(posts)],
                           fetches=[listed(cst(24, 21)), listed(POLLED)] if fetches is None else fetches)


def run(s: AccountSnapshot, acc: Account = ACCOUNT, **options: Any) -> list[dict[str, Any]]:
    ctx = CheckContext(Period.for_as_of(AS_OF), Options.shipped(**options), shipped_settings())
    return [f.to_dict() for f in CHECK.run_account(acc, s, ctx)]


def veto(last: str | None) -> dict[str, Any]:
    return {"check": "stale_account", "severity": "veto", "url": FEED, "last_update": last, "points": 0.0,
            "clause": CLAUSE}


def test_post_at_0000_china_time_14_days_before_as_of_counts_even_when_stored_in_utc() -> None:
    # 17 Aug 00:00 CST is 16 Aug 16:00 UTC.
    assert run(snap([cst(1), cst(17, 0, 0)])) == []


def test_last_post_15_days_before_as_of_is_a_veto_dated_in_china_time() -> None:
    assert run(snap([cst(1), cst(16, 23, 59)])) == [veto("2021-08-16")]


def test_posts_after_as_of_do_not_count() -> None:
    assert run(snap([cst(10), cst(1, 0, 0, month=9)])) == [veto("2021-08-10")]


def test_window_length_comes_from_the_options() -> None:
    assert run(snap([cst(24, 0, 0)]), window_days=7) == []
    assert run(snap([cst(23, 23, 59)]), window_days=7) == [veto("2021-08-23")]


def notice(last: str | None, reason: str, clause: str) -> dict[str, Any]:
    return {**veto(last), "severity": "notice", "reason": reason, "clause": clause}


def test_a_feed_of_latest_items_read_once_is_a_notice_not_a_veto() -> None:
    once = [ok_fetch(cst(1, month=7), newest=cst(10))]
    assert run(snap([cst(1), cst(10)], once)) == [notice("2021-08-10", "single_read", SINGLE_CLAUSE)]


def test_two_reads_under_24_hours_apart_do_not_confirm_the_silence() -> None:
    close = [ok_fetch(cst(1, month=7), at=cst(31, 0, 30), newest=cst(10)), ok_fetch(cst(1, month=7), newest=cst(10))]
    assert run(snap([cst(10)], close)) == [notice("2021-08-10", "single_read", SINGLE_CLAUSE)]
    apart = [ok_fetch(cst(1, month=7), at=cst(30, 20), newest=cst(10)), ok_fetch(cst(1, month=7), newest=cst(10))]
    assert run(snap([cst(10)], apart)) == [veto("2021-08-10")]


def test_a_read_before_the_window_does_not_confirm_the_silence_inside_it() -> None:
    early = [ok_fetch(cst(1, month=7), at=cst(12), newest=cst(10)), ok_fetch(cst(1, month=7), newest=cst(10))]
    assert run(snap([cst(10)], early)) == [notice("2021-08-10", "single_read", SINGLE_CLAUSE)]


def test_one_read_of_a_source_that_declares_completeness_is_a_veto() -> None:
    export = [ok_fetch(cst(5, month=7), items=2, newest=cst(10), url="csv:exports/wb.csv")]
    assert run(snap([cst(5, month=7), cst(10)], export)) == [veto("2021-08-10")]


def test_window_the_history_does_not_cover_is_a_notice_not_a_veto() -> None:
    # The feed was read on 19 Aug and not since: the last days before as-of are unknown.
    fetches = [ok_fetch(cst(1), at=cst(19), newest=cst(10))]
    assert run(snap([cst(10)], fetches)) == [notice("2021-08-10", "insufficient_data", GAP_CLAUSE)]


def test_a_window_left_uncovered_by_failed_reads_is_left_to_feed_unreachable() -> None:
    fetches = [ok_fetch(cst(1), at=cst(19), newest=cst(10)), FeedFetch(at=cst(31, 20), ok=False, url=URL, status=503)]
    assert run(snap([cst(10)], fetches)) == []


def test_dead_feed_with_old_stored_posts_is_not_stale() -> None:
    fetches = [ok_fetch(cst(1, month=7), at=cst(20, month=7), newest=cst(10, month=7))] + [
        FeedFetch(at=cst(d), ok=False, url=URL, error="connect_error") for d in (3, 17, 31)]
    assert run(snap([cst(10, month=7)], fetches)) == []


def test_accounts_not_active_are_not_judged() -> None:
    closed = ACCOUNT.model_copy(update={"status": "closed"})
    assert run(snap([cst(1, month=7)]), closed) == []
