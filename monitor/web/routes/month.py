"""Month (月度): failing units with the clause failed, units not inspected, notices waiting for
review, review progress, and the downloads of the reviewed notice and findings."""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from monitor.model.errors import StorageError
from monitor.web.templating import page
from monitor.web.views import month_document, month_view

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def known_month(request: Request, month: str) -> str:
    """``month``, 404 unless YYYY-MM with a finished inspection stored."""
    if not MONTH.fullmatch(month) or request.app.state.store.inspection(month) is None:
        raise HTTPException(404, f"没有{month}的检查结果")
    return month


def month_of(request: Request) -> str:
    """The path's month (``known_month``)."""
    return known_month(request, str(request.path_params["month"]))


def show(request: Request) -> HTMLResponse:
    month = month_of(request)
    try:
        document = month_document(request.app.state.store, request.app.state.settings, month)
    except StorageError as exc:
        raise HTTPException(500, str(exc)) from None
    return page(request, "month.html", view=month_view(document))


routes = [Route("/months/{month}", show, name="month")]
