"""The office's checklist (核实清单): what this inspection could not prove, for a person to check.

The public notice states only what the fault findings prove. Everything else the inspection
found — units it could not inspect (未能完成检查, outside the pass rate), account sources it
could not read (未能获取更新情况), units just below a veto (接近单项否决), problems it could not
judge or only suspects (疑似……，请人工核实) — is listed here, unit by unit with its reason and
evidence, in an internal document marked （此件不公开） written beside the notice. Each row
carries the ``Claim`` it states, checked like the notice's (``reports.evidence``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from reports.evidence import FAULT, NOT_INSPECTED, Claim, Evidence, finding_id, verdict
from reports.figures import not_inspected_reason
from reports.layout import split_title
from reports.problems import word
from reports.tables import Attachment, Column, UnitRows, verify_table
from reports.wording import account_label, ordinal, platform_name, site_label

MARKING = "内部工作材料　不予公开"
DISCLOSURE = "（此件不公开）"
COLUMNS = (Column("序号", 12, "center"), Column("网站或账号", 40), Column("主办单位或账号主体", 30),
           Column("情况", 44, per_problem=True), Column("页面链接", 30, per_problem=True, small=True))
SECTIONS = (
    ("not_inspected", "未能完成检查的网站和账号",
     "以下网站和账号本期未能完成检查，既不计为合格也不计为不合格，未计入合格率，请人工核实后处理。"),
    ("feed", "未能获取更新情况的账号",
     "以下账号的公开内容本期未能读取，未判定其更新情况，请核实账号状态和内容源地址。"),
    ("near_miss", "接近单项否决的网站和账号",
     "以下网站和账号本期未达到单项否决标准，但已接近，请提醒相关单位及时整改。"),
    ("suspected", "疑似问题和未能判定的事项",
     "以下事项证据不足，未写入通报，请人工核实：属实的，按有关规定处理；不属实的，予以排除。"),
)
#: A notice finding's ``reason`` that says the check could not judge, in the checklist's words.
NOT_JUDGED = {
    "not_fetched": "页面未能读取", "insufficient_data": "监测数据不足", "too_few_probes": "监测期内探测次数不足",
    "below_ratio": "无法访问次数低于单项否决比例", "script_rendered": "内容可能由脚本加载", "blocked": "访问被防火墙拦截或限流",
}
LABELS = {
    "unreachable": "站点无法访问", "stale_homepage": "首页更新情况", "stale_column": "栏目更新情况",
    "empty_column": "空白栏目", "expression_error": "表述错误", "interaction_unanswered": "互动回应情况",
    "service_guide_incomplete": "办事指南要素", "dead_link": "链接可用性", "stale_account": "账号更新情况",
    "update_frequency": "账号更新频次", "account_not_retired": "账号注销情况", "duplicate_account": "同一平台重复开设账号",
}

#: What a near miss counts, when the finding carries no clause of its own.
COUNTED = {"stale_column": "栏目不更新", "empty_column": "空白栏目", "service_guide_incomplete": "办事指南要素缺失"}


@dataclass(frozen=True, slots=True)
class ReviewSection:
    heading: str  # 一、未能完成检查的网站和账号
    lead: str
    table: Attachment


@dataclass(frozen=True, slots=True)
class ReviewModel:
    """The office's checklist of one month: marking, title, lead, sections; empty when nothing to check."""

    marking: str
    title: str
    title_lines: tuple[str, ...]
    lead: str
    sections: tuple[ReviewSection, ...]
    office: str
    date_text: str
    disclosure: str

    @property
    def empty(self) -> bool:
        return not self.sections

    def verify(self, evidence: Evidence, stated: frozenset[str]) -> None:
        for section in self.sections:
            verify_table(section.table, evidence, stated)


def notice_text(finding: dict[str, Any], as_of: date) -> str:
    """One notice finding in the checklist's words: near miss, unread source, not judged, or suspected."""
    check = str(finding.get("check"))
    clause = str(finding.get("clause") or "")
    if finding.get("near_miss"):
        return clause.replace("接近单否", "接近单项否决") if clause else (
            f"接近单项否决：{COUNTED.get(check, check)}{finding.get('count')}个（{finding.get('veto_at')}个单项否决）")
    if check == "feed_unreachable":
        how = [f"HTTP {finding['status']}" for _ in [0] if finding.get("status")]
        how += ["未配置内容源" if finding.get("error") == "no_feed" else str(finding["error"])] if finding.get("error") else []
        return "未能获取更新情况：内容源无法读取" + (f"（{'，'.join(how)}）" if how else "")
    if check == "check_error":
        return f"检查程序出错，未能判定{LABELS.get(str(finding.get('failed_check')), finding.get('failed_check'))}"
    reason = str(finding.get("reason") or ("blocked" if finding.get("blocked") else ""))
    if reason in NOT_JUDGED:
        return f"{LABELS.get(check, check)}未能判定：{NOT_JUDGED[reason]}"
    text, _ = word(check, [finding], as_of)
    if "不计扣分" in clause:
        return f"{text}（该类网站不计扣分）"
    return f"疑似{text}，请人工核实"


