"""A fake new-media world: RSS 2.0, Atom and JSON Feed documents generated from post times.

Used by the account tests and reusable by the demo. ``FakeAccount`` describes one account and how
its source misbehaves; ``feeds_world(accounts, clock)`` is a ``serve_world`` builder with a feed
host (``"feeds"``), a fake RSSHub instance (``"rsshub"``) and an unreachable port (``"gone"``,
pass it as ``dead``). Documents are rendered at request time and list only posts published by
``clock.now``, so a test can poll the same feed at several moments of a month.
``august_2021()`` is a ready scenario for the period 2021-08 judged at 2021-08-31.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from monitor.model.period import CHINA_TZ
from monitor.registry.model import Account
from monitor.sandbox.server import Host, Route, WorldBuilder

FEED_KEYS = ["feeds", "rsshub"]
DEAD_KEYS = ("gone",)
TYPES = {"rss": "application/rss+xml; charset=utf-8", "atom": "application/atom+xml; charset=utf-8",
         "json": "application/feed+json; charset=utf-8", "malformed": "application/rss+xml; charset=utf-8"}


@dataclass
class FeedClock:
    """The world's "now": feeds list only posts published at or before it (None = all)."""

    now: datetime | None = None


@dataclass
class FakeAccount:
    """One account of the fake world and the way its source behaves.

    kind: "rss" | "atom" | "json" | "malformed" (a cut document) | "404" | "dead" (nothing
    listens) | "rsshub" (RSS served by the fake RSSHub) | "csv" (an export file) | "none" (no feed).
    zone: the offset feed times are written in (UTC or China time). latest: only the newest N
    items are listed. pinned: old posts listed first (置顶). repeat: guids listed twice.
    """

    id: str
    platform: str
    owner: str
    kind: str
    posts: list[datetime] = field(default_factory=list)
    name: str = ""
    zone: tzinfo = CHINA_TZ
    latest: int | None = None
    pinned: list[datetime] = field(default_factory=list)
    repeat: int = 0
    status: str = "active"
    deadline: date | None = None

    def path(self) -> str:
        if self.kind == "rsshub":
            return f"/weibo/user/{self.id}"
        return f"/feeds/{self.id}." + (self.kind if self.kind in ("atom", "json") else "xml")


@dataclass(frozen=True, slots=True)
class Item:
    """One rendered post: guid, link, title, text and publish time in the feed's zone."""

    guid: str
    link: str
    title: str
    text: str
    at: datetime


def visible_items(account: FakeAccount, base: str, now: datetime | None) -> list[Item]:
    """The items a feed lists at ``now``: pinned first, then newest first, cut to ``latest``."""
    def item(n: int, at: datetime, label: str) -> Item:
        return Item(f"{account.id}-{label}{n}", f"{base}/posts/{account.id}/{label}{n}",
                    f"{account.name or account.id}第{n}条{label and '（置顶）'}", f"正文{n}：政务信息发布。",
                    at.astimezone(account.zone))

    shown = lambda at: now is None or at <= now  # noqa: E731
    posts = sorted(((n, at) for n, at in enumerate(account.posts, 1) if shown(at)), key=lambda p: p[1], reverse=True)
    items = [item(n, at, "") for n, at in posts][: account.latest]
    items = items + items[: account.repeat]
    return [item(n, at, "top") for n, at in enumerate(account.pinned, 1) if shown(at)] + items


