"""The Starlette application of ``govmon serve``: one store, the settings, the page routes.

No login: the workbench binds to 127.0.0.1 by default and records the reviewer's name as typed
(see docs/review.md). A form post from another origin is refused (``Origin``/``Referer`` must
name this host), so a page elsewhere cannot post decisions through the reviewer's browser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from monitor.settings import Settings
from monitor.storage import Store
from monitor.web.views import CHECK_NAMES, SEVERITY, VERDICT, excerpt, marked

HERE = Path(__file__).parent


def environment() -> Environment:
    """Jinja2 with autoescape on every template (crawled text is hostile) and strict undefined names."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(check_name=lambda c: CHECK_NAMES.get(str(c), str(c)), severity_name=SEVERITY,
                       verdict_name=VERDICT)
    env.globals.update(marked=marked, excerpt=excerpt, split_hit=split_hit, data_items=data_items, anchor=anchor)
    env.filters["href"] = href
    env.filters["rate"] = lambda v: "—" if v is None else f"{float(v):.1f}%"
    env.filters["when"] = lambda v: "" if not v else str(v).replace("T", " ")[:19]
    return env


def href(url: object) -> str:
    """A crawled URL as a link target only when it is http(s); anything else (``javascript:``) is no link."""
    text = str(url or "")
    return text if urlsplit(text).scheme in ("http", "https") else ""


def split_hit(context: str, hit: str) -> tuple[str, str, str]:
    """``context`` cut around the first ``hit``: (before, hit, after); the whole text before when absent."""
    at = context.find(hit) if hit else -1
    return (context, "", "") if at < 0 else (context[:at], hit, context[at + len(hit):])


#: Finding keys shown by the page itself, not in the list of the check's other keys.
SHOWN = frozenset({"check", "severity", "url", "points", "clause", "id", "review", "text", "suggestion", "context",
                   "sources", "source_hashes", "seen_at", "urls", "said"})


def data_items(finding: dict[str, Any]) -> list[tuple[str, str]]:
    """The check's own keys of a finding (findings-format.md), for the evidence list."""
    return [(k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
            for k, v in sorted(finding.items()) if k not in SHOWN]


def anchor(finding_id: object) -> str:
    """An HTML id for a finding id (``target/check/hash``)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", str(finding_id))


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    reviewer = unquote(request.cookies.get("reviewer", ""))
    html = env.get_template(template).render(request=request, reviewer=reviewer, **context)
    return HTMLResponse(html, status_code=status)


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
