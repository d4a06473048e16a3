"""Findings documents of a city like 阳泉 (August 2021 and July 2021), built as `govmon inspect` stores them.

33 sites (2 failing) and 87 accounts (2 failing) in August, with the duplicate accounts of the
real notice; July has 盂县 failing for the same problem (so it is 多次督促后仍未整改) and the
西瓜视频 account 阳泉高新区 failing too.
"""

from __future__ import annotations

from typing import Any

import pytest

from monitor.config.settings import ReportSettings

DEPARTMENTS = ("发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
               "人力资源和社会保障局", "规划和自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水务局",
               "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局",
               "市场监督管理局", "统计局", "医疗保障局", "行政审批服务管理局", "能源局")
DISTRICTS = (("城区", "1403020001"), ("矿区", "1403030001"), ("郊区", "1403110001"), ("平定县", "1403210001"),
             ("盂县", "1403220001"), ("高新区", "1403000028"))
PLATFORMS = (("wechat", 35), ("weibo", 20), ("douyin", 12), ("toutiao", 8), ("app", 3), ("kuaishou", 4), ("xigua", 5))


def finding(check: str, severity: str, url: str = "", points: float = 0.0, **keys: Any) -> dict[str, Any]:
    return {"check": check, "severity": severity, "url": url, **keys, "points": points, "clause": ""}


def site(site_id: str, name: str, owner: str, district: str, findings: list[dict[str, Any]]) -> dict[str, Any]:
    veto = any(f["severity"] == "veto" for f in findings)
    score = round(100 - sum(f["points"] for f in findings if f["severity"] == "deduct"), 2)
    return {"id": site_id, "name": name, "url": f"http://127.0.0.1:8001/{site_id}/", "owner": owner,
            "district": district, "verdict": "fail" if veto or score < 60 else "pass", "score": score,
            "reason": "veto" if veto else "", "findings": findings}


def account(account_id: str, name: str, platform: str, owner: str, district: str,
            findings: list[dict[str, Any]]) -> dict[str, Any]:
    veto = any(f["severity"] == "veto" for f in findings)
    return {"id": account_id, "name": name, "platform": platform, "owner": owner, "district": district,
            "verdict": "fail" if veto else "pass", "score": 0 if veto else 100, "reason": "", "findings": findings}


def _sites(month: str) -> list[dict[str, Any]]:
    out = [site("1403000001", "阳泉市人民政府门户网站", "阳泉市人民政府办公室", "市直", [])]
    for i, dept in enumerate(DEPARTMENTS, start=2):
        out.append(site(f"14030000{i:02d}", f"阳泉市{dept}", f"阳泉市{dept}", "市直", []))
    for district, site_id in DISTRICTS:
        gov = "阳泉高新技术产业开发区管理委员会" if district == "高新区" else f"{district}人民政府"
        out.append(site(site_id, f"阳泉市{district}人民政府" if district in ("城区", "矿区", "郊区") else gov, gov,
                        district, []))
    by_name = {s["name"]: s for s in out}
    dead = [finding("dead_link", "deduct", f"http://127.0.0.1:8001/old/{n}.html", 1.0 if n < 3 else 0.1,
                    sources=["http://127.0.0.1:8001/1403000027/"], status=404, home=n < 3) for n in range(6)]
    if month == "2021-08":
        energy = by_name["阳泉市能源局"]
        energy["findings"] = [finding("stale_homepage", "veto", energy["url"], last_update="2021-08-10")] + dead
        yu = by_name["盂县人民政府"]
        yu["findings"] = [finding("empty_column", "veto", f"{yu['url']}col{n}/", column=c) for n, c in
                          enumerate(("政策解读", "人事信息", "规划计划", "统计数据", "财政预决算"))]
        edu = by_name["阳泉市教育局"]
        edu["findings"] = [finding("stale_column", "deduct", f"{edu['url']}news{n}/", 2.0, column=c, kind="news",
                                   last_update="2021-07-20") for n, c in enumerate(("教育动态", "工作动态", "基层动态", "图片新闻"))]
        edu["findings"].append(finding("stale_column", "notice", edu["url"], near_miss=True, group="column_update",
                                       count=4, veto_at=5))
    else:
        yu = by_name["盂县人民政府"]
        yu["findings"] = [finding("empty_column", "veto", f"{yu['url']}col{n}/", column=c) for n, c in
                          enumerate(("政策解读", "人事信息", "规划计划", "统计数据", "财政预决算", "专题专栏"))]
    for s in out:
        s.update(site(s["id"], s["name"], s["owner"], s["district"], s["findings"]))
    return out


