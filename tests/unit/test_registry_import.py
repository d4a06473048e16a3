"""Registry import from office spreadsheets: xlsx and csv, Chinese headers and vocabularies, bad rows, TOML out."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from monitor.config.load import load_settings
from monitor.model.errors import RegistryError
from monitor.registry.model import load_registry
from monitor.registry.spreadsheet import (
    Issue,
    SpreadsheetError,
    checked_registry_toml,
    import_registry,
    registry_toml,
    toml_string,
)
from monitor.store.files import write_atomic

SETTINGS = load_settings(environ={})
DISTRICTS = ["市直", "小店区", "迎泽区", "杏花岭区", "尖草坪区", "万柏林区", "晋源区", "清徐县", "阳曲县", "娄烦县", "古交市"]
PLATFORM_WORDS = ["微信公众号", "新浪微博", "移动客户端", "抖音", "今日头条", "快手", "西瓜视频", "哔哩哔哩", "百家号",
                  "APP", "B站", "头条号", "微博", " 微信 "]
PLATFORM_IDS = ["wechat", "weibo", "app", "douyin", "toutiao", "kuaishou", "xigua", "bilibili", "baijiahao",
                "app", "bilibili", "toutiao", "weibo", "wechat"]
UNITS = ["发展和改革委员会", "教育局", "科学技术局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
         "自然资源局", "生态环境局", "住房和城乡建设局"]


def site_rows() -> list[list[Any]]:
    rows: list[list[Any]] = []
    for n in range(1, 34):
        district = DISTRICTS[n % len(DISTRICTS)]
        site_id: Any = 1401000000 + n if n % 2 else f"14010{n:05d}"
        url = f"127.0.0.1:{8100 + n}" if n % 5 == 0 else f"http://127.0.0.1:{8100 + n}/"
        kind = "政府门户网站" if n == 1 else ("部门网站" if n % 3 else "")
        rows.append([n, f"太原市{UNITS[n % len(UNITS)]}网站{n}", site_id, url, f"太原市{UNITS[n % len(UNITS)]}", district, kind])
    return rows


def account_rows() -> list[list[Any]]:
    rows: list[list[Any]] = []
    for n in range(1, 88):
        word = PLATFORM_WORDS[n % len(PLATFORM_WORDS)]
        feed = [f"rsshub:/weibo/user/{n}", f"http://127.0.0.1:1200/feeds/{n}.xml", "", "csv:exports/a.csv"][n % 4]
        status, deadline = ("拟注销", datetime(2021, 9, 30)) if n % 29 == 0 else (("迁移中", "2021/10/15") if n == 31 else ("正常" if n % 2 else "", None))
        name = "太原发布" if n in (14, 28) else f"{DISTRICTS[n % len(DISTRICTS)]}{UNITS[n % len(UNITS)]}{n}号"
        rows.append([n, name, word, f"太原市{UNITS[n % len(UNITS)]}", feed, DISTRICTS[n % len(DISTRICTS)], status, deadline])
    return rows


SITE_HEADER = ["序号", "网站名称", "网站标识码", "首页网址", "主办单位", "所属区县", "网站类型"]
ACCOUNT_HEADER = ["序号", "账号名称", "平台类型", "账号主体*", "订阅地址（RSS）", "所属区县/地区", "状态", "注销期限"]


def workbook(path: Path, sites: list[list[Any]], accounts: list[list[Any]]) -> Path:
    book = Workbook()
    note = book.active
    note.title = "填表说明"
    note.append(["请按模板填写，网站标识码为10位数字。"])
    sheet = book.create_sheet("政府网站")
    sheet.append(["太原市政府网站名单（2021年8月）"])
    sheet.append(SITE_HEADER)
    for row in sites:
        sheet.append(row)
    sheet = book.create_sheet("政务新媒体")
    sheet.append(["太原市政务新媒体名单"])
    sheet.append([])
    sheet.append(ACCOUNT_HEADER)
    for row in accounts:
        sheet.append(row)
    book.save(path)
    return path


def test_workbook_of_33_sites_and_87_accounts_round_trips_through_registry_toml(tmp_path: Path) -> None:
    source = workbook(tmp_path / "名单.xlsx", site_rows(), account_rows())
    registry = import_registry([source], SETTINGS)
    assert (len(registry.sites), len(registry.accounts)) == (33, 87)
    out = tmp_path / "out" / "registry.toml"
    write_atomic(out, checked_registry_toml(registry, out, [source.name]), what="registry")
    assert load_registry(out) == registry
    assert registry == import_registry([source], SETTINGS)
    assert [p.name for p in out.parent.iterdir()] == ["registry.toml"]

    first, fifth = registry.sites[0], registry.sites[4]
    assert (first.id, first.kind, first.url, first.district) == ("1401000001", "portal", "http://127.0.0.1:8101/", "小店区")
    assert (fifth.id, fifth.url, fifth.kind) == ("1401000005", "http://127.0.0.1:8105", "department")
    assert [a.platform for a in registry.accounts[:14]] == PLATFORM_IDS[1:] + PLATFORM_IDS[:1]
    by_name = [a for a in registry.accounts if a.name == "太原发布"]
    assert [(a.id, a.platform) for a in by_name] == [("wechat-tyfb", "wechat"), ("wechat-tyfb-2", "wechat")]
    closing = [(a.id, a.status, a.deadline) for a in registry.accounts if a.status != "active"]
    assert [c[1:] for c in closing] == [("closing", date(2021, 9, 30)), ("migrating", date(2021, 10, 15)),
                                        ("closing", date(2021, 9, 30)), ("closing", date(2021, 9, 30))]
    assert registry.accounts[0].feed == "http://127.0.0.1:1200/feeds/1.xml"
    assert registry.accounts[0].id == "weibo-xdqjyj1h"


def test_every_bad_row_is_reported_with_row_column_and_reason_and_nothing_is_written(tmp_path: Path) -> None:
    sites = site_rows()[:8]
    sites[2][2] = "14010001"
    sites[4][3] = None
    sites[6][2] = sites[0][2]
    sites[7][6] = "专题网站"
    accounts = account_rows()[:6]
    accounts[1][2] = "小红书"
    accounts[3][3] = "  "
    accounts[3][7] = "下个月"
    accounts[5][4] = "ftp://127.0.0.1/feed"
    source = workbook(tmp_path / "bad.xlsx", sites, accounts)
    out = tmp_path / "registry.toml"
    out.write_text("# the registry in use\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError) as err:
        import_registry([source], SETTINGS)
    file = str(source)
    assert err.value.issues == [
        Issue(file, "政府网站", 5, "C", "网站标识码", "网站标识码 must be 10 digits or 'bm' + 8 digits, got '14010001'"),
        Issue(file, "政府网站", 7, "D", "首页网址", "empty"),
        Issue(file, "政府网站", 9, "C", "网站标识码", "duplicate 网站标识码 1401000001 (first in row 3)"),
        Issue(file, "政府网站", 10, "G", "网站类型", "unknown site type '专题网站' (门户网站 or 部门网站)"),
        Issue(file, "政务新媒体", 5, "C", "平台类型", "unknown platform '小红书': map it in [accounts].platform_names"),
        Issue(file, "政务新媒体", 7, "D", "账号主体*", "empty"),
        Issue(file, "政务新媒体", 7, "H", "注销期限", "not a date: '下个月'"),
        Issue(file, "政务新媒体", 9, "E", "订阅地址（RSS）",
              "unsupported feed 'ftp://127.0.0.1/feed' (http(s)://…, rsshub:/route or csv:PATH)"),
    ]
    assert str(err.value).splitlines()[1] == (f"  {file}, sheet 政府网站, row 5, column C (网站标识码): "
                                              "网站标识码 must be 10 digits or 'bm' + 8 digits, got '14010001'")
    assert out.read_text(encoding="utf-8") == "# the registry in use\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx", "registry.toml"]


def test_gbk_csv_of_accounts_and_utf8_csv_of_sites_are_read(tmp_path: Path) -> None:
    accounts = tmp_path / "新媒体.csv"
    accounts.write_bytes("账号名称,平台,开办主体,订阅地址,所属区县\n太原发布,新浪微博,太原市人民政府新闻办公室,rsshub:/weibo/user/1,市直\n"
                         "清徐发布,微信,清徐县人民政府办公室,,清徐县\n".encode("gbk"))
    sites = tmp_path / "网站.csv"
    sites.write_text("网站名称,网站标识码,首页网址,主办单位\n太原市人民政府,1401000001,http://127.0.0.1:8101/,太原市人民政府办公室\n",
                     encoding="utf-8-sig")
    registry = import_registry([sites, accounts], SETTINGS)
    assert [(s.id, s.district) for s in registry.sites] == [("1401000001", "市直")]
    assert [(a.id, a.platform, a.district, a.feed) for a in registry.accounts] == [
        ("weibo-tyfb", "weibo", "市直", "rsshub:/weibo/user/1"), ("wechat-qxfb", "wechat", "清徐县", "")]


def test_missing_required_column_or_header_is_named_once(tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text("网站名称,首页网址\n太原市人民政府,http://127.0.0.1:8101/\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError) as err:
        import_registry([sites], SETTINGS)
    assert [str(i) for i in err.value.issues] == [f"{sites}, row 1: no column for 网站标识码 in the header row"]
    notes = tmp_path / "notes.csv"
    notes.write_text("说明\n无\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="no header row naming 网站名称"):
        import_registry([notes], SETTINGS)


def test_unsupported_or_missing_files_are_named(tmp_path: Path) -> None:
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(RegistryError, match="old.xls: unsupported spreadsheet type '.xls'"):
        import_registry([old], SETTINGS)
    with pytest.raises(RegistryError, match="none.xlsx: spreadsheet not found"):
        import_registry([tmp_path / "none.xlsx"], SETTINGS)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(RegistryError, match="fake.xlsx: not a readable xlsx workbook"):
        import_registry([fake], SETTINGS)


def test_toml_strings_escape_quotes_backslashes_and_control_characters() -> None:
    for value in ['太原"发布"', "C:\\新媒体\\", "一\n二\t三", "bell\x07", "del\x7f", "trailing \\"]:
        assert tomllib.loads(f"v = {toml_string(value)}")["v"] == value


def test_written_text_names_its_sources_and_reads_back(tmp_path: Path) -> None:
    registry = import_registry([workbook(tmp_path / "a.xlsx", site_rows()[:1], account_rows()[28:29])], SETTINGS)
    text = registry_toml(registry, ["a.xlsx"])
    assert text.startswith("# govmon registry: written by `govmon registry import` from a.xlsx\n")
    assert "deadline = 2021-09-30\n" in text
    assert tomllib.loads(text)["accounts"][0]["status"] == "closing"


def cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from monitor.cli.app import app
    return CliRunner().invoke(app, list(args))


def test_cli_import_then_validate_prints_counts_per_platform_and_district(tmp_path: Path) -> None:
    source = workbook(tmp_path / "名单.xlsx", site_rows(), account_rows())
    out = tmp_path / "reg" / "registry.toml"
    result = cli("registry", "import", str(source), "--out", str(out))
    assert (result.exit_code, result.output) == (0, f"wrote {out}: 33 sites, 87 accounts\n")
    (out.parent / "exports").mkdir()
    (out.parent / "exports" / "a.csv").write_text("published_at\n2021-08-02 09:00\n", encoding="utf-8")
    result = cli("registry", "validate", str(out))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{out}: 33 sites, 87 accounts — valid"
    assert lines[1] == "  sites by district: 万柏林区 3, 古交市 3, 娄烦县 3, 小店区 3, 尖草坪区 3, 市直 3, 晋源区 3, 杏花岭区 3, " \
                       "清徐县 3, 迎泽区 3, 阳曲县 3"
    assert lines[2] == ("  accounts by platform: app 13, weibo 13, bilibili 12, toutiao 12, wechat 12, douyin 7, "
                        "baijiahao 6, kuaishou 6, xigua 6")
    assert lines[4] == "  accounts by status: active 83, closing 3, migrating 1"


def test_cli_import_with_bad_rows_exits_2_listing_them_and_leaves_the_old_file(tmp_path: Path) -> None:
    sites, accounts = site_rows()[:3], account_rows()[:3]
    sites[1][2] = "abc"
    accounts[2][2] = "小红书"
    source = workbook(tmp_path / "bad.xlsx", sites, accounts)
    out = tmp_path / "registry.toml"
    out.write_text("# kept\n", encoding="utf-8")
    result = cli("registry", "import", str(source), "--out", str(out))
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "govmon: error: 2 problem(s) in the spreadsheet, nothing written:",
        f"  {source}, sheet 政府网站, row 4, column C (网站标识码): 网站标识码 must be 10 digits or 'bm' + 8 digits, got 'abc'",
        f"  {source}, sheet 政务新媒体, row 6, column C (平台类型): unknown platform '小红书': map it in [accounts].platform_names"]
    assert out.read_text(encoding="utf-8") == "# kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx", "registry.toml"]


def test_cli_validate_names_file_line_and_field_and_reads_the_default_registry(tmp_path: Path) -> None:
    registry = tmp_path / "registry.toml"
    registry.write_text('[[accounts]]\nid = "a"\nname = "甲"\nplatform = "wechat"\nowner = "某局"\nfeed = "csv:none.csv"\n\n'
                        '[[accounts]]\nid = "b"\nname = "乙"\nplatform = "xiaohongshu"\nowner = "某局"\n', encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text(f'[general]\nregistry = "{registry}"\n', encoding="utf-8")
    result = cli("--settings", str(settings), "registry", "validate")
    assert result.exit_code == 2
    assert result.output.startswith(f"govmon: error: {registry}:11: accounts[1] (id=b): platform: ")
    registry.write_text(registry.read_text(encoding="utf-8").replace("xiaohongshu", "other"), encoding="utf-8")
    result = cli("--settings", str(settings), "registry", "validate")
    assert (result.exit_code, result.output) == (
        2, f"govmon: error: {registry}:1: accounts[0] (id=a): feed: export file {tmp_path / 'none.csv'} not found\n")
