"""empty_column: columns marked empty, list columns without items, columns whose items all lead nowhere."""

from datetime import UTC, date, datetime
from typing import Any

from checks.base import CheckContext
from checks.empty_column import CHECK, Options
from monitor.config.load import shipped_settings
from monitor.model.period import Period
from monitor.model.snapshots import ColumnSnapshot, LinkResult, ListItem, SiteSnapshot
from monitor.registry.model import Site

AS_OF = date(2021, 8, 31)
AT = datetime(2021, 8, 31, 4, tzinfo=UTC)
BASE = "http://127.0.0.1:8103"
SITE = Site(id="1403000003", name="测试局", url=f"{BASE}/")


def column(name: str, kind: str = "news", n_items: int = 0, *, status: int | None = 200, error: str | None = None,
           empty_reason: str | None = None) -> ColumnSnapshot:
    url = f"{BASE}/{name}/"
    items = [ListItem(title=f"{name}{i}", url=f"{url}{i}.html", date=date(2021, 8, 20)) for i in range(n_items)]
    return ColumnSnapshot(name=name, url=url, kind=kind, status=status, error=error, items=items,
                          empty_reason=empty_reason)


def dead(url: str) -> LinkResult:
    return LinkResult(url=url, outcome="dead", status=404, checked_at=AT)


def run(*columns: ColumnSnapshot, links: list[LinkResult] | None = None, **options: Any) -> list[dict[str, Any]]:
    snap = SiteSnapshot(site_id=SITE.id, url=SITE.url, started_at=AT, columns=list(columns), links=links or [])
    ctx = CheckContext(Period.for_as_of(AS_OF), Options.shipped(**options), shipped_settings())
    return [f.to_dict() for f in CHECK.run_site(SITE, snap, ctx)]


def finding(col: ColumnSnapshot, reason: str, **extra: Any) -> dict[str, Any]:
    return {"check": "empty_column", "severity": "deduct", "url": col.url, "column": col.name, "reason": reason,
            **extra, "points": 0.0, "clause": ""}


def test_page_saying_it_has_no_content_is_blank_with_its_words_as_evidence() -> None:
    col = column("领导之窗", "institution", empty_reason="暂无信息")
    assert run(col) == [finding(col, "marked_empty", marker="暂无信息")]


def test_list_column_without_any_item_is_blank() -> None:
    col = column("通知公告", "notice")
    assert run(col) == [finding(col, "no_items")]


def test_text_page_columns_without_list_items_are_not_blank() -> None:
    assert run(column("机构职能", "institution"), column("网站地图", "other")) == []


def test_column_whose_every_item_is_a_dead_link_is_blank() -> None:
    col = column("政策文件", "policy", 3)
    assert run(col, links=[dead(i.url) for i in col.items]) == [finding(col, "all_items_dead")]


def test_one_working_or_unchecked_item_keeps_a_column_from_being_blank() -> None:
    col = column("政策文件", "policy", 3)
    assert run(col, links=[dead(i.url) for i in col.items[:2]]) == []
    ok = LinkResult(url=col.items[2].url, outcome="ok", status=200, checked_at=AT)
    assert run(col, links=[*(dead(i.url) for i in col.items[:2]), ok]) == []


def test_blocked_links_are_not_dead_items() -> None:
    col = column("工作动态", "news", 1)
    blocked = LinkResult(url=col.items[0].url, outcome="blocked", status=403, checked_at=AT)
    assert run(col, links=[blocked]) == []


def test_unfetched_column_page_is_not_blank() -> None:
    assert run(column("工作动态", status=None, error="connect_error"), column("要闻", status=404)) == []


def test_a_column_listed_twice_is_reported_once() -> None:
    col = column("通知公告", "notice")
    assert run(col, col) == [finding(col, "no_items")]


def test_list_kinds_follow_the_option() -> None:
    col = column("网站地图", "other")
    assert run(col, list_kinds=["other"]) == [finding(col, "no_items")]


def test_columns_with_items_are_not_reported() -> None:
    assert run(column("工作动态", "news", 2)) == []


def test_a_column_answered_by_a_firewall_challenge_is_not_blank() -> None:
    challenged = column("工作动态").model_copy(update={"state": "blocked"})
    marked = column("通知公告", "notice").model_copy(update={"state": "blocked", "empty_reason": "请完成安全验证"})
    assert run(challenged, marked) == []


def test_a_script_filled_column_is_a_notice_not_a_blank_column() -> None:
    scripted = column("工作动态").model_copy(update={"state": "script_rendered"})
    assert run(scripted) == [{"check": "empty_column", "severity": "notice", "url": scripted.url, "column": "工作动态",
                              "reason": "script_rendered", "points": 0.0, "clause": ""}]


def test_a_column_stored_before_read_states_is_judged_by_its_fetch() -> None:
    assert run(column("工作动态", status=503)) == []
    assert [f["reason"] for f in run(column("工作动态"))] == ["no_items"]
