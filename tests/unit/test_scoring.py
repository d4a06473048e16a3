"""Scoring: the shipped [scoring] rules — severities, points, caps, counted vetoes, near misses, Chinese reasons."""

from pathlib import Path

import pytest

from monitor.config.load import load_settings
from monitor.config.settings import ScoringSettings
from monitor.judge.scoring import check_rules, fmt, judge
from monitor.model.errors import ConfigError
from monitor.model.findings import Finding, Severity

URL = "http://127.0.0.1:8110/"


@pytest.fixture(scope="module")
def scoring() -> ScoringSettings:
    return load_settings(environ={}).scoring


def column(n: int, kind: str = "news") -> Finding:
    return Finding("stale_column", Severity.DEDUCT, f"{URL}c{n:02d}/",
                   {"column": f"栏目{n}", "kind": kind, "last_update": "2021-08-01"})


def dead(n: int, home: bool) -> Finding:
    return Finding("dead_link", Severity.DEDUCT, f"{URL}dead/{n:03d}",
                   {"sources": [URL], "status": 404, "home": home})


def guide(n: int, missing: int) -> Finding:
    return Finding("service_guide_incomplete", Severity.DEDUCT, f"{URL}g{n:02d}",
                   {"missing": ["办理材料", "办理地点", "办理机构", "收费标准", "办理时间"][:missing]})


def empty(n: int) -> Finding:
    return Finding("empty_column", Severity.DEDUCT, f"{URL}e{n:02d}/", {"column": f"空栏目{n}", "reason": "no_items"})


def near_miss_clauses(findings: list[Finding]) -> list[str]:
    return [f.clause for f in findings if f.data.get("near_miss")]


def severities(findings: list[Finding]) -> list[str]:
    return [str(f.severity) for f in findings]


def test_no_findings_pass_with_full_marks(scoring: ScoringSettings) -> None:
    result = judge([], target_url=URL, scoring=scoring)
    assert (result.verdict, result.score, result.reason) == ("pass", 100.0, "合格：得分100分，无单项否决")


def test_stale_homepage_is_a_veto_with_its_clause_and_reason(scoring: ScoringSettings) -> None:
    finding = Finding("stale_homepage", Severity.VETO, URL, {"last_update": "2021-08-01", "basis": "home"})
    result = judge([finding], target_url=URL, scoring=scoring)
    assert result.verdict == "fail"
    assert result.reason == "不合格：单项否决——首页2周未更新"
    assert result.findings[0].clause == "首页不更新：监测时间点前2周内首页无新增内容"
    assert result.findings[0].points == 0.0


def test_dead_links_cost_one_point_on_the_home_page_and_a_tenth_elsewhere(scoring: ScoringSettings) -> None:
    found = [dead(i, True) for i in range(3)] + [dead(10 + i, False) for i in range(5)]
    result = judge(found, target_url=URL, scoring=scoring)
    assert result.score == 96.5
    assert result.reason == "合格：得分96.5分，无单项否决"
    assert {(f.data["home"], f.points, f.clause) for f in result.findings} == {
        (True, 1.0, "首页不可用链接：每个扣1分"), (False, 0.1, "其他页面不可用链接：每个扣0.1分")}


def test_tenths_add_up_without_float_drift(scoring: ScoringSettings) -> None:
    result = judge([dead(i, False) for i in range(3)], target_url=URL, scoring=scoring)
    assert result.score == 99.7
    assert result.reason == "合格：得分99.7分，无单项否决"


def test_indicator_cap_limits_points_and_says_so(scoring: ScoringSettings) -> None:
    result = judge([dead(i, True) for i in range(15)], target_url=URL, scoring=scoring)
    assert result.score == 90.0
    assert [f.points for f in result.findings] == [1.0] * 10 + [0.0] * 5
    assert result.findings[-1].clause == "首页不可用链接：每个扣1分（首页链接可用性扣分已达上限10分）"
    assert sum(f.points for f in result.findings) == 100.0 - result.score


def test_blocked_link_notice_stays_a_notice_with_its_own_clause(scoring: ScoringSettings) -> None:
    blocked = Finding("dead_link", Severity.NOTICE, f"{URL}waf", {"status": 403, "home": True, "blocked": True})
    result = judge([blocked], target_url=URL, scoring=scoring)
    assert (severities(result.findings), result.findings[0].points, result.score) == (["notice"], 0.0, 100.0)
    assert result.findings[0].clause == "链接无法检查（被防火墙或访问限制拦截），不计为不可用链接"


