"""duplicate_account: one owner holds more than one active account on one platform (notice).

Why: 国办发〔2018〕123号 — "一个单位在同一平台上原则上只开设一个政务新媒体账号"; notices name
such accounts without failing them. Owners (账号主体) are compared after NFKC (full-width →
half-width), with all whitespace and trailing punctuation removed, so "太原市 公安局。" and
"太原市公安局" are one owner. Platform ``other`` lumps different platforms together and is
skipped by default. The same finding is put on each of the accounts.
Keys: owner (normalised), platform, accounts (ids, sorted).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import ClassVar

from pydantic import BaseModel

from checks.base import CheckContext, CheckOptions
from monitor.model.findings import Finding, Severity, TargetKind
from monitor.model.snapshots import AccountSnapshot
from monitor.registry.model import Account

CLAUSE = "国办发〔2018〕123号：同一单位在同一平台原则上只开设一个政务新媒体账号"


class Options(CheckOptions):
    statuses: list[str]
    skip_platforms: list[str]


def normalise_owner(owner: str) -> str:
    """The comparable form of an owner's name: NFKC, no whitespace, no trailing 。！，- (closing brackets stay)."""
    text = "".join(unicodedata.normalize("NFKC", owner).split())
    while text and unicodedata.category(text[-1]) in ("Po", "Pd"):
        text = text[:-1]
    return text


class DuplicateAccount:
    id: ClassVar[str] = "duplicate_account"
    targets: ClassVar[frozenset[TargetKind]] = frozenset({TargetKind.ACCOUNT})
    options_model: ClassVar[type[BaseModel]] = Options

    def run_account(self, account: Account, snap: AccountSnapshot, ctx: CheckContext) -> Iterator[Finding]:
        options: Options = ctx.options  # type: ignore[assignment]
        if ctx.registry is None or account.status not in options.statuses or account.platform in options.skip_platforms:
            return
        owner = normalise_owner(account.owner)
        same = sorted(a.id for a in ctx.registry.accounts
                      if a.platform == account.platform and a.status in options.statuses
                      and normalise_owner(a.owner) == owner)
        if len(same) > 1:
            yield Finding(self.id, Severity.NOTICE, account.feed,
                          {"owner": owner, "platform": account.platform, "accounts": same}, clause=CLAUSE)


CHECK = DuplicateAccount()
