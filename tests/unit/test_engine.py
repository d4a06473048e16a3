"""Engine: every applicable check over a snapshot, crash isolation, verdicts in Chinese, the document summary."""

import hashlib
import json
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel

import checks
from checks.base import CheckContext, NoOptions
from monitor.config.load import load_settings
from monitor.config.settings import Settings
from monitor.judge.engine import judge_account, judge_site, not_inspected_site
from monitor.model.document import finding_id, findings_document, pass_rate, summary, upgrade_document
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.period import CHINA_TZ, Period
from monitor.model.snapshots import (
    AccountSnapshot,
    ColumnSnapshot,
    FeedFetch,
    ListItem,
    Message,
    PageSnapshot,
    Probe,
    ServiceGuide,
    SiteSnapshot,
)
from monitor.registry.model import Account, Site

AS_OF = date(2021, 8, 31)
PERIOD = Period.for_as_of(AS_OF)
AT = datetime(2021, 8, 31, 2, tzinfo=UTC)
BASE = "http://127.0.0.1:8120"
HOME = f"{BASE}/"
SITE = Site(id="1403000010", name="测试市人民政府", url=HOME, kind="portal", owner="测试市人民政府办公室")
MINE = ("stale_homepage", "stale_column", "empty_column", "interaction_unanswered", "service_guide_incomplete",
        "unreachable")
GUIDE = {e: "详见窗口" for e in ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理机构", "收费标准",
                              "办理时间", "联系电话", "办理流程")}


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(environ={})


def fresh(tag: str, day: date = date(2021, 8, 25)) -> list[ListItem]:
    return [ListItem(title=f"信息{i}", url=f"{BASE}/art/{tag}-{i}.html", date=day) for i in range(2)]


def col(name: str, kind: str, day: date = date(2021, 8, 25), *, items: bool = True) -> ColumnSnapshot:
    return ColumnSnapshot(name=name, url=f"{BASE}/{name}/", kind=kind, status=200,
                          items=fresh(name, day) if items else [])


def clean_snapshot() -> SiteSnapshot:
    """A site with nothing wrong: fresh home page and columns, answered messages, complete guides, probes fine."""
    home = PageSnapshot(url=HOME, final_url=HOME, status=200, fetched_at=AT, items=fresh("home", date(2021, 8, 30)),
                        title="测试市人民政府", text="测试市人民政府门户网站")
    columns = [col("工作动态", "news"), col("通知公告", "notice", date(2021, 6, 1)),
               col("政策文件", "policy", date(2021, 5, 10)), col("人事信息", "personnel", date(2021, 1, 4)),
               col("政务咨询", "interaction"), col("机构职能", "institution", items=False)]
    messages = [Message(url=f"{BASE}/hd/1.html", column="政务咨询", asked=date(2021, 3, 1), replied=date(2021, 3, 5),
                        answered=True)]
    guides = [ServiceGuide(url=f"{BASE}/bs/{i}.html", fields=GUIDE) for i in range(3)]
    probes = [Probe(url=HOME, at=AT - timedelta(hours=h), ok=True, status=200, elapsed_ms=90, source="scheduled")
              for h in range(24 * 8)]
    return SiteSnapshot(site_id=SITE.id, url=HOME, started_at=AT, home=home, pages=[home], columns=columns,
                        messages=messages, guides=guides, probes=probes, has_interaction_channel=True,
                        has_service=True)


def judged(snap: SiteSnapshot, settings: Settings, site: Site = SITE) -> dict[str, Any]:
    return judge_site(site, snap, period=PERIOD, settings=settings)


def test_site_with_no_faults_passes_with_full_marks(settings: Settings) -> None:
    result = judged(clean_snapshot(), settings)
    assert result == {"id": SITE.id, "name": "测试市人民政府", "url": HOME, "owner": "测试市人民政府办公室",
                      "district": "市直", "verdict": "pass", "score": 100.0, "reason": "合格：得分100分，无单项否决",
                      "findings": []}


def stale_home(snap: SiteSnapshot) -> None:
    assert snap.home is not None
    snap.home.items = fresh("home", date(2021, 8, 16))


def five_stale_columns(snap: SiteSnapshot) -> None:
    snap.columns += [col(f"动态{i}", "news", date(2021, 8, 1)) for i in range(3)]
    snap.columns += [col("通知", "notice", date(2021, 2, 27)), col("文件", "policy", date(2020, 1, 1))]


