"""Evidence kept behind fault findings: the pages as fetched and a veto page's full-page screenshot,
written out as WARC and read back with warcio — on the simulated city (127.0.0.1) and real SQLite."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from monitor.sandbox.city import city_registry, serve_city

pytestmark = pytest.mark.slow
FORESTRY = "1403000024"  # 市林业局 in August 2021: home page not updated for 2 weeks (veto), two columns stale
ARTEFACTS = Path(os.environ.get("GOVMON_TEST_ARTEFACTS", "/tmp/govmon-test-artefacts"))


def _govmon(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", *args, "--db", str(tmp_path / "g.db")],
                          capture_output=True, text=True, timeout=280, cwd=tmp_path,
                          env={**os.environ, "GOVMON_CRAWL__ALLOW_PRIVATE": "true", **(env or {})})


def _forestry_registry(bases: dict[str, str]) -> str:
    """The city's registry cut to the forestry site (entries are blank-line separated)."""
    blocks = city_registry(bases).split("\n\n")
    return "\n\n".join(b for b in blocks if f'id = "{FORESTRY}"' in b) + "\n"


def _records(path: Path) -> list[tuple[str, str, dict[str, str], bytes, object]]:
    out = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            headers = dict(record.rec_headers.headers)
            out.append((record.rec_type, headers.get("WARC-Target-URI", ""), headers,
                        record.content_stream().read(), record.http_headers))
    return out


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _inspect(tmp_path: Path, env: dict[str, str] | None = None) -> dict:
    with serve_city(date(2021, 8, 31)) as city:
        registry = tmp_path / "registry.toml"
        registry.write_text(_forestry_registry(city.bases), encoding="utf-8")
        run = _govmon(tmp_path, "inspect", "--registry", str(registry), "--as-of", "2021-08-31", "--json",
                      str(tmp_path / "doc.json"), env=env)
    assert run.returncode in (0, 1), run.stderr
    return json.loads((tmp_path / "doc.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(shutil.which("chromium") is None and not Path("/usr/bin/chromium").exists(),
                    reason="no chromium installed")
def test_a_failing_site_keeps_its_pages_and_a_veto_screenshot_and_exports_them_as_warc(tmp_path: Path) -> None:
    document = _inspect(tmp_path)
    site = document["sites"][0]
    assert (site["id"], site["verdict"]) == (FORESTRY, "fail")
    faults = [f for f in site["findings"] if f["severity"] in ("veto", "deduct")]
    veto = next(f for f in faults if f["severity"] == "veto")
    assert veto["check"] == "stale_homepage"

    out = tmp_path / "forestry.warc.gz"
    run = _govmon(tmp_path, "evidence", "--target", FORESTRY, "--month", "2021-08", "--warc", str(out))
    assert run.returncode == 0, run.stderr
    records = _records(out)
    assert records[0][0] == "warcinfo"
    responses = [r for r in records if r[0] == "response"]
    metadata = [json.loads(r[3]) for r in records if r[0] == "metadata"]
    shots = [r for r in records if r[0] == "resource"]
    assert f"{len(responses)} page(s), 1 screenshot(s), {len(records)} WARC records" in run.stdout

    # Every fault finding is backed: its page (a dead link: the page carrying it) is in the file.
    backed = {fid for meta in metadata for fid in meta["finding_ids"]}
    assert backed == {f["id"] for f in faults}
    uris = {r[1] for r in responses}
    for finding in faults:
        pages = finding["sources"] if finding["check"] == "dead_link" else [finding["url"]]
        assert set(pages) <= uris, finding

    # The home page as fetched: the body whose sha256 was judged, status line and headers as received.
    home = next(r for r in responses if r[1] == veto["url"])
    assert home[4].get_statuscode() == "200" and home[4].get_header("Content-Type").startswith("text/html")
    meta = next(m for m in metadata if m["final_url"] == veto["url"])
    assert meta["veto"] is True and hashlib.sha256(home[3]).hexdigest() == meta["sha256"]
    assert meta["size"] == len(home[3]) and meta["truncated"] is False
    assert b"charset=gbk" in home[3] and "2021年08月05日" in home[3].decode("gbk")  # the bytes as served, GBK
    assert home[2]["WARC-Date"].startswith("20")

    # One full-page screenshot of the veto page, tied to its response record.
    assert len(shots) == 1 and shots[0][1] == f"urn:screenshot:{veto['url']}"
    assert shots[0][2]["Content-Type"] == "image/png"
    assert shots[0][2]["WARC-Concurrent-To"] == home[2]["WARC-Record-ID"]
    width, height = _png_size(shots[0][3])
    assert width == 1366 and 800 < height <= 6000  # the whole page, longer than one window
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "evidence-forestry-home.png").write_bytes(shots[0][3])


def test_without_a_browser_the_screenshot_is_skipped_with_a_note(tmp_path: Path) -> None:
    _inspect(tmp_path, env={"GOVMON_EVIDENCE__CHROMIUM": str(tmp_path / "no-such-chromium")})
    out = tmp_path / "e.warc.gz"
    run = _govmon(tmp_path, "evidence", "--target", FORESTRY, "--month", "2021-08", "--warc", str(out))
    assert run.returncode == 0, run.stderr
    records = _records(out)
    assert not [r for r in records if r[0] == "resource"]
    notes = {json.loads(r[3])["screenshot_note"] for r in records if r[0] == "metadata" and json.loads(r[3])["veto"]}
    assert notes == {f"未截图：未安装浏览器（{tmp_path / 'no-such-chromium'}）"}
    assert "0 screenshot(s)" in run.stdout


def test_evidence_of_a_month_without_any_is_a_usage_error(tmp_path: Path) -> None:
    run = _govmon(tmp_path, "evidence", "--target", FORESTRY, "--month", "2021-07", "--warc", str(tmp_path / "x.warc.gz"))
    assert run.returncode == 2 and "no evidence kept for 1403000024 in 2021-07" in run.stderr
    assert not (tmp_path / "x.warc.gz").exists()