def rss_document(title: str, link: str, items: list[Item]) -> str:
    """RSS 2.0 with RFC 822 dates ("GMT" for UTC, "+0800" for China time)."""
    body = "".join(
        f"<item><title>{escape(i.title)}</title><link>{escape(i.link)}</link>"
        f"<guid isPermaLink=\"false\">{escape(i.guid)}</guid>"
        f"<pubDate>{format_datetime(i.at, usegmt=i.at.utcoffset() == timedelta(0))}</pubDate>"
        f"<description><![CDATA[<p>{i.text}</p>]]></description></item>"
        for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>{escape(link)}</link><description>{escape(title)}</description>{body}</channel></rss>")


def atom_document(title: str, link: str, items: list[Item]) -> str:
    """Atom 1.0 with RFC 3339 dates ("Z" or "+08:00")."""
    def stamp(at: datetime) -> str:
        return at.isoformat().replace("+00:00", "Z")

    updated = stamp(max((i.at for i in items), default=datetime(2000, 1, 1, tzinfo=UTC)))
    body = "".join(
        f"<entry><title>{escape(i.title)}</title><id>{escape(i.guid)}</id><link href={quoteattr(i.link)}/>"
        f"<published>{stamp(i.at)}</published><updated>{stamp(i.at)}</updated>"
        f"<content type=\"html\">{escape('<p>' + i.text + '</p>')}</content></entry>"
        for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>{escape(link)}</id><link href={quoteattr(link)}/>"
            f"<updated>{updated}</updated>{body}</feed>")


def json_feed_document(title: str, link: str, items: list[Item]) -> str:
    """JSON Feed 1.1."""
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": title, "home_page_url": link,
                       "items": [{"id": i.guid, "url": i.link, "title": i.title, "content_text": i.text,
                                  "date_published": i.at.isoformat()} for i in items]}, ensure_ascii=False)


def render(account: FakeAccount, base: str, now: datetime | None) -> Route:
    """The HTTP answer of the account's feed at ``now``."""
    if account.kind == "404":
        return Route("<html><title>404 Not Found</title></html>", status=404)
    items = visible_items(account, base, now)
    title = account.name or account.id
    if account.kind == "atom":
        return Route(atom_document(title, base, items), content_type=TYPES["atom"])
    if account.kind == "json":
        return Route(json_feed_document(title, base, items), content_type=TYPES["json"])
    document = rss_document(title, base, items)
    if account.kind == "malformed":
        return Route(document[: document.find("</item>") + 20], content_type=TYPES["malformed"])
    return Route(document, content_type=TYPES["rss"])


def feeds_world(accounts: list[FakeAccount], clock: FeedClock | None = None) -> WorldBuilder:
    """A ``serve_world`` builder serving every account's feed (keys FEED_KEYS, dead DEAD_KEYS)."""
    clock = clock or FeedClock()

    def build(bases: dict[str, str]) -> dict[str, Host]:
        hosts = {"feeds": Host(), "rsshub": Host()}
        by_path = {(("rsshub" if a.kind == "rsshub" else "feeds"), a.path()): a for a in accounts
                   if a.kind not in ("dead", "csv", "none")}
        for key, host in hosts.items():
            def answer(path_qs: str, key: str = key) -> Route | None:
                account = by_path.get((key, path_qs.split("?", 1)[0]))
                return None if account is None else render(account, bases[key], clock.now)
            host.fallback = answer
        return hosts

    return build


def feed_of(account: FakeAccount, bases: dict[str, str]) -> str:
    """The registry ``feed`` value of the account in a running world."""
    if account.kind == "rsshub":
        return f"rsshub:{account.path()}"
    if account.kind == "csv":
        return f"csv:exports/{account.id}.csv"
    if account.kind == "none":
        return ""
    return bases["gone" if account.kind == "dead" else "feeds"] + account.path()


def registry_accounts(accounts: list[FakeAccount], bases: dict[str, str]) -> list[Account]:
    return [Account(id=a.id, name=a.name or a.id, platform=a.platform, owner=a.owner, feed=feed_of(a, bases),
                    status=a.status, deadline=a.deadline) for a in accounts]  # type: ignore[arg-type]


def write_exports(accounts: list[FakeAccount], folder: Path) -> None:
    """Write each "csv" account's export to ``folder/exports/<id>.csv`` in mixed date forms."""
    forms = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y年%m月%d日 %H:%M", "epoch_ms")
    for account in (a for a in accounts if a.kind == "csv"):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["published_at", "title", "url", "text"])
        for n, at in enumerate(account.posts):
            form = forms[n % len(forms)]
            local = at.astimezone(CHINA_TZ)
            stamp = str(int(at.timestamp() * 1000)) if form == "epoch_ms" else local.strftime(form)
            writer.writerow([stamp, f"{account.id}导出第{n + 1}条", "", f"导出正文{n + 1}"])
        path = folder / "exports" / f"{account.id}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out.getvalue(), encoding="utf-8-sig")


AUGUST_AS_OF = date(2021, 8, 31)