def ten_long_stale_columns(snap: SiteSnapshot) -> None:
    snap.columns += [col(f"规划{i}", "planning", date(2020, 8, 30)) for i in range(10)]


def five_blank_columns(snap: SiteSnapshot) -> None:
    snap.columns += [ColumnSnapshot(name=f"空{i}", url=f"{BASE}/k{i}/", kind="notice", status=200,
                                    empty_reason="暂无信息") for i in range(5)]


def unanswered_message(snap: SiteSnapshot) -> None:
    snap.messages.append(Message(url=f"{BASE}/hd/2.html", column="政务咨询", asked=date(2021, 5, 30), answered=False))


def no_channel(snap: SiteSnapshot) -> None:
    snap.has_interaction_channel = False


def no_service(snap: SiteSnapshot) -> None:
    snap.has_service = False


def five_poor_guides(snap: SiteSnapshot) -> None:
    poor = {k: v for k, v in GUIDE.items() if k not in ("设定依据", "申请条件", "收费标准", "办理流程")}
    snap.guides += [ServiceGuide(url=f"{BASE}/bs/p{i}.html", fields=poor) for i in range(5)]


def failing_probes(snap: SiteSnapshot) -> None:
    """8 days of hourly scheduled probes, 10 of 192 (5.2%) failed."""
    snap.probes[:10] = [p.model_copy(update={"ok": False, "status": None, "error": "timeout"}) for p in snap.probes[:10]]


def home_down(snap: SiteSnapshot) -> None:
    assert snap.home is not None
    snap.home = snap.home.model_copy(update={"status": None, "error": "timeout", "items": []})
    snap.probes = [Probe(url=HOME, at=AT + timedelta(minutes=m), ok=False, error="timeout", source="adhoc")
                   for m in range(3)]


@pytest.mark.parametrize(("fault", "reason"), [
    (stale_home, "不合格：单项否决——首页2周未更新"),
    (five_stale_columns, "不合格：单项否决——栏目不更新5个"),
    (ten_long_stale_columns, "不合格：单项否决——应更新但长期未更新栏目10个"),
    (five_blank_columns, "不合格：单项否决——空白栏目5个"),
    (unanswered_message, "不合格：单项否决——留言超过3个月未回复"),
    (no_channel, "不合格：单项否决——无有效咨询建言渠道"),
    (no_service, "不合格：单项否决——无办事服务"),
    (five_poor_guides, "不合格：单项否决——办事指南要素缺失5个"),
    (failing_probes, "不合格：单项否决——站点无法访问"),
])
def test_each_veto_fault_alone_fails_the_site(settings: Settings, fault: Any, reason: str) -> None:
    snap = clean_snapshot()
    fault(snap)
    result = judged(snap, settings)
    assert (result["verdict"], result["reason"]) == ("fail", reason)
    assert {f["check"] for f in result["findings"] if f["severity"] == "veto"} <= set(MINE)


def test_home_down_is_judged_by_unreachable_only_never_from_content_it_never_read(settings: Settings) -> None:
    snap = clean_snapshot()
    home_down(snap)
    five_stale_columns(snap)
    result = judged(snap, settings)
    found = {(f["check"], f["severity"], f.get("reason")) for f in result["findings"]}
    # a crawl's 3 failed probes are evidence, not the monitoring the veto needs
    assert found == {("unreachable", "notice", "too_few_probes")}
    assert (result["verdict"], result["score"], result["error"]) == ("not_inspected", None, "home_unreachable")


def test_a_home_page_down_with_a_month_of_failed_probes_fails_on_availability_alone(settings: Settings) -> None:
    snap = clean_snapshot()
    home_down(snap)
    snap.probes = clean_snapshot().probes
    failing_probes(snap)
    result = judged(snap, settings)
    assert (result["verdict"], result["reason"]) == ("fail", "不合格：单项否决——站点无法访问")
    assert {f["check"] for f in result["findings"]} == {"unreachable"}


