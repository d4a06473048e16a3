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
An element is present when a field label equals or contains the element name or one of the
labels real guides use for it (``[extract] guide_fields``, e.g. 受理条件 for 申请条件 — the same
table the content collector reads guides with) and its
value is not blank (whitespace or placeholder punctuation such as "/", "-", "—" is blank).
A guide page on which no element label was found at all is not judged: it is not recognisably
a guide, and calling it "missing everything" would be a false veto.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from pydantic import BaseModel

from checks.base import CheckContext, CheckOptions
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.snapshots import ServiceGuide, SiteSnapshot
from monitor.registry.model import Site

BLANK_RE = re.compile(r"^[\s/\\\-—–_.·:：、,，;；]*$")
LABEL_TRIM_RE = re.compile(r"[\s:：*＊【】\[\]()（）]")

class Options(CheckOptions):
    required_elements: list[str]
    service_required_kinds: list[str]


def _label_matches(label: str, names: list[str]) -> bool:
    trimmed = LABEL_TRIM_RE.sub("", label)
    return any(name in trimmed for name in names)


def missing_elements(guide: ServiceGuide, options: Options, aliases: dict[str, list[str]]) -> list[str] | None:
    """Required elements the guide leaves out or blank, in list order; None when no element label was found."""
    found: set[str] = set()
    labelled = False
    for element in options.required_elements:
        names = [element, *aliases.get(element, [])]
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
            missing = missing_elements(guide, options, ctx.settings.extract.guide_fields)
            if missing:
                yield Finding(self.id, Severity.DEDUCT, guide.url, {"missing": missing})


CHECK = ServiceGuideIncomplete()
