"""Date extraction on the real-page corpus: govmon against htmldate, page by page.

Each page of ``tests/fixtures/real_pages`` (and, reported apart, the hand-built CMS pages of
``tests/fixtures/html_cms``) has a hand-read truth in its manifest: the article's publication
date, the newest date of a list's own rows or of a home page's dated blocks, the newest question
of a message board, or none (an empty column, an undated page). A tool is right on a page when
it gives exactly that date (or nothing where the truth is none).

govmon: ``article_date`` for articles, the newest dated ``list_items`` row for lists (scope
``main``) and home pages (scope ``all``), the newest ask date of ``parse_messages`` for boards,
and a list read for empty pages. htmldate 1.11 (``pip install govmon[bench]``): ``find_date``
with ``original_date=True``, ``extensive_search=True``, the page's own URL when the manifest has
one, and ``max_date`` = the as-of (so neither tool can read tomorrow's clock). Both tools get the
same as-of: the manifest's ``as_of``, else the true date + 30 days, else 2021-08-31 — a day while
the page was current, as in an inspection.

Run: ``/work/main/.venv/bin/python bench/dates.py [--json FILE]``. Nothing touches the network.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.pages.article_date import article_date  # noqa: E402
from monitor.pages.listing import list_items  # noqa: E402
from monitor.pages.messages import parse_messages  # noqa: E402

CORPORA = {"real": ROOT / "tests" / "fixtures" / "real_pages", "cms": ROOT / "tests" / "fixtures" / "html_cms"}
FALLBACK_AS_OF = date(2021, 8, 31)


def as_of(page: dict[str, Any]) -> date:
    if page.get("as_of"):
        return date.fromisoformat(page["as_of"])
    truth = page.get("newest_item_date")
    return date.fromisoformat(truth) + timedelta(days=30) if truth else FALLBACK_AS_OF


def base_url(page: dict[str, Any]) -> str:
    if page.get("url"):
        return str(page["url"])
    if page["page_type"] == "home":
        return f"http://127.0.0.1:9/{page['file'].removesuffix('.html')}/"
    return f"http://127.0.0.1:9/real/{page['page_type']}/{page['file']}"


def govmon_date(html: str, page: dict[str, Any]) -> date | None:
    kind, ref, url = page["page_type"], as_of(page), base_url(page)
    if kind == "article":
        return article_date(html, ref=ref)
    if kind == "interaction":
        return max((m.asked for m in parse_messages(html, url, page.get("column_name") or "", ref=ref) if m.asked),
                   default=None)
    scope = "all" if kind == "home" else "main"
    return max((i.date for i in list_items(html, url, ref=ref, scope=scope) if i.date), default=None)


def htmldate_date(html: str, page: dict[str, Any]) -> date | None:
    from htmldate import find_date

    found = find_date(html, url=page.get("url") or None, original_date=True, extensive_search=True,
                      max_date=as_of(page).isoformat(), outputformat="%Y-%m-%d")
    return date.fromisoformat(found) if found else None


def run(corpus: Path) -> list[dict[str, Any]]:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    rows = []
    for page in manifest["pages"]:
        html = (corpus / page["file"]).read_text(encoding="utf-8")
        truth = date.fromisoformat(page["newest_item_date"]) if page.get("newest_item_date") else None
        row: dict[str, Any] = {"file": page["file"], "kind": page["page_type"], "truth": truth}
        for name, tool in (("govmon", govmon_date), ("htmldate", htmldate_date)):
            start = time.perf_counter()
            try:
                got = tool(html, page)
            except Exception as exc:  # a tool that crashes on a page is wrong on it
                got = f"error: {type(exc).__name__}"
            row[name], row[name + "_s"] = got, time.perf_counter() - start
            row[name + "_ok"] = got == truth
        rows.append(row)
    return rows


def report(label: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    print(f"\n## {label}: {len(rows)} pages\n")
    print(f"{'page':44} {'kind':11} {'truth':10}  {'govmon':12} {'htmldate':12}")
    for r in rows:
        marks = ["" if r[t + "_ok"] else " ✗" for t in ("govmon", "htmldate")]
        print(f"{r['file'][:44]:44} {r['kind']:11} {str(r['truth']):10}  "
              f"{str(r['govmon']) + marks[0]:12} {str(r['htmldate']) + marks[1]:12}")
    kinds = Counter(r["kind"] for r in rows)
    summary: dict[str, Any] = {"pages": len(rows), "by_kind": {}}
    for tool in ("govmon", "htmldate"):
        summary[tool] = sum(r[tool + "_ok"] for r in rows)
        summary[tool + "_seconds"] = round(sum(r[tool + "_s"] for r in rows), 3)
    for kind in sorted(kinds):
        sub = [r for r in rows if r["kind"] == kind]
        summary["by_kind"][kind] = {"pages": len(sub), **{t: sum(r[t + "_ok"] for r in sub) for t in ("govmon", "htmldate")}}
    print(f"\nright: govmon {summary['govmon']}/{len(rows)}, htmldate {summary['htmldate']}/{len(rows)}"
          f" (time: govmon {summary['govmon_seconds']} s, htmldate {summary['htmldate_seconds']} s)")
    for kind, got in summary["by_kind"].items():
        print(f"  {kind:11} {got['pages']:3} pages: govmon {got['govmon']}, htmldate {got['htmldate']}")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="write the per-page results and totals here")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # htmldate logs every page it cannot date
    try:
        import htmldate  # noqa: F401
    except ImportError:
        sys.exit("htmldate is not installed: pip install 'govmon[bench]'")
    out = {}
    for label, corpus in CORPORA.items():
        rows = run(corpus)
        out[label] = {"summary": report(f"{label} ({corpus.relative_to(ROOT)})", rows),
                      "pages": [{k: (str(v) if isinstance(v, date) else v) for k, v in r.items()} for r in rows]}
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
