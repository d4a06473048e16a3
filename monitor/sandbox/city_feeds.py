"""The city's new-media accounts as feeds: who posts when, rendered as RSS, Atom or JSON Feed.

Each account posts a hashed number of times per natural week within its platform's usual range
(WeChat, Weibo and apps several times a week, video platforms once or a few times), at hashed
times of day; faults (``city_faults.AccountFaults``) silence it for a while, thin some weeks
out, or make its feed answer an error. A feed lists the newest ``FEED_ITEMS`` posts published
by the world's date, like an RSSHub route: WeChat/Weibo/Toutiao as RSS 2.0, Douyin/Kuaishou/
Xigua as Atom (RSSHub-style paths on the ``rsshub`` host), apps as a JSON Feed on ``appapi``.
Documents are written by the accounts part's generators (``monitor.sandbox.feeds``).
"""

from __future__ import annotations

import base64
from datetime import date, datetime, time, timedelta

from monitor.model.period import CHINA_TZ
from monitor.sandbox.city_faults import account_faults
from monitor.sandbox.city_text import h, pick, topics_for
from monitor.sandbox.city_units import ACCOUNTS, CityAccount
from monitor.sandbox.feeds import TYPES, Item, atom_document, json_feed_document, rss_document
from monitor.sandbox.server import Host, Route

FEED_ITEMS = 20
HISTORY_START = date(2021, 1, 4)  # a Monday
WEEKLY = {"wechat": (4, 7), "weibo": (5, 9), "app": (4, 6), "douyin": (2, 4), "toutiao": (2, 4),
          "kuaishou": (1, 3), "xigua": (1, 2)}
FORMS = {"wechat": "rss", "weibo": "rss", "toutiao": "rss", "douyin": "atom", "kuaishou": "atom",
         "xigua": "atom", "app": "json"}
FEED_KEYS = ("rsshub", "appapi")


def feed_path(account: CityAccount) -> str:
    """The account's feed path, in the style of the RSSHub route of its platform."""
    n = h(account.id, "uid")
    if account.platform == "wechat":
        return "/wechat/mp/" + base64.b64encode(str(3000000000 + n % 900000000).encode()).decode()
    if account.platform == "weibo":
        return f"/weibo/user/{5000000000 + n % 2000000000}"
    if account.platform == "douyin":
        return "/douyin/user/MS4wLjABAAAA" + base64.urlsafe_b64encode(n.to_bytes(8, "big") * 4).decode().rstrip("=")
    if account.platform == "toutiao":
        return f"/toutiao/user/token/{n % 10**12:x}"
    if account.platform == "kuaishou":
        return f"/kuaishou/user/3x{n % 36**10:x}"
    if account.platform == "xigua":
        return f"/ixigua/user/video/{n % 10**11}"
    return f"/api/{account.id.removeprefix('app-')}/feed.json"


def feed_url(account: CityAccount, bases: dict[str, str]) -> str:
    return bases["appapi" if account.platform == "app" else "rsshub"] + feed_path(account)


def _week_count(account: CityAccount, monday: date) -> int:
    for start, end, per_week in account_faults(account.platform, account.name).sparse:
        if start <= monday < end:
            return per_week
    lo, hi = WEEKLY[account.platform]
    return lo + h(account.id, monday, "count") % (hi - lo + 1)


def _silent(account: CityAccount, day: date) -> bool:
    return any(start <= day and (end is None or day < end)
               for start, end in account_faults(account.platform, account.name).silent)


def posts(account: CityAccount, until: date) -> list[tuple[datetime, str, str]]:
    """(published, guid, title) of every post up to ``until``, newest first."""
    out = []
    monday = HISTORY_START
    while monday <= until:
        count = _week_count(account, monday)
        days = sorted(range(7), key=lambda d: h(account.id, monday, d, "day"))
        slots = [days[i % 7] for i in range(count)]
        for n, offset in enumerate(sorted(slots)):
            day = monday + timedelta(days=offset)
            if day > until or _silent(account, day):
                continue
            minute = 7 * 60 + h(account.id, day, n, "min") % (15 * 60)
            at = datetime.combine(day, time(minute // 60, minute % 60), CHINA_TZ)
            topic = pick(topics_for(account.owner), account.id, day, n)
            out.append((at, f"{account.id}:{day:%Y%m%d}:{n}", f"{account.name}｜{topic}最新动态（{day.month}月{day.day}日）"))
        monday += timedelta(days=7)
    out.sort(reverse=True)
    return out


def _text(account: CityAccount, at: datetime, title: str, slip: str | None) -> str:
    lead = f"{slip}，相关工作正在有序推进。" if slip else "相关工作正在有序推进。"
    return f"{title.split('｜', 1)[-1]}。{lead}"


def _slips(account: CityAccount, listed: list[tuple[datetime, str, str]]) -> dict[str, str]:
    """guid → the wording slip of the account's first post on or after each slip's date."""
    out = {}
    for since, wrong in account_faults(account.platform, account.name).wording:
        later = [guid for at, guid, _ in posts(account, since + timedelta(days=60)) if at.date() >= since]
        if later:
            out[later[-1]] = wrong
    return {guid: wrong for guid, wrong in out.items() if any(guid == g for _, g, _ in listed)}


def feed_route(account: CityAccount, base: str, as_of: date) -> Route:
    """The feed's HTTP answer in the world of ``as_of``."""
    for start, end, status in account_faults(account.platform, account.name).feed_down:
        if start <= as_of < end:
            return Route(f"<html><head><title>{status} Service Unavailable</title></head><body>"
                         f"<h1>{status}</h1></body></html>", status=status)
    listed = posts(account, as_of)[:FEED_ITEMS]
    slips = _slips(account, listed)
    items = [Item(guid, f"{base}/p/{h(guid) % 10**12:x}", title, _text(account, at, title, slips.get(guid)), at)
             for at, guid, title in listed]
    form = FORMS[account.platform]
    render = {"rss": rss_document, "atom": atom_document, "json": json_feed_document}[form]
    return Route(render(account.name, base + "/", items), content_type=TYPES[form])


def build_feeds(bases: dict[str, str], as_of: date) -> dict[str, Host]:
    """The feed hosts of the city at ``as_of`` (built on request, so a swap is cheap)."""
    by_path = {("appapi" if a.platform == "app" else "rsshub", feed_path(a)): a for a in ACCOUNTS}
    hosts: dict[str, Host] = {}
    for key in FEED_KEYS:
        def answer(path_qs: str, key: str = key) -> Route | None:
            account = by_path.get((key, path_qs.split("?", 1)[0]))
            return None if account is None else feed_route(account, bases[key], as_of)
        hosts[key] = Host(fallback=answer)
    return hosts
