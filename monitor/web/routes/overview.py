"""Overview (总览): every inspected month with its reviewed totals, and the pass rates over months."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from monitor.web.charts import Series, rate_chart
from monitor.web.templating import page
from monitor.web.views import overview


def index(request: Request) -> HTMLResponse:
    months = overview(request.app.state.store, request.app.state.settings)
    rates = [m["summary"].get(k) for m in months for k in ("sites_pass_rate", "accounts_pass_rate")]
    low = min([r for r in rates if r is not None] + [80.0])
    low = max(0.0, (int(low) // 10) * 10.0)
    chart = rate_chart([m["month"] for m in months], [
        Series("网站合格率", tuple(m["summary"].get("sites_pass_rate") for m in months), "line-a"),
        Series("政务新媒体合格率", tuple(m["summary"].get("accounts_pass_rate") for m in months), "line-b")], low)
    return page(request, "overview.html", months=list(reversed(months)), chart=chart)


routes = [Route("/", index, name="overview")]
