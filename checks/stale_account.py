"""stale_account: no post within the window before as-of (内容不更新, veto).

Why: "监测时间点前2周内无更新" is a veto item for every government new-media account.
The rule, like ``stale_homepage``: stale when the account's newest post published on or
before as-of is dated (in the ``[general]`` time zone) more than ``window_days`` days before
as-of — a post on as-of − 14 (even at 00:00) passes, the last post on as-of − 15 fails.
Posts after as-of are ignored.

A veto names a unit publicly, so the silence must be proved (``monitor.accounts.coverage``): the stored
history covers the window (from as-of − ``window_days`` 00:00 to the end of as-of) and the
silence is confirmed — by a source that declares completeness (a CSV export, a paginated API)
or by at least two reads ``agree_hours`` apart that both list nothing in the window. Otherwise:
- covered but read only once (a feed of latest items answered once): notice, ``reason =
  "single_read"``;
- not covered and no read failed: notice, ``reason = "insufficient_data"``;
- not covered and some read since the period began failed: nothing — ``feed_unreachable``
  names the account (未能获取更新情况). A dead feed with old stored posts is never stale.
Keys: last_update (ISO date or null); reason only on the notices.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import ClassVar

from pydantic import BaseModel, Field

from checks.base import CheckContext, CheckOptions
from monitor.accounts.coverage import covered_spans, day_start, is_covered, read_failures, silence_confirmed
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.snapshots import AccountSnapshot
from monitor.registry.model import Account

CLAUSE = "《政府网站与政务新媒体检查指标》政务新媒体单项否决：监测时间点前2周内无更新"
GAP_CLAUSE = "账号历史数据不完整，监测时间点前2周是否更新未能判定"
SINGLE_CLAUSE = "账号仅读取一次，监测时间点前2周无更新尚待再次读取核实"


class Options(CheckOptions):
    window_days: int
    statuses: list[str]
    agree_hours: float = Field(ge=0)


class StaleAccount:
    id: ClassVar[str] = "stale_account"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.ACCOUNT})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_account(self, account: Account, snap: AccountSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        if account.status not in options.statuses:
            return
        tz = ctx.settings.general.zone()
        as_of = ctx.period.as_of
        start, end = day_start(as_of - timedelta(days=options.window_days), tz), ctx.period.as_of_end(tz)
        last = max((p.published_at for p in snap.posts if p.published_at < end), default=None)
        if last is not None and last >= start:
            return
        data = {"last_update": last.astimezone(tz).date().isoformat() if last else None}
        spans = covered_spans(snap, as_of=as_of, settings=ctx.settings)
        if not is_covered(spans, start, end):
            if not read_failures(snap, ctx.period, tz):
                yield Finding(self.id, Severity.NOTICE, account.feed, {**data, "reason": "insufficient_data"},
                              clause=GAP_CLAUSE)
        elif silence_confirmed(snap, start, end, agree_hours=options.agree_hours):
            yield Finding(self.id, Severity.VETO, account.feed, data, clause=CLAUSE)
        else:
            yield Finding(self.id, Severity.NOTICE, account.feed, {**data, "reason": "single_read"},
                          clause=SINGLE_CLAUSE)


CHECK = StaleAccount()
