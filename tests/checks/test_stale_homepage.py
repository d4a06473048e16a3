"""stale_homepage: "监测时间点前2周内首页无新增内容" — 14 days pass, 15 fail; undated items are not updates."""

from datetime import UTC, date, datetime
from typing import Any

from checks import check_options
from checks.base import CheckContext
from checks.stale_homepage import CHECK, Options
from monitor.config.load import shipped_settings
from monitor.model.findings import Severity
from monitor.model.period import Period
from monitor.model.snapshots import ColumnSnapshot, ListItem, PageSnapshot, SiteSnapshot
from monitor.registry.model import Site

AS_OF = date(2021, 8, 31)
AT = datetime(2021, 8, 31, 4, tzinfo=UTC)
HOME = "http://127.0.0.1:8101/"
SITE = Site(id="1403000001", name="测试市人民政府", url=HOME, kind="portal")


def item(day: date | None, n: int = 1) -> ListItem:
    return ListItem(title=f"要闻{n}", url=f"{HOME}art/{n}.html", date=day)


def snapshot(items: list[ListItem], *, status: int | None = 200, error: str | None = None,
             columns: list[ColumnSnapshot] | None = None) -> SiteSnapshot:
    home = PageSnapshot(url=HOME, final_url=HOME, status=status, error=error, fetched_at=AT, items=items)
    return SiteSnapshot(site_id=SITE.id, url=HOME, started_at=AT, home=home, columns=columns or [])


def run(snap: SiteSnapshot, **options: Any) -> list[dict[str, Any]]:
    ctx = CheckContext(Period.for_as_of(AS_OF), Options.shipped(**options), shipped_settings())
    return [f.to_dict() for f in CHECK.run_site(SITE, snap, ctx)]


def veto(last: str | None, basis: str = "home") -> dict[str, Any]:
    return {"check": "stale_homepage", "severity": "veto", "url": HOME, "last_update": last, "basis": basis,
            "points": 0.0, "clause": ""}


def test_item_dated_exactly_14_days_before_as_of_passes() -> None:
    assert run(snapshot([item(date(2021, 8, 17)), item(date(2021, 7, 1), 2)])) == []


def test_newest_item_15_days_before_as_of_is_a_veto_naming_that_date() -> None:
    assert run(snapshot([item(date(2021, 8, 16)), item(date(2021, 7, 1), 2)])) == [veto("2021-08-16")]


def test_item_dated_on_as_of_passes() -> None:
    assert run(snapshot([item(AS_OF)])) == []


def test_dates_after_as_of_are_ignored() -> None:
    assert run(snapshot([item(date(2021, 9, 5)), item(date(2021, 8, 1), 2)])) == [veto("2021-08-01")]


def test_undated_items_do_not_count_as_updates_when_some_items_are_dated() -> None:
    snap = snapshot([item(None), item(None, 2), item(date(2021, 8, 10), 3)])
    assert run(snap) == [veto("2021-08-10")]


def notice(reason: str, last: str | None = None, basis: str = "columns") -> dict[str, Any]:
    return {"check": "stale_homepage", "severity": "notice", "url": HOME, "last_update": last, "basis": basis,
            "reason": reason, "points": 0.0, "clause": ""}


def test_home_page_without_any_dated_item_and_no_columns_is_a_notice_not_a_veto() -> None:
    assert run(snapshot([item(None), item(None, 2)])) == [notice("no_dated_item")]


def test_a_script_filled_home_list_is_a_notice_even_when_the_columns_are_old() -> None:
    snap = snapshot([])
    assert snap.home is not None
    snap.home.script_list = True
    old = ColumnSnapshot(name="通知", url=f"{HOME}tz/", kind="notice", level=1, status=200,
                         items=[item(date(2021, 6, 1), 6)])
    snap.columns = [old]
    assert run(snap) == [notice("script_rendered", "2021-06-01")]
    snap.columns = []
    assert run(snap) == [notice("script_rendered")]


def test_a_home_page_whose_fetch_was_blocked_or_script_rendered_is_not_judged() -> None:
    for state in ("blocked", "script_rendered", "soft_404"):
        snap = snapshot([item(date(2021, 1, 1))])
        assert snap.home is not None
        snap.home.state = state  # type: ignore[assignment]
        assert [(f["severity"], f["reason"], f["state"]) for f in run(snap)] == [("notice", "not_fetched", state)]