def _accounts(month: str) -> list[dict[str, Any]]:
    districts = ["市直"] * 5 + ["城区", "矿区", "郊区", "平定县", "盂县", "高新区"]
    out, n = [], 0
    for platform, count in PLATFORMS:
        for i in range(count):
            n += 1
            district = districts[n % len(districts)]
            owner = f"阳泉市{DEPARTMENTS[n % len(DEPARTMENTS)]}" if district == "市直" else f"{district}融媒体中心"
            out.append(account(f"a{n:03d}", f"{owner}{platform}{i}", platform, owner, district, []))
    special = {
        "a001": ("阳泉市非公企业党建", "wechat", "阳泉市市场监督管理局", "市直"),
        "a002": ("阳泉市市场监督管理局", "wechat", "阳泉市市场监督管理局", "市直"),
        "a056": ("老余故事汇", "douyin", "阳泉市公安局郊区分局", "郊区"),
        "a057": ("阳泉郊区公安", "douyin", "阳泉市公安局郊区分局", "郊区"),
        "a083": ("阳泉高新区", "xigua", "阳泉高新技术产业开发区管理委员会", "高新区"),
        "a040": ("盂县发布", "weibo", "盂县融媒体中心", "盂县"),
    }
    by_id = {a["id"]: a for a in out}
    for account_id, (name, platform, owner, district) in special.items():
        assert by_id[account_id]["platform"] == platform, account_id
        by_id[account_id].update(name=name, owner=owner, district=district)
    if month == "2021-08":
        for group in (("a001", "a002"), ("a056", "a057")):
            for account_id in group:
                by_id[account_id]["findings"] = [finding("duplicate_account", "notice", owner=by_id[account_id]["owner"],
                                                         platform=by_id[account_id]["platform"], accounts=list(group))]
        by_id["a083"]["findings"] = [finding("stale_account", "veto", last_update="2021-07-30")]
        by_id["a040"]["findings"] = [finding("stale_account", "veto", last_update="2021-08-12")]
        by_id["a010"]["findings"] = [finding("update_frequency", "deduct", week="2021-W33", posts=1, required=3,
                                             points=5.0)]
    else:
        by_id["a083"]["findings"] = [finding("stale_account", "veto", last_update="2021-07-02")]
    for a in out:
        a.update(account(a["id"], a["name"], a["platform"], a["owner"], a["district"], a["findings"]))
    return out


def city_document(month: str) -> dict[str, Any]:
    as_of = {"2021-08": "2021-08-31", "2021-07": "2021-07-31"}[month]
    sites, accounts = _sites(month), _accounts(month)
    failed_sites = sum(1 for s in sites if s["verdict"] == "fail")
    failed_accounts = sum(1 for a in accounts if a["verdict"] == "fail")
    return {"period": month, "as_of": as_of,
            "summary": {"sites_total": len(sites), "sites_failed": failed_sites, "sites_pass_rate": None,
                        "accounts_total": len(accounts), "accounts_failed": failed_accounts,
                        "accounts_pass_rate": None},
            "sites": sites, "accounts": accounts}


@pytest.fixture
def august() -> dict[str, Any]:
    return city_document("2021-08")


@pytest.fixture
def july() -> dict[str, Any]:
    return city_document("2021-07")


@pytest.fixture
def report_settings() -> ReportSettings:
    """The project's [report] defaults (settings.toml) with the contacts a real office would set."""
    return ReportSettings.shipped().model_copy(update={"contact_name": "李明", "contact_phone": "0353-7000000",
                                       "contact_email": "zwgk@example.org"})