@pytest.mark.parametrize(("state", "code", "words"), [
    ("blocked", "home_blocked", "首页访问被防火墙或访问限制拦截"),
    ("script_rendered", "home_script_rendered", "首页内容由脚本加载"),
    ("soft_404", "home_soft_404", "首页返回错误提示页面"),
    ("not_parsed", "home_not_parsed", "首页不是可解析的网页"),
])
def test_a_site_whose_home_page_was_not_read_is_not_inspected_without_content_findings(
        settings: Settings, state: str, code: str, words: str) -> None:
    snap = clean_snapshot()
    assert snap.home is not None
    snap.home = snap.home.model_copy(update={"state": state, "items": []})
    five_stale_columns(snap)
    no_channel(snap)
    result = judged(snap, settings)
    assert (result["verdict"], result["score"], result["error"]) == ("not_inspected", None, code)
    assert result["reason"].startswith(f"未能完成检查：{words}")
    assert result["findings"] == []


def test_four_stale_columns_pass_with_deductions_and_a_near_miss(settings: Settings) -> None:
    snap = clean_snapshot()
    snap.columns += [col(f"动态{i}", "news", date(2021, 8, 1)) for i in range(4)]
    result = judged(snap, settings)
    assert (result["verdict"], result["score"], result["reason"]) == ("pass", 92.0, "合格：得分92分，无单项否决")
    assert [f["clause"] for f in result["findings"] if f.get("near_miss")] == ["接近单否：栏目不更新4个（5个单项否决）"]


def test_department_site_deductions_count_by_default(settings: Settings) -> None:
    snap = clean_snapshot()
    snap.columns.append(col("动态x", "news", date(2021, 8, 1)))
    dept = SITE.model_copy(update={"kind": "department"})
    assert judged(snap, settings, dept)["score"] == 98.0


