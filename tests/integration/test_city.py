"""The simulated city of 阳泉市: deterministic, served on 127.0.0.1, varied like real CMSs, dated by as-of."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import date
from zoneinfo import ZoneInfo

import httpx
import pytest

from monitor.accounts.parse import parse_feed
from monitor.config.load import load_settings
from monitor.net.fetch import Fetcher
from monitor.registry.model import parse_registry
from monitor.sandbox.city import DEAD_KEYS, build_city, city_builder, city_keys, city_registry, serve_city
from monitor.sandbox.city_units import SITES, account_named, site_by_id
from monitor.sandbox.server import RunningWorld

AUG = date(2021, 8, 31)
SEP = date(2021, 9, 30)
BASES = {key: f"http://127.0.0.1:{20000 + i}" for i, key in enumerate([*city_keys(), *DEAD_KEYS])}
REGION_CODES = {"市直": ("140300",), "城区": ("140302",), "矿区": ("140303",), "郊区": ("140311",),
                "平定县": ("140321",), "盂县": ("140322",), "高新区": ("140300",)}


@pytest.fixture(scope="module")
def city() -> Iterator[RunningWorld]:
    with serve_city(AUG) as world:
        yield world


def html_of(hosts: dict, key: str) -> dict[str, str]:
    """path → page text of one host (HTML routes only), decoded with the route's own encoding."""
    out = {}
    for path, route in hosts[key].routes.items():
        if route.content_type.startswith("text/html"):
            out[path] = route.payload().decode(route.encoding)
    return out


def test_registry_lists_every_site_and_account_with_region_coded_ids() -> None:
    registry = parse_registry(city_registry(BASES))
    assert len(registry.sites) == len(SITES) == 33
    assert len(registry.accounts) == 87
    assert {a.platform for a in registry.accounts} == {"wechat", "weibo", "app", "douyin", "toutiao", "xigua", "kuaishou"}
    for site in registry.sites:
        assert site.id[:6] in REGION_CODES[site.district], site
        assert site.url.startswith("http://127.0.0.1:")
    portals = {s.district for s in registry.sites if s.kind == "portal"}
    assert portals == {"市直", "城区", "矿区", "郊区", "平定县", "盂县", "高新区"}
    owners = {a.owner for a in registry.accounts if a.name in ("阳泉市非公企业党建", "阳泉市市场监督管理局")}
    assert owners == {"阳泉市市场监督管理局"}


def test_the_same_date_builds_the_same_bytes() -> None:
    first, second = build_city(BASES, AUG), build_city(BASES, AUG)
    key = site_by_id("1403000003").key
    assert {p: r.payload() for p, r in first[key].routes.items()} == {p: r.payload() for p, r in second[key].routes.items()}


def test_an_item_keeps_its_url_and_title_from_one_month_to_the_next() -> None:
    key = site_by_id("1403000002").key
    aug, sep = html_of(build_city(BASES, AUG), key), html_of(build_city(BASES, SEP), key)
    aug_articles = {p for p in aug if re.search(r"^/(tzgg|zcwj)/2021\d\d/t2021\d{4}_\d+\.html$", p)}
    shared = aug_articles & set(sep)
    assert shared, "August articles are still served in September"
    for path in shared:
        assert re.search(r"<h1 class=\"title\">(.*?)</h1>", aug[path]).group(1) == \
            re.search(r"<h1 class=\"title\">(.*?)</h1>", sep[path]).group(1)


def test_markup_varies_like_real_cms_families() -> None:
    hosts = build_city(BASES, AUG)
    pages = {site.id: html_of(hosts, site.key) for site in SITES}
    everything = "\n".join(text for site_pages in pages.values() for text in site_pages.values())
    paths = [path for site_pages in pages.values() for path in site_pages]
    assert any(re.search(r"/t2021\d{4}_\d+\.html$", p) for p in paths), "TRS article URLs"
    assert any(re.search(r"^/art/2021/\d+/\d+/art_\d+_\d+\.html$", p) for p in paths), "大汉 article URLs"
    assert any(p.startswith("/col/col") for p in paths) and any(p.endswith("index_1.html") for p in paths)
    assert 'class="gl_list"' in everything and 'class="default_pgContainer"' in everything and "<datastore>" in everything
    assert "createPageHTML(" in everything and "pageNum=2" in everything
    for form in (r">\d{4}-\d\d-\d\d<", r"\[\d{4}-\d\d-\d\d\]", r"\d{4}/\d\d/\d\d", r"\d{4}年\d\d月\d\d日", r"<span>\d\d-\d\d</span>"):
        assert re.search(form, everything), form
    assert '<meta name="PubDate" content="2021-' in everything and "发布时间：2021-" in everything
    assert "暂无信息" in everything and "附件：" in everything and "我要写信" in everything


def test_every_page_carries_the_footer_identity_and_the_standard_meta_tags() -> None:
    hosts = build_city(BASES, AUG)
    for site in SITES:
        for path, text in html_of(hosts, site.key).items():
            if "<title>提示信息</title>" in text:  # the site's soft-404 page
                continue
            assert f"网站标识码：{site.id}" in text, (site.id, path)
            assert re.search(r"晋ICP备\d{8}号", text) and "晋公网安备" in text
            assert f'<meta name="SiteIDCode" content="{site.id}">' in text


