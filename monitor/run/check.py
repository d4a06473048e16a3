"""``govmon check --account``: one account polled now and judged at as-of, outside the monthly run."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from monitor.accounts.poll import poll_account
from monitor.judge.engine import judge_account
from monitor.model.errors import RegistryError
from monitor.model.period import Period

if TYPE_CHECKING:
    from monitor.config.settings import Settings
    from monitor.net.fetch import Fetcher
    from monitor.registry.model import Registry
    from monitor.store.store import Store


async def check_account(account_id: str, *, settings: "Settings", registry: "Registry", store: "Store",
                        fetcher: "Fetcher", as_of: date, now: datetime) -> dict[str, Any]:
    """``govmon check --account ID``: poll the account once at ``now``, then judge its stored history at as-of.

    ``now`` comes from the CLI (the only layer that reads the clock); the result is the account
    object of the findings document (``monitor.judge.engine.judge_account``).
    """
    try:
        account = registry.account(account_id)
    except KeyError:
        known = ", ".join(sorted(a.id for a in registry.accounts)[:10])
        raise RegistryError(f"account {account_id!r} is not in the registry (known: {known or 'none'})") from None
    await poll_account(account, fetcher=fetcher, store=store, settings=settings, now=now)
    snap = await store.call(store.account_snapshot, account.id)
    return judge_account(account, snap, period=Period.for_as_of(as_of), settings=settings, registry=registry)
