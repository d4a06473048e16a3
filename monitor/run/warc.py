"""A unit's evidence as a WARC file (ISO 28500), the web archives' own format, with ``warcio``.

Per kept page: a ``response`` record (the HTTP status line and headers as received, less the
transfer headers, and the body as received, dated with its fetch time), a ``metadata`` record
beside it (the findings it backs, the body's sha256 and size as fetched, whether it was cut, the
screenshot note), and for a veto page its full-page screenshot as a ``resource`` record
(``urn:screenshot:<url>``, image/png). The file opens in any WARC tool (pywb, ReplayWeb.page).
"""

from __future__ import annotations

import json
import os
import tempfile
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from monitor.model.errors import GovmonError
from monitor.store.evidence import StoredEvidence


def _reason(status: int | None) -> str:
    try:
        return HTTPStatus(status or 0).phrase
    except ValueError:
        return "Unknown"


def _date(page: StoredEvidence) -> str:
    return page.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_records(stream: Any, pages: list[StoredEvidence], info: dict[str, str]) -> int:
    """Write the warcinfo record and each page's records to ``stream``; returns the records written."""
    writer = WARCWriter(stream, gzip=True)
    writer.write_record(writer.create_warcinfo_record("", info))
    count = 1
    for page in pages:
        uri = page.final_url or page.url
        headers = [*page.headers, ("Content-Length", str(len(page.body)))]
        http = StatusAndHeaders(f"{page.status or 0} {_reason(page.status)}", headers, protocol="HTTP/1.1")
        response = writer.create_warc_record(uri, "response", payload=BytesIO(page.body), length=len(page.body),
                                             http_headers=http, warc_headers_dict={"WARC-Date": _date(page)})
        writer.write_record(response)
        record_id = response.rec_headers.get_header("WARC-Record-ID")
        meta = {"requested_url": page.url, "final_url": uri, "period": page.period, "target": page.target_id,
                "kind": page.kind, "finding_ids": page.finding_ids, "veto": page.veto, "sha256": page.sha256,
                "size": page.size, "truncated": page.truncated, "screenshot_note": page.screenshot_note}
        data = json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8")
        writer.write_record(writer.create_warc_record(
            uri, "metadata", payload=BytesIO(data), length=len(data), warc_content_type="application/json",
            warc_headers_dict={"WARC-Date": _date(page), "WARC-Concurrent-To": record_id}))
        count += 2
        if page.screenshot:
            writer.write_record(writer.create_warc_record(
                f"urn:screenshot:{uri}", "resource", payload=BytesIO(page.screenshot), length=len(page.screenshot),
                warc_content_type="image/png", warc_headers_dict={"WARC-Date": _date(page),
                                                                  "WARC-Concurrent-To": record_id}))
            count += 1
    return count


def write_warc(path: Path, pages: list[StoredEvidence], info: dict[str, str]) -> int:
    """Write the WARC file at ``path`` whole or not at all (a temporary file renamed into place)."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise GovmonError(f"--warc: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".govmon-warc-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            count = write_records(out, pages, info)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise GovmonError(f"--warc: cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
