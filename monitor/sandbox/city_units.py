"""Who is in the simulated city of 阳泉市: its 33 government sites and 87 new-media accounts.

Plain data: names, owners, districts, registry statuses, 网站标识码 (6-digit region code + 4-digit sequence:
阳泉市 140300, 城区 140302, 矿区 140303, 郊区 140311, 平定县 140321, 盂县 140322; 高新区 has
no division code and is numbered under the city) and the markup family each site's CMS uses.
What goes wrong on them lives in ``city_faults``; nothing here knows any verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

CITY = "阳泉市"


@dataclass(frozen=True, slots=True)
class CitySite:
    """One government website of the city."""

    id: str
    name: str
    owner: str
    district: str
    kind: str  # "portal" | "department"
    cms: str  # "trs" (TRS WCM-like) | "hanweb" (大汉-like)
    encoding: str = "utf-8"  # "utf-8" | "gbk" | "gbk-meta" (GBK declared only in <meta>)
    short: str = ""  # the unit's short name used in titles, e.g. 市教育局

    @property
    def key(self) -> str:
        """Host key of the site in the served world."""
        return f"site{self.id}"


@dataclass(frozen=True, slots=True)
class CityAccount:
    """One new-media account of the city, with its registry status and the filed deadline of a
    closing or migrating one (关停、迁移)."""

    name: str
    platform: str
    owner: str
    district: str = "市直"
    status: str = "active"
    deadline: date | None = None

    @property
    def id(self) -> str:
        return f"{self.platform}-{_pinyin(self.name)}"


@lru_cache(maxsize=None)
def _pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.NORMAL)).lower()


def _dept(seq: int, unit: str, cms: str, encoding: str = "utf-8") -> CitySite:
    return CitySite(f"140300{seq:04d}", f"阳泉市{unit}", f"阳泉市{unit}", "市直", "department", cms, encoding,
                    f"市{unit}")


SITES: tuple[CitySite, ...] = (
    CitySite("1403000001", "阳泉市人民政府", "阳泉市人民政府办公室", "市直", "portal", "trs", short="阳泉市"),
    CitySite("1403020001", "阳泉市城区人民政府", "阳泉市城区人民政府办公室", "城区", "portal", "hanweb", short="城区"),
    CitySite("1403030001", "阳泉市矿区人民政府", "阳泉市矿区人民政府办公室", "矿区", "portal", "trs", "gbk", "矿区"),
    CitySite("1403110001", "阳泉市郊区人民政府", "阳泉市郊区人民政府办公室", "郊区", "portal", "hanweb", short="郊区"),
    CitySite("1403210001", "平定县人民政府", "平定县人民政府办公室", "平定县", "portal", "trs", short="平定县"),
    CitySite("1403220001", "盂县人民政府", "盂县人民政府办公室", "盂县", "portal", "hanweb", short="盂县"),
    CitySite("1403000040", "阳泉高新技术产业开发区", "阳泉高新技术产业开发区管理委员会", "高新区", "portal", "trs",
             short="高新区"),
    _dept(2, "发展和改革委员会", "trs"),
    _dept(3, "教育局", "hanweb"),
    _dept(4, "公安局", "trs", "gbk"),
    _dept(5, "财政局", "hanweb"),
    _dept(6, "人力资源和社会保障局", "trs"),
    _dept(7, "自然资源局", "hanweb"),
    _dept(8, "生态环境局", "trs"),
    _dept(9, "住房和城乡建设局", "hanweb"),
    _dept(10, "交通运输局", "trs"),
    _dept(11, "水务局", "trs", "gbk"),
    _dept(12, "农业农村局", "hanweb"),
    _dept(13, "商务局", "trs"),
    _dept(14, "文化和旅游局", "hanweb"),
    _dept(15, "卫生健康委员会", "trs"),
    _dept(16, "应急管理局", "hanweb"),
    _dept(17, "审计局", "trs"),
    _dept(18, "市场监督管理局", "hanweb"),
    _dept(19, "统计局", "trs", "gbk"),
    _dept(20, "医疗保障局", "hanweb"),
    _dept(21, "行政审批服务管理局", "trs"),
    _dept(22, "信访局", "hanweb"),
    _dept(23, "退役军人事务局", "trs"),
    _dept(24, "林业局", "trs", "gbk-meta"),
    _dept(25, "能源局", "hanweb"),
    _dept(26, "工业和信息化局", "trs"),
    _dept(27, "民政局", "hanweb"),
)

_PRESS = "阳泉市人民政府新闻办公室"
_GOV = "阳泉市人民政府办公室"


def _accounts(owner: str, district: str, rows: str) -> list[CityAccount]:
    """``rows``: ``platform:name`` pairs separated by spaces."""
    out = []
    for row in rows.split():
        platform, name = row.split(":")
        out.append(CityAccount(name, platform, owner, district))
    return out


ACCOUNTS: tuple[CityAccount, ...] = tuple(
    _accounts(_PRESS, "市直", "wechat:阳泉发布 weibo:阳泉发布 douyin:阳泉发布 toutiao:阳泉发布")
    + _accounts(_GOV, "市直", "app:掌上阳泉 wechat:阳泉市人民政府网")
    + _accounts("阳泉市发展和改革委员会", "市直", "wechat:阳泉发改")
    + _accounts("阳泉市教育局", "市直", "wechat:阳泉教育 weibo:阳泉教育 douyin:阳泉教育发布")
    + _accounts("阳泉市公安局", "市直", "wechat:平安阳泉 weibo:平安阳泉 douyin:平安阳泉 kuaishou:平安阳泉")
    + _accounts("阳泉市财政局", "市直", "wechat:阳泉财政")
    + _accounts("阳泉市人力资源和社会保障局", "市直", "wechat:阳泉人社 app:阳泉人社")
    + _accounts("阳泉市自然资源局", "市直", "wechat:阳泉自然资源")
    + _accounts("阳泉市生态环境局", "市直", "wechat:阳泉生态环境 weibo:阳泉生态环境")
    + _accounts("阳泉市住房和城乡建设局", "市直", "wechat:阳泉住建")
    + _accounts("阳泉市交通运输局", "市直", "wechat:阳泉交通 toutiao:阳泉交通")
    + _accounts("阳泉市水务局", "市直", "wechat:阳泉水务")
    + _accounts("阳泉市农业农村局", "市直", "wechat:阳泉农业农村")
    + _accounts("阳泉市商务局", "市直", "wechat:阳泉商务 toutiao:阳泉商务")
    + _accounts("阳泉市文化和旅游局", "市直", "wechat:阳泉文旅 weibo:阳泉文旅 douyin:阳泉文旅")
    + _accounts("阳泉市卫生健康委员会", "市直", "wechat:健康阳泉 weibo:健康阳泉 douyin:健康阳泉")
    + _accounts("阳泉市应急管理局", "市直", "wechat:阳泉应急管理 weibo:阳泉应急管理")
    + _accounts("阳泉市审计局", "市直", "wechat:阳泉审计")
    + _accounts("阳泉市市场监督管理局", "市直",
                "wechat:阳泉市市场监督管理局 wechat:阳泉市非公企业党建 weibo:阳泉市场监管")
    + _accounts("阳泉市统计局", "市直", "wechat:阳泉统计")
    + _accounts("阳泉市医疗保障局", "市直", "wechat:阳泉医保 douyin:阳泉医保")
    + _accounts("阳泉市行政审批服务管理局", "市直", "wechat:阳泉审批 app:阳泉政务服务")
    + _accounts("阳泉市信访局", "市直", "wechat:阳泉信访")
    + _accounts("阳泉市退役军人事务局", "市直", "wechat:阳泉退役军人")
    + _accounts("阳泉市林业局", "市直", "wechat:阳泉林业")
    + _accounts("阳泉市能源局", "市直", "wechat:阳泉能源 weibo:阳泉能源")
    + _accounts("阳泉市工业和信息化局", "市直", "wechat:阳泉工信")
    + _accounts("阳泉市民政局", "市直", "wechat:阳泉民政 toutiao:阳泉民政")
    + _accounts("国家税务总局阳泉市税务局", "市直", "weibo:阳泉税务")
    # Filed for migration into the bureau's main account by the end of August 2021; it went on
    # posting (the September notice: not migrated after repeated reminders).
    + [CityAccount("阳泉城管服务", "wechat", "阳泉市城市管理局", "市直", "migrating", date(2021, 8, 31))]
    + _accounts("阳泉市消防救援支队", "市直", "douyin:阳泉消防")
    + _accounts("阳泉市城区人民政府办公室", "城区",
                "wechat:阳泉城区发布 weibo:阳泉城区发布 douyin:阳泉城区发布 xigua:阳泉城区")
    + _accounts("阳泉市城区融媒体中心", "城区", "kuaishou:城区融媒")
    + _accounts("阳泉市矿区人民政府办公室", "矿区", "wechat:阳泉矿区发布 weibo:阳泉矿区发布 toutiao:阳泉矿区发布")
    + _accounts("阳泉市矿区融媒体中心", "矿区", "douyin:矿区融媒")
    + _accounts("阳泉市郊区人民政府办公室", "郊区",
                "wechat:阳泉郊区发布 weibo:阳泉郊区发布 douyin:阳泉郊区发布 toutiao:郊区发布")
    + _accounts("阳泉市公安局郊区分局", "郊区", "wechat:阳泉郊区公安 wechat:老余故事汇")
    + _accounts("平定县人民政府办公室", "平定县",
                "wechat:平定发布 weibo:平定发布 douyin:平定发布 toutiao:平定县人民政府")
    + _accounts("平定县融媒体中心", "平定县", "kuaishou:平定融媒")
    + _accounts("平定县教育局", "平定县", "wechat:平定教育")
    + _accounts("盂县人民政府办公室", "盂县", "wechat:盂县发布 weibo:盂县发布 douyin:盂县发布")
    + _accounts("盂县融媒体中心", "盂县", "toutiao:盂县融媒 kuaishou:盂县融媒")
    + _accounts("盂县卫生健康和体育局", "盂县", "wechat:盂县卫健")
    + _accounts("阳泉高新技术产业开发区管理委员会", "高新区",
                "wechat:阳泉高新区 weibo:阳泉高新区 xigua:阳泉高新区 douyin:阳泉高新区 toutiao:阳泉高新区")
)


def site_by_id(site_id: str) -> CitySite:
    for site in SITES:
        if site.id == site_id:
            return site
    raise KeyError(site_id)


def account_named(name: str, platform: str) -> CityAccount:
    for account in ACCOUNTS:
        if account.name == name and account.platform == platform:
            return account
    raise KeyError(f"{platform}:{name}")
