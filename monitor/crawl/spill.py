"""A big crawl's pages kept in a temporary file, not in memory: a read-only sequence of ``PageSnapshot``.

Why: a page's facts are mostly its main text (what ``expression_error`` scans), ≈ 3 KB a page in
memory; 200,000 pages held as objects are ≈ 1 GB. The crawler appends each page here as it is
parsed once it has crawled ``SPILL_AFTER`` pages (small sites stay in memory), and the snapshot's
``pages`` is then this sequence: checks read it like a list (``len``, iteration, indexing), one
page decoded at a time. Records are zlib-compressed JSON at offsets kept in an ``array``; the
file is removed when the sequence is closed or collected. Reading it is reading the snapshot's
own data, never the network or the clock.
"""

from __future__ import annotations

import os
import tempfile
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from monitor.snapshots import PageSnapshot

#: Pages a crawl holds in memory before it moves them (and every later one) to a ``PageSpill``.
SPILL_AFTER = 2_000


class PageSpill(Sequence[PageSnapshot]):
    """Pages appended once, then read in the order ``sort`` gives (else as appended)."""

    def __init__(self, pages: Iterable[PageSnapshot] = ()) -> None:
        self._file = tempfile.TemporaryFile(prefix="govmon-pages-")
        self._fd = self._file.fileno()
        self._ends = array("Q", [0])  # record i is bytes [ends[i], ends[i + 1])
        self._order: array[int] | None = None
        for page in pages:
            self.append(page)

    def append(self, page: PageSnapshot) -> None:
        data = zlib.compress(page.model_dump_json().encode("utf-8"), 1)
        end = self._ends[-1]
        os.pwrite(self._fd, data, end)
        self._ends.append(end + len(data))
        self._order = None

    def sort(self, keys: Sequence[tuple[int, str]]) -> None:
        """Read the pages in the order of ``keys`` (one per page, as appended), like ``sorted`` by key."""
        if len(keys) != len(self):
            raise ValueError(f"{len(keys)} keys for {len(self)} pages")
        self._order = array("Q", sorted(range(len(keys)), key=keys.__getitem__))

    def _record(self, record: int) -> PageSnapshot:
        start, end = self._ends[record], self._ends[record + 1]
        data = os.pread(self._fd, end - start, start)
        return PageSnapshot.model_validate_json(zlib.decompress(data))

    def __len__(self) -> int:
        return len(self._ends) - 1

    @overload
    def __getitem__(self, index: int) -> PageSnapshot: ...

    @overload
    def __getitem__(self, index: slice) -> list[PageSnapshot]: ...

    def __getitem__(self, index: int | slice) -> PageSnapshot | list[PageSnapshot]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        size = len(self)
        if not -size <= index < size:
            raise IndexError("page index out of range")
        position = index % size
        return self._record(self._order[position] if self._order is not None else position)

    def __iter__(self) -> Iterator[PageSnapshot]:
        for position in range(len(self)):
            yield self[position]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or len(other) != len(self):
            return False
        return all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:  # never the pages: a crawl's snapshot is repr'd in tracebacks
        return f"PageSpill({len(self)} pages)"

    def close(self) -> None:
        self._file.close()
