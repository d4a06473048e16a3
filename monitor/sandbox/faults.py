"""The fault world: two government-style sites with known link faults, for crawler tests and docs.

* ``portal`` — a TRS-like portal (UTF-8): nav 首页/政务动态/通知公告/政策文件/互动交流/办事服务,
  lists with dates in ``<span>`` and table cells, articles with 发布时间, attachments.
* ``dept`` — a 大汉 (Hanweb)-like department site in GBK: pages served with ``charset=gbk``, and
  one article declaring GBK only in ``<meta>``.
* ``ext`` — an "external" site on another port: an OK page and a 404 page.
* ``gone`` — a dead external host (a port nothing listens on).
* ``county`` — a hostile county site (``monitor.sandbox.faults_hostile``): ``error_page 404 =200``,
  a short home page with firewall badges, WAF block pages of eight vendors, a 302 without
  Location, an app-scheme redirect, a session-id trap, compression bombs, a lying Content-Length.
  Not in the fault registry (``fault_sites``): crawled as ``county_site(bases)``.

Injected faults: dead internal pages and attachments (404), a dead image on the home page,
a 500, a soft 404 (200 + 您访问的页面不存在), a redirect loop, a page hanging past the
timeout (tests use a small ``timeout_total``), dead external links; and things that must NOT
be reported as dead: a WAF page (403 安全狗/云盾, blocked), 429 (blocked), GBK pages, a redirect
chain ending in 200, a meta refresh, javascript:/mailto:/tel:/data:/fragment links, a
``dns-prefetch`` of the dead host, links only on the soft-404 page or only on the external
site (neither is parsed), two crawler traps (a calendar ``?month=N`` and ``/lm/lm/…``), and a dead
page under a path robots.txt disallows (``ROBOTS_DISALLOWED``: neither requested nor reported).

``EXPECTED_DEAD`` / ``EXPECTED_BLOCKED`` are the exact answers, as (host key, path) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.model.urls import normalize
from monitor.registry.model import Registry, Site
from monitor.sandbox.faults_hostile import COUNTY, county_fallback, county_routes
from monitor.sandbox.faults_pages import dept_routes, ext_routes, portal_routes, trap_fallback
from monitor.sandbox.firewall_pages import BLOCK_PAGES
from monitor.sandbox.server import Host

PORTAL, DEPT, EXT, GONE = "portal", "dept", "ext", "gone"
KEYS: list[str] = [PORTAL, DEPT, EXT, COUNTY]
DEAD_KEYS: tuple[str, ...] = (GONE,)
SITE_IDS: dict[str, str] = {PORTAL: "1401000001", DEPT: "1401000002", COUNTY: "1401000003"}
SITE_NAMES: dict[str, str] = {PORTAL: "示范市人民政府", DEPT: "示范市发展和改革局", COUNTY: "示范县人民政府"}

Ref = tuple[str, str]


@dataclass(frozen=True, slots=True)
class ExpectedLink:
    """One link the dead_link check must report for ``site``: target, status, pages it is on."""

    site: str
    target: Ref
    status: int | str
    sources: tuple[Ref, ...]

    @property
    def home(self) -> bool:
        return (self.site, "/") in self.sources


EXPECTED_DEAD: tuple[ExpectedLink, ...] = (
    ExpectedLink(PORTAL, (PORTAL, "/zwdt/202107/t20210701_0999.html"), 404, ((PORTAL, "/"),)),
    ExpectedLink(PORTAL, (PORTAL, "/images/old_banner.jpg"), 404, ((PORTAL, "/"),)),
    ExpectedLink(PORTAL, (GONE, "/index.html"), "connect_error", ((PORTAL, "/"),)),
    ExpectedLink(PORTAL, (PORTAL, "/zwdt/202106/t20210610_0888.html"), 404,
                 ((PORTAL, "/zwdt/"), (PORTAL, "/zwdt/202108/t20210820_1001.html"))),
    ExpectedLink(PORTAL, (PORTAL, "/zwdt/202108/P020210820_old.doc"), 404,
                 ((PORTAL, "/zwdt/202108/t20210820_1001.html"),)),
    ExpectedLink(PORTAL, (PORTAL, "/tzgg/202106/t20210601_2001.html"), "soft_404", ((PORTAL, "/tzgg/"),)),
    ExpectedLink(PORTAL, (PORTAL, "/zcwj/t20200101_3999.html"), 404, ((PORTAL, "/tzgg/202107/t20210715_2002.html"),)),
    ExpectedLink(PORTAL, (PORTAL, "/loop/a.html"), "redirect_loop", ((PORTAL, "/zcwj/"),)),
    ExpectedLink(PORTAL, (PORTAL, "/slow/report.html"), "timeout", ((PORTAL, "/zcwj/"),)),
    ExpectedLink(PORTAL, (PORTAL, "/zcwj/broken.jsp"), 500, ((PORTAL, "/zcwj/"),)),
    ExpectedLink(PORTAL, (EXT, "/missing.html"), 404, ((PORTAL, "/bsfw/"),)),
    ExpectedLink(DEPT, (DEPT, "/art/2021/3/1/art_1001_40404.html"), 404, ((DEPT, "/col/col1001/index.html"),)),
    ExpectedLink(DEPT, (DEPT, "/module/download/files/2021/guide_missing.pdf"), 404,
                 ((DEPT, "/col/col1003/index.html"),)),
    ExpectedLink(DEPT, (DEPT, "/art/2020/12/1/art_1001_30303.html"), 404,
                 ((DEPT, "/art/2021/8/18/art_1001_50001.html"),)),
    ExpectedLink(DEPT, (GONE, "/index.html"), "connect_error", ((DEPT, "/"),)),
    ExpectedLink(COUNTY, (COUNTY, "/files/missing.xls"), "soft_404", ((COUNTY, "/jb/"),)),
    ExpectedLink(COUNTY, (COUNTY, "/go/nowhere.html"), "redirect", ((COUNTY, "/jb/"),)),
)

EXPECTED_BLOCKED: tuple[ExpectedLink, ...] = (
    ExpectedLink(PORTAL, (PORTAL, "/waf/"), 403, ((PORTAL, "/"),)),
    ExpectedLink(PORTAL, (PORTAL, "/hdjl/ask.html"), 429, ((PORTAL, "/hdjl/"),)),
    ExpectedLink(DEPT, (DEPT, "/col/col1004/submit.jsp"), 403, ((DEPT, "/col/col1004/index.html"),)),
    ExpectedLink(DEPT, (DEPT, "/col/col1005/query.jsp"), 429, ((DEPT, "/col/col1005/index.html"),)),
    *(ExpectedLink(COUNTY, (COUNTY, f"/fw/{key}.html"), page.status, ((COUNTY, "/jb/"),))
      for key, page in sorted(BLOCK_PAGES.items())),
)

#: Linked from /zcwj/, 404 if fetched, but robots.txt disallows /private/: never requested.
ROBOTS_DISALLOWED: Ref = (PORTAL, "/private/report.html")

#: URLs that must never appear among the links: only on pages that must not be parsed.
NEVER_SEEN: tuple[Ref, ...] = ((PORTAL, "/tzgg/202106/only_on_soft404.html"), (EXT, "/ext-only-dead.html"))


def absolute(bases: dict[str, str], ref: Ref) -> str:
    """The normalised absolute URL of a (host key, path) pair in a running world."""
    url = normalize(bases[ref[0]] + ref[1])
    assert url is not None
    return url


def expected(bases: dict[str, str], site: str, links: tuple[ExpectedLink, ...] = EXPECTED_DEAD) -> list[dict]:
    """``links`` of one site as {url, status, sources, home}, sorted by url (the check's order)."""
    rows = [{"url": absolute(bases, e.target), "status": e.status, "home": e.home,
             "sources": sorted(absolute(bases, s) for s in e.sources)} for e in links if e.site == site]
    return sorted(rows, key=lambda r: r["url"])


def fault_sites(bases: dict[str, str]) -> list[Site]:
    """The registry entries of the two sites of the fault world."""
    return [Site(id=SITE_IDS[key], name=SITE_NAMES[key], url=bases[key] + "/", owner=SITE_NAMES[key],
                 kind="portal" if key == PORTAL else "department") for key in (PORTAL, DEPT)]


def county_site(bases: dict[str, str]) -> Site:
    """The hostile county site as a registry entry (kept out of ``fault_sites``: its block pages and
    bombs are for crawler tests and the hostile benchmark, not for every registry-wide test)."""
    return Site(id=SITE_IDS[COUNTY], name=SITE_NAMES[COUNTY], url=bases[COUNTY] + "/", owner=SITE_NAMES[COUNTY],
                kind="department")


def fault_registry(bases: dict[str, str]) -> Registry:
    return Registry(sites=fault_sites(bases))


def registry_toml(bases: dict[str, str]) -> str:
    """The fault world's registry as ``registry.toml`` text (for CLI tests)."""
    out = []
    for site in fault_sites(bases):
        out.append(f'[[sites]]\nid = "{site.id}"\nname = "{site.name}"\nurl = "{site.url}"\n'
                   f'owner = "{site.owner}"\nkind = "{site.kind}"\n')
    return "\n".join(out)


def build_fault_world(bases: dict[str, str]) -> dict[str, Host]:
    """World builder for ``serve_world(build_fault_world, KEYS, dead=DEAD_KEYS)``."""
    return {
        PORTAL: Host(routes=portal_routes(bases), fallback=trap_fallback),
        DEPT: Host(routes=dept_routes(bases)),
        EXT: Host(routes=ext_routes(bases)),
        COUNTY: Host(routes=county_routes(bases), fallback=county_fallback),
    }

