"""A big crawl's pages and links kept in a temporary file, not in memory: read-only sequences.

Why: a page's facts are mostly its main text (what ``expression_error`` scans), ≈ 3 KB a page in
memory; 200,000 pages held as objects are over half a gigabyte. The crawler appends each page here as it is
parsed once it has crawled ``SPILL_AFTER`` pages (small sites stay in memory), and the snapshot's
``pages`` is then this sequence: checks read it like a list (``len``, iteration, indexing), one
page decoded at a time. Records are zlib-compressed JSON at offsets kept in an ``array``; the
file is removed when the sequence is closed or collected. Reading it is reading the snapshot's
own data, never the network or the clock. ``LinkSpill`` does the same for the link results
(``crawl_parts.build_links``): a 200,000-page site links 370,000 distinct URLs from 5.4 million
places, each URL a ``LinkResult`` with its list of sources.
"""

from __future__ import annotations

import json
import os
import tempfile
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar, overload

from monitor.crawl.linkcheck import Checked
from monitor.model.snapshots import LinkResult, LinkSource, PageSnapshot

T = TypeVar("T")
#: Every field of a LinkResult (built here from typed values: no validation), shared by all of them.
LINK_FIELDS = set(LinkResult.model_fields)

#: Pages a crawl holds in memory before it moves them (and every later one) to a ``PageSpill``.
SPILL_AFTER = 2_000


class _Spill(Sequence[T]):
    """Records appended once to a temporary file, then read in the order ``sort`` gives (else as appended)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="govmon-spill-")
        self._fd = self._file.fileno()
        self._ends = array("Q", [0])  # record i is bytes [ends[i], ends[i + 1])
        self._order: array[int] | None = None

    def _write(self, data: bytes) -> None:
        end = self._ends[-1]
        packed = zlib.compress(data, 1)
        os.pwrite(self._fd, packed, end)
        self._ends.append(end + len(packed))
        self._order = None

    def _decode(self, data: bytes) -> T:
        raise NotImplementedError

    def sort(self, keys: Sequence[Any]) -> None:
        """Read the records in the order of ``keys`` (one per record, as appended), like ``sorted`` by key."""
        if len(keys) != len(self):
            raise ValueError(f"{len(keys)} keys for {len(self)} records")
        self._order = array("Q", sorted(range(len(keys)), key=keys.__getitem__))

    def _record(self, record: int) -> T:
        start, end = self._ends[record], self._ends[record + 1]
        return self._decode(zlib.decompress(os.pread(self._fd, end - start, start)))

    def __len__(self) -> int:
        return len(self._ends) - 1

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        size = len(self)
        if not -size <= index < size:
            raise IndexError("index out of range")
        position = index % size
        return self._record(self._order[position] if self._order is not None else position)

    def __iter__(self) -> Iterator[T]:
        for position in range(len(self)):
            yield self[position]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or len(other) != len(self):
            return False
        return all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:  # never the records: a crawl's snapshot is repr'd in tracebacks
        return f"{type(self).__name__}({len(self)} {self.noun})"

    noun = "records"

    def close(self) -> None:
        self._file.close()


class PageSpill(_Spill[PageSnapshot]):
    """A crawl's pages, each its snapshot's JSON."""

    noun = "pages"

    def __init__(self, pages: Iterable[PageSnapshot] = ()) -> None:
        super().__init__()
        for page in pages:
            self.append(page)

    def append(self, page: PageSnapshot) -> None:
        self._write(page.model_dump_json().encode("utf-8"))

    def _decode(self, data: bytes) -> PageSnapshot:
        return PageSnapshot.model_validate_json(data)


class LinkSpill(_Spill[LinkResult]):
    """A crawl's link results, appended sorted by URL; each link's sources are kept as numbers into
    ``refs`` (one shared ``LinkSource`` per page, in memory), not as a copy of each page and hash."""

    noun = "links"

    def __init__(self, refs: Sequence[LinkSource]) -> None:
        super().__init__()
        self.refs = refs

    def append(self, url: str, checked: Checked, pages: Sequence[int], internal: bool) -> None:
        """``pages``: numbers into ``refs``, already in the order the link's sources are to be read."""
        outcome, status, error, final, at, _ = checked
        self._write(json.dumps([url, outcome, status, error, final, at.isoformat(), internal, list(pages)],
                               ensure_ascii=False).encode("utf-8"))

    def _decode(self, data: bytes) -> LinkResult:
        url, outcome, status, error, final, at, internal, pages = json.loads(data)
        refs = self.refs
        return LinkResult.model_construct(
            _fields_set=LINK_FIELDS, url=url, outcome=outcome, status=status, error=error, final_url=final,
            checked_at=datetime.fromisoformat(at), sources=[refs[i] for i in pages], internal=internal)
