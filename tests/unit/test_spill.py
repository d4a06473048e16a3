"""PageSpill: pages appended to a temporary file read back equal, in the order given, one at a time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from monitor.crawl.linkcheck import Checked
from monitor.crawl.spill import LinkSpill, PageSpill
from monitor.model.snapshots import LinkResult, LinkSource, ListItem, PageSnapshot

T0 = datetime(2021, 8, 31, 2, 0, tzinfo=UTC)


def page(n: int, depth: int) -> PageSnapshot:
    return PageSnapshot(url=f"http://127.0.0.1:1/{n}.html", final_url=f"http://127.0.0.1:1/{n}.html", status=200,
                        fetched_at=T0, depth=depth, title=f"第{n}页", text="关于进一步加强政务公开工作的通知 " * 50,
                        published=date(2021, 8, n % 28 + 1), items=[ListItem(title="通知", url="http://127.0.0.1:1/")])


def test_pages_read_back_equal_in_the_sorted_order() -> None:
    pages = [page(n, depth=n % 3) for n in range(30)]
    spill = PageSpill(pages[:10])
    for p in pages[10:]:
        spill.append(p)
    assert len(spill) == 30 and spill[7] == pages[7] and spill[-1] == pages[-1]
    assert list(spill) == pages and spill == pages
    keys = [(p.depth, p.url) for p in pages]
    spill.sort(keys)
    assert list(spill) == sorted(pages, key=lambda p: (p.depth, p.url))
    assert spill[0:2] == sorted(pages, key=lambda p: (p.depth, p.url))[0:2]
    with pytest.raises(IndexError):
        spill[30]
    with pytest.raises(ValueError):
        spill.sort(keys[:3])
    spill.close()


def test_the_pages_are_in_the_file_not_in_memory() -> None:
    spill = PageSpill(page(n, depth=1) for n in range(200))
    assert not hasattr(spill, "pages") and all(not isinstance(v, list) for v in vars(spill).values())
    assert spill._file.seek(0, 2) > 0 and repr(spill) == "PageSpill(200 pages)"
    spill.close()


def test_links_read_back_as_results_sharing_one_source_object_per_page() -> None:
    refs = [LinkSource(page=f"http://127.0.0.1:1/{n}.html", content_hash=f"{n:064x}") for n in range(5)]
    spill = LinkSpill(refs)
    spill.append("http://127.0.0.1:1/a.pdf", Checked("dead", 404, None, "http://127.0.0.1:1/a.pdf", T0, True), [3, 0], True)
    spill.append("http://127.0.0.1:2/外", Checked("ok", 200, None, "http://127.0.0.1:2/b", T0, False), [], False)
    first, second = list(spill)
    assert first == LinkResult(url="http://127.0.0.1:1/a.pdf", outcome="dead", status=404,
                               final_url="http://127.0.0.1:1/a.pdf", checked_at=T0, sources=[refs[3], refs[0]])
    assert first.sources[0] is refs[3] and first.checked_at.tzinfo is not None
    assert second.url == "http://127.0.0.1:2/外" and second.internal is False and second.sources == []
    assert first.model_dump(mode="json") == LinkResult.model_validate(first.model_dump()).model_dump(mode="json")
    assert repr(spill) == "LinkSpill(2 links)"
