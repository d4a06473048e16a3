"""dead_link over hand-built snapshots: one finding per broken URL, blocked as notices, options."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from checks import check_options
from checks.base import CheckContext
from checks.dead_link import CHECK, Options
from monitor.config.load import load_settings
from monitor.model.findings import Severity
from monitor.model.period import Period
from monitor.model.snapshots import LinkResult, LinkSource, PageSnapshot, SiteSnapshot
from monitor.registry.model import Site

HOME = "http://www.example.gov.cn/"
AT = datetime(2021, 8, 30, 2, 0, tzinfo=UTC)
SITE = Site(id="1401000001", name="示范市人民政府", url=HOME)


def src(page: str, digest: str = "") -> LinkSource:
    return LinkSource(page=page, content_hash=digest or f"hash-of-{page.rsplit('/', 1)[-1] or 'home'}")


def link(url: str, outcome: str, *sources: LinkSource, status: int | None = None, error: str | None = None,
         internal: bool = True) -> LinkResult:
    return LinkResult(url=url, outcome=outcome, status=status, error=error, final_url=url, checked_at=AT,
                      sources=list(sources), internal=internal)  # type: ignore[arg-type]


def snapshot(*links: LinkResult) -> SiteSnapshot:
    home = PageSnapshot(url=HOME, final_url=HOME, status=200, fetched_at=AT)
    return SiteSnapshot(site_id=SITE.id, url=HOME, started_at=AT, home=home, links=list(links))


def run(snap: SiteSnapshot, **options: object) -> list:
    settings = load_settings(environ={})
    ctx = CheckContext(Period.for_as_of(date(2021, 8, 31)), Options.shipped(**options), settings)  # type: ignore[arg-type]
    return list(CHECK.run_site(SITE, snap, ctx))


def test_a_dead_link_on_two_pages_is_one_finding_with_both_sources_and_their_hashes() -> None:
    article = "http://www.example.gov.cn/zwdt/a.html"
    snap = snapshot(link("http://www.example.gov.cn/x.html", "dead", src(article, "h2"), src(HOME, "h1"), status=404))
    [finding] = run(snap)
    assert finding.to_dict() == {
        "check": "dead_link", "severity": "deduct", "url": "http://www.example.gov.cn/x.html",
        "sources": [HOME, article], "status": 404, "home": True, "seen_at": "2021-08-30T02:00:00+00:00",
        "source_hashes": {HOME: "h1", article: "h2"}, "points": 0.0, "clause": "网站可用性：首页不可用链接",
    }


@pytest.mark.parametrize(("status", "error", "shown"), [(None, "timeout", "timeout"), (None, "dns_error", "dns_error"),
                                                        (302, "redirect_loop", "redirect_loop"),
                                                        (200, "soft_404", "soft_404"), (500, None, 500),
                                                        (None, "connect_error", "connect_error")])
def test_status_is_the_error_name_when_there_is_one_else_the_http_status(status: int | None, error: str | None,
                                                                         shown: object) -> None:
    [finding] = run(snapshot(link("http://www.example.gov.cn/x", "dead", src(HOME), status=status, error=error)))
    assert finding.data["status"] == shown


def test_links_found_only_on_other_pages_are_not_home_links() -> None:
    other = src("http://www.example.gov.cn/l/")
    [finding] = run(snapshot(link("http://www.example.gov.cn/x", "dead", other, status=404)))
    assert finding.data["home"] is False and finding.clause == "网站可用性：其他页面不可用链接"


def test_ok_and_skipped_links_give_no_finding() -> None:
    snap = snapshot(link("http://www.example.gov.cn/ok", "ok", src(HOME), status=200),
                    link("http://www.example.gov.cn/p", "skipped", src(HOME), error="robots_disallowed"))
    assert run(snap) == []


def test_blocked_links_are_notices_marked_blocked_never_dead() -> None:
    [finding] = run(snapshot(link("http://www.example.gov.cn/waf", "blocked", src(HOME), status=403, error="waf")))
    assert finding.severity == Severity.NOTICE
    assert finding.data["blocked"] is True and finding.data["status"] == 403


def test_blocked_links_can_be_left_out() -> None:
    snap = snapshot(link("http://www.example.gov.cn/waf", "blocked", src(HOME), status=429))
    assert run(snap, report_blocked=False) == []


def test_external_links_can_be_left_out_and_urls_ignored_by_pattern() -> None:
    snap = snapshot(link("http://other.example.cn/x", "dead", src(HOME), status=404, internal=False),
                    link("http://www.example.gov.cn/old/y.html", "dead", src(HOME), status=404),
                    link("http://www.example.gov.cn/z.html", "dead", src(HOME), status=404))
    assert [f.url for f in run(snap)] == ["http://other.example.cn/x", "http://www.example.gov.cn/old/y.html",
                                          "http://www.example.gov.cn/z.html"]
    assert [f.url for f in run(snap, include_external=False, ignore_patterns=["/old/"])] == [
        "http://www.example.gov.cn/z.html"]


def test_findings_are_sorted_by_url() -> None:
    snap = snapshot(*(link(f"http://www.example.gov.cn/{c}", "dead", src(HOME), status=404) for c in "cab"))
    assert [f.url for f in run(snap)] == [f"http://www.example.gov.cn/{c}" for c in "abc"]


def test_a_bad_ignore_pattern_is_an_error_naming_it() -> None:
    with pytest.raises(ValidationError, match=r"invalid regular expression '\(unclosed'"):
        Options.shipped(ignore_patterns=["(unclosed"])


def test_settings_defaults_match_the_options_model() -> None:
    assert check_options(load_settings(environ={}), "dead_link") == Options.shipped()
