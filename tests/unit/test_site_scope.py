"""A site's scope as the crawler sets it: one host's http and https are one site unless a port is pinned."""

from monitor.crawl.crawler import site_scope
from monitor.model.urls import in_scope
from monitor.registry.model import Site


def test_http_and_https_of_one_host_are_one_site_unless_the_registry_pins_a_port() -> None:
    plain = site_scope(Site(id="1499000001", name="示范县", url="http://www.example.gov.cn/"))
    assert in_scope("https://www.example.gov.cn/xwzx/", plain) and in_scope("http://www.example.gov.cn/a.html", plain)
    assert not in_scope("https://other.example.gov.cn/", plain)
    pinned = site_scope(Site(id="1499000002", name="示范县", url="http://127.0.0.1:8080/"))
    assert in_scope("http://127.0.0.1:8080/a.html", pinned) and not in_scope("https://127.0.0.1:8443/", pinned)
