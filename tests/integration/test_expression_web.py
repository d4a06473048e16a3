"""expression_error on a served site (sandbox web): a 2021 page saying 新冠肺炎 is right in 2021
and an error on a page after the 2022-12-26 rename; one article reachable under two addresses
(…/art_1.html and …/art_1.html?from=next, / and /index.html) is one page; 各部门正协调解决 gives
nothing; a near miss and a misordered list are notices that cost no points."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from monitor.config.load import load_settings
from monitor.crawl.crawler import crawl_site
from monitor.crawl.linkcheck import LinkChecker
from monitor.judge.engine import judge_site
from monitor.model.period import Period
from monitor.net.fetch import Fetcher
from monitor.registry.model import Site
from monitor.sandbox.server import Host, Route, serve_world
from reports.problems import unit_problems


def _article(title: str, day: date, body: str, links: str = "") -> Route:
    return Route(f"<html><head><meta charset='utf-8'><title>{title}_测试县人民政府</title></head><body>"
                 "<div class='position'>当前位置：首页 &gt; 工作动态</div>"
                 f"<div class='article'><h1>{title}</h1><div class='info'>发布时间：{day.isoformat()} 来源：县政府办</div>"
                 f"<div class='content'>{body}</div></div>{links}"
                 "<div class='footer'>主办：测试县人民政府办公室 网站标识码：1499990002</div></body></html>")


def _world(articles: dict[str, tuple[str, date, str]]) -> dict[str, Host]:
    host = Host()
    rows = "".join(f"<li><a href='/gzdt/{name}'>{title}</a><span>{day.isoformat()}</span></li>"
                   for name, (title, day, _) in articles.items())
    home = ("<html><head><meta charset='utf-8'><title>测试县人民政府</title></head><body>"
            "<div class='nav'><a href='/index.html'>首页</a><a href='/gzdt/'>工作动态</a></div>"
            f"<div class='news'><h3>工作动态</h3><ul>{rows}</ul></div></body></html>")
    host.add("/", Route(home))
    host.add("/index.html", Route(home))
    host.add("/gzdt/", Route("<html><head><meta charset='utf-8'><title>工作动态</title></head><body>"
                             f"<h2>工作动态</h2><ul class='list'>{rows}</ul></body></html>"))
    names = list(articles)
    for i, (name, (title, day, body)) in enumerate(articles.items()):
        following = names[(i + 1) % len(names)]  # the CMS's 下一篇 link carries ?from=next
        pager = f"<div class='pager'><a href='/gzdt/{following}?from=next'>下一篇</a></div>"
        host.add(f"/gzdt/{name}", _article(title, day, body, pager))
    return {"site": host}


def _inspect(articles: dict[str, tuple[str, date, str]], as_of: date) -> tuple[dict, str]:
    settings = load_settings(environ={"GOVMON_CRAWL__OBEY_ROBOTS": "false", "GOVMON_CRAWL__RETRIES": "0"})
    with serve_world(lambda bases: _world(articles), ["site"]) as web:
        site = Site(id="1499990002", name="测试县人民政府", url=web.url("site", "/"), kind="portal")

        async def crawl():  # type: ignore[no-untyped-def]
            async with Fetcher(settings.crawl, settings.links) as fetcher:
                return await crawl_site(site, settings=settings, fetcher=fetcher,
                                        linkchecker=LinkChecker(fetcher, settings.links), as_of=as_of)

        snap = asyncio.run(crawl())
        out = judge_site(site, snap, period=Period.for_as_of(as_of), settings=settings)
        return out, web.url("site", "")


def _expression(out: dict) -> list[dict]:
    return [f for f in out["findings"] if f["check"] == "expression_error"]


COVID = "会议强调，要毫不放松抓好新冠肺炎疫情常态化防控，各部门正协调解决群众反映的突出问题。"


@pytest.fixture(scope="module")
def in_2021() -> tuple[dict, str]:
    return _inspect({"art_1.html": ("县政府召开常务会议", date(2021, 8, 10), COVID),
                     "art_2.html": ("县政府召开疫情防控工作会议", date(2021, 8, 12), COVID)}, date(2021, 8, 31))


@pytest.fixture(scope="module")
def in_2023() -> tuple[dict, str]:
    return _inspect({
        "art_1.html": ("县政府召开常务会议", date(2023, 1, 10), COVID + "市正协委员开展视察。"),
        "art_2.html": ("县政府召开学习会议", date(2023, 1, 12),
                       "会议要求，切实做好新冠肺炎患者救治工作，增强政治意识、核心意识、大局意识、看齐意识。"),
        "art_3.html": ("2021年工作回顾", date(2021, 6, 1), COVID),
    }, date(2023, 1, 31))


def test_a_2021_page_saying_xinguan_feiyan_gives_no_finding_in_2021(in_2021: tuple[dict, str]) -> None:
    out, _ = in_2021
    assert _expression(out) == []


def test_after_the_rename_pages_dated_after_it_are_found_once_each_under_either_address(
        in_2023: tuple[dict, str]) -> None:
    out, base = in_2023
    faults = [(f["url"].removeprefix(base), f["text"], f["severity"], sorted(u.removeprefix(base) for u in f["urls"]))
              for f in _expression(out) if f["severity"] != "notice"]
    assert faults == [("/gzdt/art_1.html", "新冠肺炎", "deduct", ["/gzdt/art_1.html", "/gzdt/art_1.html?from=next"]),
                      ("/gzdt/art_2.html", "新冠肺炎", "deduct", ["/gzdt/art_2.html", "/gzdt/art_2.html?from=next"])]


def test_the_2021_page_seen_in_2023_is_judged_on_its_own_date(in_2023: tuple[dict, str]) -> None:
    out, base = in_2023
    assert [f for f in _expression(out) if "art_3" in f["url"]] == []


def test_zheng_xietiao_gives_nothing_and_near_misses_are_unscored_notices(in_2023: tuple[dict, str]) -> None:
    out, base = in_2023
    notices = [(f["url"].removeprefix(base), f["text"], f["rule"], f["points"], f["clause"])
               for f in _expression(out) if f["severity"] == "notice"]
    assert notices == [
        ("/gzdt/art_1.html", "正协", "near_miss", 0.0, "疑似国名、党名、机关名称错误：“正协”疑似应为“政协”，请人工核实"),
        ("/gzdt/art_2.html", "政治意识、核心意识、大局意识、看齐意识", "enumeration", 0.0,
         "疑似固定提法错误：“政治意识、核心意识、大局意识、看齐意识”疑似应为“政治意识、大局意识、核心意识、看齐意识”，请人工核实")]
    assert "各部门正协调解决" in COVID and [f["context"] for f in _expression(out) if f["text"] == "正协"] == [
        "协调解决群众反映的突出问题。市正协委员开展视察。"]  # the one in 市正协委员, not in 正协调


def test_only_the_two_dated_errors_cost_points(in_2023: tuple[dict, str]) -> None:
    out, _ = in_2023
    assert sorted((f["text"], f["points"]) for f in _expression(out) if f["points"]) == [("新冠肺炎", 1.0), ("新冠肺炎", 1.0)]
    assert "严重表述错误" not in out["reason"]


def test_the_notice_counts_two_distinct_errors_not_one_per_address(in_2023: tuple[dict, str]) -> None:
    out, _ = in_2023
    [problem] = [p for p in unit_problems(out, date(2023, 1, 31), frozenset({"veto", "deduct"}))
                 if p.check == "expression_error"]
    assert problem.count == 2 and "等2处" in problem.clause
