"""interaction_unanswered: poor interaction response (互动回应差).

Why: both situations are veto items of the 2019 indicators:
(1) no working online consultation / suggestion channel (网上信访 and 纪检举报 do not count) →
    one finding ``{url: site, asked: null, reason: "no_channel"}`` when the crawl found none
    (``has_interaction_channel is False``; ``None`` = not collected — the home page was not read —, not judged);
(2) a valid message in a 政务咨询-type column, asked within 1 year before as-of, still without
    an answer more than 3 months after it was asked → ``{url: message, asked, reason: "unanswered"}``.

"3 months" and "1 year" are calendar months counted back from as-of (clamped to the month's
end): with as-of 2021-08-31 a message asked on 2021-05-31 is exactly 3 months old and passes,
one asked on 2021-05-30 fails; messages asked before 2020-08-31 are outside the year.
Unanswered: ``answered is False``, or no reply date and no answered flag (the board shows
no reply) while ``no_reply_date_is_unanswered``; a reply date or ``answered=True`` is an answer.
Messages without an ask date, or in excluded columns (在线访谈, 调查征集, 网上信访, 纪检举报 —
names matched as substrings), are not judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import ClassVar

from pydantic import BaseModel

from checks.base import CheckContext, CheckOptions
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.period import months_before
from monitor.model.snapshots import Message, SiteSnapshot
from monitor.registry.model import Site


class Options(CheckOptions):
    window_months: int
    answer_months: int
    excluded_columns: list[str]
    no_reply_date_is_unanswered: bool


def is_unanswered(message: Message, no_reply_date_counts: bool) -> bool:
    if message.answered is True or message.replied is not None:
        return False
    return message.answered is False or no_reply_date_counts


def overdue(message: Message, as_of: date, options: Options) -> bool:
    """Asked within the window, more than ``answer_months`` before as-of, and still unanswered."""
    asked = message.asked
    if asked is None or asked > as_of or asked < months_before(as_of, options.window_months):
        return False
    if asked >= months_before(as_of, options.answer_months):
        return False
    return is_unanswered(message, options.no_reply_date_is_unanswered)


class InteractionUnanswered:
    id: ClassVar[str] = "interaction_unanswered"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.SITE})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_site(self, site: Site, snap: SiteSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        if snap.has_interaction_channel is False:
            yield Finding(self.id, Severity.VETO, snap.url, {"asked": None, "reason": "no_channel"})
        seen: set[str] = set()
        for message in snap.messages:
            if message.url in seen or any(term in message.column for term in options.excluded_columns):
                continue
            seen.add(message.url)
            if overdue(message, ctx.period.as_of, options):
                asked = message.asked.isoformat() if message.asked else None
                yield Finding(self.id, Severity.VETO, message.url, {"asked": asked, "reason": "unanswered"})


CHECK = InteractionUnanswered()
