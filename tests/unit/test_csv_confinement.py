"""``csv:`` feed paths stay inside ``[accounts] csv_dir``: absolute paths, ``..`` and links out are refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.accounts.sources import csv_feed_problem, read_source
from monitor.config.load import shipped_settings
from monitor.model.errors import RegistryError
from monitor.registry.model import Account, parse_registry

NOW = datetime(2021, 8, 31, 12, tzinfo=UTC)
ENTRY = '[[accounts]]\nid = "wx-9"\nname = "甲"\nplatform = "wechat"\nowner = "某局"\nfeed = "{feed}"\n'


@pytest.mark.parametrize(("feed", "problem"), [
    ("csv:/etc/passwd", "is absolute"),
    ("csv:C:/exports/a.csv", "is absolute"),
    ("csv:../secrets.csv", "'..' is not allowed"),
    ("csv:exports/../../x.csv", "'..' is not allowed"),
    ("csv:exports\\\\..\\\\..\\\\x.csv", "'..' is not allowed"),
    ("csv:", "without a file path"),
])
def test_a_registry_entry_escaping_csv_dir_is_an_error_naming_line_entry_and_field(feed: str, problem: str) -> None:
    with pytest.raises(RegistryError) as err:
        parse_registry(ENTRY.format(feed=feed), "registry.toml")
    assert str(err.value).startswith("registry.toml:6: accounts[0] (id=wx-9): feed:")
    assert problem in str(err.value)


@pytest.mark.parametrize("feed", ["csv:exports/wx.csv", "csv:wx.csv", "csv:a..b.csv", "rsshub:/weibo/user/1",
                                  "http://127.0.0.1:1200/feed/../x"])
def test_relative_csv_paths_and_other_feeds_are_accepted(feed: str) -> None:
    assert csv_feed_problem(feed) is None


async def test_a_link_leading_out_of_csv_dir_is_refused_at_read_time_as_a_value(tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text("published_at\n2021-08-02 09:00\n", encoding="utf-8")
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "wx.csv").symlink_to(outside)
    settings = shipped_settings()
    settings.accounts.csv_dir = str(exports)
    account = Account(id="wx-9", name="甲", platform="wechat", owner="某局", feed="csv:wx.csv")
    result = await read_source(account, fetcher=None, settings=settings, now=NOW)  # type: ignore[arg-type]
    assert (result.fetch.ok, result.fetch.error, result.posts) == (False, "refused_path", [])
    assert "account wx-9" in result.detail and "outside [accounts] csv_dir" in result.detail


async def test_an_absolute_path_slipped_past_the_registry_is_still_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("published_at\n2021-08-02 09:00\n", encoding="utf-8")
    account = Account.model_construct(id="wx-9", name="甲", platform="wechat", owner="某局", feed=f"csv:{secret}",
                                      status="active", district="市直", deadline=None)
    result = await read_source(account, fetcher=None, settings=shipped_settings(), now=NOW)  # type: ignore[arg-type]
    assert (result.fetch.ok, result.fetch.error) == (False, "refused_path")


def test_a_spreadsheet_row_with_an_escaping_csv_path_is_a_row_problem() -> None:
    from monitor.registry.rows import RowError, account_row

    cells = {"name": "甲", "platform": "微信公众号", "owner": "某局", "feed": "csv:../../etc/shadow"}
    with pytest.raises(RowError) as err:
        account_row(cells, shipped_settings())
    assert err.value.problems == [("feed", "csv: path '../../etc/shadow' leaves [accounts] csv_dir ('..' is not allowed)")]
