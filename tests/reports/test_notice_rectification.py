"""The notice's 多次督促后仍未整改 from last month's rectification cases, and its fallback to inference."""

from __future__ import annotations

from datetime import date

from monitor.config.settings import ReportSettings
from reports.history import Rectified
from reports.model import build_report

YU = ("site", "1403220001")
XIGUA = ("account", "a083")


def _yu_rows(model) -> tuple:
    sites = model.attachments[0]
    return next(u for u in sites.units if u.cells[1] == "盂县人民政府").problems


def test_a_recheck_found_not_fixed_names_the_unit_unrectified_with_its_date(august: dict, july: dict,
                                                                           report_settings: ReportSettings) -> None:
    cases = {YU: Rectified("not_fixed", "not_fixed", "2021-09-08")}
    model = build_report(august, history=[july], settings=report_settings, rectification=cases)
    repeats = {(r.kind, r.id): r for r in model.repeats}
    assert (repeats[YU].same_problem, repeats[YU].basis, repeats[YU].rechecked) == (True, "rectification", "2021-09-08")
    assert (repeats[XIGUA].basis, repeats[XIGUA].same_problem) == ("inferred", True)  # no case: inferred as before
    assert "“盂县人民政府”网站自2021年7月起连续2个月检查不合格，经多次督促后仍未整改" in model.body_text
    assert _yu_rows(model)[-1] == ("连续2个月不合格，多次督促后仍未整改（2021年9月8日复查仍未整改）", "")


def test_a_recheck_found_fixed_makes_failing_again_a_new_problem(august: dict, july: dict,
                                                                  report_settings: ReportSettings) -> None:
    cases = {YU: Rectified("closed", "fixed", "2021-09-08")}
    model = build_report(august, history=[july], settings=report_settings, rectification=cases)
    repeat = next(r for r in model.repeats if (r.kind, r.id) == YU)
    assert (repeat.same_problem, repeat.basis) == (False, "rectification")
    assert "“盂县人民政府”网站自2021年7月起连续2个月检查不合格（本月为新出现的问题）" in model.body_text
    assert _yu_rows(model)[-1] == ("连续2个月不合格（2021年9月8日复查已整改，本月为新问题）", "")


def test_a_case_never_rechecked_falls_back_to_inference(august: dict, july: dict,
                                                        report_settings: ReportSettings) -> None:
    cases = {YU: Rectified("reported_fixed")}
    model = build_report(august, history=[july], settings=report_settings, rectification=cases)
    repeat = next(r for r in model.repeats if (r.kind, r.id) == YU)
    assert (repeat.same_problem, repeat.basis, repeat.rechecked) == (True, "inferred", "")
    assert _yu_rows(model)[-1] == ("连续2个月不合格，多次督促后仍未整改", "")


def test_an_issued_notice_keeps_its_working_day_deadline(august: dict, report_settings: ReportSettings) -> None:
    model = build_report(august, history=[], settings=report_settings, issue_date=date(2021, 9, 13),
                         deadline=date(2021, 9, 28))
    assert (model.issue_date, model.deadline) == (date(2021, 9, 13), date(2021, 9, 28))
    assert "于2021年9月28日前完成整改" in model.body_text
