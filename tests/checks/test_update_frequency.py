"""update_frequency: posts per natural week (Mon–Sun, China time) against the platform's quota."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from checks.base import CheckContext
from checks.update_frequency import CHECK, CLAUSE, GAP_CLAUSE, OPEN_CLAUSE, Options
from monitor.config.load import shipped_settings
from monitor.config.settings import Settings
from monitor.model.period import CHINA_TZ, Period
from monitor.model.snapshots import AccountSnapshot, FeedFetch, Post
from monitor.registry.model import Account

FEED = "http://127.0.0.1:8301/feeds/wx.xml"
AS_OF = date(2021, 8, 31)
POLLED = datetime(2021, 8, 31, 21, tzinfo=CHINA_TZ)


def cst(day: int, hour: int = 9, minute: int = 0, month: int = 8) -> datetime:
    return datetime(2021, month, day, hour, minute, tzinfo=CHINA_TZ)


def account(platform: str = "wechat", status: str = "active") -> Account:
    return Account(id="acc-1", name="太原发布", platform=platform, owner="太原市人民政府办公室", feed=FEED, status=status)


def ok_fetch(oldest: datetime, at: datetime = POLLED, items: int = 20) -> FeedFetch:
    return FeedFetch(at=at, ok=True, url=FEED, status=200, items=items, oldest=oldest, newest=at)


def snap(posts: list[datetime], fetches: list[FeedFetch] | None = None) -> AccountSnapshot:
    return AccountSnapshot(
        account_id="acc-1",
        posts=[Post(key=f"p{n}", published_at=t.astimezone(UTC)) for n, t in enumerate(posts)],
        fetches=[ok_fetch(cst(1, month=7))] if fetches is None else fetches)


def run(s: AccountSnapshot, acc: Account | None = None, as_of: date = AS_OF, settings: Settings | None = None,
        **options: Any) -> list[dict[str, Any]]:
    ctx = CheckContext(Period.for_as_of(as_of), Options.shipped(**options), settings or shipped_settings())
    return [f.to_dict() for f in CHECK.run_account(acc or account(), s, ctx)]


def deduct(week: str, posts: int, required: int = 3) -> dict[str, Any]:
    return {"check": "update_frequency", "severity": "deduct", "url": FEED, "week": week, "posts": posts,
            "required": required, "points": 0.0, "clause": CLAUSE}


def three_a_week(*skip_weeks: int) -> list[datetime]:
    """Mon 09:00, Wed 12:00, Fri 18:00 of each week W31–W34 (2 Aug … 27 Aug), less ``skip_weeks``."""
    mondays = {31: 2, 32: 9, 33: 16, 34: 23}
    return [cst(d) + timedelta(days=off, hours=h) for w, d in mondays.items() if w not in skip_weeks
            for off, h in ((0, 0), (2, 3), (4, 9))]


def test_three_posts_every_week_on_wechat_gives_no_finding() -> None:
    assert run(snap(three_a_week())) == []


def test_week_with_two_posts_on_wechat_is_a_deduction_named_by_iso_week() -> None:
    posts = three_a_week(33) + [cst(16), cst(18)]
    assert run(snap(posts)) == [deduct("2021-W33", 2)]


def test_sunday_2359_and_monday_0000_china_time_fall_in_their_own_weeks_when_stored_in_utc() -> None:
    # Sunday 22 Aug 23:59 CST = 15:59 UTC (W33); Monday 23 Aug 00:00 CST = Sunday 16:00 UTC, yet W34.
    posts = three_a_week(33, 34) + [cst(16), cst(18), cst(22, 23, 59), cst(23, 0, 0), cst(25), cst(27)]
    assert run(snap(posts)) == []
    without_sunday = [p for p in posts if p != cst(22, 23, 59)]
    assert run(snap(without_sunday)) == [deduct("2021-W33", 2)]


def test_monday_0000_post_does_not_count_for_the_week_before() -> None:
    posts = three_a_week(33, 34) + [cst(16), cst(18), cst(23, 0, 0), cst(25), cst(27)]
    assert run(snap(posts)) == [deduct("2021-W33", 2)]


def test_other_platforms_need_one_post_a_week() -> None:
    posts = [cst(3), cst(10), cst(27)]
    assert run(snap(posts), account("douyin")) == [deduct("2021-W33", 0, 1)]


def test_quota_table_comes_from_settings() -> None:
    settings = shipped_settings()
    settings.accounts.min_posts_per_week = {"douyin": 2, "other": 1}
    posts = [cst(3), cst(4), cst(10), cst(11), cst(17), cst(24), cst(25)]
    assert run(snap(posts), account("douyin"), settings=settings) == [deduct("2021-W33", 1, 2)]
    assert run(snap(posts), account("bilibili"), settings=settings) == []


def test_a_week_is_judged_in_the_month_holding_its_thursday() -> None:
    # 26 Jul–1 Aug has its Thursday in July; 30 Aug–5 Sep in September (as-of Tuesday 31 Aug).
    assert [f["week"] for f in run(snap([]))] == ["2021-W31", "2021-W32", "2021-W33", "2021-W34"]
    # As-of Wednesday 25 Aug: W34's Thursday (26 Aug) has not come, it is not judged yet.
    fetches = [ok_fetch(cst(1, month=7), at=cst(25, 21))]
    assert [f["week"] for f in run(snap([], fetches), as_of=date(2021, 8, 25))] == ["2021-W31", "2021-W32", "2021-W33"]
    # September judges the week that crosses into it: two posts on Mon 30 and Tue 31 Aug count for it.
    posts = [cst(30), cst(31)] + [cst(d, month=9) for d in (6, 7, 8, 13, 14, 15, 20, 21, 22, 27, 28, 29)]
    read = [ok_fetch(cst(1, month=7), at=datetime(2021, 10, 4, 9, tzinfo=CHINA_TZ))]
    assert run(snap(posts, read), as_of=date(2021, 9, 30)) == [deduct("2021-W35", 2)]
    # November 2021 starts on a Monday: its first week is judged.
    fetches = [ok_fetch(cst(1, month=10), at=datetime(2021, 11, 30, 12, tzinfo=CHINA_TZ))]
    weeks = [f["week"] for f in run(snap([], fetches), as_of=date(2021, 11, 30))]
    assert weeks == ["2021-W44", "2021-W45", "2021-W46", "2021-W47"]


def test_a_week_not_over_at_as_of_is_a_notice_until_it_has_ended() -> None:
    # As-of Thursday 30 Sep: W39 (27 Sep–3 Oct) belongs to September but has not ended.
    posts = [cst(d, month=9) for d in (1, 2, 3, 6, 7, 8, 13, 14, 15, 20, 21, 22, 27)]
    on_as_of = [ok_fetch(cst(1, month=7), at=datetime(2021, 9, 30, 21, tzinfo=CHINA_TZ))]
    assert run(snap(posts, on_as_of), as_of=date(2021, 9, 30)) == [
        {**deduct("2021-W39", 1), "severity": "notice", "reason": "week_not_over", "clause": OPEN_CLAUSE}]
    after = [ok_fetch(cst(1, month=7), at=datetime(2021, 10, 4, 9, tzinfo=CHINA_TZ))]
    assert run(snap(posts, after), as_of=date(2021, 9, 30)) == [deduct("2021-W39", 1)]


def test_week_before_the_oldest_fetched_item_is_an_insufficient_data_notice_not_a_deduction() -> None:
    # The feed lists its latest 20 items, the oldest from Saturday 21 Aug: W33 is only partly covered.
    posts = [cst(21, 8)] + [cst(d, h) for d in range(23, 32) for h in (8, 12)]
    fetches = [ok_fetch(cst(21, 8), items=20)]

    def notice(week: str, posts: int) -> dict[str, Any]:
        return {**deduct(week, posts), "severity": "notice", "reason": "insufficient_data", "clause": GAP_CLAUSE}

    assert run(snap(posts, fetches)) == [notice("2021-W31", 0), notice("2021-W32", 0), notice("2021-W33", 1)]
    assert run(snap(posts, fetches), report_insufficient=False) == []


def test_partly_covered_week_with_enough_stored_posts_needs_no_notice() -> None:
    posts = [cst(d, h) for d in range(20, 32) for h in (8, 20)]
    fetches = [ok_fetch(cst(20, 8), items=20)]
    assert [f["week"] for f in run(snap(posts, fetches))] == ["2021-W31", "2021-W32"]


def test_feed_with_fewer_items_than_a_page_covers_its_whole_history() -> None:
    posts = [cst(20, 8), cst(27)]
    fetches = [ok_fetch(cst(20, 8), items=2)]
    assert run(snap(posts, fetches)) == [deduct("2021-W31", 0), deduct("2021-W32", 0), deduct("2021-W33", 1),
                                         deduct("2021-W34", 1)]


def test_source_that_failed_all_period_leaves_the_weeks_to_feed_unreachable() -> None:
    failed = [FeedFetch(at=cst(d), ok=False, url=FEED, status=503) for d in (5, 15, 31)]
    assert run(snap([cst(1, month=7)], failed)) == []


def test_weeks_a_failed_read_left_uncovered_are_not_judged_the_covered_ones_are() -> None:
    # Read on 12 Aug (covering W31), failing on 20 Aug, read again on 31 Aug (covering from 25 Aug on).
    fetches = [ok_fetch(cst(1), at=cst(12)), FeedFetch(at=cst(20), ok=False, url=FEED, status=502),
               ok_fetch(cst(25), at=POLLED)]
    assert run(snap([cst(2), cst(3)], fetches)) == [deduct("2021-W31", 2)]


def test_accounts_being_closed_are_not_held_to_the_quota() -> None:
    assert run(snap([]), account(status="closing")) == []
