"""service_guide_incomplete: guides lacking key elements (labels as real guides write them); no service at all."""

from datetime import UTC, date, datetime
from typing import Any

from checks.base import CheckContext
from checks.service_guide_incomplete import CHECK, Options
from monitor.config.load import shipped_settings
from monitor.model.period import Period
from monitor.model.snapshots import ServiceGuide, SiteSnapshot
from monitor.registry.model import Site

AT = datetime(2021, 8, 31, 4, tzinfo=UTC)
BASE = "http://127.0.0.1:8106"
PORTAL = Site(id="1403000006", name="测试市人民政府", url=f"{BASE}/", kind="portal")
DEPARTMENT = Site(id="1403000007", name="测试市档案局", url=f"{BASE}/", kind="department")
FULL = {element: "见附件说明" for element in Options.shipped().required_elements}


def guide(n: int, fields: dict[str, str]) -> ServiceGuide:
    return ServiceGuide(url=f"{BASE}/bszn/{n}.html", title=f"事项{n}", fields=fields)


def run(*guides: ServiceGuide, site: Site = PORTAL, has_service: bool | None = True,
        **options: Any) -> list[dict[str, Any]]:
    snap = SiteSnapshot(site_id=site.id, url=site.url, started_at=AT, guides=list(guides), has_service=has_service)
    ctx = CheckContext(Period.for_as_of(date(2021, 8, 31)), Options.shipped(**options), shipped_settings())
    return [f.to_dict() for f in CHECK.run_site(site, snap, ctx)]


def finding(g: ServiceGuide, missing: list[str]) -> dict[str, Any]:
    return {"check": "service_guide_incomplete", "severity": "deduct", "url": g.url, "missing": missing,
            "points": 0.0, "clause": ""}


def test_complete_guide_gives_no_finding() -> None:
    assert run(guide(1, FULL)) == []


def test_missing_and_blank_elements_are_listed_in_the_required_order() -> None:
    fields = {**FULL, "收费标准": "", "联系电话": "  "}
    del fields["设定依据"], fields["办理流程"]
    g = guide(1, fields)
    assert run(g) == [finding(g, ["设定依据", "收费标准", "联系电话", "办理流程"])]


def test_placeholder_punctuation_is_blank() -> None:
    g = guide(1, {**FULL, "办理地点": "/", "办理时间": "——", "办理机构": "-"})
    assert run(g) == [finding(g, ["办理地点", "办理机构", "办理时间"])]


def test_labels_real_guides_use_count_as_the_elements() -> None:
    fields = {"事项名称：": "户籍迁移", "法律依据": "《户口登记条例》", "受理条件": "本市户籍", "申请材料目录": "身份证",
              "受理地点": "政务服务中心", "实施主体": "公安局", "是否收费": "不收费", "办公时间": "工作日",
              "咨询电话": "0353-1234567", "办理流程": "受理—审核—办结"}
    assert run(guide(1, fields)) == []


def test_processing_time_limit_is_not_office_hours() -> None:
    fields = {k: v for k, v in FULL.items() if k != "办理时间"} | {"办理时限": "5个工作日"}
    g = guide(1, fields)
    assert run(g) == [finding(g, ["办理时间"])]


def test_page_without_any_element_label_is_not_judged() -> None:
    assert run(guide(1, {}), guide(2, {"标题": "办事指南", "发布时间": "2021-08-01"})) == []


def test_the_issue_list_can_be_chosen_in_settings() -> None:
    short = ["事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话", "办理流程"]
    fields = {k: v for k, v in FULL.items() if k not in ("办理机构", "收费标准", "联系电话")}
    g = guide(1, fields)
    assert run(g, required_elements=short) == [finding(g, ["联系电话"])]


def test_a_guide_listed_twice_is_reported_once() -> None:
    g = guide(1, {"事项名称": "x"})
    assert len(run(g, g)) == 1


def test_portal_without_any_service_is_a_veto_on_the_site() -> None:
    assert run(has_service=False) == [{"check": "service_guide_incomplete", "severity": "veto", "url": PORTAL.url,
                                       "missing": [], "reason": "no_service", "points": 0.0, "clause": ""}]


def test_department_site_without_service_is_not_judged_by_default() -> None:
    assert run(site=DEPARTMENT, has_service=False) == []
    assert len(run(site=DEPARTMENT, has_service=False, service_required_kinds=["portal", "department"])) == 1


def test_unknown_service_state_is_not_judged() -> None:
    assert run(has_service=None) == []
