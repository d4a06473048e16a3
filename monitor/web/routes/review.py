"""Review (人工复核) forms: confirm or dismiss a finding, override a unit's verdict.

Each post records one decision (who, when, why) and redirects back; nothing is ever updated or
deleted — a later decision supersedes (``monitor.judge.review``). The reviewer's name is kept in
a cookie only to fill the field next time."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from monitor.model.document import FAIL
from monitor.model.review import CONFIRM, DISMISS, OVERRIDE, Decision, InvalidDecision, validate
from monitor.web.routes.month import known_month
from monitor.web.templating import page
from monitor.web.views import KINDS, find_target, month_document

ACTION_WORDS = {CONFIRM: "确认", DISMISS: "排除", OVERRIDE: "改判"}


def _back(form_back: str, fallback: str) -> str:
    """Only a path on this site (never an absolute URL) is followed back."""
    return form_back if form_back.startswith("/") and not form_back.startswith("//") else fallback


def _refuse(request: Request, message: str, back: str, status: int = 400) -> Response:
    return page(request, "error.html", status=status, message=message, back=back)


async def decide(request: Request) -> Response:
    form = await request.form()
    month = known_month(request, str(form.get("month", "")))
    kind, target_id = str(form.get("kind", "")), str(form.get("target_id", ""))
    action = str(form.get("action", ""))
    back = _back(str(form.get("back", "")), f"/months/{month}")
    if kind not in KINDS:
        return _refuse(request, "未知的对象类型", back)
    store, settings = request.app.state.store, request.app.state.settings
    stored = find_target(store.inspection(month) or {}, kind, target_id)
    if stored is None:
        return _refuse(request, f"{month}没有对象{target_id}", back, 404)
    finding_id, verdict = "", ""
    if action == OVERRIDE:
        verdict = str(form.get("verdict", ""))
        reviewed = find_target(month_document(store, settings, month), kind, target_id) or {}
        faults = [f for f in reviewed.get("findings") or [] if f.get("severity") in ("veto", "deduct")]
        if verdict == FAIL and not faults:
            return _refuse(request, "改判为不合格须有未被排除的问题（单项否决或扣分）作依据：通报只陈述有证据的问题。", back)
    else:
        finding_id = str(form.get("finding_id", ""))
        if finding_id not in {str(f.get("id")) for f in stored.get("findings") or []}:
            return _refuse(request, f"{month}的{target_id}没有编号为{finding_id}的问题", back, 404)
    decision = Decision(period=month, kind=kind, target_id=target_id, action=action,
                        reviewer=str(form.get("reviewer", "")).strip(), reason=str(form.get("reason", "")).strip(),
                        at=datetime.now(UTC), finding_id=finding_id, verdict=verdict)
    try:
        validate(decision)
    except InvalidDecision as exc:
        words = {"a decision needs the reviewer's name": "请填写复核人姓名",
                 "a dismiss needs a reason": "排除问题须填写理由", "a override needs a reason": "改判须填写理由"}
        return _refuse(request, words.get(str(exc), str(exc)), back)
    await store.call(store.add_decision, decision)
    response = RedirectResponse(back, status_code=303)
    response.set_cookie("reviewer", quote(decision.reviewer), max_age=180 * 86400, httponly=True, samesite="strict")
    return response


routes = [Route("/review", decide, methods=["POST"], name="review")]
