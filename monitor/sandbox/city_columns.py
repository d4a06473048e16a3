"""The columns (栏目) of each simulated site: names, nesting, what they publish and how often.

Portals and department sites follow the usual layouts of Chinese government sites (要闻/动态,
通知公告, 政策文件, an information-disclosure tree, 办事服务, 互动交流). Columns added by a fault
(``city_faults.AddedColumn``) join their parent from their creation date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from monitor.sandbox.city_faults import site_faults
from monitor.sandbox.city_units import CitySite

EPOCH = date(2019, 1, 1)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column. ``role`` is what it publishes (the generator's notion, not a check's kind)."""

    name: str
    role: str  # news notice policy personnel planning static other interaction interview survey service parent
    cadence: float = 0.0  # mean days between items (0: a fixed handful of items)
    parent: str | None = None
    created: date = EPOCH
    first_item: date | None = None
    on_home: bool = False
    code: int = 0

    @property
    def slug(self) -> str:
        return initials(self.name)


@lru_cache(maxsize=None)
def initials(name: str) -> str:
    """Pinyin initials, as CMSs name column directories (工作动态 → gzdt)."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


def _mailbox(site: CitySite) -> str:
    if site.kind == "department":
        return "主任信箱" if site.name.endswith("委员会") else "局长信箱"
    if site.district == "高新区":
        return "主任信箱"
    return {"市直": "市长信箱", "平定县": "县长信箱", "盂县": "县长信箱"}.get(site.district, "区长信箱")


def _portal(site: CitySite) -> list[ColumnSpec]:
    short = site.short.removesuffix("市")
    local = "县区动态" if site.district == "市直" else ("乡镇动态" if site.district in ("平定县", "盂县") else "街道动态")
    return [
        ColumnSpec(f"{short}要闻", "news", 1.3, on_home=True),
        ColumnSpec("部门动态", "news", 2.2, on_home=True),
        ColumnSpec(local, "news", 3.5),
        ColumnSpec("通知公告", "notice", 6.0, on_home=True),
        ColumnSpec("政策文件", "policy", 11.0, on_home=True),
        ColumnSpec("政府信息公开", "parent"),
        ColumnSpec("政府领导", "static", parent="政府信息公开"),
        ColumnSpec("机构职能", "static", parent="政府信息公开"),
        ColumnSpec("人事信息", "personnel", 40.0, parent="政府信息公开"),
        ColumnSpec("规划计划", "planning", 70.0, parent="政府信息公开"),
        ColumnSpec("财政预决算", "other", 45.0, parent="政府信息公开"),
        ColumnSpec("重点项目", "other", 40.0, parent="政府信息公开"),
        ColumnSpec("政策解读", "other", 18.0, parent="政府信息公开"),
        ColumnSpec("政务服务", "parent"),
        ColumnSpec("办事指南", "service", parent="政务服务"),
        ColumnSpec("政民互动", "parent"),
        ColumnSpec(_mailbox(site), "interaction", parent="政民互动"),
        ColumnSpec("在线访谈", "interview", 55.0, parent="政民互动"),
        ColumnSpec("调查征集", "survey", 45.0, parent="政民互动"),
        ColumnSpec(f"走进{short}", "static"),
    ]


_EXTRA_NEWS: dict[str, tuple[str, ...]] = {
    "1403000019": ("统计要闻", "部门动态", "县区动态"),
    "1403000017": ("审计要闻", "部门动态"),
}


def _department(site: CitySite) -> list[ColumnSpec]:
    extra = _EXTRA_NEWS.get(site.id, ("县区动态",) if int(site.id[-2:]) % 2 else ("基层动态",))
    return [
        ColumnSpec("工作动态", "news", 2.6, on_home=True),
        *(ColumnSpec(name, "news", 5.0) for name in extra),
        ColumnSpec("通知公告", "notice", 13.0, on_home=True),
        ColumnSpec("政策文件", "policy", 28.0, on_home=True),
        ColumnSpec("信息公开", "parent"),
        ColumnSpec("机构职能", "static", parent="信息公开"),
        ColumnSpec("领导信息", "static", parent="信息公开"),
        ColumnSpec("人事信息", "personnel", 70.0, parent="信息公开"),
        ColumnSpec("规划计划", "planning", 110.0, parent="信息公开"),
        ColumnSpec("财政资金", "other", 60.0, parent="信息公开"),
        ColumnSpec("政策解读", "other", 35.0, parent="信息公开"),
        ColumnSpec("办事服务", "parent"),
        ColumnSpec("办事指南", "service", parent="办事服务"),
        ColumnSpec("互动交流", "parent"),
        ColumnSpec(_mailbox(site), "interaction", parent="互动交流"),
        ColumnSpec("在线访谈", "interview", 90.0, parent="互动交流"),
        ColumnSpec("调查征集", "survey", 75.0, parent="互动交流"),
    ]


def site_columns(site: CitySite, as_of: date) -> list[ColumnSpec]:
    """The columns the site shows at ``as_of`` (added columns only from their creation), numbered."""
    specs = _portal(site) if site.kind == "portal" else _department(site)
    for added in site_faults(site.id).added:
        if added.created <= as_of:
            specs.append(ColumnSpec(added.name, "other", 30.0, parent=added.parent, created=added.created,
                                    first_item=added.first_item or date.max))
    base = 1000 + int(site.id[-4:]) * 7 + int(site.id[4:6]) * 131
    ordered = [s for s in specs if s.parent is None]
    out: list[ColumnSpec] = []
    for top in ordered:
        out.append(top)
        out.extend(s for s in specs if s.parent == top.name)
    return [ColumnSpec(s.name, s.role, s.cadence, s.parent, s.created, s.first_item, s.on_home, base + 3 * i)
            for i, s in enumerate(out)]


def children(columns: list[ColumnSpec], parent: str) -> list[ColumnSpec]:
    return [c for c in columns if c.parent == parent]
