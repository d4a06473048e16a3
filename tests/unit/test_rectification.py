"""Rectification: the state machine, working-day deadlines on the real holiday calendar, what a
re-check proves, and the append-only case store on real SQLite."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from monitor.judge.rectification import (
    RectificationError,
    add_working_days,
    calendar_years,
    chinese_workday,
    judge_recheck,
    next_state,
    working_days_left,
)
from monitor.store.store import Store

T0 = datetime(2026, 9, 25, 2, 0, tzinfo=UTC)


def test_the_case_walks_open_notified_reported_rechecked_closed() -> None:
    state = next_state(None, "open")
    assert state == "open"
    state = next_state(state, "notify")
    assert state == "notified"
    state = next_state(state, "report_fixed")
    assert state == "reported_fixed"
    assert next_state(state, "recheck", "not_fixed") == "not_fixed"
    assert next_state("not_fixed", "report_fixed") == "reported_fixed"
    assert next_state("reported_fixed", "recheck", "fixed") == "fixed"
    assert next_state("fixed", "close") == "closed"


def test_a_recheck_that_could_not_read_the_unit_keeps_the_state() -> None:
    assert next_state("reported_fixed", "recheck", "not_inspected") == "reported_fixed"
    assert next_state("notified", "recheck", "not_inspected") == "notified"


@pytest.mark.parametrize(("state", "action", "outcome"), [
    ("open", "report_fixed", None), ("notified", "close", None), ("reported_fixed", "close", None),
    ("closed", "recheck", "fixed"), ("closed", "report_fixed", None), ("notified", "notify", None),
    ("open", "recheck", "fixed"), (None, "notify", None), ("notified", "open", None),
])
def test_invalid_moves_are_refused_naming_the_state_and_the_allowed_ones(state, action, outcome) -> None:
    with pytest.raises(RectificationError) as err:
        next_state(state, action, outcome)
    assert f"state {state or 'none'}" in str(err.value) and "allowed from:" in str(err.value)


def test_a_recheck_needs_an_outcome() -> None:
    with pytest.raises(RectificationError, match="needs an outcome"):
        next_state("notified", "recheck")


def test_the_calendar_knows_national_day_2026_and_its_make_up_working_days() -> None:
    assert [chinese_workday(date(2026, 10, d)) for d in range(1, 11)] == [
        False, False, False, False, False, False, False, True, True, True]  # 1–7 off, 10 (Saturday) on
    assert chinese_workday(date(2026, 9, 20))  # a Sunday worked in exchange
    assert not chinese_workday(date(2026, 9, 19))  # an ordinary Saturday


def test_ten_working_days_from_25_september_2026_skip_national_day_and_count_the_make_up_saturday() -> None:
    # 28, 29, 30 Sep; 1–7 Oct off; 8, 9 Oct; Saturday 10 Oct worked; 12, 13, 14, 15 Oct.
    assert add_working_days(date(2026, 9, 25), 10) == date(2026, 10, 15)
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)
    # Against a plain Monday-to-Friday count the holiday moves the deadline by a week.
    weekdays = add_working_days(date(2026, 9, 25), 10, lambda d: d.weekday() < 5)
    assert weekdays == date(2026, 10, 9)


def test_working_days_left_counts_after_today_up_to_the_deadline() -> None:
    assert working_days_left(date(2026, 9, 25), date(2026, 10, 15)) == 10
    assert working_days_left(date(2026, 10, 1), date(2026, 10, 8)) == 1
    assert working_days_left(date(2026, 10, 15), date(2026, 10, 15)) == 0
    assert working_days_left(date(2026, 10, 20), date(2026, 10, 15)) == 0


def test_a_year_the_calendar_does_not_know_is_an_error_never_a_weekday_guess() -> None:
    first, last = calendar_years()
    assert first <= 2021 and last >= 2026
    with pytest.raises(RectificationError) as err:
        add_working_days(date(last, 12, 28), 10)
    assert f"not {last + 1}" in str(err.value) and "chinese-calendar" in str(err.value)


def test_a_deadline_needs_at_least_one_working_day() -> None:
    with pytest.raises(RectificationError):
        add_working_days(date(2026, 9, 25), 0)


def _finding(check: str, severity: str) -> dict:
    return {"check": check, "severity": severity, "id": f"x/{check}/1"}


def test_fixed_needs_the_unit_judged_and_every_notified_check_silent() -> None:
    result = {"verdict": "pass", "findings": [_finding("dead_link", "notice")]}
    judged = judge_recheck(["stale_homepage"], result)
    assert (judged.outcome, judged.problems) == ("fixed", {"stale_homepage": "gone"})


def test_a_notified_check_still_faulting_is_not_fixed_even_when_the_unit_passes() -> None:
    result = {"verdict": "pass", "findings": [_finding("dead_link", "deduct")]}
    judged = judge_recheck(["stale_homepage", "dead_link"], result)
    assert judged.outcome == "not_fixed"
    assert judged.problems == {"dead_link": "fault", "stale_homepage": "gone"}
    assert "dead_link" in judged.note


def test_a_unit_not_inspected_is_never_fixed() -> None:
    result = {"verdict": "not_inspected", "reason": "未能完成检查：首页无法访问", "findings": []}
    judged = judge_recheck(["stale_homepage"], result)
    assert judged.outcome == "not_inspected" and "首页无法访问" in judged.note
    legacy = judge_recheck(["stale_homepage"], {"verdict": "error", "findings": []})
    assert legacy.outcome == "not_inspected"


def test_a_notified_check_that_only_left_a_notice_is_not_decided() -> None:
    result = {"verdict": "pass", "findings": [_finding("stale_homepage", "notice")]}
    judged = judge_recheck(["stale_homepage"], result)
    assert judged.outcome == "not_inspected" and judged.problems == {"stale_homepage": "undecided"}


# --- the store ------------------------------------------------------------------------------

@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'g.db'}")
    yield s
    s.close()


def _issue(store: Store, period: str = "2026-09") -> None:
    store.issue_notice(period, issued_on=date(2026, 9, 25), deadline=date(2026, 10, 15), working_days=10,
                       by="张三", at=T0, units=[("site", "1403000024", {"findings": [_finding("stale_homepage", "veto")]}),
                                               ("account", "wx1", {"findings": []})])


def test_issuing_opens_and_notifies_a_case_per_unit_once(store: Store) -> None:
    _issue(store)
    issued = store.notice_issue("2026-09")
    assert (issued.issued_on, issued.deadline, issued.by) == (date(2026, 9, 25), date(2026, 10, 15), "张三")
    cases = store.cases("2026-09")
    assert [(c.kind, c.target_id, c.state, c.deadline) for c in cases] == [
        ("account", "wx1", "notified", "2026-10-15"), ("site", "1403000024", "notified", "2026-10-15")]
    site = store.case("2026-09", "site", "1403000024")
    assert [(e.action, e.from_state, e.to_state, e.by) for e in site.events] == [
        ("open", None, "open", "govmon"), ("notify", "open", "notified", "张三")]
    assert site.events[0].detail["findings"][0]["check"] == "stale_homepage"
    with pytest.raises(RectificationError, match="already issued"):
        _issue(store)


def test_each_step_is_recorded_and_a_refused_one_leaves_no_trace(store: Store) -> None:
    _issue(store)
    store.record_event("2026-09", "site", "1403000024", "report_fixed", by="林业局 王五", at=T0, note="已更新首页")
    with pytest.raises(RectificationError, match="cannot close a case in state reported_fixed"):
        store.record_event("2026-09", "site", "1403000024", "close", by="张三", at=T0)
    store.record_event("2026-09", "site", "1403000024", "recheck", by="govmon", at=T0, outcome="not_inspected",
                       note="未能完成检查")
    store.record_event("2026-09", "site", "1403000024", "recheck", by="govmon", at=T0, outcome="fixed",
                       detail={"problems": {"stale_homepage": "gone"}})
    store.record_event("2026-09", "site", "1403000024", "close", by="张三", at=T0, note="销号")
    case = store.case("2026-09", "site", "1403000024")
    assert [(e.action, e.to_state, e.outcome) for e in case.events] == [
        ("open", "open", None), ("notify", "notified", None), ("report_fixed", "reported_fixed", None),
        ("recheck", "reported_fixed", "not_inspected"), ("recheck", "fixed", "fixed"), ("close", "closed", None)]
    assert case.state == "closed" and case.last_recheck().outcome == "fixed"
    assert case.last_recheck().detail == {"problems": {"stale_homepage": "gone"}}


def test_a_step_without_a_case_or_without_a_name_is_refused(store: Store) -> None:
    with pytest.raises(RectificationError, match="has no rectification case for 2026-09"):
        store.record_event("2026-09", "site", "1403000099", "report_fixed", by="x", at=T0)
    _issue(store)
    with pytest.raises(RectificationError, match="names who"):
        store.record_event("2026-09", "site", "1403000024", "report_fixed", by=" ", at=T0)


def test_events_are_only_inserted(store: Store) -> None:
    _issue(store)
    store.record_event("2026-09", "account", "wx1", "report_fixed", by="x", at=T0)
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, action FROM rectification_events ORDER BY id")).all()
    assert [a for _, a in rows] == ["open", "notify", "open", "notify", "report_fixed"]


PG_URL = os.environ.get("GOVMON_TEST_PG_URL", "")


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="GOVMON_TEST_PG_URL not set")
def test_cases_on_postgres_refuse_a_second_issue_and_keep_every_step() -> None:
    store = Store(PG_URL)
    period = f"1{uuid.uuid4().int % 1000:03d}-{uuid.uuid4().int % 12 + 1:02d}"  # a month no other run uses
    try:
        _issue(store, period)
        with pytest.raises(RectificationError, match="already issued"):
            _issue(store, period)
        store.record_event(period, "site", "1403000024", "recheck", by="govmon", at=T0, outcome="not_fixed")
        with pytest.raises(RectificationError, match="cannot close a case in state notified|allowed from"):
            store.record_event(period, "account", "wx1", "close", by="x", at=T0)
        case = store.case(period, "site", "1403000024")
        assert [e.to_state for e in case.events] == ["open", "notified", "not_fixed"]
        assert case.events[-1].at == T0 and store.notice_issue(period).deadline == date(2026, 10, 15)
    finally:
        with store.engine.begin() as conn:
            conn.execute(text("DELETE FROM rectification_events WHERE period = :p"), {"p": period})
            conn.execute(text("DELETE FROM notice_issues WHERE period = :p"), {"p": period})
        store.close()


def test_a_finding_dismissed_by_a_reviewer_does_not_keep_the_case_not_fixed() -> None:
    from monitor.config.load import shipped_settings
    from monitor.model.review import Decision
    from monitor.run.rectification import reviewed

    link = {"check": "dead_link", "severity": "deduct", "url": "http://127.0.0.1:8001/x.doc", "id": "s/dead_link/abc",
            "points": 0.1, "clause": "", "sources": ["http://127.0.0.1:8001/"], "status": 404, "home": False}
    result = {"id": "s", "verdict": "pass", "score": 99.9, "reason": "", "findings": [link]}
    assert judge_recheck(["dead_link"], result).outcome == "not_fixed"
    dismissal = Decision(period="2021-09", kind="site", target_id="s", action="dismiss", reviewer="张三",
                         reason="附件实际可下载", at=T0, finding_id="s/dead_link/abc")
    kept = reviewed("site", result, "2021-09", [dismissal], shipped_settings())
    assert [f["id"] for f in kept["findings"]] == [] and judge_recheck(["dead_link"], kept).outcome == "fixed"
    later = Decision(period="2021-10", kind="site", target_id="s", action="dismiss", reviewer="张三", reason="x",
                     at=T0, finding_id="s/dead_link/abc")
    assert reviewed("site", result, "2021-09", [later], shipped_settings()) is result  # not yet in force
