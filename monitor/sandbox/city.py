"""The simulated city of 阳泉市: 33 government sites and 87 new-media accounts on 127.0.0.1.

``build_city(bases, as_of)`` returns the hosts of the city as they stand on ``as_of`` — every
site on its own port, stand-ins for the outside sites pages link to (中国政府网, 山西省人民政府,
the ICP/公安 filing and 党政机关 badge pages), and the feed hosts. Content is generated from
hashes of names and dates, so the same date always gives the same bytes, and an item keeps its
title and URL from one month's world to the next. ``serve_city(as_of)`` serves it;
``RunningWorld.swap(city_builder(next_as_of))`` moves the served city to another date.
What goes wrong is described as dated facts in ``city_faults``; which targets that fails is for
the checks to find.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from monitor.sandbox.city_feeds import FEED_KEYS, build_feeds, feed_url
from monitor.sandbox.city_pages import Links
from monitor.sandbox.city_site import SiteBuilder
from monitor.sandbox.city_units import ACCOUNTS, SITES
from monitor.sandbox.server import Host, Route, RunningWorld, WorldBuilder, serve_world

EXTERNAL_KEYS = ("govcn", "shanxi", "beian", "dzjg")
DEAD_KEYS = ("oldplatform",)
PORTAL_ID = "1403000001"


def city_keys() -> list[str]:
    """Every live host key of the city (sites, outside stand-ins, feeds)."""
    return [*(site.key for site in SITES), *EXTERNAL_KEYS, *FEED_KEYS]


def _page(heading: str) -> Route:
    return Route(f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{heading}</title></head>'
                 f"<body><h1>{heading}</h1></body></html>")


def _stand_in(title: str, extra: dict[str, str] | None = None) -> Host:
    routes = {"/": _page(title), "/index.html": _page(title)}
    routes.update({path: _page(heading) for path, heading in (extra or {}).items()})
    return Host(routes=routes)


def _badge() -> Host:
    """The 党政机关网站标识 verification service: each registered site's own page (its name and
    网站标识码), 404 for any other id — as the real service answers, so a not-found probe under
    /bsjs/ never looks like a site's badge page."""
    host = _stand_in("党政机关网站标识")
    for site in SITES:
        host.add(f"/bsjs/{site.id}.html", _page(f"党政机关网站标识：{site.name}（网站标识码{site.id}）"))
    return host


def _outside() -> dict[str, Host]:
    return {
        "govcn": _stand_in("中国政府网", {"/zfwzzc/index.html": "我为政府网站找错"}),
        "shanxi": _stand_in("山西省人民政府"),
        "beian": _stand_in("ICP/IP地址/域名信息备案管理系统", {"/portal/registerSystemInfo": "全国互联网安全管理服务平台"}),
        "dzjg": _badge(),
    }


def _links(bases: dict[str, str], site_id: str) -> Links:
    others = [(s.name, bases[s.key] + "/") for s in SITES if s.id != PORTAL_ID] if site_id == PORTAL_ID else []
    portal = "" if site_id == PORTAL_ID else bases[f"site{PORTAL_ID}"]
    return Links(portal=portal, gov=bases["govcn"], province=bases["shanxi"], beian=bases["beian"],
                 badge=bases["dzjg"], others=others)


def build_city(bases: dict[str, str], as_of: date) -> dict[str, Host]:
    """The hosts of the city on ``as_of`` (``bases``: host key → ``http://127.0.0.1:PORT``)."""
    dead = bases.get(DEAD_KEYS[0], "http://127.0.0.1:9")
    hosts = {site.key: SiteBuilder(site, as_of, bases[site.key], _links(bases, site.id), dead).build()
             for site in SITES}
    hosts.update(_outside())
    hosts.update(build_feeds(bases, as_of))
    return hosts


def city_builder(as_of: date, *, feeds_only: bool = False) -> WorldBuilder:
    """A ``serve_world``/``RunningWorld.swap`` builder for ``as_of`` (``feeds_only``: just the feed hosts)."""
    if feeds_only:
        return lambda bases: build_feeds(bases, as_of)
    return lambda bases: build_city(bases, as_of)


@contextmanager
def serve_city(as_of: date) -> Iterator[RunningWorld]:
    """Serve the city of ``as_of`` on 127.0.0.1 until the block exits (servers always stopped)."""
    with serve_world(city_builder(as_of), city_keys(), dead=DEAD_KEYS) as world:
        yield world


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def city_registry(bases: dict[str, str]) -> str:
    """The registry (TOML text) of the city's sites and accounts served at ``bases``."""
    lines = ["# 阳泉市 (simulated): government websites and new-media accounts, written by `govmon demo`.", ""]
    for site in sorted(SITES, key=lambda s: s.id):
        lines += ["[[sites]]", f"id = {_toml(site.id)}", f"name = {_toml(site.name)}",
                  f"url = {_toml(bases[site.key] + '/')}", f"owner = {_toml(site.owner)}",
                  f"district = {_toml(site.district)}", f"kind = {_toml(site.kind)}", ""]
    for account in sorted(ACCOUNTS, key=lambda a: a.id):
        lines += ["[[accounts]]", f"id = {_toml(account.id)}", f"name = {_toml(account.name)}",
                  f"platform = {_toml(account.platform)}", f"owner = {_toml(account.owner)}",
                  f"district = {_toml(account.district)}", f"feed = {_toml(feed_url(account, bases))}"]
        if account.status != "active":
            lines.append(f"status = {_toml(account.status)}")
        if account.deadline is not None:
            lines.append(f"deadline = {account.deadline.isoformat()}")
        lines.append("")
    return "\n".join(lines)
