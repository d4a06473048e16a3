"""duplicate_account: one owner, one platform, more than one active account — named on each of them."""

from datetime import date
from typing import Any

from checks.base import CheckContext
from checks.duplicate_account import CHECK, CLAUSE, Options, normalise_owner
from monitor.config.load import shipped_settings
from monitor.model.period import Period
from monitor.model.snapshots import AccountSnapshot
from monitor.registry.model import Account, Registry


def acc(id: str, owner: str, platform: str = "weibo", status: str = "active") -> Account:
    return Account(id=id, name=id, platform=platform, owner=owner, feed=f"rsshub:/weibo/user/{id}", status=status)


def run(account: Account, registry: Registry | None, **options: Any) -> list[dict[str, Any]]:
    ctx = CheckContext(Period.for_as_of(date(2021, 8, 31)), Options.shipped(**options), shipped_settings(), registry)
    return [f.to_dict() for f in CHECK.run_account(account, AccountSnapshot(account_id=account.id), ctx)]


def test_owner_names_compare_after_width_space_and_trailing_punctuation() -> None:
    assert normalise_owner("太原市 公安局。") == "太原市公安局"
    assert normalise_owner("\u3000太原市公安局（交警支队）！ ") == "太原市公安局(交警支队)"
    assert normalise_owner("ＴＹ市公安局") == "TY市公安局"


def test_each_duplicate_account_gets_the_same_finding_with_sorted_ids() -> None:
    accounts = [acc("wb-b", "太原市 公安局。"), acc("wb-a", "太原市公安局"), acc("wb-c", "太原市公安局", status="closed"),
                acc("wx-a", "太原市公安局", "wechat"), acc("wb-d", "太原市交通运输局")]
    registry = Registry(accounts=accounts)
    expected = {"check": "duplicate_account", "severity": "notice", "owner": "太原市公安局", "platform": "weibo",
                "accounts": ["wb-a", "wb-b"], "points": 0.0, "clause": CLAUSE}
    assert run(accounts[0], registry) == [{**expected, "url": "rsshub:/weibo/user/wb-b"}]
    assert run(accounts[1], registry) == [{**expected, "url": "rsshub:/weibo/user/wb-a"}]
    assert run(accounts[2], registry) == []
    assert run(accounts[3], registry) == []
    assert run(accounts[4], registry) == []


def test_platform_other_is_not_compared_unless_configured() -> None:
    accounts = [acc("o-1", "太原市公安局", "other"), acc("o-2", "太原市公安局", "other")]
    assert run(accounts[0], Registry(accounts=accounts)) == []
    assert run(accounts[0], Registry(accounts=accounts), skip_platforms=[])[0]["accounts"] == ["o-1", "o-2"]


def test_without_a_registry_nothing_is_compared() -> None:
    assert run(acc("wb-a", "太原市公安局"), None) == []
