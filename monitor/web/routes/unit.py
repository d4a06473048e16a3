"""Unit (网站或账号): its reviewed findings month by month with their evidence, the probe log
(sites) or the posts per natural week (accounts) of the month shown, and the review forms."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from monitor.judge.review import not_superseded
from monitor.model.period import Period
from monitor.web.charts import bar_chart, probe_chart
from monitor.web.templating import page
from monitor.web.views import KINDS, judged_texts, pages_of, probe_days, unit_history, weekly_posts
from reports.wording import platform_name


def _evidence_urls(history: list[dict]) -> list[str]:
    urls: set[str] = set()
    for month in history:
        for f in month["faults"] + month["notices"] + month["dismissed"]:
            if f.get("url"):
                urls.add(str(f["url"]))
            urls.update(str(u) for u in f.get("sources") or [])
    return sorted(urls)


def _text_urls(month: dict) -> set[str]:
    """The pages whose judged text the unit page shows: those of expression errors."""
    return {str(f["url"]) for f in month["faults"] + month["notices"] + month["dismissed"]
            if f.get("check") == "expression_error" and f.get("url")}


def show(request: Request) -> HTMLResponse:
    kind, target_id = str(request.path_params["kind"]), str(request.path_params["target_id"])
    if kind not in KINDS:
        raise HTTPException(404, "未知类型")
    store, settings = request.app.state.store, request.app.state.settings
    history = unit_history(store, settings, kind, target_id)
    if not history:
        raise HTTPException(404, f"没有{target_id}的检查结果")
    months = [h["month"] for h in history]
    month = request.query_params.get("month") or months[0]
    if month not in months:
        raise HTTPException(404, f"{target_id}在{month}没有检查结果")
    current = next(h for h in history if h["month"] == month)
    latest = {d.id for d in not_superseded(store.decisions(target_id=target_id))}
    chart, activity = "", {}
    until = Period.for_month(month).as_of_end(settings.general.zone())
    pages = pages_of(store, target_id, _evidence_urls(history), until) if kind == "site" else {}
    if kind == "site":
        activity = probe_days(store, settings, target_id, month)
        chart = probe_chart(activity["days"], activity["ok"], activity["failed"], activity["other"])
    else:
        activity = weekly_posts(store, settings, target_id, str(current.get("platform") or "other"), month)
        chart = bar_chart(activity["labels"], activity["counts"], line=activity["required"],
                          label="每自然周发布条数", hint=activity["hints"])
    log = [{"decision": d, "superseded": d.id not in latest} for d in reversed(store.decisions(target_id=target_id))
           if d.kind == kind]
    texts = {h["month"]: judged_texts(store, kind, target_id, h["month"], _text_urls(h)) for h in history}
    return page(request, "unit.html", texts=texts, log=log, platform=platform_name(str(current.get("platform") or "")), kind=kind, history=history, current=current, month=month, months=months,
                chart=chart, activity=activity, pages=pages)


routes = [Route("/units/{kind}/{target_id:path}", show, name="unit")]
