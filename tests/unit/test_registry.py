"""Registry loading: valid files load; every error names file, line, entry and field."""

from pathlib import Path

import pytest

from monitor.model.errors import RegistryError
from monitor.registry.model import load_registry, parse_registry

GOOD = """
[[sites]]
id = "1403000001"
name = "阳泉市人民政府"
url = "http://127.0.0.1:8001/"
owner = "阳泉市人民政府办公室"

[[sites.columns]]
name = "政务动态"
url = "http://127.0.0.1:8001/zwdt/"
kind = "news"

[[accounts]]
id = "wx-1"
name = "阳泉发布"
platform = "wechat"
owner = "阳泉市人民政府新闻办公室"
feed = "http://127.0.0.1:8100/wx-1.xml"
"""


def test_valid_registry_loads_sites_pinned_columns_and_accounts() -> None:
    reg = parse_registry(GOOD)
    assert reg.site("1403000001").columns[0].kind == "news"
    assert reg.account("wx-1").platform == "wechat"
    assert reg.accounts[0].status == "active"


def test_bad_url_names_line_entry_and_field() -> None:
    text = GOOD.replace('url = "http://127.0.0.1:8001/"', 'url = "127.0.0.1:8001"')
    with pytest.raises(RegistryError) as err:
        parse_registry(text, "reg.toml")
    assert str(err.value).startswith("reg.toml:5: sites[0] (id=1403000001): url:")


def test_bad_site_id_is_rejected() -> None:
    with pytest.raises(RegistryError, match="id: .*网站标识码"):
        parse_registry(GOOD.replace('"1403000001"', '"14030001"'))


def test_unknown_platform_names_the_account_line() -> None:
    text = GOOD.replace('platform = "wechat"', 'platform = "myspace"')
    with pytest.raises(RegistryError, match=r"reg.toml:16: accounts\[0\] \(id=wx-1\): platform: .*unknown platform"):
        parse_registry(text, "reg.toml")


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(RegistryError, match="colour: unknown field"):
        parse_registry(GOOD.replace('owner = "阳泉市人民政府办公室"', 'colour = "red"'))


def test_duplicate_ids_are_rejected() -> None:
    text = GOOD + GOOD.split("[[accounts]]")[1].join(["[[accounts]]", ""])
    with pytest.raises(RegistryError, match="duplicate id 'wx-1'"):
        parse_registry(text)


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="invalid TOML"):
        parse_registry("[[sites]\n")
    with pytest.raises(RegistryError, match="registry file not found"):
        load_registry(tmp_path / "none.toml")


def test_non_utf8_registry_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(RegistryError, match="not UTF-8"):
        load_registry(path)
