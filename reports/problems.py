"""Problems of one unit in Chinese, from its findings (check + the check's keys).

One ``Problem`` per (unit, check): the attachment wording (``栏目不更新：政务动态（最后更新
2021-07-20）``), the evidence URLs, and the body clause naming the unit
(``“阳泉市XX局”网站首页已21天未更新（最后更新于2021年8月10日）``). An unknown check id is
still reported (generic wording), never dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from reports.evidence import finding_id
from reports.wording import COLUMN_KINDS, as_day, cn_date, iso_date, join_cn

SEVERITY_RANK = {"veto": 0, "deduct": 1, "notice": 2}
SITE_CHECKS = ("unreachable", "stale_homepage", "stale_column", "empty_column", "expression_error",
               "interaction_unanswered", "service_guide_incomplete", "dead_link")
ACCOUNT_CHECKS = ("stale_account", "expression_error", "update_frequency", "account_not_retired",
                  "duplicate_account", "feed_unreachable")
NAMED = 3  # examples named inside one body clause before 等N个
# A unit failed by the veto on the right is not named again for the lesser problem on the left
# (an account silent for weeks is not also listed for posting too little each week).
SUPERSEDED_BY = {"update_frequency": "stale_account"}


@dataclass(frozen=True, slots=True)
class Problem:
    """All findings of one check on one unit, worded once for the body and once for the tables."""

    check: str
    severity: str
    count: int
    text: str
    clause: str
    evidence: tuple[str, ...]
    ids: tuple[str, ...]  # the distinct findings this problem states


def _days(value: Any, as_of: date) -> int | None:
    day = as_day(value)
    return None if day is None else (as_of - day).days


def _since(value: Any, as_of: date, what: str) -> tuple[str, str]:
    days = _days(value, as_of)
    if days is None:
        return "未发现带发布日期的信息", f"{what}未发现带发布日期的更新信息"
    return f"最后更新{iso_date(value)}（已{days}天）", f"{what}已{days}天未更新（最后更新于{cn_date(value)}）"


def _unreachable(fs: list[dict], as_of: date) -> tuple[str, str]:
    probes, failed = sum(int(f.get("probes") or 0) for f in fs), sum(int(f.get("failed") or 0) for f in fs)
    ratio = f"{failed * 100 / probes:.1f}%" if probes else "—"
    return (f"站点无法访问：监测{probes}次，{failed}次无法访问（{ratio}）",
            f"监测期内{probes}次访问中有{failed}次无法访问（占{ratio}）")


def _stale_homepage(fs: list[dict], as_of: date) -> tuple[str, str]:
    table, body = _since(fs[0].get("last_update"), as_of, "首页")
    return f"首页不更新：{table}", body


def _stale_column(fs: list[dict], as_of: date) -> tuple[str, str]:
    """Column findings plus, possibly, one near-miss summary (``near_miss``, ``count``, no column)."""
    columns = [f for f in fs if f.get("column")]
    summary = [f for f in fs if f.get("near_miss") or not f.get("column")]
    count = len(columns) or max((int(f.get("count") or 0) for f in summary), default=0)
    cols = [f"{f['column']}（最后更新{iso_date(f.get('last_update')) or '无日期'}）" for f in columns]
    kinds = [label for kind, label in COLUMN_KINDS.items() if any(f.get("kind") == kind for f in columns)]
    near = "接近单项否决" if any(f.get("near_miss") for f in summary) else ""
    inside = "，".join(p for p in (join_cn([str(f["column"]) for f in columns], NAMED), near) if p)
    table = f"栏目不更新{count}个" + ("：" + "；".join(cols) if cols else f"（{near}）" if near else "")
    return table, f"{count}个{'、'.join(kinds)}栏目未按要求更新" + (f"（{inside}）" if inside else "")


def _empty_column(fs: list[dict], as_of: date) -> tuple[str, str]:
    names = [str(f.get("column") or f.get("url")) for f in fs]
    return f"空白栏目{len(fs)}个：" + "、".join(names), f"存在空白栏目{len(fs)}个（{join_cn(names, NAMED)}）"


def _expression_error(fs: list[dict], as_of: date) -> tuple[str, str]:
    serious = any(str(f.get("category", "")).upper() in {"A", "B", "C"} for f in fs)
    label = "严重表述错误" if serious else "表述错误"
    pairs = [f"“{f.get('text')}”应为“{f.get('suggestion')}”" for f in fs]
    first = fs[0]
    return (f"{label}{len(fs)}处：" + "；".join(pairs),
            f"出现“{first.get('text')}”（应为“{first.get('suggestion')}”）" + (f"等{len(fs)}处" if len(fs) > 1 else "") + label)


def _interaction(fs: list[dict], as_of: date) -> tuple[str, str]:
    asked = [f for f in fs if f.get("asked")]
    if not asked:
        return "互动回应差：无有效的咨询建言渠道", "无有效的咨询建言渠道"
    days = "、".join(iso_date(f.get("asked")) for f in asked)
    return (f"互动回应差：{len(asked)}条留言超过3个月未答复（提交于{days}）",
            f"有{len(asked)}条留言超过3个月未答复（最早提交于{cn_date(min(iso_date(f.get('asked')) for f in asked))}）")


def _service_guide(fs: list[dict], as_of: date) -> tuple[str, str]:
    parts = [f"缺少{'、'.join(map(str, f.get('missing') or []))}" for f in fs]
    sample = "、".join(map(str, fs[0].get("missing") or []))
    return f"办事指南要素缺失{len(fs)}个：" + "；".join(parts), f"{len(fs)}个办事指南要素缺失（如缺少{sample}）"


def _dead_link(fs: list[dict], as_of: date) -> tuple[str, str]:
    home = sum(1 for f in fs if f.get("home", float(f.get("points") or 0) >= 1))
    on_home = f"，其中首页{home}个" if home else ""
    return f"无效链接：{len(fs)}个{on_home}", f"存在无效链接{len(fs)}个" + (f"（其中首页{home}个）" if home else "")


def _stale_account(fs: list[dict], as_of: date) -> tuple[str, str]:
    table, body = _since(fs[0].get("last_update"), as_of, "")
    return f"内容不更新：{table}", body


def _update_frequency(fs: list[dict], as_of: date) -> tuple[str, str]:
    weeks = [f"{_week(f.get('week'))}更新{f.get('posts')}次（要求不少于{f.get('required')}次）" for f in fs]
    first = fs[0]
    body = (f"有{len(fs)}周更新次数不足（如{_week(first.get('week'))}更新{first.get('posts')}次，"
            f"要求每周不少于{first.get('required')}次）") if len(fs) > 1 else weeks[0]
    return "更新不及时：" + "；".join(weeks), body


def _week(value: Any) -> str:
    text = str(value or "")
    if "-W" in text:
        year, week = text.split("-W", 1)
        try:
            monday = date.fromisocalendar(int(year), int(week), 1)
            sunday = date.fromisocalendar(int(year), int(week), 7)
            return f"{monday.month}月{monday.day}日至{sunday.month}月{sunday.day}日"
        except ValueError:
            pass
    return text


def _not_retired(fs: list[dict], as_of: date) -> tuple[str, str]:
    """A closing or migrating account still posting after its filed deadline (the posts are the evidence)."""
    f = fs[0]
    what = "完成迁移" if f.get("status") == "migrating" else "关停注销"
    count = f"{f.get('posts')}条" if f.get("posts") else ""
    return (f"未按期{what}：期限{iso_date(f.get('deadline'))}，期限后仍发布{count}（最后{iso_date(f.get('last_post'))}）",
            f"未按期{what}（期限为{cn_date(f.get('deadline'))}，期限后仍在发布信息）")


def _feed_unreachable(fs: list[dict], as_of: date) -> tuple[str, str]:
    return "无法获取更新情况：公开页面无法访问", "公开页面无法访问（未能获取更新情况）"


def _duplicate(fs: list[dict], as_of: date) -> tuple[str, str]:
    owner = fs[0].get("owner", "")
    return f"同一平台重复开设账号：账号主体{owner}", f"与同平台其他账号主体同为{owner}"


WORDING: dict[str, Callable[[list[dict], date], tuple[str, str]]] = {
    "unreachable": _unreachable, "stale_homepage": _stale_homepage, "stale_column": _stale_column,
    "empty_column": _empty_column, "expression_error": _expression_error, "interaction_unanswered": _interaction,
    "service_guide_incomplete": _service_guide, "dead_link": _dead_link, "stale_account": _stale_account,
    "update_frequency": _update_frequency, "account_not_retired": _not_retired,
    "feed_unreachable": _feed_unreachable, "duplicate_account": _duplicate,
}


def _generic(check: str) -> Callable[[list[dict], date], tuple[str, str]]:
    def word(fs: list[dict], as_of: date) -> tuple[str, str]:
        return f"{check}：{len(fs)}处", f"存在{check}问题{len(fs)}处"
    return word


def word(check: str, fs: list[dict], as_of: date) -> tuple[str, str]:
    """(table text, body clause) of findings of one check on one unit; generic for an unknown check."""
    return WORDING.get(check, _generic(check))(fs, as_of)


def _grouped(target: dict[str, Any], severities: frozenset[str]) -> dict[str, list[dict]]:
    """Distinct findings (by id) by check; a problem superseded by a veto of the same unit is left out.

    Each finding is a copy carrying its ``id``, so every count below is a count of distinct findings."""
    findings = list(target.get("findings") or [])
    vetoes = {str(f.get("check")) for f in findings if f.get("severity") == "veto"}
    by_check: dict[str, list[dict]] = {}
    seen: set[str] = set()
    for finding in findings:
        check = str(finding.get("check"))
        fid = finding_id(str(target.get("id")), finding)
        if fid in seen or finding.get("severity") not in severities or SUPERSEDED_BY.get(check) in vetoes:
            continue
        seen.add(fid)
        by_check.setdefault(check, []).append({**finding, "id": fid})
    return by_check


def _ids(fs: list[dict]) -> tuple[str, ...]:
    return tuple(str(f["id"]) for f in fs)


def _worst(fs: list[dict]) -> str:
    return min((str(f.get("severity")) for f in fs), key=lambda s: SEVERITY_RANK.get(s, 9))


def _sorted(problems: list[Problem]) -> list[Problem]:
    order = {c: i for i, c in enumerate(SITE_CHECKS + ACCOUNT_CHECKS)}
    return sorted(problems, key=lambda p: (SEVERITY_RANK.get(p.severity, 9), order.get(p.check, 99), p.check))


def unit_problems(target: dict[str, Any], as_of: date, severities: frozenset[str]) -> list[Problem]:
    """The unit's findings of the given severities, one ``Problem`` per check, worst severity first."""
    problems = []
    for check, fs in _grouped(target, severities).items():
        text, clause = word(check, fs, as_of)
        evidence = tuple(dict.fromkeys(str(f["url"]) for f in fs if f.get("url")))
        count = sum(1 for f in fs if not f.get("near_miss")) or len(fs)
        problems.append(Problem(check, _worst(fs), count, text, clause, evidence, _ids(fs)))
    return _sorted(problems)


