"""Poll an account's source once: store the posts not seen before and the attempt itself.

Every poll is kept, failed ones too, so coverage (``monitor.accounts.coverage``) can tell a silent
account from a source that could not be read.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from monitor.accounts.sources import FeedOwner, read_source
from monitor.model.snapshots import FeedFetch

if TYPE_CHECKING:
    from monitor.config.settings import Settings
    from monitor.net.fetch import Fetcher
    from monitor.store.store import Store


async def poll_account(account: FeedOwner, *, fetcher: "Fetcher", store: "Store", settings: "Settings",
                       now: datetime) -> FeedFetch:
    """Read the account's source once, store posts not seen before and the attempt itself."""
    result = await read_source(account, fetcher=fetcher, settings=settings, now=now)
    if result.posts:
        await store.call(store.add_posts, account.id, result.posts, seen_at=now)
    await store.call(store.add_feed_fetch, account.id, result.fetch)
    return result.fetch
