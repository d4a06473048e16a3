"""Review decisions applied to real findings documents (the simulated city's August and September
2021 as `govmon demo` stores them): pure, no store, no clock."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from monitor.config.load import load_settings
from monitor.config.settings import ScoringSettings
from monitor.judge.review import apply_review, in_force, not_superseded, progress
from monitor.model.review import Decision, InvalidDecision, validate

FIXTURES = Path(__file__).parent.parent / "fixtures" / "review"
AT = datetime(2021, 10, 8, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def scoring() -> ScoringSettings:
    return load_settings().scoring


def document(month: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"findings-{month}.json").read_text(encoding="utf-8"))


def target(doc: dict[str, Any], target_id: str, key: str = "sites") -> dict[str, Any]:
    return next(t for t in doc[key] if t["id"] == target_id)


def decide(doc: dict[str, Any], target_id: str, check: str, action: str = "dismiss", *, index: int = 0,
           period: str | None = None, at: datetime = AT, key: str = "sites", reason: str = "核实不属实") -> Decision:
    f = [f for f in target(doc, target_id, key)["findings"] if f["check"] == check][index]
    return Decision(period=period or doc["period"], kind="site" if key == "sites" else "account", target_id=target_id,
                    action=action, reviewer="李明", reason=reason, at=at, finding_id=f["id"])


def test_no_decision_leaves_the_document_as_stored(scoring: ScoringSettings) -> None:
    sept = document("2021-09")
    assert apply_review(sept, [], scoring) is sept


def test_dismissing_the_only_veto_passes_the_unit_and_raises_the_pass_rate(scoring: ScoringSettings) -> None:
    sept = document("2021-09")
    before = copy.deepcopy(sept)
    reviewed = apply_review(sept, [decide(sept, "1403110001", "interaction_unanswered")], scoring)
    suburb = target(reviewed, "1403110001")
    assert (suburb["verdict"], suburb["score"], suburb["reason"]) == ("pass", 100.0, "合格：得分100分，无单项否决")
    assert suburb["machine"] == {"verdict": "fail", "score": 100.0, "reason": "不合格：单项否决——留言超过3个月未回复"}
    assert suburb["findings"] == [] and [f["check"] for f in suburb["dismissed"]] == ["interaction_unanswered"]
    assert suburb["dismissed"][0]["review"] == {"decision": "dismiss", "reviewer": "李明", "reason": "核实不属实",
                                                "at": "2021-10-08T09:30:00+00:00", "period": "2021-09"}
    assert (reviewed["summary"]["sites_failed"], reviewed["summary"]["sites_pass_rate"]) == (3, 90.9)
    assert reviewed["summary"]["accounts_pass_rate"] == 89.7
    assert sept == before  # the stored document is not touched


def test_dismissing_one_of_five_grouped_vetoes_rescores_four_deductions_and_a_near_miss(scoring: ScoringSettings) -> None:
    sept = document("2021-09")
    reviewed = apply_review(sept, [decide(sept, "1403000019", "stale_column")], scoring)
    stats = target(reviewed, "1403000019")
    assert (stats["verdict"], stats["score"]) == ("pass", 89.0)
    assert sorted((f["severity"], f["points"]) for f in stats["findings"]) == [
        ("deduct", 2.0), ("deduct", 2.0), ("deduct", 2.0), ("deduct", 5.0), ("notice", 0.0)]
    near = next(f for f in stats["findings"] if f.get("near_miss"))
    assert near["clause"] == "接近单否：栏目不更新4个（5个单项否决）" and near["id"].startswith("1403000019/stale_column/")
    kept_ids = {f["id"] for f in target(sept, "1403000019")["findings"][1:]}
    assert kept_ids <= {f["id"] for f in stats["findings"]}  # findings kept keep their ids


def test_dismissing_a_deduction_of_a_passing_site_only_gives_back_its_points(scoring: ScoringSettings) -> None:
    sept = document("2021-09")
    reviewed = apply_review(sept, [decide(sept, "1403000014", "expression_error")], scoring)
    culture = target(reviewed, "1403000014")
    assert (culture["verdict"], culture["score"], culture["findings"]) == ("pass", 100.0, [])
    assert reviewed["summary"] == sept["summary"]


def test_a_confirmed_fault_stays_and_is_marked(scoring: ScoringSettings) -> None:
    sept = document("2021-09")
    reviewed = apply_review(sept, [decide(sept, "1403110001", "interaction_unanswered", "confirm", reason="")], scoring)
    suburb = target(reviewed, "1403110001")
    assert suburb["verdict"] == "fail" and "machine" not in suburb and "dismissed" not in suburb
    assert suburb["findings"][0]["review"]["decision"] == "confirm"


def test_a_later_decision_supersedes_an_earlier_one(scoring: ScoringSettings) -> None:
    sept = document("2021-09")
    first = decide(sept, "1403110001", "interaction_unanswered")
    again = decide(sept, "1403110001", "interaction_unanswered", "confirm", at=AT.replace(hour=11), reason="复查属实")
    reviewed = apply_review(sept, [again, first], scoring)  # order of the list does not matter: time does
    assert target(reviewed, "1403110001")["verdict"] == "fail"
    assert target(reviewed, "1403110001")["findings"][0]["review"]["reason"] == "复查属实"


def test_a_dismissal_carries_over_to_a_later_month_while_the_finding_is_the_same(scoring: ScoringSettings) -> None:
    aug, sept = document("2021-08"), document("2021-09")
    decision = decide(aug, "1403000005", "empty_column", reason="栏目已按要求撤并")
    same = {f["id"] for f in target(sept, "1403000005")["findings"]}
    assert decision.finding_id in same  # the column is still empty in September: the same finding id
    reviewed = apply_review(sept, [decision], scoring)
    finance = target(reviewed, "1403000005")
    assert finance["dismissed"][0]["review"]["carried_from"] == "2021-08"
    assert (finance["score"], finance["findings"]) == (100.0, [])


def test_a_changed_page_gives_a_new_finding_the_dismissal_does_not_cover(scoring: ScoringSettings) -> None:
    aug, sept = document("2021-08"), document("2021-09")
    decision = decide(aug, "1403000001", "expression_error")
    portal = target(sept, "1403000001")
    error = next(f for f in portal["findings"] if f["check"] == "expression_error")
    assert error["text"] == "截止目前" and error["id"] != decision.finding_id  # the same words on another page
    reviewed = apply_review(sept, [decision], scoring)
    assert target(reviewed, "1403000001") is portal


def test_a_decision_taken_later_does_not_reach_back_to_an_earlier_month(scoring: ScoringSettings) -> None:
    aug, sept = document("2021-08"), document("2021-09")
    decision = decide(sept, "1403000001", "expression_error")
    assert apply_review(aug, [decision], scoring) is aug


def test_an_override_sets_one_month_verdict_and_counts_a_not_inspected_unit_apart(scoring: ScoringSettings) -> None:
    sept = document("2021-09")
    override = Decision(period="2021-09", kind="site", target_id="1403220001", action="override", reviewer="李明",
                        reason="网站9月迁移改版，栏目内容未迁移完毕", at=AT, verdict="not_inspected")
    reviewed = apply_review(sept, [override], scoring)
    yu = target(reviewed, "1403220001")
    assert (yu["verdict"], yu["score"], yu["error"]) == ("not_inspected", None, "review")
    assert yu["reason"] == "未能完成检查：人工复核——网站9月迁移改版，栏目内容未迁移完毕"
    s = reviewed["summary"]
    assert (s["sites_checked"], s["sites_failed"], s["sites_not_inspected"], s["sites_pass_rate"]) == (32, 3, 1, 90.6)
    assert apply_review(document("2021-08"), [override], scoring)["summary"] == document("2021-08")["summary"]


def test_in_force_keeps_the_latest_per_finding_and_overrides_of_the_month_only() -> None:
    base = dict(kind="site", target_id="1", reviewer="李明", reason="r")
    old = Decision(period="2021-08", action="dismiss", at=AT, finding_id="1/x/1", **base)
    new = Decision(period="2021-09", action="confirm", at=AT.replace(day=9), finding_id="1/x/1", **base)
    over = Decision(period="2021-08", action="override", at=AT, verdict="pass", **base)
    by_finding, by_target = in_force([new, old, over], "2021-09")
    assert by_finding == {"1/x/1": new} and by_target == {}
    by_finding, by_target = in_force([new, old, over], "2021-08")
    assert by_finding == {"1/x/1": old} and by_target == {("site", "1"): over}


@pytest.mark.parametrize(("change", "message"), [
    ({"reason": " "}, "a dismiss needs a reason"),
    ({"reviewer": ""}, "a decision needs the reviewer's name"),
    ({"action": "delete"}, "unknown decision 'delete'"),
    ({"action": "override", "verdict": "maybe"}, "override verdict must be one of pass, fail, not_inspected"),
    ({"action": "confirm", "finding_id": ""}, "a confirm names a finding"),
    ({"kind": "page"}, "unknown target kind 'page'"),
])
def test_invalid_decisions_are_refused_with_what_is_missing(change: dict[str, str], message: str) -> None:
    good = Decision(period="2021-09", kind="site", target_id="1", action="dismiss", reviewer="李明", reason="不属实",
                    at=AT, finding_id="1/x/1")
    assert validate(good) is good
    with pytest.raises(InvalidDecision, match=message.replace("(", r"\(")):
        validate(replace(good, **change))


def test_progress_counts_faults_notices_and_what_was_decided(scoring: ScoringSettings) -> None:
    sept = document("2021-09")
    decisions = [decide(sept, "1403110001", "interaction_unanswered"),
                 decide(sept, "1403000019", "stale_column", "confirm", reason="")]
    done = progress(apply_review(sept, decisions, scoring))
    assert (done.faults, done.notices, done.decided, done.dismissed, done.overrides) == (78, 32, 2, 1, 0)


def test_not_superseded_keeps_the_latest_decision_per_finding_and_per_month_override() -> None:
    base = dict(kind="site", target_id="1", reviewer="李明", reason="r")
    first = Decision(period="2021-08", action="dismiss", at=AT, finding_id="1/x/1", id=1, **base)
    second = Decision(period="2021-09", action="confirm", at=AT.replace(day=9), finding_id="1/x/1", id=2, **base)
    aug = Decision(period="2021-08", action="override", at=AT, verdict="pass", id=3, **base)
    sept = Decision(period="2021-09", action="override", at=AT, verdict="pass", id=4, **base)
    sept_again = Decision(period="2021-09", action="override", at=AT.replace(day=10), verdict="fail", id=5, **base)
    kept = not_superseded([sept_again, first, aug, second, sept])
    assert sorted(d.id for d in kept) == [2, 3, 5]
