"""Benchmark of the expression_error scan: prints characters per second on ~10 MB of text.

Text: the visible text of the real government pages in tests/fixtures/real_pages (or, without
them, a built-in government paragraph), repeated with a few wrong forms sprinkled in, cut into
page-sized pieces as a crawl would store them. Run: ``/work/venv/bin/python bench/expression.py [MB]``.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from checks.expression_error import Options, Scanner, scan, scanner

REAL_PAGES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "real_pages"
FALLBACK = ("县人民政府办公室关于做好防汛工作的通知。各乡镇人民政府，县直各部门：要以习近平新时代中国特色社会主义思想"
            "为指导，增强“四个意识”、坚定“四个自信”、做到“两个维护”。截至目前，全县已排查隐患点42处。")
ERRORS = ("县环保局", "习进平总书记", "伟大的共合国", "截止目前", "秸杆", "市正协委员", "最高人民检查院")
PAGE_CHARS = 20_000
AS_OF = date(2024, 6, 30)  # pages are scanned undated, judged on this as-of (every dated entry in force)


def corpus() -> str:
    texts = []
    for path in sorted(REAL_PAGES.glob("*.html")):
        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        for node in tree.css("script, style, noscript, template"):
            node.decompose()
        if tree.body is not None:
            texts.append(tree.body.text(separator="\n"))
    return "\n".join(texts) or FALLBACK


def pages(megabytes: float) -> list[str]:
    base = corpus()
    target = int(megabytes * 1_000_000)  # bytes of UTF-8, as pages are stored
    chunks, size, i = [], 0, 0
    while size < target:
        chunk = base[:PAGE_CHARS] + ERRORS[i % len(ERRORS)]
        base = base[PAGE_CHARS:] + base[:PAGE_CHARS]
        chunks.append(chunk)
        size += len(chunk.encode())
        i += 1
    return chunks


def measure(label: str, texts: list[str], scan_with: Scanner) -> None:
    chars = sum(len(t) for t in texts)
    started = time.perf_counter()
    found = sum(len(scan(t, scan_with, None, AS_OF)) for t in texts)
    elapsed = time.perf_counter() - started
    print(f"{label:<28} {chars:>11,} chars  {elapsed:6.2f} s  {chars / elapsed:>12,.0f} chars/s  {found:>7,} hits")


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    texts = pages(megabytes)
    started = time.perf_counter()
    full = scanner(Options())
    print(f"build (dictionary + key terms): {time.perf_counter() - started:.2f} s, "
          f"{sum(len(t.encode()) for t in texts) / 1e6:.1f} MB of UTF-8 in {len(texts)} pages")
    measure("dictionary only", texts, scanner(Options(near_miss=False, enumerations=False)))
    measure("dictionary + near misses", texts, full)


if __name__ == "__main__":
    main()