class Crashing:
    id: ClassVar[str] = "expression_error"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.SITE})
    options_model: ClassVar[type[BaseModel]] = NoOptions

    def run_site(self, site: Site, snap: SiteSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        yield Finding(self.id, Severity.VETO, site.url, {"text": "半截", "suggestion": "", "category": "A"})
        raise RuntimeError("boom")


def test_a_crashing_check_becomes_a_notice_and_the_others_still_judge(settings: Settings,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    snap = clean_snapshot()
    stale_home(snap)
    registered = (Crashing(), checks.BY_ID["stale_homepage"])
    with caplog.at_level(logging.ERROR, logger="monitor.judge.engine"):
        result = judge_site(SITE, snap, period=PERIOD, settings=settings, registered=registered)
    assert result["reason"] == "不合格：单项否决——首页2周未更新"
    assert [{k: v for k, v in f.items() if k != "id"} for f in result["findings"] if f["check"] == "check_error"] == [
        {"check": "check_error", "severity": "notice", "url": HOME, "failed_check": "expression_error",
         "error": "RuntimeError: boom", "points": 0.0, "clause": "检查程序出错，该项未能判断"}]
    assert not any(f["check"] == "expression_error" for f in result["findings"])
    assert "check expression_error crashed" in caplog.text


def test_judging_twice_gives_identical_json(settings: Settings) -> None:
    snap = clean_snapshot()
    five_stale_columns(snap)
    unanswered_message(snap)
    first, second = judged(snap, settings), judged(snap, settings)
    assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)
    keys = [(f["check"], f["url"]) for f in first["findings"]]
    assert keys == sorted(keys)


class StaleAccountStub:
    """Stands in for an account check: yields what the real one would for a silent account."""

    id: ClassVar[str] = "stale_account"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.ACCOUNT})
    options_model: ClassVar[type[BaseModel]] = NoOptions

    def run_account(self, account: Account, snap: AccountSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        yield Finding(self.id, Severity.VETO, account.feed, {"last_update": "2021-08-01"})


def test_account_object_fails_on_a_veto_with_a_chinese_reason(settings: Settings) -> None:
    account = Account(id="wx-001", name="测试发布", platform="wechat", owner="测试市委宣传部", feed=f"{BASE}/feed.xml")
    result = judge_account(account, AccountSnapshot(account_id="wx-001"), period=PERIOD, settings=settings,
                           registered=(StaleAccountStub(),))
    assert {k: result[k] for k in ("id", "platform", "verdict", "reason")} == {
        "id": "wx-001", "platform": "wechat", "verdict": "fail", "reason": "不合格：单项否决——监测时间点前2周内无更新"}


def test_account_without_findings_passes(settings: Settings) -> None:
    account = Account(id="wb-001", name="测试微博", platform="weibo", owner="测试市", feed=f"{BASE}/wb.xml")
    read = FeedFetch(at=datetime(2021, 8, 31, 23, tzinfo=CHINA_TZ), ok=True, url=account.feed, items=5)
    result = judge_account(account, AccountSnapshot(account_id="wb-001", fetches=[read]), period=PERIOD,
                           settings=settings, registered=(StaleAccountStub(),)[:0])
    assert (result["verdict"], result["score"], result["reason"]) == ("pass", 100.0, "合格：无单项否决")


def test_account_whose_source_was_never_read_in_the_period_is_not_inspected_not_passed(settings: Settings) -> None:
    account = Account(id="wb-001", name="测试微博", platform="weibo", owner="测试市", feed=f"{BASE}/wb.xml")
    july = FeedFetch(at=datetime(2021, 7, 31, 23, tzinfo=CHINA_TZ), ok=True, url=account.feed, items=5)
    failed = FeedFetch(at=datetime(2021, 8, 31, 23, tzinfo=CHINA_TZ), ok=False, url=account.feed, status=502)
    never = judge_account(account, AccountSnapshot(account_id="wb-001", fetches=[july]), period=PERIOD,
                          settings=settings, registered=())
    down = judge_account(account, AccountSnapshot(account_id="wb-001", fetches=[july, failed]), period=PERIOD,
                         settings=settings, registered=())
    assert (never["verdict"], never["score"], never["error"]) == ("not_inspected", None, "source_not_read")
    assert (down["verdict"], down["score"], down["error"]) == ("not_inspected", None, "source_unreachable")
    assert down["reason"] == "未能完成检查：检查期内账号内容源均无法读取，未能获取更新情况"


@pytest.mark.parametrize(("total", "failed", "rate"), [(33, 2, 93.9), (87, 2, 97.7), (33, 4, 87.9), (87, 9, 89.7),
                                                       (16, 1, 93.8), (8, 0, 100.0), (3, 3, 0.0)])
def test_pass_rate_is_rounded_half_up_to_one_decimal(total: int, failed: int, rate: float) -> None:
    assert pass_rate(total, failed) == rate


def test_pass_rate_without_targets_is_null() -> None:
    assert pass_rate(0, 0) is None


def test_summary_counts_not_inspected_targets_apart_from_checked_and_failed() -> None:
    sites = [{"id": str(i), "verdict": "pass"} for i in range(30)]
    sites += [{"id": "f1", "verdict": "fail"}, {"id": "f2", "verdict": "fail"},
              not_inspected_site(SITE, "internal_error", detail="crawl crashed")]
    accounts = [{"id": str(i), "verdict": "fail" if i < 2 else "pass"} for i in range(87)]
    assert summary(sites, accounts) == {
        "sites_total": 33, "sites_checked": 32, "sites_failed": 2, "sites_not_inspected": 1, "sites_pass_rate": 93.8,
        "accounts_total": 87, "accounts_checked": 87, "accounts_failed": 2, "accounts_not_inspected": 0,
        "accounts_pass_rate": 97.7}


def test_pass_rate_is_null_when_no_target_could_be_inspected() -> None:
    sites = [not_inspected_site(SITE, "home_blocked")]
    s = summary(sites, [])
    assert (s["sites_total"], s["sites_checked"], s["sites_not_inspected"], s["sites_pass_rate"]) == (1, 0, 1, None)


def test_not_inspected_target_keeps_its_identity_says_why_and_keeps_only_notices() -> None:
    notice = {"check": "unreachable", "severity": "notice", "url": HOME, "probes": 3, "failed": 3,
              "reason": "too_few_probes", "points": 0.0, "clause": ""}
    veto = {**notice, "severity": "veto"}
    result = not_inspected_site(SITE, "internal_error", detail="RuntimeError: crawl crashed", findings=[notice, veto])
    assert {k: v for k, v in result.items() if k != "findings"} == {
        "id": SITE.id, "name": SITE.name, "url": HOME, "owner": SITE.owner, "district": "市直",
        "verdict": "not_inspected", "score": None, "reason": "未能完成检查：检查程序出错（RuntimeError: crawl crashed）",
        "error": "internal_error", "detail": "RuntimeError: crawl crashed"}
    assert [f["severity"] for f in result["findings"]] == ["notice"]
    assert result["findings"][0]["id"] == finding_id(SITE.id, notice)


def test_finding_ids_are_target_check_and_a_hash_of_the_finding_without_points_and_clause() -> None:
    finding = {"check": "stale_column", "severity": "deduct", "url": f"{BASE}/xwdt/", "column": "工作动态",
               "kind": "news", "last_update": "2021-08-01", "points": 2.0, "clause": "栏目不更新"}
    core = {k: v for k, v in finding.items() if k not in ("points", "clause")}
    digest = hashlib.sha1(json.dumps(core, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                          .encode("utf-8")).hexdigest()[:10]
    assert finding_id(SITE.id, finding) == f"{SITE.id}/stale_column/{digest}"
    assert finding_id(SITE.id, {**finding, "points": 0.0, "clause": "other", "id": "x"}) == finding_id(SITE.id, finding)
    assert finding_id(SITE.id, {**finding, "last_update": "2021-08-02"}) != finding_id(SITE.id, finding)


def test_a_dead_links_id_does_not_move_with_when_it_was_checked_or_its_pages_hashes() -> None:
    dead = {"check": "dead_link", "severity": "deduct", "url": f"{BASE}/gone.html", "status": 404,
            "sources": [HOME], "seen_at": "2021-08-31T02:00:00+00:00", "source_hashes": {HOME: "ab"}}
    later = {**dead, "seen_at": "2021-08-31T03:10:00+00:00", "source_hashes": {HOME: "cd"}}
    assert finding_id(SITE.id, dead) == finding_id(SITE.id, later)


def test_every_finding_in_a_judged_target_carries_its_stable_id(settings: Settings) -> None:
    snap = clean_snapshot()
    five_stale_columns(snap)
    unanswered_message(snap)
    first, second = judged(snap, settings), judged(snap, settings)
    ids = [f["id"] for f in first["findings"]]
    assert ids == [f["id"] for f in second["findings"]] and len(set(ids)) == len(ids) == len(first["findings"])
    assert all(i.startswith(f"{SITE.id}/{f['check']}/") and len(i.rsplit("/", 1)[1]) == 10
               for i, f in zip(ids, first["findings"]))
    assert all(i == finding_id(SITE.id, f) for i, f in zip(ids, first["findings"]))


def test_a_stored_document_with_error_verdicts_is_read_as_not_inspected() -> None:
    legacy = {"period": "2021-08", "as_of": "2021-08-31",
              "summary": {"sites_total": 2, "sites_failed": 0, "sites_errors": 1, "sites_pass_rate": 100.0},
              "sites": [{"id": "a", "verdict": "error", "score": None, "reason": "未能完成检查：x", "error": "x",
                         "findings": []},
                        {"id": "b", "verdict": "pass", "score": 100.0, "findings": [
                            {"check": "dead_link", "severity": "notice", "url": HOME, "points": 0.0, "clause": ""}]}],
              "accounts": []}
    doc = upgrade_document(legacy)
    assert [t["verdict"] for t in doc["sites"]] == ["not_inspected", "pass"]
    assert doc["sites"][1]["findings"][0]["id"] == finding_id("b", doc["sites"][1]["findings"][0])
    assert doc["summary"]["sites_not_inspected"] == 1 and doc["summary"]["sites_pass_rate"] == 100.0
    assert "sites_errors" not in doc["summary"]


def test_findings_document_sorts_targets_and_carries_period(settings: Settings) -> None:
    b = judged(clean_snapshot(), settings)
    a = not_inspected_site(SITE.model_copy(update={"id": "1403000001"}), "home_unreachable")
    doc = findings_document(PERIOD, [b, a], [])
    assert (doc["period"], doc["as_of"]) == ("2021-08", "2021-08-31")
    assert [s["id"] for s in doc["sites"]] == ["1403000001", "1403000010"]
    assert doc["summary"]["sites_pass_rate"] == 100.0 and doc["summary"]["accounts_pass_rate"] is None


@pytest.mark.parametrize("check_id", MINE)
def test_each_checks_options_come_only_from_settings_toml(settings: Settings, check_id: str) -> None:
    model = checks.BY_ID[check_id].options_model
    assert all(field.is_required() for field in model.model_fields.values()), "a default in code repeats settings.toml"
    assert settings.checks.get(check_id, {}) == model.shipped().model_dump()