def cst(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A 2021 moment in China Standard Time."""
    return datetime(2021, month, day, hour, minute, tzinfo=CHINA_TZ)


def steady(*extra: datetime) -> list[datetime]:
    """Three posts every week from 26 July to 29 August (Mon 09:00, Wed 12:00, Fri 18:00), plus ``extra``."""
    mondays = [date(2021, 7, 26) + timedelta(weeks=w) for w in range(5)]
    return [cst(m.month, m.day, 9) + timedelta(days=d, hours=h) for m in mondays
            for d, h in ((0, 0), (2, 3), (4, 9))] + list(extra)


def august_2021() -> list[FakeAccount]:
    """Accounts for period 2021-08 at as-of 2021-08-31 (weeks W31–W34), each with one behaviour.

    Expected findings are pinned in tests/integration/test_feeds.py, not derived here.
    """
    police = "太原市公安局"
    return [
        FakeAccount("wx-steady", "wechat", "太原市人民政府办公室", "rss", zone=UTC, posts=[
            *(t for t in steady() if not date(2021, 8, 16) <= t.date() <= date(2021, 8, 22)),
            cst(8, 16, 0, 0), cst(8, 18, 12), cst(8, 22, 23, 59), cst(8, 30), cst(8, 31, 10)]),
        FakeAccount("wb-short", "weibo", "太原市发展和改革委员会", "atom", posts=[
            *(t for t in steady() if not date(2021, 8, 16) <= t.date() <= date(2021, 8, 29)),
            cst(8, 17, 10), cst(8, 22, 23, 59), cst(8, 23, 0, 0), cst(8, 25), cst(8, 27), cst(8, 30)]),
        FakeAccount("app-json", "app", "太原市政务服务管理局", "json", zone=UTC, posts=[
            cst(7, 26), cst(7, 28), cst(7, 30), cst(8, 2), cst(8, 3), cst(8, 5), cst(8, 9), cst(8, 10),
            cst(8, 12), cst(8, 14), cst(8, 16), cst(8, 19), cst(8, 22)]),
        FakeAccount("dy-quiet", "douyin", "太原市文化和旅游局", "rss", posts=[
            cst(7, 5), cst(7, 12), cst(7, 19), cst(7, 26), cst(8, 3), cst(8, 10)]),
        FakeAccount("tt-edge", "toutiao", "太原市教育局", "atom", zone=UTC, posts=[
            cst(7, 20), cst(7, 27), cst(8, 5), cst(8, 12), cst(8, 17, 0, 0)]),
        FakeAccount("xg-once", "xigua", "太原市体育局", "rss", posts=[
            cst(7, 25), cst(8, 1, 23, 59), cst(8, 8, 23, 59), cst(8, 9, 0, 0), cst(8, 16, 0, 0),
            cst(8, 29, 23, 59), cst(8, 31)]),
        FakeAccount("ks-404", "kuaishou", "太原市卫生健康委员会", "404"),
        FakeAccount("bili-gone", "bilibili", "太原市科学技术局", "dead"),
        FakeAccount("bjh-broken", "baijiahao", "太原市民政局", "malformed", posts=steady()),
        FakeAccount("wb-dup1", "weibo", police, "rsshub", posts=steady(cst(8, 30))),
        FakeAccount("wb-dup2", "weibo", "太原市 公安局。", "rss", posts=steady(cst(8, 30)), repeat=2),
        FakeAccount("wb-dup3", "weibo", police, "none", status="closed"),
        FakeAccount("wx-police", "wechat", police, "rss", posts=steady(cst(8, 30))),
        FakeAccount("wb-latest", "weibo", "太原市应急管理局", "rsshub", latest=10, pinned=[cst(7, 1, 8)],
                    posts=[cst(8, d, h) for d in range(1, 32) for h in (8, 20)]),
        FakeAccount("wx-closing", "wechat", "太原市档案局", "rss", status="closing", deadline=date(2021, 8, 15),
                    posts=[cst(8, 3), cst(8, 10), cst(8, 15, 20), cst(8, 20)]),
        FakeAccount("app-csv", "app", "太原市住房和城乡建设局", "csv", posts=[
            *(t for t in steady() if t.date() < date(2021, 8, 23) and t.month == 8), cst(8, 24), cst(8, 26), cst(8, 30)]),
        FakeAccount("dy-nofeed", "douyin", "太原市园林局", "none"),
    ]
