"""The must-not-fire corpus (tests/fixtures/expression/must_not_fire.txt): hundreds of real,
correct 政务 sentences — government work reports, 政协 news, 防汛 notices, recruitment rules,
epidemic notices of 2020–2021, theory-study reports — give no finding at all, neither as single
sentences nor as the pages they come from."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from checks.base import CheckContext
from checks.expression_error import CHECK, Options, scan, scanner
from monitor.config.load import shipped_settings
from monitor.model.period import Period
from monitor.model.snapshots import PageSnapshot, SiteSnapshot
from monitor.registry.model import Site

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "expression" / "must_not_fire.txt"


def blocks() -> list[tuple[date, str, list[str]]]:
    """(publication date, source, sentences) of every block of the corpus."""
    found: list[tuple[date, str, list[str]]] = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            day, _, source = line[3:].partition(" ")
            found.append((date.fromisoformat(day), source, []))
        elif line.strip() and not line.startswith("#"):
            found[-1][2].append(line.strip())
    return found


BLOCKS = blocks()


def test_the_corpus_holds_a_few_hundred_real_sentences_from_dozens_of_sources() -> None:
    sentences = [s for _, _, ss in BLOCKS for s in ss]
    assert len(sentences) >= 400 and len(set(sentences)) == len(sentences)
    assert len(BLOCKS) >= 50
    assert sum("政协" in s for s in sentences) >= 30 and sum("协调" in s or "协商" in s for s in sentences) >= 10


def test_no_sentence_gives_a_finding_on_its_own_date() -> None:
    scan_with = scanner(Options.shipped())
    fired = [(day.isoformat(), sentence, sentence[m.start:m.end], m.rule)
             for day, _, sentences in BLOCKS for sentence in sentences
             for m in scan(sentence, scan_with, day, day)]
    assert fired == []


@pytest.mark.parametrize("day, source, sentences", BLOCKS, ids=[f"{d}-{i}" for i, (d, _, _) in enumerate(BLOCKS)])
def test_no_block_read_as_one_page_gives_a_finding(day: date, source: str, sentences: list[str]) -> None:
    page = PageSnapshot(url="http://127.0.0.1:8102/a.html", final_url="http://127.0.0.1:8102/a.html", status=200,
                        fetched_at=datetime(2025, 1, 2, tzinfo=UTC), published=day, text="\n".join(sentences))
    site = Site(id="1499990003", name="测试县人民政府", url="http://127.0.0.1:8102/", kind="portal")
    snap = SiteSnapshot(site_id=site.id, url=site.url, started_at=page.fetched_at, pages=[page])
    ctx = CheckContext(Period.for_as_of(max(day, date(2021, 8, 31))), Options.shipped(), shipped_settings())
    assert [(f["text"], f["context"]) for f in (x.to_dict() for x in CHECK.run_site(site, snap, ctx))] == []