def test_five_stale_news_and_policy_columns_are_all_vetoes(scoring: ScoringSettings) -> None:
    found = [column(1), column(2), column(3), column(4, "policy"), column(5, "notice")]
    result = judge(found, target_url=URL, scoring=scoring)
    assert severities(result.findings) == ["veto"] * 5
    assert result.reason == "不合格：单项否决——栏目不更新5个"
    assert result.findings[0].clause == "栏目不更新：动态要闻类栏目2周未更新（累计5个，≥5个单项否决）"
    assert result.findings[3].clause == "栏目不更新：政策文件类一级栏目6个月未更新（累计5个，≥5个单项否决）"
    assert result.score == 100.0


def test_four_stale_columns_deduct_and_add_a_near_miss_notice(scoring: ScoringSettings) -> None:
    result = judge([column(1), column(2), column(3), column(4, "policy")], target_url=URL, scoring=scoring)
    assert result.verdict == "pass"
    assert result.score == 89.0
    assert result.reason == "合格：得分89分，无单项否决"
    near = [f for f in result.findings if f.data.get("near_miss")]
    assert [(f.check, f.severity, f.url, f.data, f.clause) for f in near] == [
        ("stale_column", Severity.NOTICE, URL, {"near_miss": True, "group": "column_update", "count": 4, "veto_at": 5},
         "接近单否：栏目不更新4个（5个单项否决）")]


def test_three_stale_columns_are_plain_deductions(scoring: ScoringSettings) -> None:
    result = judge([column(1), column(2), column(3, "notice")], target_url=URL, scoring=scoring)
    assert severities(result.findings) == ["deduct"] * 3
    assert result.score == 94.0


def test_long_stale_should_update_columns_veto_at_ten_near_miss_at_nine(scoring: ScoringSettings) -> None:
    ten = judge([column(i, "personnel") for i in range(10)], target_url=URL, scoring=scoring)
    assert ten.reason == "不合格：单项否决——应更新但长期未更新栏目10个"
    nine = judge([column(i, "planning") for i in range(9)], target_url=URL, scoring=scoring)
    assert nine.verdict == "pass"
    assert near_miss_clauses(nine.findings) == ["接近单否：应更新但长期未更新栏目9个（10个单项否决）"]


def test_the_two_column_counts_are_kept_apart(scoring: ScoringSettings) -> None:
    found = [column(i) for i in range(3)] + [column(10 + i, "personnel") for i in range(3)]
    assert judge(found, target_url=URL, scoring=scoring).verdict == "pass"


def test_unfetched_column_notice_is_never_counted(scoring: ScoringSettings) -> None:
    notice = Finding("stale_column", Severity.NOTICE, f"{URL}x/",
                     {"column": "x", "kind": "news", "last_update": None, "reason": "not_fetched"})
    result = judge([column(1), column(2), column(3), column(4), notice], target_url=URL, scoring=scoring)
    assert result.verdict == "pass"
    assert [f for f in result.findings if f.url.endswith("x/")][0].clause == "栏目不更新：栏目页无法获取，未能判断"


def test_five_blank_columns_veto_four_near_miss(scoring: ScoringSettings) -> None:
    assert judge([empty(i) for i in range(5)], target_url=URL, scoring=scoring).reason == "不合格：单项否决——空白栏目5个"
    four = judge([empty(i) for i in range(4)], target_url=URL, scoring=scoring)
    assert (four.verdict, four.score) == ("pass", 92.0)
    assert near_miss_clauses(four.findings) == ["接近单否：空白栏目4个（5个单项否决）"]


def test_five_guides_lacking_four_elements_veto_but_lesser_gaps_only_deduct(scoring: ScoringSettings) -> None:
    veto = judge([guide(i, 4) for i in range(5)], target_url=URL, scoring=scoring)
    assert veto.reason == "不合格：单项否决——办事指南要素缺失5个"
    mixed = judge([guide(i, 5) for i in range(4)] + [guide(10 + i, 3) for i in range(5)], target_url=URL,
                  scoring=scoring)
    assert mixed.verdict == "pass"
    assert mixed.score == 90.0
    assert near_miss_clauses(mixed.findings) == ["接近单否：办事指南要素缺失4个（5个单项否决）"]


