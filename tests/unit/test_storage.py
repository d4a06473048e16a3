"""Store: a real SQLite file; snapshots, probes, posts, results and leases round-trip."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.model.snapshots import FeedFetch, LinkResult, PageSnapshot, Post, Probe, SiteSnapshot
from monitor.store.store import Store

T0 = datetime(2021, 8, 31, 2, 0, tzinfo=UTC)


def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'db' / 'govmon.db'}")


def test_site_snapshot_round_trips_with_aware_datetimes(tmp_path: Path) -> None:
    s = store(tmp_path)
    home = PageSnapshot(url="http://127.0.0.1:1/", final_url="http://127.0.0.1:1/", status=200, fetched_at=T0)
    snap = SiteSnapshot(site_id="1403000001", url=home.url, started_at=T0, finished_at=T0 + timedelta(minutes=1), home=home)
    s.save_site_snapshot(snap)
    back = s.latest_site_snapshot("1403000001")
    assert back == snap
    assert back.home.fetched_at.tzinfo is not None
    assert s.latest_site_snapshot("1403000001", at_or_before=T0) is None


def test_fresh_links_returns_only_results_inside_the_window(tmp_path: Path) -> None:
    s = store(tmp_path)
    s.save_links([LinkResult(url="http://127.0.0.1:1/a", outcome="dead", status=404, checked_at=T0),
                  LinkResult(url="http://127.0.0.1:1/b", outcome="ok", status=200, checked_at=T0 - timedelta(days=2))])
    fresh = s.fresh_links(T0 - timedelta(hours=24))
    assert list(fresh) == ["http://127.0.0.1:1/a"]
    assert fresh["http://127.0.0.1:1/a"].status == 404


def test_posts_are_stored_once_per_key(tmp_path: Path) -> None:
    s = store(tmp_path)
    post = Post(key="g1", published_at=T0, title="t")
    assert s.add_posts("wx-1", [post, post], seen_at=T0) == 1
    assert s.add_posts("wx-1", [post, Post(key="g2", published_at=T0)], seen_at=T0) == 1
    s.add_feed_fetch("wx-1", FeedFetch(at=T0, ok=True, items=2, oldest=T0, newest=T0))
    snap = s.account_snapshot("wx-1")
    assert [p.key for p in snap.posts] == ["g1", "g2"]
    assert snap.fetches[0].items == 2
    assert s.post_counts(T0 - timedelta(days=1), T0 + timedelta(days=1)) == {"wx-1": 2}


def test_probes_are_counted_per_site(tmp_path: Path) -> None:
    s = store(tmp_path)
    s.add_probes("1403000001", [Probe(url="u", at=T0, ok=True), Probe(url="u", at=T0 + timedelta(hours=1), ok=False, error="timeout")])
    assert s.probe_counts(T0, T0 + timedelta(days=1)) == {"1403000001": (2, 1)}
    assert [p.error for p in s.probes("1403000001", T0, T0 + timedelta(days=1))] == [None, "timeout"]


def test_results_replace_per_target_and_mark_done(tmp_path: Path) -> None:
    s = store(tmp_path)
    s.save_result("2021-08", "site", "1403000001", "2021-08-31", {"id": "1403000001", "verdict": "fail", "score": 50}, T0)
    s.save_result("2021-08", "site", "1403000001", "2021-08-31", {"id": "1403000001", "verdict": "pass", "score": 99}, T0)
    results = s.results("2021-08")
    assert len(results) == 1 and results[0]["verdict"] == "pass"
    assert s.done_targets("2021-08", "2021-08-31") == {("site", "1403000001")}
    assert s.done_targets("2021-08", "2021-08-30") == set()


def test_inspection_document_round_trips(tmp_path: Path) -> None:
    s = store(tmp_path)
    s.start_inspection("2021-08", "2021-08-31", T0)
    assert s.inspection("2021-08") is None
    s.finish_inspection("2021-08", {"period": "2021-08", "as_of": "2021-08-31", "sites": []}, T0)
    assert s.inspection("2021-08")["as_of"] == "2021-08-31"


def test_a_lease_is_exclusive_until_it_expires(tmp_path: Path) -> None:
    s = store(tmp_path)
    ttl = timedelta(minutes=5)
    assert s.acquire_lease("monthly", "a", ttl, T0)
    assert not s.acquire_lease("monthly", "b", ttl, T0 + timedelta(minutes=1))
    assert s.acquire_lease("monthly", "a", ttl, T0 + timedelta(minutes=2))
    assert s.acquire_lease("monthly", "b", ttl, T0 + timedelta(minutes=8))
    s.release_lease("monthly", "b")
    assert s.acquire_lease("monthly", "a", ttl, T0 + timedelta(minutes=9))


def test_data_survives_reopening_the_file(tmp_path: Path) -> None:
    store(tmp_path).add_probes("x", [Probe(url="u", at=T0, ok=True)])
    assert store(tmp_path).probe_counts(T0, T0 + timedelta(seconds=1)) == {"x": (1, 0)}


def test_content_marks_of_saved_snapshots_are_read_back_by_time(tmp_path: Path) -> None:
    from monitor.model.snapshots import ListItem

    s = store(tmp_path)
    url = "http://127.0.0.1:1/"
    for day, title in ((1, "甲"), (2, "甲"), (3, "乙")):
        at = T0.replace(day=day)
        home = PageSnapshot(url=url, final_url=url, fetched_at=at, items=[ListItem(title=title, url=url + "a")])
        s.save_site_snapshot(SiteSnapshot(site_id="1403000001", url=url, started_at=at, finished_at=at, home=home))
    marks = s.content_marks("1403000001", T0.replace(day=2), T0.replace(day=3))
    assert [(m.taken_at.day, m.items_hash == marks[0].items_hash) for m in marks] == [(2, True), (3, False)]


def test_saving_links_again_updates_each_url_in_place(tmp_path: Path) -> None:
    s = store(tmp_path)
    urls = [f"http://127.0.0.1:1/{n}.html" for n in range(2500)]  # more than one chunk
    s.save_links(LinkResult(url=u, outcome="ok", status=200, checked_at=T0) for u in urls)
    later = T0 + timedelta(hours=1)
    s.save_links([LinkResult(url=urls[0], outcome="dead", status=404, checked_at=T0),
                  LinkResult(url=urls[0], outcome="dead", status=410, checked_at=later),  # the last one wins
                  LinkResult(url="http://127.0.0.1:1/new", outcome="ok", status=200, checked_at=later)])
    fresh = s.fresh_links(T0)
    assert len(fresh) == 2501
    assert (fresh[urls[0]].status, fresh[urls[0]].checked_at) == (410, later)
    assert fresh[urls[1]].status == 200


def test_pages_and_content_marks_are_saved_in_bulk(tmp_path: Path) -> None:
    s = store(tmp_path)
    pages = [PageSnapshot(url=f"http://127.0.0.1:1/{n}", final_url=f"http://127.0.0.1:1/{n}", status=200,
                          fetched_at=T0) for n in range(1200)]
    s.save_pages("1403000001", pages)
    from sqlalchemy import text

    with s.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*), count(DISTINCT url) FROM pages")).one() == (1200, 1200)


def _big_snapshot() -> SiteSnapshot:
    from monitor.model.snapshots import LinkSource, ListItem

    pages = [PageSnapshot(url=f"http://127.0.0.1:1/p{i}.html", final_url=f"http://127.0.0.1:1/p{i}.html", status=200,
                          fetched_at=T0, title=f"第{i}页", text="政务公开 " * 400, content_hash=f"{i:064x}")
             for i in range(60)]
    home = PageSnapshot(url="http://127.0.0.1:1/", final_url="http://127.0.0.1:1/", status=200, fetched_at=T0,
                        items=[ListItem(title="通知", url="http://127.0.0.1:1/p1.html")])
    links = [LinkResult(url=f"http://127.0.0.1:1/a{i}.pdf", outcome="dead", status=404, checked_at=T0,
                        sources=[LinkSource(page=p.url, content_hash=p.content_hash) for p in pages[i % 7:i]])
             for i in range(40)]
    return SiteSnapshot(site_id="1403000001", url=home.url, started_at=T0, home=home, pages=pages, links=links,
                        notes=["a note"])


def test_a_snapshot_streamed_to_the_store_reads_back_equal_with_its_sources_numbered(tmp_path: Path) -> None:
    from monitor.store.store import pack_snapshot, unpack_snapshot
    from monitor.store.tables import PACK_CHUNK, unpack

    snap = _big_snapshot()
    assert len(snap.model_dump_json()) > 3 * PACK_CHUNK  # several chunks are compressed
    stored = unpack(pack_snapshot(snap))
    assert stored["links"][8]["sources"] == [1, 2, 3, 4, 5, 6, 7]  # pages 1 to 7, numbered as first met
    assert stored["source_pages"][0] == [snap.pages[0].url, f"{0:064x}"]
    assert len(stored["source_pages"]) == 39  # each page that holds a link once
    back = unpack_snapshot(pack_snapshot(snap))
    assert back == snap
    assert back.links[9].sources[3] is back.links[10].sources[2]  # one object per source page
    s = store(tmp_path)
    s.save_site_snapshot(snap)
    assert s.latest_site_snapshot("1403000001") == snap


def test_a_snapshot_stored_with_its_sources_as_objects_still_reads_back(tmp_path: Path) -> None:
    from monitor.store.store import unpack_snapshot
    from monitor.store.tables import pack

    snap = _big_snapshot()
    assert unpack_snapshot(pack(snap.model_dump(mode="json", exclude={"history"}))) == snap


def test_streamed_packing_gives_the_bytes_of_packing_at_once() -> None:
    from monitor.store.tables import pack, pack_streamed

    head = {"b": 1, "z": {"y": "值", "x": None}}
    lists = {"a": [{"k": i, "t": "文" * i} for i in range(5000)], "c": []}
    assert pack_streamed(head, {k: iter(v) for k, v in lists.items()}) == pack({**head, **lists})
