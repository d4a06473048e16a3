"""Downloads of one month: the notice and the office's checklist (HTML, DOCX) rendered from the
reviewed state by the same code as ``govmon report``, and the findings as CSV or XLSX."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from monitor.model.errors import GovmonError
from monitor.run.report import REVIEW_SUFFIX, render_month
from monitor.web.exports import to_csv, to_xlsx
from monitor.web.routes.month import month_of
from monitor.web.views import month_document

TYPES = {"html": "text/html; charset=utf-8",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def attachment(body: bytes, name: str, fmt: str) -> Response:
    return Response(body, media_type=TYPES[fmt],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def _render(request: Request, month: str, fmt: str, checklist: bool) -> tuple[bytes, str]:
    settings = request.app.state.settings
    with tempfile.TemporaryDirectory(prefix="govmon-web-") as tmp:
        try:
            paths = render_month(request.app.state.store, month, settings, Path(tmp), [fmt])
        except GovmonError as exc:
            raise HTTPException(500, f"通报生成失败：{exc}") from None
        stem = f"{settings.report.file_prefix}-{month}"
        name = f"{stem}-{REVIEW_SUFFIX}.{fmt}" if checklist else f"{stem}.{fmt}"
        path = Path(tmp) / name
        if path not in paths:
            raise HTTPException(404, "本月没有需要人工核实的事项" if checklist else "通报未生成")
        return path.read_bytes(), name


async def notice(request: Request) -> Response:
    month = month_of(request)
    fmt = str(request.path_params["fmt"])
    if fmt not in ("html", "docx"):
        raise HTTPException(404, "只提供 HTML 和 DOCX")
    what = str(request.path_params["what"])
    if what not in ("notice", "checklist"):
        raise HTTPException(404, "未知的下载")
    checklist = what == "checklist"
    body, name = await run_in_threadpool(_render, request, month, fmt, checklist)
    return attachment(body, name, fmt)


async def findings(request: Request) -> Response:
    month = month_of(request)
    fmt = str(request.path_params["fmt"])
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404, "只提供 CSV 和 XLSX")
    document = await run_in_threadpool(month_document, request.app.state.store, request.app.state.settings, month)
    body = to_csv(document) if fmt == "csv" else await run_in_threadpool(to_xlsx, document)
    return attachment(body, f"发现问题-{month}.{fmt}", fmt)


routes = [Route("/months/{month}/findings.{fmt:str}", findings, name="findings"),
          Route("/months/{month}/{what:str}.{fmt:str}", notice, name="notice")]
