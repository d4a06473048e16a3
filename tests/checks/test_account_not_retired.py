"""account_not_retired: an account due to close or migrate that still posts after its deadline."""

from datetime import UTC, date, datetime
from typing import Any

from checks.account_not_retired import CHECK, CLAUSE, Options
from checks.base import CheckContext
from monitor.config.load import shipped_settings
from monitor.model.period import CHINA_TZ, Period
from monitor.model.snapshots import AccountSnapshot, Post
from monitor.registry.model import Account

FEED = "http://127.0.0.1:8301/feeds/wx-archive.xml"


def cst(day: int, hour: int = 9, minute: int = 0, month: int = 8) -> datetime:
    return datetime(2021, month, day, hour, minute, tzinfo=CHINA_TZ)


def account(status: str = "closing", deadline: date | None = date(2021, 8, 15)) -> Account:
    return Account(id="wx-archive", name="太原档案", platform="wechat", owner="太原市档案局", feed=FEED,
                   status=status, deadline=deadline)  # type: ignore[arg-type]


def run(posts: list[datetime], acc: Account | None = None, **options: Any) -> list[dict[str, Any]]:
    snap = AccountSnapshot(account_id="wx-archive",
                           posts=[Post(key=str(n), published_at=t.astimezone(UTC)) for n, t in enumerate(posts)])
    ctx = CheckContext(Period.for_as_of(date(2021, 8, 31)), Options.shipped(**options), shipped_settings())
    return [f.to_dict() for f in CHECK.run_account(acc or account(), snap, ctx)]


def deduct(last: str, posts: int = 1, status: str = "closing", deadline: str = "2021-08-15") -> dict[str, Any]:
    return {"check": "account_not_retired", "severity": "deduct", "url": FEED, "status": status, "deadline": deadline,
            "last_post": last, "posts": posts, "points": 0.0, "clause": CLAUSE}


def test_posting_after_the_deadline_is_a_deduction_naming_the_last_post() -> None:
    assert run([cst(10), cst(16, 0, 0), cst(20)]) == [deduct("2021-08-20", posts=2)]


def test_post_on_the_deadline_day_at_2359_china_time_is_allowed() -> None:
    # 15 Aug 23:59 CST is 15:59 UTC; 16 Aug 00:00 CST is 15 Aug 16:00 UTC and is late.
    assert run([cst(15, 23, 59)]) == []
    assert run([cst(16, 0, 0)]) == [deduct("2021-08-16")]


def test_migrating_accounts_are_judged_too_and_active_ones_are_not() -> None:
    assert run([cst(20)], account("migrating")) == [deduct("2021-08-20", status="migrating")]
    assert run([cst(20)], account("active")) == []
    assert run([cst(20)], account("closing", None)) == []


def test_posts_after_as_of_and_grace_days() -> None:
    assert run([cst(1, month=9)]) == []
    assert run([cst(17)], grace_days=2) == []
    assert run([cst(18)], grace_days=2) == [deduct("2021-08-18")]
