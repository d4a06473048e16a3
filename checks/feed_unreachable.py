"""feed_unreachable: the account's source could not be read, so (part of) the period could not be judged.

Why: counts and staleness come from stored posts, and a source that did not answer proves
nothing: the account is named 未能获取更新情况 (a notice, never a fail), and ``stale_account``
and ``update_frequency`` say nothing about the time it left uncovered. Reads made after as-of
up to the inspection count (the inspection's own read is evidence for the period it inspects).
Reasons:
- ``no_read``: since the period began, at least one read and every one failed;
- ``gaps``: some reads failed, and the history they left incomplete hides whether the account
  met the rules — a judged week with too few stored posts that is not covered, or no stored post
  in the ``[checks.stale_account]`` window that is not covered.
The url is the one that failed (an ``rsshub:`` route resolved to its http URL).
Keys: url, status (HTTP status of the last failed read, or null), error (its error name such as
"connect_error", "parse_error", "no_feed", or null when the status says it), reason, weeks (ISO
labels of the judged weeks left undecided), window (true when the 2-week window is undecided).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import ClassVar

from pydantic import BaseModel

from checks.base import CheckContext, CheckOptions, read_options
from checks.stale_account import Options as StaleAccountOptions
from monitor.accounts.coverage import covered_spans, day_start, is_covered, read_failures, source_down
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.period import natural_weeks
from monitor.model.snapshots import AccountSnapshot
from monitor.registry.model import Account

CLAUSE = "账号内容无法获取，本期未能判定"


class Options(CheckOptions):
    statuses: list[str]


class FeedUnreachable:
    id: ClassVar[str] = "feed_unreachable"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.ACCOUNT})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_account(self, account: Account, snap: AccountSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        if account.status not in options.statuses:
            return
        tz = ctx.settings.general.zone()
        failures = read_failures(snap, ctx.period, tz)
        if not failures:
            return
        spans = covered_spans(snap, as_of=ctx.period.as_of, settings=ctx.settings)
        required = ctx.settings.accounts.required_posts(account.platform)
        weeks = [w.label for w in natural_weeks(ctx.period, tz)
                 if sum(1 for p in snap.posts if w.holds(p.published_at)) < required
                 and not is_covered(spans, w.start, min(w.end, ctx.period.as_of_end(tz)))]
        window_days = read_options(ctx.settings, "stale_account", StaleAccountOptions).window_days  # type: ignore[attr-defined]
        start, end = day_start(ctx.period.as_of - timedelta(days=window_days), tz), ctx.period.as_of_end(tz)
        window = not any(start <= p.published_at < end for p in snap.posts) and not is_covered(spans, start, end)
        down = source_down(snap, ctx.period, tz)
        if down is None and not weeks and not window:
            return
        last = failures[-1]
        yield Finding(self.id, Severity.NOTICE, last.url or account.feed,
                      {"status": last.status, "error": last.error, "reason": "gaps" if down is None else "no_read",
                       "weeks": weeks, "window": window}, clause=CLAUSE)


CHECK = FeedUnreachable()
