"""stale_column: each column against its kind's window back from as-of; boundaries in days and calendar months."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from checks.base import CheckContext
from checks.stale_column import CHECK, Options
from monitor.config.load import shipped_settings
from monitor.model.period import Period, months_before, window_start
from monitor.model.snapshots import ColumnSnapshot, LinkResult, ListItem, SiteSnapshot
from monitor.registry.model import Site

AS_OF = date(2021, 8, 31)
AT = datetime(2021, 8, 31, 4, tzinfo=UTC)
BASE = "http://127.0.0.1:8102"
SITE = Site(id="1403000002", name="测试县人民政府", url=f"{BASE}/", kind="portal")


def column(name: str, kind: str, *dates: date | None, level: int = 1, status: int | None = 200,
           error: str | None = None, empty_reason: str | None = None, path: str | None = None) -> ColumnSnapshot:
    url = f"{BASE}/{path or name}/"
    items = [ListItem(title=f"{name}{i}", url=f"{url}{i}.html", date=d) for i, d in enumerate(dates)]
    return ColumnSnapshot(name=name, url=url, kind=kind, level=level, status=status, error=error,
                          items=items, empty_reason=empty_reason)


def run(*columns: ColumnSnapshot, as_of: date = AS_OF, links: list[LinkResult] | None = None,
        **options: Any) -> list[dict[str, Any]]:
    snap = SiteSnapshot(site_id=SITE.id, url=SITE.url, started_at=AT, columns=list(columns), links=links or [])
    ctx = CheckContext(Period.for_as_of(as_of), Options.shipped(**options), shipped_settings())
    return [f.to_dict() for f in CHECK.run_site(SITE, snap, ctx)]


def stale(col: ColumnSnapshot, last: str | None) -> dict[str, Any]:
    return {"check": "stale_column", "severity": "deduct", "url": col.url, "column": col.name, "kind": col.kind,
            "last_update": last, "points": 0.0, "clause": ""}


def test_months_before_clamps_to_the_end_of_shorter_months() -> None:
    assert months_before(date(2021, 8, 31), 6) == date(2021, 2, 28)
    assert months_before(date(2020, 8, 31), 6) == date(2020, 2, 29)
    assert months_before(date(2021, 3, 15), 3) == date(2020, 12, 15)
    assert months_before(date(2021, 1, 31), 1) == date(2020, 12, 31)
    assert months_before(date(2021, 8, 31), 12) == date(2020, 8, 31)


def test_window_start_reads_days_months_and_years() -> None:
    assert window_start(AS_OF, "14d") == date(2021, 8, 17)
    assert window_start(AS_OF, "6m") == date(2021, 2, 28)
    assert window_start(AS_OF, "1y") == date(2020, 8, 31)


def test_news_column_updated_exactly_14_days_before_as_of_passes() -> None:
    assert run(column("工作动态", "news", date(2021, 8, 17), date(2021, 8, 1))) == []


def test_news_column_last_updated_15_days_before_as_of_is_stale() -> None:
    col = column("工作动态", "news", date(2021, 8, 16), date(2021, 8, 1))
    assert run(col) == [stale(col, "2021-08-16")]


def test_notice_column_six_calendar_months_edge() -> None:
    assert run(column("通知公告", "notice", date(2021, 2, 28))) == []
    col = column("通知公告", "notice", date(2021, 2, 27))
    assert run(col) == [stale(col, "2021-02-27")]


def test_policy_column_six_months_edge_on_a_mid_month_as_of() -> None:
    as_of = date(2021, 8, 15)
    assert run(column("政策文件", "policy", date(2021, 2, 15)), as_of=as_of) == []
    col = column("政策文件", "policy", date(2021, 2, 14))
    assert run(col, as_of=as_of) == [stale(col, "2021-02-14")]


def test_six_month_rule_applies_to_first_level_notice_and_policy_columns_only() -> None:
    assert run(column("部门文件", "policy", date(2019, 1, 1), level=2)) == []
    assert run(column("部门公告", "notice", date(2019, 1, 1), level=3)) == []


def test_news_columns_are_judged_at_any_level() -> None:
    col = column("乡镇动态", "news", date(2021, 7, 1), level=2)
    assert run(col) == [stale(col, "2021-07-01")]


def test_personnel_and_planning_columns_have_a_one_year_window() -> None:
    assert run(column("人事信息", "personnel", date(2020, 8, 31))) == []
    col = column("规划计划", "planning", date(2020, 8, 30))
    assert run(col) == [stale(col, "2020-08-30")]


def test_kinds_without_a_window_are_not_judged_unless_configured() -> None:
    old = column("机构职能", "institution", date(2015, 1, 1))
    assert run(old, column("在线咨询", "interaction", date(2015, 1, 1)), column("其他", "other", date(2015, 1, 1))) == []
    assert run(old, windows={"institution": "3y"}) == [stale(old, "2015-01-01")]


def test_undated_items_count_as_not_updated() -> None:
    col = column("工作动态", "news", None, None)
    assert run(col) == [stale(col, None)]


def test_dates_after_as_of_are_ignored() -> None:
    col = column("工作动态", "news", date(2021, 9, 3), date(2021, 7, 20))
    assert run(col) == [stale(col, "2021-07-20")]


def test_unfetched_column_is_a_notice_not_a_stale_column() -> None:
    col = column("工作动态", "news", status=None, error="timeout")
    assert run(col) == [{"check": "stale_column", "severity": "notice", "url": col.url, "column": "工作动态",
                         "kind": "news", "last_update": None, "reason": "not_fetched", "state": "dead", "points": 0.0,
                         "clause": ""}]


def test_a_column_answered_by_a_firewall_challenge_is_a_notice_whatever_it_shows() -> None:
    col = column("工作动态", "news", status=200).model_copy(update={"state": "blocked", "items": []})
    assert [(f["severity"], f["reason"], f["state"]) for f in run(col)] == [("notice", "not_fetched", "blocked")]


def test_a_script_filled_column_is_left_to_empty_column() -> None:
    col = column("工作动态", "news", status=200).model_copy(update={"state": "script_rendered", "items": []})
    assert run(col) == []


def test_blank_columns_are_left_to_empty_column() -> None:
    marked = column("通知公告", "notice", empty_reason="暂无信息")
    bare = column("工作动态", "news")
    dead_item = column("政策文件", "policy", date(2019, 1, 1))
    links = [LinkResult(url=dead_item.items[0].url, outcome="dead", status=404, checked_at=AT)]
    assert run(marked, bare, dead_item, links=links) == []


def test_a_column_listed_twice_is_judged_once() -> None:
    col = column("工作动态", "news", date(2021, 6, 1))
    assert run(col, col.model_copy(update={"pinned": True})) == [stale(col, "2021-06-01")]


def test_each_stale_column_is_one_finding_in_column_order() -> None:
    cols = [column(f"动态{i}", "news", date(2021, 8, 1), path=f"c{i}") for i in range(5)]
    assert [f["column"] for f in run(*cols)] == [f"动态{i}" for i in range(5)]


def test_invalid_window_is_rejected_naming_the_kind() -> None:
    with pytest.raises(ValidationError, match="windows.news"):
        Options.shipped(windows={"news": "two weeks"})
