"""The workbench's pages: the Jinja2 environment (autoescape everywhere: crawled text is hostile),
its helpers for findings and links, and ``page``, which every route renders through."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

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