def test_navigation_home_page_is_judged_by_its_first_level_columns() -> None:
    fresh = ColumnSnapshot(name="工作动态", url=f"{HOME}gzdt/", kind="news", level=1, status=200,
                           items=[item(date(2021, 8, 20), 9)])
    assert run(snapshot([item(None)], columns=[fresh])) == []


def test_navigation_fallback_ignores_deeper_columns_and_failed_columns() -> None:
    deep = ColumnSnapshot(name="子栏目", url=f"{HOME}a/b/", kind="news", level=2, status=200,
                          items=[item(date(2021, 8, 30), 8)])
    down = ColumnSnapshot(name="要闻", url=f"{HOME}yw/", kind="news", level=1, status=500,
                          items=[item(date(2021, 8, 30), 7)])
    challenged = ColumnSnapshot(name="动态", url=f"{HOME}dt/", kind="news", level=1, status=200, state="blocked",
                                items=[item(date(2021, 8, 30), 5)])
    old = ColumnSnapshot(name="通知", url=f"{HOME}tz/", kind="notice", level=1, status=200,
                         items=[item(date(2021, 6, 1), 6)])
    assert run(snapshot([], columns=[deep, down, challenged, old])) == [veto("2021-06-01", "columns")]


def test_without_navigation_fallback_an_undated_home_page_is_a_notice() -> None:
    fresh = ColumnSnapshot(name="工作动态", url=f"{HOME}gzdt/", kind="news", status=200,
                           items=[item(date(2021, 8, 30), 9)])
    assert run(snapshot([item(None)], columns=[fresh]), navigation_fallback=False) == [notice("no_dated_item",
                                                                                                basis="home")]


def test_unfetched_home_page_is_a_notice_not_a_veto() -> None:
    found = run(snapshot([], status=None, error="timeout"))
    assert found == [{"check": "stale_homepage", "severity": "notice", "url": HOME, "last_update": None,
                      "reason": "not_fetched", "state": "dead", "points": 0.0, "clause": ""}]


def test_home_page_answering_404_is_not_judged() -> None:
    assert [f["severity"] for f in run(snapshot([item(date(2021, 1, 1))], status=404))] == [Severity.NOTICE]


def test_missing_home_snapshot_is_a_notice_on_the_site_url() -> None:
    snap = SiteSnapshot(site_id=SITE.id, url=HOME, started_at=AT)
    assert [(f["url"], f["reason"]) for f in run(snap)] == [(HOME, "not_fetched")]


def test_window_follows_the_option() -> None:
    assert run(snapshot([item(date(2021, 8, 24))]), max_days=7) == []
    assert run(snapshot([item(date(2021, 8, 23))]), max_days=7) == [veto("2021-08-23")]


def test_an_undated_home_list_that_changed_is_a_notice_that_shows_when_it_changed() -> None:
    from datetime import UTC, datetime

    from checks.base import CheckContext
    from checks.stale_homepage import CHECK as STALE_HOME
    from monitor.config.load import load_settings
    from monitor.model.period import Period
    from monitor.model.snapshots import ContentMark, ListItem, PageSnapshot, SiteSnapshot
    from monitor.registry.model import Site

    url = "http://127.0.0.1:9/"
    at = lambda d: datetime(2021, 8, d, 1, 0, tzinfo=UTC)  # noqa: E731
    home = PageSnapshot(url=url, final_url=url, status=200, fetched_at=at(31),
                        items=[ListItem(title="无日期的新闻标题一", url=url + "a.html")])
    history = [ContentMark(url=url, taken_at=at(d), items_hash=h) for d, h in ((1, "x"), (10, "x"), (20, "y"), (25, "y"))]
    snap = SiteSnapshot(site_id="1499990001", url=url, started_at=at(31), home=home, history=history)
    settings = load_settings(environ={})
    ctx = CheckContext(Period.for_as_of(datetime(2021, 8, 31).date()), check_options(settings, "stale_homepage"), settings)
    findings = list(STALE_HOME.run_site(Site(id="1499990001", name="x", url=url), snap, ctx))
    assert [(f.severity.value, f.data) for f in findings] == [
        ("notice", {"last_update": None, "basis": "columns", "reason": "no_dated_item",
                    "content_changed": "2021-08-20"})]
