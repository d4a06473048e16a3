"""The sandbox server: hosts on 127.0.0.1 ports, exact and generated routes, encodings, dead ports."""

import httpx

from monitor.sandbox.server import Host, Route, serve_world


def world(bases: dict[str, str]) -> dict[str, Host]:
    site = Host()
    site.add("/", Route("<a href='/gbk'>x</a>"))
    site.add("/gbk", Route("政府网站".encode("gbk"), content_type="text/html; charset=gbk"))
    site.add("/moved", Route(status=301, location=bases["site"] + "/"))
    site.fallback = lambda path: Route(f"generated {path}") if path.startswith("/gen/") else None
    return {"site": site}


def test_world_serves_routes_generated_paths_and_404s() -> None:
    with serve_world(world, ["site"], dead=("gone",)) as web:
        with httpx.Client() as client:
            assert client.get(web.url("site", "/gbk")).content.decode("gbk") == "政府网站"
            assert client.get(web.url("site", "/moved"), follow_redirects=True).url == httpx.URL(web.url("site", "/"))
            assert client.get(web.url("site", "/gen/1?a=b")).text == "generated /gen/1?a=b"
            assert client.get(web.url("site", "/nope")).status_code == 404
            try:
                client.get(web.url("gone", "/"), timeout=2)
                reached = True
            except httpx.ConnectError:
                reached = False
        assert not reached
        assert web.hits["site"]["/gbk"] == 1
