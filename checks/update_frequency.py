"""update_frequency: fewer posts in a natural week than the platform requires (内容更新不及时).

Why: a deduction item for new-media accounts (2019 indicators; §3.3 of the inspection rules):
两微一端 (wechat, weibo, app) post at least 3 times a week, other platforms at least once —
the table is ``[accounts].min_posts_per_week``. Judged weeks: Monday–Sunday in the ``[general]``
time zone, each judged once, in the month holding its Thursday (the ISO week rule,
``monitor.model.period.natural_weeks``), up to as-of; a post belongs to the week its publish time falls
in, in that time zone. Counts come from the stored history.

A week with too few stored posts is a deduction only when the history covers the whole week
(``monitor.accounts.coverage`` coverage). Otherwise:
- the week has not ended by the end of as-of (its Sunday is in the next month) and what is known
  of it is covered: notice, ``reason = "week_not_over"`` (judged in full by an inspection run
  after that Sunday);
- some read since the period began failed: nothing for that week — ``feed_unreachable`` names
  the account (未能获取更新情况), never a shortfall the source could not show;
- else notice, ``reason = "insufficient_data"``.
Keys: week (ISO week, "2021-W33"), posts, required; reason only on the notice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import BaseModel

from checks.base import CheckContext, CheckOptions
from monitor.accounts.coverage import covered_spans, is_covered, read_failures
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.period import natural_weeks
from monitor.model.snapshots import AccountSnapshot
from monitor.registry.model import Account

CLAUSE = "《政府网站与政务新媒体检查指标》政务新媒体扣分指标：内容更新不及时"
GAP_CLAUSE = "账号历史数据不完整，该周更新次数未能判定"
OPEN_CLAUSE = "该周在监测时间点尚未结束，更新次数未能判定"


class Options(CheckOptions):
    statuses: list[str]
    report_insufficient: bool


class UpdateFrequency:
    id: ClassVar[str] = "update_frequency"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.ACCOUNT})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_account(self, account: Account, snap: AccountSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        if account.status not in options.statuses:
            return
        tz = ctx.settings.general.zone()
        required = ctx.settings.accounts.required_posts(account.platform)
        spans = covered_spans(snap, as_of=ctx.period.as_of, settings=ctx.settings)
        report_gaps = options.report_insufficient and not read_failures(snap, ctx.period, tz)
        as_of_end = ctx.period.as_of_end(tz)
        for week in natural_weeks(ctx.period, tz):
            posts = sum(1 for post in snap.posts if week.holds(post.published_at))
            if posts >= required:
                continue
            data = {"week": week.label, "posts": posts, "required": required}
            if is_covered(spans, week.start, week.end):
                yield Finding(self.id, Severity.DEDUCT, account.feed, data, clause=CLAUSE)
            elif week.end > as_of_end and is_covered(spans, week.start, as_of_end):
                if options.report_insufficient:
                    yield Finding(self.id, Severity.NOTICE, account.feed, {**data, "reason": "week_not_over"},
                                  clause=OPEN_CLAUSE)
            elif report_gaps:
                yield Finding(self.id, Severity.NOTICE, account.feed, {**data, "reason": "insufficient_data"},
                              clause=GAP_CLAUSE)


CHECK = UpdateFrequency()
