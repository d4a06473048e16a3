"""build_report: the notice's figures, wording, repeat offenders and tables come from the findings."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from monitor.config.settings import ReportSettings
from monitor.model.errors import ConfigError
from reports.layout import normalize_doc_number, signature_indents, split_title
from reports.model import build_report, resolve_doc_number
from reports.wording import pass_rate, percent, text_width


@pytest.mark.parametrize(("total", "failed", "expected"), [
    (33, 2, "93.9"), (87, 2, "97.7"), (33, 4, "87.9"), (87, 9, "89.7"), (8, 1, "87.5"), (40, 1, "97.5"),
    (1000, 5, "99.5"), (200, 1, "99.5"), (10, 0, "100.0"),
])
def test_pass_rate_rounds_half_up_to_one_decimal(total: int, failed: int, expected: str) -> None:
    assert pass_rate(total, failed) == Decimal(expected)


def test_pass_rate_of_nothing_is_none_and_full_rate_is_written_100_percent() -> None:
    assert pass_rate(0, 0) is None
    assert percent(pass_rate(5, 0)) == "100%"
    assert percent(pass_rate(33, 2)) == "93.9%"


def test_title_and_its_break_into_a_trapezoid(august: dict, report_settings: ReportSettings) -> None:
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    assert model.title == "阳泉市人民政府办公室关于2021年8月份全市政府网站和政务新媒体检查情况的通报"
    assert model.title_lines == ("阳泉市人民政府办公室关于2021年8月份", "全市政府网站和政务新媒体检查情况的通报")


def test_short_title_stays_on_one_line_and_long_parts_never_split_words() -> None:
    assert split_title(["某局", "关于", "2021年8月份", "全县", "检查情况的通报"]) == ("某局关于2021年8月份全县检查情况的通报",)
    lines = split_title(["很长很长很长很长很长很长的机关名称办公室", "关于", "2021年12月份", "全省", "政府网站和政务新媒体", "检查情况的通报"])
    assert len(lines) == 3 and all(text_width(line) <= 20 for line in lines)
    assert "".join(lines).startswith("很长很长很长很长很长很长的机关名称办公室关于")


def test_overall_sentence_has_totals_failing_counts_and_rates(august: dict, report_settings: ReportSettings) -> None:
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    text = model.body_text
    assert ("全市普查范围内政府网站33家，政务新媒体账号87个。经检查，33家政府网站中，不合格政府网站2家，合格率为93.9%；"
            "87个政务新媒体账号中，不合格政务新媒体2个，合格率为97.7%。") in text
    assert "不合格政府网站为“阳泉市能源局”网站、“盂县人民政府”网站" in text
    assert "盂县政府网站1家（不合格1家）、政务新媒体账号9个（不合格1个）" in text
    assert "城区政府网站1家、政务新媒体账号8个，均合格" in text
    spread = next(p.text for p in model.paragraphs if p.text.startswith("从地区分布看"))
    assert spread.index("市直单位") < spread.index("城区") < spread.index("矿区") < spread.index("高新区")
    assert (model.sites.total, model.sites.failed, model.accounts.total, model.accounts.failed) == (33, 2, 87, 2)


def test_figures_follow_the_targets_not_the_stored_summary(august: dict, report_settings: ReportSettings) -> None:
    for target in august["sites"][:2]:
        target["verdict"] = "fail"
    august["summary"]["sites_failed"] = 2
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    assert "不合格政府网站4家，合格率为87.9%" in model.body_text


def test_older_document_error_verdict_reads_as_not_inspected(august: dict, report_settings: ReportSettings) -> None:
    august["sites"][5] = {k: august["sites"][5][k] for k in ("id", "name", "url", "owner", "district")}
    august["sites"][5].update(verdict="error", error="connect_error", reason="未能完成检查：connect_error",
                              score=None, findings=[])
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    assert "经检查，完成检查的32家政府网站中，不合格政府网站2家，合格率为93.8%" in model.body_text
    assert "另有政府网站1家因技术原因未能完成检查，不计入合格率，将另行核实。" in model.body_text
    assert f"“{august['sites'][5]['name']}”" not in model.body_text
    section = model.review.sections[0]
    assert section.heading == "一、未能完成检查的网站和账号"
    assert [u.cells[1] for u in section.table.units] == [f"“{august['sites'][5]['name']}”网站"]
    assert section.table.units[0].problems[0][0] == "未能完成检查：技术原因"


def test_problems_name_units_by_kind_inside_one_paragraph(august: dict, report_settings: ReportSettings) -> None:
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    sites = next(p for p in model.paragraphs if p.text.startswith("（一）网站方面。"))
    assert sites.spans[0].role == "heading2"
    assert "一是首页更新不及时，“阳泉市能源局”网站首页已21天未更新（最后更新于2021年8月10日）；" in sites.text
    assert "“盂县人民政府”网站存在空白栏目5个（政策解读、人事信息、规划计划等）" in sites.text
    assert "“阳泉市教育局”网站4个动态要闻类栏目未按要求更新（教育动态、工作动态、基层动态等）" in sites.text
    assert "接近单项否决" not in model.body_text
    near = next(s for s in model.review.sections if s.heading.endswith("接近单项否决的网站和账号"))
    assert [(u.cells[1], u.problems[0][0]) for u in near.table.units] == [
        ("“阳泉市教育局”网站", "接近单项否决：栏目不更新4个（5个单项否决）")]
    assert "存在无效链接6个（其中首页3个）" in sites.text and sites.text.endswith("。")
    accounts = next(p for p in model.paragraphs if p.text.startswith("（二）政务新媒体方面。"))
    assert "西瓜视频“阳泉高新区”已32天未更新（最后更新于2021年7月30日）" in accounts.text
    assert "微信公众号“高新区融媒体中心wechat9”8月16日至8月22日更新1次（要求不少于3次）" in accounts.text


def test_duplicate_accounts_are_named_once_per_group(august: dict, report_settings: ReportSettings) -> None:
    text = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None).body_text
    sentence = "微信公众号“阳泉市非公企业党建”“阳泉市市场监督管理局”账号主体同为阳泉市市场监督管理局"
    assert text.count(sentence) == 1
    assert text.count("抖音“老余故事汇”“阳泉郊区公安”账号主体同为阳泉市公安局郊区分局") == 1


def test_unit_failing_again_for_the_same_problem_is_not_rectified(
        august: dict, july: dict, report_settings: ReportSettings) -> None:
    model = build_report(august, history=[july], settings=report_settings, doc_number=None, issue_date=None)
    assert {(r.kind, r.id, r.months, r.same_problem) for r in model.repeats} == {
        ("site", "1403220001", 2, True), ("account", "a083", 2, True)}
    assert ("“盂县人民政府”网站自2021年7月起连续2个月检查不合格，经多次督促后仍未整改" in model.body_text)
    assert "西瓜视频“阳泉高新区”自2021年7月起连续2个月检查不合格，经多次督促后仍未整改" in model.body_text


def test_repeat_for_another_problem_or_after_a_gap_month(august: dict, july: dict, report_settings: ReportSettings) -> None:
    yu = next(s for s in july["sites"] if s["id"] == "1403220001")
    yu["findings"] = [{"check": "stale_homepage", "severity": "veto", "url": yu["url"], "last_update": "2021-07-01",
                       "points": 0, "clause": ""}]
    june = copy.deepcopy(july)
    june.update(period="2021-06", as_of="2021-06-30")
    model = build_report(august, history=[july, june], settings=report_settings, doc_number=None, issue_date=None)
    repeats = {r.id: r for r in model.repeats}
    assert (repeats["1403220001"].months, repeats["1403220001"].same_problem) == (3, False)
    assert "“盂县人民政府”网站自2021年6月起连续3个月检查不合格（本月为新出现的问题）" in model.body_text
    gap = build_report(august, history=[june], settings=report_settings, doc_number=None, issue_date=None)
    assert gap.repeats == () and "（三）整改落实方面" not in gap.body_text


def test_dates_come_from_as_of_and_settings_never_the_clock(august: dict, report_settings: ReportSettings) -> None:
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    assert (model.issue_date, model.deadline, model.date_text) == (date(2021, 9, 13), date(2021, 9, 23), "2021年9月13日")
    assert "于2021年9月23日前完成整改" in model.body_text
    given = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=date(2021, 10, 13))
    assert (given.date_text, given.deadline) == ("2021年10月13日", date(2021, 10, 23))


def test_doc_number_from_option_settings_or_pattern() -> None:
    settings = ReportSettings.shipped(office_short="阳政办", doc_number_pattern="{short}函〔{year}〕{seq}号")
    assert resolve_doc_number(None, settings, date(2021, 9, 13), 8) is None
    assert resolve_doc_number(None, settings.model_copy(update={"doc_number_seq": 151}), date(2021, 9, 13), 8) \
        == "阳政办函〔2021〕151号"
    assert resolve_doc_number("阳政办函[2021]第0151号", settings, date(2021, 9, 13), 8) == "阳政办函〔2021〕151号"
    assert resolve_doc_number(None, settings.model_copy(update={"doc_number": "阳政办发【2021】9号"}), date(2021, 9, 13), 8) \
        == "阳政办发〔2021〕9号"
    assert normalize_doc_number("阳政办函（2021）151号") == "阳政办函〔2021〕151号"


def test_head_follows_the_doc_number(august: dict, report_settings: ReportSettings) -> None:
    def head(number: str | None) -> str:
        return build_report(august, history=[], settings=report_settings, doc_number=number, issue_date=None).head
    assert (head("阳政办函〔2021〕151号"), head("阳政办发〔2021〕9号"), head(None)) == ("letter", "file", "none")


def test_signature_and_date_indents_follow_the_standard() -> None:
    usual = signature_indents("阳泉市人民政府办公室", "2021年10月13日")
    assert (usual.signature, usual.date) == (2.0, 3.0)
    short = signature_indents("市政府办", "2021年10月13日")
    assert (short.signature, short.date) == (7.0, 2.0)  # 署名 starts 2 characters left of the date


def test_attachments_list_every_failing_unit_with_every_failing_problem(
        august: dict, july: dict, report_settings: ReportSettings) -> None:
    model = build_report(august, history=[july], settings=report_settings, doc_number=None, issue_date=None)
    sites, accounts = model.attachments
    assert (sites.label, sites.title, accounts.label, accounts.title) == (
        "附件1", "不合格政府网站问题情况", "附件2", "不合格政务新媒体问题情况")
    assert [c.title for c in sites.columns] == ["序号", "网站名称", "网站标识码", "主办单位", "问题", "问题页面链接"]
    energy, yu = sites.units
    assert energy.cells == ("1", "阳泉市能源局", "1403000027", "阳泉市能源局")
    assert energy.problems[0] == ("首页不更新（单项否决）：最后更新2021-08-10（已21天）", "http://127.0.0.1:8001/1403000027/")
    assert energy.problems[1][0] == "无效链接（扣分）：6个，其中首页3个"
    assert energy.problems[1][1].splitlines()[-1] == "等6个"
    assert yu.problems[:2] == (("空白栏目（单项否决）：政策解读", "http://127.0.0.1:8001/1403220001/col0/"),
                               ("空白栏目（单项否决）：人事信息", "http://127.0.0.1:8001/1403220001/col1/"))
    assert len(yu.problems) == 6 and yu.problems[-1] == ("连续2个月不合格，多次督促后仍未整改", "")
    assert [u.cells for u in accounts.units] == [("1", "盂县发布", "新浪微博", "盂县融媒体中心", "2021-08-12"),
                                                 ("2", "阳泉高新区", "西瓜视频", "阳泉高新技术产业开发区管理委员会", "2021-07-30")]
    assert [line.text for line in model.attachment_note] == ["附件：1.不合格政府网站问题情况", "2.不合格政务新媒体问题情况"]


def test_a_single_attachment_has_no_number(august: dict, report_settings: ReportSettings) -> None:
    for account in august["accounts"]:
        account["verdict"] = "pass"
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    assert [a.label for a in model.attachments] == ["附件"]
    assert [(line.text, line.left, line.first_line) for line in model.attachment_note] == [
        ("附件：不合格政府网站问题情况", 5.0, -3.0)]


def test_unknown_check_is_reported_not_dropped(august: dict, report_settings: ReportSettings) -> None:
    august["sites"][3]["findings"] = [{"check": "ipv6_missing", "severity": "veto", "url": "http://127.0.0.1:8001/",
                                      "points": 0, "clause": ""}]
    august["sites"][3]["verdict"] = "fail"
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    assert f"“{august['sites'][3]['name']}”网站存在ipv6_missing问题1处" in model.body_text
    assert any(p[0].startswith("ipv6_missing（单项否决）") for u in model.attachments[0].units for p in u.problems)


def test_requirements_come_from_an_editable_template(tmp_path: Path, august: dict,
                                                     report_settings: ReportSettings) -> None:
    mine = tmp_path / "req.txt.j2"
    mine.write_text("（一）限期整改。请于{{ deadline }}前报送{{ report_to }}。\n\n{{ contacts }}\n", encoding="utf-8")
    settings = report_settings.model_copy(update={"requirements_template": str(mine)})
    model = build_report(august, history=[], settings=settings, doc_number=None, issue_date=None)
    tail = model.paragraphs[-2:]
    assert tail[0].spans[0].text == "（一）限期整改。" and tail[0].spans[0].role == "heading2"
    assert tail[0].spans[1].text == "请于2021年9月23日前报送市政府办公室（政务公开科）。"
    assert tail[1].text == "联系人：李明；联系电话：0353-7000000；电子邮箱：zwgk@example.org。"


def test_template_naming_an_unknown_variable_is_an_error_naming_the_file(
        tmp_path: Path, august: dict, report_settings: ReportSettings) -> None:
    mine = tmp_path / "bad.txt.j2"
    mine.write_text("请于{{ dedline }}前整改。", encoding="utf-8")
    settings = report_settings.model_copy(update={"requirements_template": str(mine)})
    with pytest.raises(ConfigError, match=r"bad\.txt\.j2.*dedline"):
        build_report(august, history=[], settings=settings, doc_number=None, issue_date=None)


def test_document_without_as_of_is_rejected(report_settings: ReportSettings) -> None:
    doc: dict[str, Any] = {"period": "2021-08", "sites": [], "accounts": []}
    with pytest.raises(ValueError, match="as_of"):
        build_report(doc, history=[], settings=report_settings, doc_number=None, issue_date=None)


def test_account_failed_for_no_update_is_not_listed_again_for_weekly_frequency(
        august: dict, report_settings: ReportSettings) -> None:
    gaoxin = next(a for a in august["accounts"] if a["id"] == "a083")
    gaoxin["findings"] += [{"check": "update_frequency", "severity": "deduct", "url": "", "week": f"2021-W{w}",
                            "posts": 0, "required": 1, "points": 2.0, "clause": ""} for w in (32, 33)]
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    accounts = next(p.text for p in model.paragraphs if p.text.startswith("（二）"))
    frequency = accounts[accounts.index("更新频次不足"):]
    assert "阳泉高新区" not in frequency
    row = next(u for u in model.attachments[1].units if u.cells[1] == "阳泉高新区")
    assert row.problems == (("内容不更新（单项否决）：最后更新2021-07-30（已32天）",),)


def test_several_weeks_short_of_posts_are_summed_up(august: dict, report_settings: ReportSettings) -> None:
    account = next(a for a in august["accounts"] if a["id"] == "a010")
    account["findings"].append({"check": "update_frequency", "severity": "deduct", "url": "", "week": "2021-W34",
                                "posts": 2, "required": 3, "points": 2.0, "clause": ""})
    text = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None).body_text
    assert "微信公众号“高新区融媒体中心wechat9”有2周更新次数不足（如8月16日至8月22日更新1次，要求每周不少于3次）" in text


def test_unanswered_messages_and_missing_guide_elements_are_worded(august: dict, report_settings: ReportSettings) -> None:
    site = august["sites"][7]
    site["findings"] = [
        {"check": "interaction_unanswered", "severity": "veto", "url": "http://127.0.0.1:8001/msg/1.html",
         "asked": "2021-04-19", "points": 0, "clause": ""},
        {"check": "service_guide_incomplete", "severity": "deduct", "url": "http://127.0.0.1:8001/bszn/1.html",
         "missing": ["收费标准", "办理时间"], "points": 1.0, "clause": ""}]
    site["verdict"] = "fail"
    model = build_report(august, history=[], settings=report_settings, doc_number=None, issue_date=None)
    assert f"“{site['name']}”网站有1条留言超过3个月未答复（最早提交于2021年4月19日）" in model.body_text
    assert f"“{site['name']}”网站1个办事指南要素缺失（如缺少收费标准、办理时间）" in model.body_text
    unit = next(u for u in model.attachments[0].units if u.cells[1] == site["name"])
    assert unit.problems == (
        ("互动回应差（单项否决）：留言超过3个月未答复（提交于2021-04-19）", "http://127.0.0.1:8001/msg/1.html"),
        ("办事指南要素缺失（扣分）：缺少收费标准、办理时间", "http://127.0.0.1:8001/bszn/1.html"))