def test_guides_and_message_boards_show_their_elements_and_dates() -> None:
    hosts = build_city(BASES, AUG)
    trs = html_of(hosts, site_by_id("1403000002").key)
    hanweb = html_of(hosts, site_by_id("1403000003").key)
    guide = next(t for t in trs.values() if 'class="bszn"' in t and "<h1" in t)
    assert all(label in guide for label in ("事项名称", "设定依据", "申请条件", "办理材料", "办理流程"))
    assert any("写信时间" in t and "回复时间" in t for t in trs.values())
    assert any("留言时间" in t and "答复时间" in t for t in hanweb.values())


def test_gbk_sites_declare_their_charset_in_header_or_only_in_meta(city: RunningWorld) -> None:
    with httpx.Client() as client:
        kuang = client.get(city.url(site_by_id("1403030001").key, "/"))
        lin = client.get(city.url(site_by_id("1403000024").key, "/"))
    assert kuang.headers["content-type"] == "text/html; charset=gb2312"
    assert "阳泉市矿区人民政府" in kuang.content.decode("gbk")
    assert "charset" not in lin.headers["content-type"]
    assert b"charset=gbk" in lin.content and "阳泉市林业局" in lin.content.decode("gbk")


def test_the_fetcher_decodes_every_home_page(city: RunningWorld) -> None:
    async def fetch_all() -> list[tuple[str, str]]:
        async with Fetcher(load_settings().crawl) as fetcher:
            results = await asyncio.gather(*(fetcher.get(city.url(s.key, "/")) for s in SITES))
        return [(s.name, r.text()) for s, r in zip(SITES, results)]

    for name, text in asyncio.run(fetch_all()):
        assert f"<title>{name}</title>" in text


def test_the_world_follows_its_date() -> None:
    aug, sep = build_city(BASES, AUG), build_city(BASES, SEP)
    yu = site_by_id("1403220001").key
    assert "营商环境" not in html_of(aug, yu)["/index.html"] and "营商环境" in html_of(sep, yu)["/index.html"]
    forestry = site_by_id("1403000024").key
    assert max(shown_dates(html_of(aug, forestry)["/index.html"])) == "08-05"
    assert max(shown_dates(html_of(sep, forestry)["/index.html"])) > "09-10"


def shown_dates(html: str) -> list[str]:
    """MM-DD of every 2021 date a page shows, whatever its form."""
    found = re.findall(r"2021[-/年](\d\d)[-/月](\d\d)", html) + re.findall(r"<span>(\d\d)-(\d\d)</span>", html)
    return [f"{m}-{d}" for m, d in found]


def test_swap_serves_another_date_on_the_same_ports(city: RunningWorld) -> None:
    key = site_by_id("1403220001").key
    with httpx.Client() as client:
        before = client.get(city.url(key, "/index.html")).text
        city.swap(city_builder(SEP))
        try:
            after = client.get(city.url(key, "/index.html")).text
        finally:
            city.swap(city_builder(AUG))
        assert "营商环境" not in before and "营商环境" in after
        assert client.get(city.url(key, "/index.html")).text == before
    with pytest.raises(KeyError):
        city.swap(lambda bases: {"no-such-host": build_city(bases, AUG)[key]})


def test_feeds_come_as_rss_atom_and_json_and_list_only_posts_up_to_the_date(city: RunningWorld) -> None:
    registry = parse_registry(city_registry(city.bases))
    feeds = {(a.platform, a.name): a.feed for a in registry.accounts}
    with httpx.Client() as client:
        for (platform, name), kind in ((("wechat", "阳泉发布"), "application/rss+xml"),
                                       (("douyin", "阳泉发布"), "application/atom+xml"),
                                       (("app", "掌上阳泉"), "application/feed+json")):
            answer = client.get(feeds[(platform, name)])
            assert answer.headers["content-type"].startswith(kind)
            parsed = parse_feed(answer.content, kind, ZoneInfo("Asia/Shanghai"))
            assert parsed.error is None and len(parsed.posts) == 20
            assert max(p.published_at for p in parsed.posts).astimezone(ZoneInfo("Asia/Shanghai")).date() <= AUG
        down = client.get(feeds[("weibo", "阳泉文旅")])
    assert down.status_code == 503


def test_a_silent_account_lists_only_old_posts(city: RunningWorld) -> None:
    account = account_named("阳泉高新区", "xigua")
    registry = parse_registry(city_registry(city.bases))
    feed = next(a.feed for a in registry.accounts if a.id == account.id)
    parsed = parse_feed(httpx.get(feed).content, "application/atom+xml", ZoneInfo("Asia/Shanghai"))
    assert max(p.published_at for p in parsed.posts).date() < date(2021, 6, 22)


def test_some_hanweb_lists_ship_their_rows_as_datastore_records() -> None:
    hosts = build_city(BASES, AUG)
    pages = html_of(hosts, site_by_id("1403000009").key)
    listing = next(text for path, text in pages.items() if path.startswith("/col/") and "<datastore>" in text)
    assert re.search(r"<record><!\[CDATA\[<li><a href=\"/art/2021/\d+/\d+/art_\d+_\d+\.html\"", listing)
    assert "<recordset>" in listing and "dataproxy.jsp?page=1&webid=1" in listing
