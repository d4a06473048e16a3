"""What each page shows, read from the store and the reviewed documents: plain dicts and lists
for the templates. Nothing here decides a verdict: the reviewed state is
``monitor.run.report.reviewed_inspection`` (``monitor.judge.review``), the words are the notice's."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from monitor.config.settings import Settings
from monitor.judge.review import FAULT, Progress, progress
from monitor.model.document import FAIL, NOT_INSPECTED, verdict_of
from monitor.model.period import Period, natural_weeks
from monitor.run.report import reviewed_inspection
from monitor.store.store import Store
from reports.problems import word
from reports.review import LABELS, notice_text

KINDS = {"site": "sites", "account": "accounts"}
CHECK_NAMES = {**LABELS, "check_error": "检查程序出错", "feed_unreachable": "内容源读取"}
SEVERITY = {"veto": "单项否决", "deduct": "扣分", "notice": "提示"}
VERDICT = {"pass": "合格", "fail": "不合格", "not_inspected": "未能完成检查"}


def month_document(store: Store, settings: Settings, month: str) -> dict[str, Any]:
    return reviewed_inspection(store, month, settings)


def finished_months(store: Store) -> list[str]:
    return [m for m in store.periods() if store.inspection(m) is not None]


def overview(store: Store, settings: Settings) -> list[dict[str, Any]]:
    """Every inspected month, oldest first: its reviewed summary and review progress."""
    out = []
    for month in finished_months(store):
        document = month_document(store, settings, month)
        out.append({"month": month, "as_of": document.get("as_of"), "summary": document.get("summary") or {},
                    "progress": progress(document)})
    return out


def describe(finding: dict[str, Any], as_of: date) -> str:
    """One finding in the notice's or the checklist's words."""
    if str(finding.get("severity")) in FAULT:
        try:
            return word(str(finding.get("check")), [finding], as_of)[0]
        except (KeyError, TypeError, ValueError):
            return str(finding.get("clause") or finding.get("check"))
    return notice_text(finding, as_of)


def _unit(kind: str, target: dict[str, Any], as_of: date) -> dict[str, Any]:
    findings = list(target.get("findings") or [])
    return {"kind": kind, "id": target.get("id"), "name": target.get("name"), "owner": target.get("owner"),
            "district": target.get("district"), "platform": target.get("platform"),
            "verdict": verdict_of(target), "reason": target.get("reason") or "", "score": target.get("score"),
            "machine": target.get("machine"), "override": target.get("override"),
            "faults": [{**f, "said": describe(f, as_of)} for f in findings if str(f.get("severity")) in FAULT],
            "notices": [{**f, "said": describe(f, as_of)} for f in findings if str(f.get("severity")) not in FAULT],
            "dismissed": [{**f, "said": describe(f, as_of)} for f in target.get("dismissed") or []]}


def month_view(document: dict[str, Any]) -> dict[str, Any]:
    """The month page: failing units, units not inspected, notices waiting for review, progress."""
    as_of = date.fromisoformat(str(document.get("as_of")))
    failing, missed, waiting, changed = [], [], [], []
    for kind, key in KINDS.items():
        for target in document.get(key) or []:
            unit = _unit(kind, target, as_of)
            if unit["verdict"] == FAIL:
                failing.append(unit)
            elif unit["verdict"] == NOT_INSPECTED:
                missed.append(unit)
            if unit["machine"] or unit["dismissed"]:
                changed.append(unit)
            pending = [f for f in unit["notices"] if "review" not in f]
            if pending:
                waiting.append({**unit, "pending": pending})
    done: Progress = progress(document)
    return {"month": document.get("period"), "as_of": document.get("as_of"), "summary": document.get("summary") or {},
            "failing": failing, "not_inspected": missed, "waiting": waiting, "changed": changed, "progress": done,
            "undecided_faults": sum(1 for u in failing for f in u["faults"] if "review" not in f)}


def find_target(document: dict[str, Any], kind: str, target_id: str) -> dict[str, Any] | None:
    return next((t for t in document.get(KINDS[kind]) or [] if str(t.get("id")) == target_id), None)


def unit_history(store: Store, settings: Settings, kind: str, target_id: str) -> list[dict[str, Any]]:
    """The unit's reviewed result month by month, newest first."""
    out = []
    for month in reversed(finished_months(store)):
        document = month_document(store, settings, month)
        target = find_target(document, kind, target_id)
        if target is not None:
            as_of = date.fromisoformat(str(document.get("as_of")))
            out.append({"month": month, "as_of": document.get("as_of"), **_unit(kind, target, as_of),
                        "url": target.get("url")})
    return out


