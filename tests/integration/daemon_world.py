"""A tiny fake web for the daemon tests: two sites and two RSS feeds on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from monitor.sandbox.server import Host, Route

KEYS = ["site_a", "site_b", "feeds"]


def _rss(name: str, base: str, start: datetime) -> str:
    items = "".join(
        f"<item><title>{name}第{n}条</title><link>{base}/p/{name}/{n}</link><guid>{name}-{n}</guid>"
        f"<pubDate>{format_datetime(start - timedelta(days=n), usegmt=True)}</pubDate></item>"
        for n in range(1, 6))
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{name}</title>{items}</channel></rss>'


def build(page_delay: float = 0.0):  # type: ignore[no-untyped-def]
    """A world builder; ``page_delay`` slows every non-home page (to catch a crawl mid-way)."""
    def builder(bases: dict[str, str]) -> dict[str, Host]:
        hosts: dict[str, Host] = {}
        for key in ("site_a", "site_b"):
            host = Host()
            links = "".join(f'<li><a href="/news/{n}.html">政务动态{n}</a><span>2021-09-{n + 10:02d}</span></li>'
                            for n in range(1, 9))
            host.add("/", Route(f"<html><head><title>{key}人民政府</title></head><body><ul>{links}</ul></body></html>"))
            for n in range(1, 9):
                host.add(f"/news/{n}.html", Route(f"<html><title>动态{n}</title><body><p>发布时间：2021-09-{n + 10:02d}</p>"
                                                  f"<p>内容</p></body></html>", delay=page_delay))
            hosts[key] = host
        feeds = Host()
        start = datetime(2021, 9, 29, 4, 0, tzinfo=UTC)
        for name in ("wx1", "wb1"):
            feeds.add(f"/{name}.xml", Route(_rss(name, bases["feeds"], start), content_type="application/rss+xml"))
        hosts["feeds"] = feeds
        return hosts

    return builder


def registry_text(bases: dict[str, str]) -> str:
    return f'''
[[sites]]
id = "1403000001"
name = "甲市人民政府"
url = "{bases['site_a']}/"
owner = "甲市人民政府办公室"

[[sites]]
id = "1403000002"
name = "乙区人民政府"
url = "{bases['site_b']}/"
owner = "乙区人民政府办公室"
district = "乙区"

[[accounts]]
id = "wx1"
name = "甲市发布"
platform = "wechat"
owner = "甲市人民政府新闻办公室"
feed = "{bases['feeds']}/wx1.xml"

[[accounts]]
id = "wb1"
name = "甲市发布微博"
platform = "weibo"
owner = "甲市人民政府新闻办公室"
feed = "{bases['feeds']}/wb1.xml"
'''
