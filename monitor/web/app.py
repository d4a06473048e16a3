"""The Starlette application of ``govmon serve``: one store, the settings, the page routes.

No login: the workbench binds to 127.0.0.1 by default and records the reviewer's name as typed
(see docs/review.md). A form post from another origin is refused (``Origin``/``Referer`` must
name this host), so a page elsewhere cannot post decisions through the reviewer's browser."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from monitor.config.settings import Settings
from monitor.store.store import Store
from monitor.web.templating import environment

HERE = Path(__file__).parent


class SameOrigin(BaseHTTPMiddleware):
    """Refuse a POST whose Origin (or, lacking one, Referer) names another host than the request's."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.method == "POST":
            source = request.headers.get("origin") or request.headers.get("referer")
            if source is not None and urlsplit(source).netloc != request.headers.get("host"):
                return PlainTextResponse("跨站提交被拒绝（Origin 与本站不符）", status_code=403)
        return await call_next(request)


def create_app(store: Store, settings: Settings) -> Starlette:
    from monitor.web.routes import downloads, month, overview, review, unit

    routes = [*overview.routes, *month.routes, *unit.routes, *review.routes, *downloads.routes,
              Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]
    app = Starlette(routes=routes, middleware=[Middleware(SameOrigin)])
    app.state.store = store
    app.state.settings = settings
    app.state.templates = environment()
    return app