def pages_of(store: Store, site_id: str, urls: list[str], until: datetime) -> dict[str, dict[str, Any]]:
    """The latest stored fetch of each URL up to ``until``: fetch time, status, content hash."""
    return store.page_records(site_id, urls, until)


def probe_days(store: Store, settings: Settings, site_id: str, month: str) -> dict[str, Any]:
    """The month's probes per day: answered, failed, not counted (blocked or void)."""
    period = Period.for_month(month)
    zone = settings.general.zone()
    start = period.start_at(zone)
    end = period.as_of_end(zone)
    probes = store.probes(site_id, start, end)
    days = [(period.start + timedelta(days=i)).isoformat() for i in range((period.as_of - period.start).days + 1)]
    ok, failed, other = Counter[str](), Counter[str](), Counter[str]()
    for p in probes:
        day = p.at.astimezone(zone).date().isoformat()
        (other if p.blocked or p.void else ok if p.ok else failed)[day] += 1
    return {"days": days, "ok": [ok[d] for d in days], "failed": [failed[d] for d in days],
            "other": [other[d] for d in days], "total": len(probes),
            "recent": [p for p in probes if not p.ok][-20:]}


def weekly_posts(store: Store, settings: Settings, account_id: str, platform: str, month: str) -> dict[str, Any]:
    """Posts per natural week of the month (weeks whose Thursday is in it, up to as-of)."""
    period = Period.for_month(month)
    zone = settings.general.zone()
    snap = store.account_snapshot(account_id, until=period.as_of_end(zone))
    weeks = natural_weeks(period, zone)
    counts = [sum(1 for p in snap.posts if w.holds(p.published_at)) for w in weeks]
    return {"labels": [w.label[5:] for w in weeks], "counts": counts,
            "hints": [f"{w.monday.isoformat()} 起一周：{n}条" for w, n in zip(weeks, counts)],
            "required": settings.accounts.required_posts(platform),
            "reads": len(snap.fetches), "failed_reads": sum(1 for f in snap.fetches if not f.ok)}


def judged_texts(store: Store, kind: str, target_id: str, month: str, urls: set[str]) -> dict[str, dict[str, Any]]:
    """URL → the text the month's judgement read there, with its fetch facts: for a site the pages of
    the latest snapshot stored before its result (their visible text, fetch time, status, content
    hash), for an account its stored posts (``post:<key>`` or the post's URL). Only ``urls``."""
    at = store.result_time(month, kind, target_id)
    out: dict[str, dict[str, Any]] = {}
    if at is None or not urls:
        return out
    if kind == "site":
        snap = store.latest_site_snapshot(target_id, at_or_before=at)
        for page in ([snap.home] if snap and snap.home else []) + (snap.pages if snap else []):
            for url in (page.url, page.final_url):
                if url in urls and page.text and url not in out:
                    out[url] = {"text": page.text, "fetched_at": page.fetched_at, "status": page.status,
                                "content_hash": page.content_hash, "title": page.title}
        return out
    for post in store.account_snapshot(target_id, until=at).posts:
        for url in (f"post:{post.key}", post.url):
            if url and url in urls:
                out[url] = {"text": "\n".join(t for t in (post.title, post.text) if t), "fetched_at": None,
                            "status": None, "content_hash": "", "title": post.title}
    return out


def marked(text: str, hit: str) -> list[tuple[str, bool]]:
    """``text`` cut into (segment, is_hit) at every occurrence of ``hit``, for highlighting."""
    if not hit:
        return [(text, False)]
    parts = text.split(hit)
    out: list[tuple[str, bool]] = []
    for i, part in enumerate(parts):
        if part:
            out.append((part, False))
        if i < len(parts) - 1:
            out.append((hit, True))
    return out


def excerpt(text: str, hit: str, spread: int = 1) -> str:
    """The lines of ``text`` holding ``hit``, with ``spread`` lines either side (``…`` between gaps);
    the whole text when the hit is not in it (the page changed since: say so beside it)."""
    lines = text.splitlines()
    near = sorted({j for i, line in enumerate(lines) if hit and hit in line
                   for j in range(max(0, i - spread), min(len(lines), i + spread + 1))})
    if not near:
        return text
    out: list[str] = []
    for k, j in enumerate(near):
        if k and j != near[k - 1] + 1:
            out.append("……")
        out.append(lines[j])
    return "\n".join(out)