def test_no_service_and_interaction_vetoes_read_their_titles(scoring: ScoringSettings) -> None:
    found = [Finding("service_guide_incomplete", Severity.VETO, URL, {"missing": [], "reason": "no_service"}),
             Finding("interaction_unanswered", Severity.VETO, URL, {"asked": None, "reason": "no_channel"}),
             Finding("interaction_unanswered", Severity.VETO, f"{URL}m/1", {"asked": "2021-01-05", "reason": "unanswered"})]
    result = judge(found, target_url=URL, scoring=scoring)
    assert result.reason == "不合格：单项否决——无有效咨询建言渠道、留言超过3个月未回复、无办事服务"


def test_unreachable_reasons_map_to_veto_or_notice(scoring: ScoringSettings) -> None:
    def one(reason: str, severity: Severity) -> tuple[str, str]:
        f = Finding("unreachable", severity, URL, {"probes": 20, "failed": 1, "reason": reason})
        r = judge([f], target_url=URL, scoring=scoring)
        return r.verdict, r.reason
    assert one("ratio", Severity.VETO) == ("fail", "不合格：单项否决——站点无法访问")
    assert one("below_ratio", Severity.NOTICE) == ("pass", "合格：得分100分，无单项否决")
    assert one("too_few_probes", Severity.NOTICE) == ("pass", "合格：得分100分，无单项否决")
    assert one("blocked", Severity.NOTICE) == ("pass", "合格：得分100分，无单项否决")


def test_expression_error_categories_a_to_c_veto_d_to_f_deduct(scoring: ScoringSettings) -> None:
    serious = Finding("expression_error", Severity.DEDUCT, URL, {"text": "习进平", "suggestion": "习近平", "category": "B"})
    ordinary = Finding("expression_error", Severity.DEDUCT, URL, {"text": "布署", "suggestion": "部署", "category": "F"})
    assert judge([serious], target_url=URL, scoring=scoring).reason == "不合格：单项否决——严重表述错误"
    result = judge([ordinary], target_url=URL, scoring=scoring)
    assert (result.verdict, result.score) == ("pass", 99.0)


def test_accounts_pass_or_fail_by_vetoes_only(scoring: ScoringSettings) -> None:
    weeks = [Finding("update_frequency", Severity.DEDUCT, URL, {"week": f"2021-W{w}", "posts": 0, "required": 3})
             for w in range(31, 35)]
    result = judge(weeks, target_url=URL, scoring=scoring, pass_by_score=False)
    assert (result.verdict, result.score, result.reason) == ("pass", 92.0, "合格：无单项否决")
    stale = Finding("stale_account", Severity.VETO, URL, {"last_update": "2021-08-01"})
    failed = judge([stale], target_url=URL, scoring=scoring, pass_by_score=False)
    assert (failed.verdict, failed.reason) == ("fail", "不合格：单项否决——监测时间点前2周内无更新")


def test_duplicate_and_feed_unreachable_accounts_are_notices(scoring: ScoringSettings) -> None:
    found = [Finding("duplicate_account", Severity.NOTICE, URL, {"owner": "x", "platform": "wechat", "accounts": ["a", "b"]}),
             Finding("feed_unreachable", Severity.NOTICE, URL, {"status": None, "error": "connect_error"})]
    result = judge(found, target_url=URL, scoring=scoring, pass_by_score=False)
    assert (result.verdict, severities(result.findings)) == ("pass", ["notice", "notice"])


def test_site_kinds_outside_scored_kinds_report_deductions_as_notices(scoring: ScoringSettings) -> None:
    result = judge([dead(1, True)], target_url=URL, scoring=scoring, scored=False)
    assert (result.score, severities(result.findings)) == (100.0, ["notice"])
    assert result.findings[0].clause == "首页不可用链接：每个扣1分（该类网站不计扣分）"


def heavy_rules(points: float) -> ScoringSettings:
    return ScoringSettings.shipped(
        indicators={"all": {"name": "全部", "cap": 1000}}, groups={},
        rules={"dead_link": {"any": {"severity": "deduct", "points": points, "indicator": "all", "clause": "测试：扣分"}}})


