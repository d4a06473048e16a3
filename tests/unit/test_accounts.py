"""Account history: natural weeks, what stored fetches cover, polling into a real SQLite store."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from monitor.accounts.coverage import coverage, covered_spans, is_covered, source_down
from monitor.accounts.poll import poll_account
from monitor.config.load import shipped_settings
from monitor.config.settings import Settings
from monitor.model.period import CHINA_TZ, Period, Week, natural_weeks
from monitor.model.snapshots import AccountSnapshot, FeedFetch
from monitor.net.fetch import Fetcher
from monitor.registry.model import Account, Registry
from monitor.run.check import check_account
from monitor.store.store import Store

AUG = Period.for_as_of(date(2021, 8, 31))
FEED = "http://127.0.0.1:9/feeds/wx.xml"


def cst(day: int, hour: int = 9, minute: int = 0, month: int = 8) -> datetime:
    return datetime(2021, month, day, hour, minute, tzinfo=CHINA_TZ)


def ok(at: datetime, oldest: datetime | None, items: int = 20, url: str = FEED, error: str | None = None) -> FeedFetch:
    return FeedFetch(at=at, ok=True, url=url, items=items, oldest=oldest, newest=at, error=error)


def labels(period: Period) -> list[str]:
    return [w.label for w in natural_weeks(period, CHINA_TZ)]


def test_natural_weeks_are_those_whose_thursday_is_in_the_month_up_to_as_of() -> None:
    assert labels(AUG) == ["2021-W31", "2021-W32", "2021-W33", "2021-W34"]
    assert labels(Period.for_as_of(date(2021, 8, 25))) == ["2021-W31", "2021-W32", "2021-W33"]
    assert labels(Period.for_as_of(date(2021, 8, 26))) == ["2021-W31", "2021-W32", "2021-W33", "2021-W34"]
    assert labels(Period.for_as_of(date(2021, 11, 4))) == ["2021-W44"]
    assert labels(Period.for_as_of(date(2021, 11, 3))) == []
    # 30 Aug–5 Sep 2021 (Thursday 2 Sep) is September's; 27 Sep–3 Oct (Thursday 30 Sep) too.
    assert labels(Period.for_month("2021-09")) == ["2021-W35", "2021-W36", "2021-W37", "2021-W38", "2021-W39"]
    # 2021-01: 28 Dec–3 Jan has its Thursday on 31 Dec (ISO 2020-W53, December's), 25–31 Jan is January's.
    assert labels(Period.for_month("2021-01")) == ["2021-W01", "2021-W02", "2021-W03", "2021-W04"]
    assert labels(Period.for_month("2020-12"))[-1] == "2020-W53"


def test_every_week_is_judged_by_exactly_one_month() -> None:
    months = [f"{y}-{m:02d}" for y in (2020, 2021, 2022) for m in range(1, 13)]
    weeks = [w for month in months for w in natural_weeks(Period.for_month(month), CHINA_TZ)]
    mondays = [w.monday for w in weeks]
    assert len(mondays) == len(set(mondays))
    assert all(b - a == timedelta(days=7) for a, b in zip(mondays, mondays[1:]))


def test_week_runs_from_monday_0000_to_sunday_2359_china_time() -> None:
    week = Week(date(2021, 8, 16), CHINA_TZ)
    assert week.holds(cst(16, 0, 0).astimezone(UTC)) and week.holds(cst(22, 23, 59).astimezone(UTC))
    assert not week.holds(cst(23, 0, 0).astimezone(UTC)) and not week.holds(cst(15, 23, 59))


def test_successive_reads_cover_the_union_of_their_spans() -> None:
    snap = AccountSnapshot(account_id="a", fetches=[ok(cst(12), cst(1)), ok(cst(24), cst(10)), ok(cst(31, 20), cst(22))])
    assert coverage(snap, AUG, settings=shipped_settings()) == {w: True for w in labels(AUG)}
    gap = AccountSnapshot(account_id="a", fetches=[ok(cst(12), cst(1)), ok(cst(31, 20), cst(22))])
    assert coverage(gap, AUG, settings=shipped_settings()) == {"2021-W31": True, "2021-W32": False, "2021-W33": False,
                                                       "2021-W34": True}


def test_read_on_the_as_of_day_covers_to_its_end_and_earlier_reads_only_to_their_time() -> None:
    spans = covered_spans(AccountSnapshot(account_id="a", fetches=[ok(cst(31, 8), cst(20))]), as_of=AUG.as_of,
                          settings=shipped_settings())
    assert spans == [(cst(20), cst(1, 0, 0, month=9))]
    spans = covered_spans(AccountSnapshot(account_id="a", fetches=[ok(cst(30, 8), cst(20))]), as_of=AUG.as_of,
                          settings=shipped_settings())
    assert spans == [(cst(20), cst(30, 8))]
    assert not is_covered(spans, cst(23, 0, 0), cst(30, 0, 0) + timedelta(days=1))


def test_short_listing_covers_all_history_but_empty_undated_or_failed_reads_cover_nothing() -> None:
    settings = shipped_settings()
    assert coverage(AccountSnapshot(account_id="a", fetches=[ok(cst(31), cst(20), items=9)]), AUG,
                    settings=settings)["2021-W31"] is True
    for fetch in (ok(cst(31), None, items=0), ok(cst(31), cst(1), items=30, error="undated_items"),
                  FeedFetch(at=cst(31), ok=False, url=FEED, status=500)):
        assert covered_spans(AccountSnapshot(account_id="a", fetches=[fetch]), as_of=AUG.as_of, settings=settings) == []
    csv_read = ok(cst(31), cst(25), items=40, url="csv:exports/wx.csv")
    assert coverage(AccountSnapshot(account_id="a", fetches=[csv_read]), AUG, settings=settings)["2021-W31"] is True


def test_source_down_only_when_every_read_since_the_period_began_failed() -> None:
    failed = [FeedFetch(at=cst(d), ok=False, url=FEED, status=502) for d in (3, 30)]
    assert source_down(AccountSnapshot(account_id="a", fetches=failed), AUG, CHINA_TZ) == failed[-1]
    with_ok = failed + [ok(cst(31, 23, 59), cst(1))]
    assert source_down(AccountSnapshot(account_id="a", fetches=with_ok), AUG, CHINA_TZ) is None
    before = [FeedFetch(at=cst(31, month=7), ok=False, url=FEED, status=502)]
    assert source_down(AccountSnapshot(account_id="a", fetches=before), AUG, CHINA_TZ) is None
    inspection = [FeedFetch(at=cst(1, 8, month=9), ok=False, url=FEED, status=404)]
    assert source_down(AccountSnapshot(account_id="a", fetches=inspection), AUG, CHINA_TZ) == inspection[0]


def rss_of(days: list[int]) -> bytes:
    items = "".join(f"<item><guid>p{d}</guid><title>第{d}条</title>"
                    f"<pubDate>{cst(d).strftime('%a, %d %b %Y %H:%M:%S')} +0800</pubDate></item>" for d in sorted(days, reverse=True))
    return f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode()


class FeedServer:
    """A MockTransport whose document the test changes between polls."""

    def __init__(self) -> None:
        self.days: list[int] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=rss_of(self.days), headers={"content-type": "application/rss+xml"})


ACCOUNT = Account(id="wx-1", name="太原发布", platform="wechat", owner="太原市人民政府办公室", feed=FEED)


async def test_polling_twice_stores_each_post_once_and_every_attempt(tmp_path: Path) -> None:
    store, server = Store(f"sqlite:///{tmp_path / 'g.db'}"), FeedServer()
    server.days = [2, 4, 6]
    async with Fetcher(shipped_settings().crawl, transport=httpx.MockTransport(server)) as fetcher:
        first = await poll_account(ACCOUNT, fetcher=fetcher, store=store, settings=shipped_settings(), now=cst(7))
        second = await poll_account(ACCOUNT, fetcher=fetcher, store=store, settings=shipped_settings(), now=cst(8))
    snap = store.account_snapshot("wx-1")
    assert [p.key for p in snap.posts] == ["p2", "p4", "p6"]
    assert [(f.at, f.items, f.oldest) for f in snap.fetches] == [(cst(7), 3, cst(2)), (cst(8), 3, cst(2))]
    assert first.ok and second.ok


async def poll_sequence(tmp_path: Path, reads: list[tuple[datetime, list[int]]], settings: Settings) -> AccountSnapshot:
    store, server = Store(f"sqlite:///{tmp_path / 'g.db'}"), FeedServer()
    async with Fetcher(settings.crawl, transport=httpx.MockTransport(server)) as fetcher:
        for now, days in reads:
            server.days = days
            await poll_account(ACCOUNT, fetcher=fetcher, store=store, settings=settings, now=now)
    return store.account_snapshot("wx-1")


async def test_history_accumulates_when_later_reads_list_only_newer_posts(tmp_path: Path) -> None:
    settings = shipped_settings()
    settings.accounts.full_page = 5
    snap = await poll_sequence(tmp_path, [(cst(15), [1, 2, 4, 6, 9, 11, 13]),
                                          (cst(31, 20), [13, 16, 18, 20, 23, 25, 27, 30])], settings)
    assert [p.published_at.astimezone(CHINA_TZ).day for p in snap.posts] == [1, 2, 4, 6, 9, 11, 13, 16, 18, 20, 23, 25, 27, 30]
    assert coverage(snap, AUG, settings=settings) == {w: True for w in labels(AUG)}


async def test_reads_that_do_not_overlap_leave_the_gap_between_them_uncovered(tmp_path: Path) -> None:
    settings = shipped_settings()
    settings.accounts.full_page = 5
    snap = await poll_sequence(tmp_path, [(cst(15), [1, 2, 4, 6, 9, 11, 13]),
                                          (cst(31, 20), [16, 18, 20, 23, 25, 27, 30])], settings)
    # The first read (Sunday 15 Aug 09:00) cannot vouch for the rest of that Sunday, the second starts on the 16th 09:00.
    assert coverage(snap, AUG, settings=settings) == {"2021-W31": True, "2021-W32": False, "2021-W33": False,
                                                      "2021-W34": True}


async def test_check_account_polls_then_judges_the_stored_history(tmp_path: Path) -> None:
    store, server = Store(f"sqlite:///{tmp_path / 'g.db'}"), FeedServer()
    server.days = [2, 3, 4, 9, 10, 11, 16, 17, 18, 23, 24, 30]
    registry = Registry(accounts=[ACCOUNT])
    async with Fetcher(shipped_settings().crawl, transport=httpx.MockTransport(server)) as fetcher:
        result = await check_account("wx-1", settings=shipped_settings(), registry=registry, store=store, fetcher=fetcher,
                                     as_of=date(2021, 8, 31), now=cst(31, 20))
    assert (result["id"], result["verdict"]) == ("wx-1", "pass")
    assert [(f["check"], f.get("week"), f.get("posts")) for f in result["findings"]] == [("update_frequency", "2021-W34", 2)]
    assert len(store.account_snapshot("wx-1").fetches) == 1