def reviewed_text(finding: dict[str, Any], as_of: date) -> str:
    """``notice_text``, and who confirmed it when a person has (人工复核, ``monitor.judge.review``);
    a dismissed notice never reaches the checklist."""
    review = finding.get("review") or {}
    mark = f"（已人工核实：{review.get('reviewer')}）" if review.get("decision") == "confirm" else ""
    return notice_text(finding, as_of) + mark


def _section_of(finding: dict[str, Any]) -> str:
    if finding.get("near_miss"):
        return "near_miss"
    if finding.get("check") == "feed_unreachable":
        return "feed"
    return "suspected"


def _label(kind: str, target: dict[str, Any], names: dict[str, str]) -> str:
    name = str(target.get("name") or target.get("id"))
    return site_label(name) if kind == "site" else account_label(name, platform_name(str(target.get("platform")), names))


def _link(finding: dict[str, Any]) -> str:
    url = str(finding.get("url") or "")
    return url if url.startswith(("http://", "https://")) else ""


def build_review(document: dict[str, Any], *, as_of: date, names: dict[str, str], stated: frozenset[str],
                 title: list[str], office: str, date_text: str) -> ReviewModel:
    """The checklist of the document's notice findings and units not inspected; ``title`` in word segments."""
    rows: dict[str, list[UnitRows]] = {key: [] for key, _, _ in SECTIONS}
    for kind, key in (("site", "sites"), ("account", "accounts")):
        for target in document.get(key) or []:
            unit = ((kind, str(target.get("id"))),)
            cells = (_label(kind, target, names), str(target.get("owner") or ""))
            notices: dict[str, list[dict[str, Any]]] = {}
            seen: set[str] = set()
            for f in target.get("findings") or []:
                fid = finding_id(unit[0][1], f)
                if str(f.get("severity")) in FAULT or str(f.get("check")) in stated or fid in seen:
                    continue
                seen.add(fid)
                notices.setdefault(_section_of(f), []).append({**f, "id": fid})
            if verdict(target) == NOT_INSPECTED:
                found = [f for fs in notices.values() for f in fs]
                problems = [(f"未能完成检查：{not_inspected_reason(target)}", str(target.get("url") or ""))]
                problems += [(reviewed_text(f, as_of), _link(f)) for f in found]
                claims = [Claim(NOT_INSPECTED, unit)] + [Claim("notice", unit, (f["id"],), str(f["check"])) for f in found]
                rows["not_inspected"].append(UnitRows(cells, tuple(problems), Claim(NOT_INSPECTED, unit), tuple(claims)))
                continue
            for section, found in notices.items():
                ids = tuple(f["id"] for f in found)
                rows[section].append(UnitRows(
                    cells, tuple((reviewed_text(f, as_of), _link(f)) for f in found), Claim("notice", unit, ids),
                    tuple(Claim("notice", unit, (f["id"],), str(f["check"])) for f in found)))
    sections = []
    for key, heading, lead in SECTIONS:
        if not rows[key]:
            continue
        numbered = tuple(UnitRows((str(i), *u.cells), u.problems, u.claim, u.claims) for i, u in enumerate(rows[key], 1))
        number = len(sections) + 1
        sections.append(ReviewSection(f"{ordinal(number)}、{heading}", lead,
                                      Attachment(number, "", heading, COLUMNS, numbered)))
    lead = ("本清单列出本期检查中未能完成检查、未能获取更新情况、接近单项否决以及证据不足需人工核实的事项。"
            "这些事项未写入通报正文和附件，也不作为认定不合格的依据；核实后确属问题的，在下期检查中依据核实结果处理。")
    return ReviewModel(MARKING, "".join(title), split_title(title), lead, tuple(sections), office, date_text, DISCLOSURE)