def test_score_below_the_pass_line_fails_with_the_score_in_the_reason() -> None:
    result = judge([dead(i, True) for i in range(3)], target_url=URL, scoring=heavy_rules(15))
    assert (result.verdict, result.score, result.reason) == ("fail", 55.0, "不合格：得分55分，低于60分合格线")


def test_score_exactly_at_the_pass_line_passes() -> None:
    result = judge([dead(i, True) for i in range(4)], target_url=URL, scoring=heavy_rules(10))
    assert (result.verdict, result.reason) == ("pass", "合格：得分60分，无单项否决")


def test_score_never_goes_below_zero() -> None:
    assert judge([dead(i, True) for i in range(30)], target_url=URL, scoring=heavy_rules(10)).score == 0.0


def test_finding_without_a_rule_keeps_the_checks_own_judgement() -> None:
    found = Finding("unreachable", Severity.VETO, URL, {"probes": 20, "failed": 2, "reason": "ratio"}, clause="自述")
    result = judge([found], target_url=URL, scoring=ScoringSettings.shipped(indicators={}, groups={}, rules={}))
    assert (result.verdict, result.reason, result.findings[0].clause) == ("fail", "不合格：单项否决——自述", "自述")


def test_most_specific_rule_wins_over_the_fallback(scoring: ScoringSettings) -> None:
    no_service = Finding("service_guide_incomplete", Severity.VETO, URL, {"missing": [], "reason": "no_service"})
    assert judge([no_service], target_url=URL, scoring=scoring).findings[0].clause == "服务不实用：未提供办事服务"


def test_findings_come_back_sorted(scoring: ScoringSettings) -> None:
    found = [dead(2, False), column(1), dead(1, True)]
    result = judge(found, target_url=URL, scoring=scoring)
    assert [(f.check, f.url) for f in result.findings] == sorted((f.check, f.url) for f in found)


def test_numbers_are_written_as_a_notice_writes_them() -> None:
    assert (fmt(100.0), fmt(93.5), fmt(99.9), fmt(60)) == ("100", "93.5", "99.9", "60")


def test_rules_for_an_unknown_check_are_a_config_error(scoring: ScoringSettings) -> None:
    check_rules(scoring, ["dead_link", "stale_homepage", "stale_column", "empty_column", "expression_error",
                          "interaction_unanswered", "service_guide_incomplete", "unreachable", "update_frequency",
                          "stale_account", "duplicate_account", "feed_unreachable", "account_not_retired"])
    bad = ScoringSettings.shipped(indicators={}, groups={},
                                  rules={"dead_links": {"x": {"severity": "notice", "clause": "c"}}})
    with pytest.raises(ConfigError, match="scoring.rules.dead_links: unknown check"):
        check_rules(bad, ["dead_link"])


def test_a_rule_naming_an_unknown_indicator_is_a_settings_error(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text('[scoring.rules.dead_link.home]\nindicator = "home_linkz"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="home_linkz"):
        load_settings(user, environ={})


def test_a_user_file_can_change_one_rule_value(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text("[scoring.rules.dead_link.home]\npoints = 2.0\n", encoding="utf-8")
    settings = load_settings(user, environ={})
    result = judge([dead(1, True)], target_url=URL, scoring=settings.scoring)
    assert (result.score, result.findings[0].clause) == (98.0, "首页不可用链接：每个扣1分")




def test_equally_specific_rules_prefer_the_one_agreeing_with_the_check() -> None:
    rules = ScoringSettings.shipped(indicators={}, groups={}, rules={"dead_link": {
        "a_note": {"severity": "notice", "clause": "提示"},
        "b_cost": {"severity": "deduct", "points": 1.0, "clause": "扣分"}}})
    result = judge([dead(1, False)], target_url=URL, scoring=rules)
    assert (result.findings[0].clause, result.score) == ("扣分", 99.0)


def test_points_on_an_unruled_notice_or_veto_never_cost_anything() -> None:
    found = [Finding("unreachable", Severity.NOTICE, URL, {"reason": "x"}, points=5.0),
             Finding("stale_homepage", Severity.VETO, URL, {"last_update": None}, points=5.0)]
    result = judge(found, target_url=URL, scoring=ScoringSettings.shipped(indicators={}, groups={}, rules={}))
    assert (result.score, [f.points for f in result.findings]) == (100.0, [0.0, 0.0])
