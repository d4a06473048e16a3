"""Deterministic Chinese text for the simulated city: titles, article bodies, messages, guides.

Every choice is a hash of (seed parts), so a page reads the same in every month it exists.
The wording is kept free of the serious expression errors the checks look for; the ordinary
slips a fault asks for are inserted by the page builder.
"""

from __future__ import annotations

import hashlib

from monitor.sandbox.city_units import CitySite


def h(*parts: object) -> int:
    """A stable 64-bit hash of the parts (the city's only source of variety)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def frac(*parts: object) -> float:
    return h(*parts) / 2.0**64


def pick(options: tuple[str, ...] | list[str], *parts: object) -> str:
    return options[h(*parts) % len(options)]


_TOPICS: dict[str, tuple[str, ...]] = {
    "发展和改革": ("重点项目建设", "优化营商环境", "价格监测", "节能降耗", "“十四五”规划实施"),
    "教育": ("秋季学期开学", "校园安全", "“双减”政策落实", "教师队伍建设", "义务教育招生"),
    "公安": ("夏季治安打击整治", "反电信网络诈骗", "交通安全整治", "户籍管理服务", "平安校园建设"),
    "财政": ("预算绩效管理", "惠民惠农资金发放", "政府采购监管", "国有资产管理", "财政收支"),
    "人力资源": ("稳就业", "技能人才培训", "社会保险扩面", "根治欠薪", "高校毕业生就业"),
    "自然资源": ("国土空间规划", "耕地保护", "不动产登记", "矿产资源管理", "地质灾害防治"),
    "生态环境": ("大气污染防治", "水环境治理", "土壤污染防治", "环境执法检查", "生态文明建设"),
    "住房": ("老旧小区改造", "保障性住房", "建筑施工安全", "物业管理", "城市燃气安全"),
    "交通": ("农村公路建设", "道路运输安全", "公交线路优化", "治超工作", "交通基础设施"),
    "水务": ("防汛备汛", "城市供水保障", "河长制", "节约用水", "水土保持"),
    "农业": ("秋粮生产", "高标准农田建设", "乡村振兴", "动物疫病防控", "农产品质量安全"),
    "商务": ("促消费活动", "外贸稳增长", "招商引资", "电子商务进农村", "成品油市场整治"),
    "文化": ("文物保护", "公共文化服务", "旅游市场整治", "非遗传承", "文旅融合发展"),
    "卫生": ("疫苗接种", "疫情防控", "基层医疗卫生", "爱国卫生运动", "健康阳泉建设"),
    "应急": ("安全生产大检查", "防汛抢险演练", "森林防火", "危化品安全", "应急救援能力"),
    "审计": ("经济责任审计", "专项资金审计", "审计整改", "政府投资审计", "审计质量提升"),
    "市场": ("食品安全", "特种设备安全", "知识产权保护", "价格监督检查", "市场主体培育"),
    "统计": ("经济运行监测", "统计执法检查", "第七次全国人口普查", "统计数据质量", "农业统计"),
    "医疗": ("医保基金监管", "异地就医结算", "药品集中带量采购", "医保参保缴费", "医保经办服务"),
    "审批": ("“一枚印章管审批”", "工程建设项目审批", "政务服务“好差评”", "“一网通办”", "证照分离"),
    "信访": ("信访积案化解", "领导干部接访下访", "网上信访", "矛盾纠纷排查", "信访法治化"),
    "退役军人": ("优抚对象走访慰问", "退役军人就业创业", "双拥共建", "烈士纪念设施保护", "服务保障体系建设"),
    "林业": ("森林防火", "国土绿化", "林业有害生物防治", "古树名木保护", "林长制"),
    "能源": ("煤矿安全生产", "电力保供", "新能源项目", "煤层气开发", "能源革命综合改革"),
    "工业": ("工业经济运行", "数字经济发展", "专精特新企业培育", "技术改造", "中小企业服务"),
    "民政": ("社会救助", "养老服务", "殡葬改革", "社会组织管理", "儿童福利"),
}
_PORTAL_TOPICS = ("疫情防控", "项目建设", "乡村振兴", "优化营商环境", "安全生产", "民生实事", "生态环境保护",
                  "文明城市创建", "经济运行", "招商引资")


def topics_for(unit: str) -> tuple[str, ...]:
    """Topics a unit writes about, by a keyword of its name (governments get general ones)."""
    return next((values for key, values in _TOPICS.items() if key in unit), _PORTAL_TOPICS)


def topics(site: CitySite) -> tuple[str, ...]:
    return topics_for(site.name)


_NEWS = ("{u}召开{t}工作推进会", "{u}部署{t}工作", "{u}开展{t}专项行动", "{u}{t}工作取得阶段性成效",
         "{u}组织{t}业务培训", "{u}督导检查{t}工作", "{u}召开{t}专题会议", "{u}扎实推进{t}")
_NOTICE = ("关于做好{t}工作的通知", "关于开展{t}工作的公告", "关于{t}有关事项的通知", "关于{t}的公示",
           "关于征集{t}意见建议的公告")
_POLICY = ("关于印发{p}{t}实施方案的通知", "关于进一步加强{t}工作的意见", "{p}{t}管理办法",
           "关于印发《{p}{t}工作要点》的通知")
_OTHER = {
    "personnel": ("{u}干部任前公示", "{u}公开招聘工作人员公告", "关于{u}人员调整的公示"),
    "planning": ("{u}{y}年工作要点", "{u}{y}年工作计划", "{u}“十四五”{t}专项规划"),
    "other": ("{u}{t}情况公开", "{u}{t}有关情况说明", "{u}{t}信息", "《{p}{t}实施方案》政策解读"),
    "interview": ("在线访谈：聚焦{t}", "{u}负责人在线访谈{t}"),
    "survey": ("关于{t}的意见征集", "{t}问卷调查"),
}


_STATIC = {"机构职能": ("{u}主要职责", "{u}内设机构"), "政府领导": ("{u}政府领导", "领导分工"),
           "领导信息": ("{u}领导信息", "领导班子成员及分工"), "走进": ("{u}概况", "历史沿革")}


def title(site: CitySite, role: str, column: str, seq: object) -> str:
    """A plausible title for an item of ``role`` in ``column``."""
    unit = site.short
    if role == "static":
        names = next((v for k, v in _STATIC.items() if column.startswith(k)), ("{u}简介",))
        return pick(names, site.id, column, seq).format(u=unit)
    topic = pick(topics(site), site.id, column, seq, "topic")
    pattern = {"news": _NEWS, "notice": _NOTICE, "policy": _POLICY}.get(role) or _OTHER.get(role) or _OTHER["other"]
    place = "阳泉市" if site.district == "市直" else site.short
    year = 2019 + h(site.id, column, seq, "y") % 3
    return pick(pattern, site.id, column, seq, "pattern").format(u=unit, t=topic, p=place, y=year)


_SENTENCES = (
    "会议强调，要坚持以人民为中心的发展思想，把{t}各项工作抓实抓细。",
    "{u}主要负责同志对{t}工作提出具体要求，明确时间节点和责任分工。",
    "下一步，{u}将进一步压实责任，强化督导检查，确保{t}各项措施落地见效。",
    "各有关单位要提高思想认识，加强统筹协调，形成工作合力。",
    "今年以来，{u}围绕{t}重点任务，完善工作机制，取得了积极成效。",
    "活动现场，工作人员向群众发放宣传资料，耐心解答群众咨询。",
    "此次检查共发现问题若干项，已现场反馈并督促相关单位限期整改。",
    "据了解，{t}工作已纳入年度重点工作任务，实行清单化管理。",
)


def body(site: CitySite, column: str, seq: object, paragraphs: int = 3) -> list[str]:
    """Paragraphs of an article."""
    topic = pick(topics(site), site.id, column, seq, "topic")
    out = []
    for i in range(paragraphs):
        first = pick(_SENTENCES, site.id, column, seq, i, "a")
        second = pick(_SENTENCES, site.id, column, seq, i, "b")
        out.append((first + second).format(u=site.short, t=topic))
    return out


_ASKS = ("关于小区供暖问题的咨询", "关于社保缴费年限的咨询", "关于道路破损维修的建议", "关于公交线路调整的建议",
         "关于子女入学政策的咨询", "关于营业执照办理的咨询", "关于噪声扰民问题的反映", "关于农村饮水安全的咨询",
         "关于医保报销比例的咨询", "关于停车难问题的建议", "关于公积金提取的咨询", "关于路灯不亮的反映")


def ask_title(site: CitySite, seq: object) -> str:
    return pick(_ASKS, site.id, seq, "ask")


GUIDE_ELEMENTS = ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理机构", "收费标准", "办理时间",
                  "联系电话", "办理流程")
_GUIDE_NAMES = ("{t}相关证明办理", "{t}信息查询", "{t}事项备案", "{t}补贴申领", "{t}许可申请", "{t}投诉受理")


def guide_names(site: CitySite) -> list[str]:
    """The site's service-guide names, distinct, in a stable site-specific order."""
    names = [p.format(t=t.replace("“", "").replace("”", "")) for t in topics(site) for p in _GUIDE_NAMES]
    return sorted(names, key=lambda name: h(site.id, name, "guide-order"))


