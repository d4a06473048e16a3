"""What goes wrong in the simulated city, and when: faults as dated facts about the web.

Each fault is a fact with a date window ("column X publishes nothing from D1 to D2", "a
message asked on D is never answered", "five guides published on D lack elements"), so the
world at any as-of follows from the dates alone: the checks decide what it amounts to.
Nothing here states a count, rate or verdict of any inspection.

Modelled on the city's 2021 notices: in August a forestry site whose whole output stopped
early in the month, a district portal with a message unanswered since April, a county
account and the 高新区 西瓜视频 account gone silent, and two owners each running two WeChat
accounts; in September a statistics site whose news sub-columns stopped while its notices
and policies aged past six months, a county portal revamp that added empty columns, new
service guides published without their elements, a June message on another district's board
passing three months without an answer, and a wave of silent accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

D = date


@dataclass(frozen=True, slots=True)
class Stopped:
    """Columns (by name; ``*`` = every column) last published on ``last`` and nothing after it
    until ``resumed`` (None = still silent). Named columns are sure to carry an item on ``last``."""

    columns: tuple[str, ...]
    last: date
    resumed: date | None = None


@dataclass(frozen=True, slots=True)
class AddedColumn:
    """A column that appears in the navigation on ``created``; its first item comes on ``first_item``."""

    name: str
    parent: str
    created: date
    first_item: date | None = None


@dataclass(frozen=True, slots=True)
class LateReply:
    """A message asked on ``asked`` and answered on ``replied`` (None = never)."""

    asked: date
    replied: date | None
    title: str


@dataclass(frozen=True, slots=True)
class BadGuides:
    """``count`` service guides published on ``published`` with ``missing`` elements left blank."""

    published: date
    count: int
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """A link that does not work: ``where`` is "home" or "article"; ``how`` is
    "missing" (404 on the site), "soft404" (200 page saying it is gone), "external"
    (a site that is down), "attachment" (a 404 attachment)."""

    where: str
    how: str
    label: str
    since: date = D(2020, 1, 1)
    until: date | None = None


@dataclass(frozen=True, slots=True)
class Wording:
    """An ordinary (non-veto) wording error in the newest article of a column from ``since``."""

    column: str
    wrong: str
    since: date


@dataclass(frozen=True, slots=True)
class SiteFaults:
    stopped: tuple[Stopped, ...] = ()
    added: tuple[AddedColumn, ...] = ()
    replies: tuple[LateReply, ...] = ()
    guides: tuple[BadGuides, ...] = ()
    links: tuple[BrokenLink, ...] = ()
    wording: tuple[Wording, ...] = ()
    message_cadence: float | None = None


@dataclass(frozen=True, slots=True)
class AccountFaults:
    """Silent windows, weeks with fewer posts, and windows when the feed answers an error."""

    silent: tuple[tuple[date, date | None], ...] = ()
    sparse: tuple[tuple[date, date, int], ...] = ()  # (start, end, posts per week)
    feed_down: tuple[tuple[date, date, int], ...] = ()  # (start, end, HTTP status)
    wording: tuple[tuple[date, str], ...] = field(default=())


NEWS_SUBS = ("部门动态", "统计要闻", "县区动态")

SITE_FAULTS: dict[str, SiteFaults] = {
    # 市林业局: everything stopped after 5 August; resumed after the notice, on 10 September.
    "1403000024": SiteFaults(stopped=(Stopped(("*",), D(2021, 8, 5), D(2021, 9, 10)),),
                             links=(BrokenLink("article", "attachment", "2021年林业有害生物防治方案.doc"),)),
    # 矿区: a message of April answered only in September, after the August notice; a quiet board.
    "1403030001": SiteFaults(replies=(LateReply(D(2021, 4, 19), D(2021, 9, 8), "关于贵石沟小区供暖管网改造的咨询"),),
                             message_cadence=22.0,
                             links=(BrokenLink("home", "missing", "区长信箱旧版"),)),
    # 市统计局: three news sub-columns stopped after 7 September; notices and policies last in March.
    "1403000019": SiteFaults(stopped=(Stopped(NEWS_SUBS, D(2021, 9, 7)),
                                      Stopped(("通知公告",), D(2021, 3, 20)),
                                      Stopped(("政策文件",), D(2021, 3, 5)))),
    # 盂县: two columns never filled; a September revamp added three more, still empty.
    "1403220001": SiteFaults(added=(AddedColumn("双随机一公开", "政府信息公开", D(2021, 1, 4)),
                                    AddedColumn("公共资源配置", "政府信息公开", D(2021, 2, 1)),
                                    AddedColumn("营商环境", "政府信息公开", D(2021, 9, 6), D(2021, 10, 20)),
                                    AddedColumn("乡村振兴", "政府信息公开", D(2021, 9, 6), D(2021, 10, 20)),
                                    AddedColumn("减税降费", "政府信息公开", D(2021, 9, 6), D(2021, 10, 20)))),
    # 市行政审批服务管理局: one guide half-filled since spring; five blank ones published in September.
    "1403000021": SiteFaults(guides=(BadGuides(D(2021, 4, 12), 1, ("收费标准", "办理时间")),
                                     BadGuides(D(2021, 9, 3), 5, ("设定依据", "收费标准", "办理时间", "联系电话",
                                                                  "办理流程")))),
    # 市审计局: two news columns quiet since July, notices and policies last in 2020 (just short of a veto).
    "1403000017": SiteFaults(stopped=(Stopped(("部门动态", "审计要闻"), D(2021, 7, 19)),
                                      Stopped(("通知公告",), D(2020, 12, 10)),
                                      Stopped(("政策文件",), D(2020, 11, 2)))),
    # Ordinary faults: dead, soft-404 and external links, an empty column, wording slips.
    "1403000001": SiteFaults(links=(BrokenLink("article", "missing", "阳泉市2020年国民经济和社会发展统计公报"),
                                    BrokenLink("home", "external", "阳泉市政务服务旧平台")),
                             wording=(Wording("部门动态", "截止目前", D(2021, 8, 1)),)),
    "1403000002": SiteFaults(links=(BrokenLink("article", "soft404", "阳泉市“十四五”规划纲要全文"),)),
    "1403000005": SiteFaults(added=(AddedColumn("政府采购", "信息公开", D(2020, 6, 1)),)),
    "1403000008": SiteFaults(wording=(Wording("工作动态", "环保局", D(2021, 8, 20)),)),
    "1403000010": SiteFaults(links=(BrokenLink("article", "missing", "公路养护工程招标公告"),
                                    BrokenLink("article", "attachment", "2021年农村公路建设计划表.xls"))),
    "1403000013": SiteFaults(links=(BrokenLink("home", "soft404", "外贸企业服务专栏"),)),
    "1403000014": SiteFaults(wording=(Wording("工作动态", "座落", D(2021, 9, 1)),)),
    "1403000025": SiteFaults(links=(BrokenLink("home", "external", "阳泉煤炭交易中心", D(2021, 9, 1)),)),
    # 郊区: a June message still unanswered (three months old by the end of September), a recent one
    # not yet answered, and a column left blank.
    "1403110001": SiteFaults(added=(AddedColumn("社会公益事业", "政府信息公开", D(2021, 3, 1)),),
                             replies=(LateReply(D(2021, 6, 10), None, "关于河底镇村级公路硬化的建议"),
                                      LateReply(D(2021, 9, 24), None, "关于荫营镇农贸市场占道经营的反映")),
                             message_cadence=16.0),
    "1403210001": SiteFaults(links=(BrokenLink("article", "missing", "平定县2021年度预算公开"),
                                    BrokenLink("article", "soft404", "娘子关景区门票优惠政策"))),
}

ACCOUNT_FAULTS: dict[tuple[str, str], AccountFaults] = {
    ("xigua", "阳泉高新区"): AccountFaults(silent=((D(2021, 6, 22), None),)),
    ("douyin", "盂县发布"): AccountFaults(silent=((D(2021, 8, 5), D(2021, 9, 6)),)),
    ("kuaishou", "平定融媒"): AccountFaults(silent=((D(2021, 9, 3), None),)),
    ("toutiao", "阳泉矿区发布"): AccountFaults(silent=((D(2021, 9, 8), None),)),
    ("wechat", "阳泉水务"): AccountFaults(silent=((D(2021, 9, 10), None),),
                                      sparse=((D(2021, 8, 2), D(2021, 8, 16), 2),)),
    ("weibo", "阳泉能源"): AccountFaults(silent=((D(2021, 9, 1), None),)),
    ("douyin", "阳泉郊区发布"): AccountFaults(silent=((D(2021, 9, 5), None),)),
    ("xigua", "阳泉城区"): AccountFaults(silent=((D(2021, 9, 2), None),)),
    ("toutiao", "阳泉商务"): AccountFaults(silent=((D(2021, 9, 7), None),)),
    ("wechat", "阳泉信访"): AccountFaults(silent=((D(2021, 9, 9), None),)),
    ("wechat", "阳泉统计"): AccountFaults(sparse=((D(2021, 8, 9), D(2021, 8, 30), 2),)),
    ("weibo", "阳泉生态环境"): AccountFaults(sparse=((D(2021, 9, 6), D(2021, 9, 20), 1),)),
    ("app", "阳泉人社"): AccountFaults(sparse=((D(2021, 8, 16), D(2021, 8, 23), 2),
                                           (D(2021, 9, 13), D(2021, 9, 27), 2))),
    # Feeds that stop answering after the month's first poll: read in part, so the weeks they leave
    # uncovered are 未能获取更新情况 (a feed dead all month would make the account 未能完成检查, and the
    # real notices counted all 87 accounts as checked).
    ("weibo", "阳泉文旅"): AccountFaults(feed_down=((D(2021, 8, 12), D(2021, 9, 1), 503),)),
    ("wechat", "阳泉教育"): AccountFaults(feed_down=((D(2021, 9, 11), D(2021, 10, 5), 502),)),
    ("wechat", "阳泉住建"): AccountFaults(wording=((D(2021, 8, 18), "截止目前"),)),
}


def site_faults(site_id: str) -> SiteFaults:
    return SITE_FAULTS.get(site_id, SiteFaults())


def account_faults(platform: str, name: str) -> AccountFaults:
    return ACCOUNT_FAULTS.get((platform, name), AccountFaults())
