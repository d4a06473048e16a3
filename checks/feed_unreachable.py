"""feed_unreachable: the account's source failed all period, so it could not be judged (notice).

Why: counts and staleness come from stored posts, and a source that never answered cannot
prove anything: the account is named as "could not be judged", never failed. Fires when the
period (its first day to the end of as-of) holds at least one failed read and no successful
one. The url is the one that failed (an ``rsshub:`` route resolved to its http URL).
Keys: url, status (HTTP status or null), error (error name such as "connect_error",
"parse_error", "no_feed", or null when the status says it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import BaseModel

from checks.base import CheckContext, Finding, Severity, TargetKind
from monitor.accounts import source_down, zone
from monitor.registry import Account
from monitor.snapshots import AccountSnapshot

CLAUSE = "账号内容无法获取，本期未能判定"


class Options(BaseModel):
    model_config = {"extra": "forbid"}
    statuses: list[str] = ["active", "closing", "migrating"]


class FeedUnreachable:
    id: ClassVar[str] = "feed_unreachable"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.ACCOUNT})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_account(self, account: Account, snap: AccountSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        if account.status not in options.statuses:
            return
        failed = source_down(snap, ctx.period, zone(ctx.settings))
        if failed is not None:
            yield Finding(self.id, Severity.NOTICE, failed.url or account.feed,
                          {"status": failed.status, "error": failed.error}, clause=CLAUSE)


CHECK = FeedUnreachable()
