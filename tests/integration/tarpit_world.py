"""A tarpit host for the budget tests: every page answers slowly and links to new pages without end."""

from __future__ import annotations

import re

from monitor.sandbox.server import Host, Route

KEYS = ["tarpit", "plain"]
FAN_OUT = 2


def _page(n: int, delay: float) -> Route:
    links = "".join(f'<li><a href="/p/{n * FAN_OUT + k}.html">第{n * FAN_OUT + k}页</a></li>' for k in range(1, FAN_OUT + 1))
    return Route(f"<html><head><title>第{n}页</title></head><body><ul>{links}</ul></body></html>", delay=delay)


def build(delay: float):  # type: ignore[no-untyped-def]
    """``tarpit``: pages /p/N.html, each ``delay`` seconds late; ``plain``: a small quick site."""
    def builder(bases: dict[str, str]) -> dict[str, Host]:
        def endless(path: str) -> Route | None:
            found = re.fullmatch(r"/p/(\d+)\.html", path)
            return _page(int(found.group(1)), delay) if found else None

        tarpit = Host(fallback=endless)
        tarpit.add("/", _page(0, 0.0))
        plain = Host()
        plain.add("/", Route('<html><head><title>乙区人民政府</title></head><body>'
                             '<a href="/news/1.html">动态</a></body></html>'))
        plain.add("/news/1.html", Route("<html><head><title>动态</title></head><body><p>内容</p></body></html>"))
        return {"tarpit": tarpit, "plain": plain}

    return builder


def registry_text(bases: dict[str, str]) -> str:
    return f'''
[[sites]]
id = "1403000001"
name = "甲市人民政府"
url = "{bases['tarpit']}/"
owner = "甲市人民政府办公室"

[[sites]]
id = "1403000002"
name = "乙区人民政府"
url = "{bases['plain']}/"
owner = "乙区人民政府办公室"

[[sites]]
id = "1403000003"
name = "丙县人民政府"
url = "{bases['plain']}/"
owner = "丙县人民政府办公室"
'''
