"""service_guide_incomplete: services that are not usable (服务不实用).

Why: the 2019 veto item 服务不实用 has two situations:
(1) no 办事服务 at all → ``{url: site, missing: [], reason: "no_service"}`` when the crawl
    found none (``has_service is False``) on a site whose kind must offer services
    (``service_required_kinds``, default portals only: department sites often have no external
    service function and their matters are handled on the portal's 政务服务 platform);
(2) 办事指南 lacking key elements → one finding per guide ``{url: guide, missing: [...]}``.
    Scoring counts guides lacking ≥4 elements; ≥5 such guides is a veto (thresholds [U] in
    ``[scoring]``); fewer, or guides lacking 1–3, are deductions.

Elements: the default list is the rules document's ten key categories (C2): 事项名称, 设定依据,
申请条件, 办理材料, 办理地点, 办理机构, 收费标准, 办理时间, 联系电话, 办理流程. Issue 3's list
is the same minus 办理机构 and 收费标准; set ``required_elements`` to use it.
An element is present when a field label equals or contains the element name or one of its
aliases (``element_aliases``: the labels real guides use, e.g. 受理条件 for 申请条件) and its
value is not blank (whitespace or placeholder punctuation such as "/", "-", "—" is blank).
A guide page on which no element label was found at all is not judged: it is not recognisably
a guide, and calling it "missing everything" would be a false veto.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from pydantic import BaseModel

from checks.base import CheckContext
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.snapshots import ServiceGuide, SiteSnapshot
from monitor.registry.model import Site

BLANK_RE = re.compile(r"^[\s/\\\-—–_.·:：、,，;；]*$")
LABEL_TRIM_RE = re.compile(r"[\s:：*＊【】\[\]()（）]")

ELEMENTS = ["事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理机构", "收费标准", "办理时间", "联系电话", "办理流程"]
ALIASES = {
    "事项名称": ["事项名", "服务事项", "办理事项"],
    "设定依据": ["设立依据", "法律依据", "法定依据", "实施依据", "政策依据", "办理依据"],
    "申请条件": ["受理条件", "办理条件", "申报条件", "准予条件"],
    "办理材料": ["申请材料", "申报材料", "所需材料", "提交材料", "材料目录"],
    "办理地点": ["办理地址", "受理地点", "受理地址", "办公地址", "窗口地址"],
    "办理机构": ["实施主体", "实施机构", "受理机构", "办理部门", "受理部门", "责任部门"],
    "收费标准": ["收费依据", "是否收费", "收费情况", "收费项目"],
    "办理时间": ["受理时间", "办公时间", "工作时间", "窗口办理时间"],
    "联系电话": ["咨询电话", "咨询方式", "联系方式", "咨询途径"],
    "办理流程": ["办事流程", "办理程序", "受理流程", "办理步骤"],
}


class Options(BaseModel):
    model_config = {"extra": "forbid"}
    required_elements: list[str] = ELEMENTS
    element_aliases: dict[str, list[str]] = ALIASES
    service_required_kinds: list[str] = ["portal"]


def _label_matches(label: str, names: list[str]) -> bool:
    trimmed = LABEL_TRIM_RE.sub("", label)
    return any(name in trimmed for name in names)


def missing_elements(guide: ServiceGuide, options: Options) -> list[str] | None:
    """Required elements the guide leaves out or blank, in list order; None when no element label was found."""
    found: set[str] = set()
    labelled = False
    for element in options.required_elements:
        names = [element, *options.element_aliases.get(element, [])]
        values = [value for label, value in guide.fields.items() if _label_matches(label, names)]
        labelled = labelled or bool(values)
        if any(not BLANK_RE.match(value) for value in values):
            found.add(element)
    if not labelled:
        return None
    return [element for element in options.required_elements if element not in found]


class ServiceGuideIncomplete:
    id: ClassVar[str] = "service_guide_incomplete"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.SITE})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_site(self, site: Site, snap: SiteSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        if snap.has_service is False and site.kind in options.service_required_kinds:
            yield Finding(self.id, Severity.VETO, snap.url, {"missing": [], "reason": "no_service"})
        seen: set[str] = set()
        for guide in snap.guides:
            if guide.url in seen:
                continue
            seen.add(guide.url)
            missing = missing_elements(guide, options)
            if missing:
                yield Finding(self.id, Severity.DEDUCT, guide.url, {"missing": missing})


CHECK = ServiceGuideIncomplete()
