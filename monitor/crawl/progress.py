"""Crawl progress: counters the crawler updates, and a live terminal bar that shows them.

The crawler only calls ``queued``/``page``/``link``; ``CrawlProgress`` counts silently (tests,
daemon, ``--json -``), ``LiveProgress`` also draws a rich progress bar on a terminal.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class CrawlProgress:
    """Counters of one or more crawls: work found, pages fetched, links checked, errors."""

    def __init__(self) -> None:
        self.total = 0
        self.pages = 0
        self.links = 0
        self.errors = 0
        self.blocked = 0

    @property
    def done(self) -> int:
        return self.pages + self.links

    def done_ratio(self) -> float:
        """Share of the work found so far that is finished (0..1), for spreading probes."""
        return self.done / self.total if self.total else 0.0

    def queued(self, count: int = 1) -> None:
        self.total += count
        self.changed()

    def page(self, url: str, outcome: str) -> None:
        self.pages += 1
        self._outcome(outcome)

    def link(self, url: str, outcome: str) -> None:
        self.links += 1
        self._outcome(outcome)

    def _outcome(self, outcome: str) -> None:
        if outcome == "dead":
            self.errors += 1
        elif outcome == "blocked":
            self.blocked += 1
        self.changed()

    def changed(self) -> None:
        """Hook for renderers; counting alone draws nothing."""


class RichBar:
    """A transient rich bar on stderr, shown while the ``with`` block runs; subclasses say which
    counters it shows (``counters``: the text with ``{task.fields[...]}`` and their start values)."""

    def _bar_setup(self, label: str, console: Console | None, counters: str, fields: dict[str, int]) -> None:
        self.console = console or Console(stderr=True)
        self._bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TextColumn(counters), TimeElapsedColumn(), console=self.console, transient=True,
                             refresh_per_second=8)
        self._task: TaskID = self._bar.add_task(label, total=None, **fields)

    def __enter__(self) -> "RichBar":
        self._bar.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._bar.stop()


class LiveProgress(RichBar, CrawlProgress):
    """A rich progress bar on ``console`` (stderr by default) while the crawl runs."""

    def __init__(self, label: str, console: Console | None = None) -> None:
        CrawlProgress.__init__(self)
        self._bar_setup(label, console, "pages {task.fields[pages]} · links {task.fields[links]} · "
                        "[red]dead {task.fields[errors]}[/] · blocked {task.fields[blocked]}",
                        {"pages": 0, "links": 0, "errors": 0, "blocked": 0})

    def changed(self) -> None:
        self._bar.update(self._task, total=self.total, completed=self.done, pages=self.pages, links=self.links,
                         errors=self.errors, blocked=self.blocked)
