"""account_not_retired: an account due to close or migrate still posts after its deadline.

Why: 123号文 — accounts being closed, merged or migrated (关停、注销、迁移、整合) must stop by
the date filed with the supervising office. Applies to registry status "closing" or
"migrating" with a ``deadline``; posting on the deadline day (plus ``grace_days``) is allowed,
a post published after it and on or before as-of (``[general]`` time zone) is a deduction: the
stored posts are the positive evidence that the account still runs. A closing account still
posting has not been closed (未按期关停注销); a migrating one has not finished moving its followers
to the account it merges into (未按期完成迁移).
Keys: status (the registry status: "closing" or "migrating"), deadline (ISO date), last_post (ISO
date of the newest post after the deadline), posts (posts published after the deadline up to as-of).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import ClassVar

from pydantic import BaseModel

from checks.base import CheckContext, CheckOptions
from monitor.accounts.coverage import day_start
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.snapshots import AccountSnapshot
from monitor.registry.model import Account

CLAUSE = "国办发〔2018〕123号：关停、注销、迁移的政务新媒体账号应按期停止运营"


class Options(CheckOptions):
    statuses: list[str]
    grace_days: int


class AccountNotRetired:
    id: ClassVar[str] = "account_not_retired"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.ACCOUNT})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_account(self, account: Account, snap: AccountSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        if account.status not in options.statuses or account.deadline is None:
            return
        tz = ctx.settings.general.zone()
        after = day_start(account.deadline + timedelta(days=1 + options.grace_days), tz)
        end = ctx.period.as_of_end(tz)
        late = [p.published_at for p in snap.posts if after <= p.published_at < end]
        if late:
            yield Finding(self.id, Severity.DEDUCT, account.feed,
                          {"status": account.status, "deadline": account.deadline.isoformat(),
                           "last_post": max(late).astimezone(tz).date().isoformat(), "posts": len(late)},
                          clause=CLAUSE)


CHECK = AccountNotRetired()