def _serious(f: dict) -> str:
    return "严重表述错误" if str(f.get("category", "")).upper() in {"A", "B", "C"} else "表述错误"


# Checks whose findings each carry their own page: one table row per finding, its URL beside it.
ROW_TEXT: dict[str, Callable[[dict], str]] = {
    "stale_column": lambda f: f"栏目不更新：{f.get('column')}（最后更新{iso_date(f.get('last_update')) or '无日期'}）",
    "empty_column": lambda f: f"空白栏目：{f.get('column') or f.get('url')}",
    "expression_error": lambda f: f"{_serious(f)}：“{f.get('text')}”应为“{f.get('suggestion')}”",
    "interaction_unanswered": lambda f: (f"互动回应差：留言超过3个月未答复（提交于{iso_date(f.get('asked'))}）"
                                         if f.get("asked") else "互动回应差：无有效的咨询建言渠道"),
    "service_guide_incomplete": lambda f: f"办事指南要素缺失：缺少{'、'.join(map(str, f.get('missing') or []))}",
}


def table_problems(target: dict[str, Any], as_of: date, severities: frozenset[str]) -> list[Problem]:
    """Rows for the attachment tables: per finding where each has its own page, else per check."""
    rows = []
    for check, fs in _grouped(target, severities).items():
        if check not in ROW_TEXT:
            text, clause = word(check, fs, as_of)
            evidence = tuple(dict.fromkeys(str(f["url"]) for f in fs if f.get("url")))
            rows.append(Problem(check, _worst(fs), len(fs), text, clause, evidence, _ids(fs)))
            continue
        for f in fs:
            if not f.get("near_miss"):
                evidence = (str(f["url"]),) if f.get("url") else ()
                rows.append(Problem(check, str(f.get("severity")), 1, ROW_TEXT[check](f), "", evidence, (str(f["id"]),)))
    return _sorted(rows)