def guide_values(site: CitySite, name: str, seq: object) -> dict[str, str]:
    """Every element of a complete guide."""
    phone = f"0353-{2000000 + h(site.id, 'tel') % 7999999:07d}"
    return {
        "事项名称": name,
        "设定依据": f"《山西省{pick(topics(site), site.id, seq, 'law').replace('“', '').replace('”', '')}管理办法》第十二条",
        "申请条件": "符合相关法律法规规定条件的自然人、法人或其他组织",
        "办理材料": "1.申请表；2.申请人身份证明；3.相关证明材料",
        "办理地点": f"阳泉市政务服务中心{2 + h(site.id, seq, 'floor') % 3}楼{site.short}窗口",
        "办理机构": site.owner,
        "收费标准": "不收费",
        "办理时间": "工作日上午8:30-12:00，下午14:30-17:30",
        "联系电话": phone,
        "办理流程": "申请—受理—审查—决定—送达",
    }


_SLIPS = {
    "截止目前": "截止目前，{t}各项任务已完成年度目标的八成以上。",
    "环保局": "市环保局有关负责同志参加会议并就{t}工作作了发言。",
    "座落": "该项目座落于{u}境内，总投资约2.3亿元。",
}


def wording_sentence(site: CitySite, wrong: str) -> str:
    """A sentence carrying an ordinary wording slip (a fault), e.g. 截止目前 for 截至目前."""
    topic = pick(topics(site), site.id, wrong, "slip")
    return _SLIPS.get(wrong, "{t}工作中出现了" + wrong + "。").format(u=site.short, t=topic)
