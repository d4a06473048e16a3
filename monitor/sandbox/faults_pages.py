"""The pages of the fault world (see ``monitor.sandbox.faults`` for the faults and the answers).

Markup follows the two CMS families seen most on Chinese government sites: TRS WCM
(``/zwdt/202108/t20210820_1001.html``, ``<span>`` dates, ``table.gl_list`` rows, 发布时间) and
大汉 Hanweb (``/col/col1001/index.html``, ``/art/2021/8/18/art_1001_50001.html``, GBK).
"""

from __future__ import annotations

import re

from monitor.sandbox.server import Route

GBK = "text/html; charset=gbk"
PORTAL_NAV = [("首页", "/"), ("政务动态", "/zwdt/"), ("通知公告", "/tzgg/"), ("政策文件", "/zcwj/"),
              ("互动交流", "/hdjl/"), ("办事服务", "/bsfw/")]
DEPT_NAV = [("首页", "/"), ("政务动态", "/col/col1001/index.html"), ("通知公告", "/col/col1002/index.html"),
            ("政策文件", "/col/col1003/index.html"), ("互动交流", "/col/col1004/index.html"),
            ("办事服务", "/col/col1005/index.html")]
GUIDE_FIELDS = ["事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理机构", "收费标准", "办理时间",
                "联系电话", "办理流程"]


def page(title: str, body: str, *, nav: list[tuple[str, str]], site: str, charset: str = "utf-8",
         head: str = "") -> str:
    """A whole government page: header nav of columns, main part, footer with the site's identity."""
    items = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in nav)
    return (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f'<title>{title}</title><link rel="stylesheet" href="/css/style.css">'
            f'<script src="/js/common.js"></script>{head}</head><body>'
            f'<div class="header"><div class="logo"><img src="/images/logo.png" alt="{site}"></div>'
            f'<div class="nav"><ul>{items}</ul></div></div><div class="main">{body}</div>'
            f'<div class="footer"><p>主办单位：{site} 网站标识码：1401000001 晋ICP备12345678号</p>'
            f'<a href="#top">返回顶部</a></div></body></html>')


def span_list(rows: list[tuple[str, str, str]], cls: str = "list") -> str:
    """TRS-style list: ``<li><a>title</a><span>date</span></li>``."""
    lis = "".join(f'<li><a href="{href}" target="_blank" title="{t}">{t}</a><span>{d}</span></li>'
                  for href, t, d in rows)
    return f'<ul class="{cls}">{lis}</ul>'


def table_list(rows: list[tuple[str, str, str]]) -> str:
    """TRS 信息公开 list: rows of (index, linked title, date) in ``table.gl_list``."""
    trs = "".join(f'<tr><td>{i}</td><td><a href="{href}">{t}</a></td><td>{d}</td></tr>'
                  for i, (href, t, d) in enumerate(rows, 1))
    return f'<table class="gl_list"><tbody>{trs}</tbody></table>'


def article(title: str, date: str, text: str, extra: str = "") -> str:
    return (f'<div class="article"><h1 class="title">{title}</h1><div class="info">发布时间：{date} 09:30'
            f'　来源：示范市人民政府办公室</div><div class="TRS_Editor"><p>{text}</p>{extra}</div></div>')


def crumb(name: str, href: str) -> str:
    return f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="{href}">{name}</a></div>'


def _portal(title: str, body: str, head: str = "") -> Route:
    return Route(page(title, body, nav=PORTAL_NAV, site="示范市人民政府", head=head))


def portal_routes(bases: dict[str, str]) -> dict[str, Route]:
    """The TRS-like portal: every path it answers (anything else is a 404)."""
    ext, gone, dept = bases["ext"], bases["gone"], bases["dept"]
    news = [("./zwdt/202108/t20210820_1001.html", "市政府召开常务会议研究部署重点工作", "2021-08-20"),
            ("/zwdt/202108/t20210815_1002.html", "我市开展安全生产大检查", "2021-08-15"),
            ("/zwdt/202107/t20210701_0999.html", "全市防汛工作会议召开", "2021-07-01")]
    notices = [("/tzgg/202107/t20210715_2002.html", "关于做好2021年防汛工作的通知", "2021-07-15")]
    home = (f'<div class="tab"><h2><a href="/zwdt/">政务动态</a></h2>{span_list(news)}</div>'
            f'<div class="tab"><h2><a href="/tzgg/">通知公告</a></h2>{span_list(notices)}</div>'
            '<div class="banner"><img src="/images/banner.jpg" alt="banner"><img src="/images/old_banner.jpg">'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></div>'
            f'<div class="links"><a href="{ext}/ok.html">上级政府网站</a><a href="{gone}/index.html">原政务服务网</a>'
            f'<a href="{dept}/">市发展和改革局</a><a href="javascript:void(0)">打印</a>'
            '<a href="mailto:zfb@example.invalid">联系我们</a><a href="tel:0351-1234567">值班电话</a>'
            '<a href="#main">跳到正文</a><a href="/old/zcwj.html">政策文件（旧版）</a><a href="/waf/">在线申报</a>'
            '<a href="/rili/?month=1">活动日历</a><a href="/lm/">栏目导航</a></div>'
            '<iframe src="/widget/weather.html"></iframe>')
    zwdt = [("./202108/t20210820_1001.html", "市政府召开常务会议研究部署重点工作", "2021-08-20"),
            ("./202108/t20210815_1002.html", "我市开展安全生产大检查", "2021-08-15"),
            ("./202106/t20210610_0888.html", "全市优化营商环境推进会召开", "2021-06-10")]
    tzgg = [("./202107/t20210715_2002.html", "关于做好2021年防汛工作的通知", "2021-07-15"),
            ("./202106/t20210601_2001.html", "关于开展政府网站自查的通知", "2021-06-01"),
            ("./202105/t20210510_2000.html", "关于调整办公时间的通知", "2021-05-10")]
    zcwj = [("t20210301_3001.html", "示范市促进就业若干措施", "2021-03-01"),
            ("t20210201_3000.html", "示范市政府信息公开实施办法", "2021-02-01"),
            ("/loop/a.html", "示范市城市管理办法", "2021-01-20"),
            ("/slow/report.html", "2020年政府信息公开工作年度报告", "2021-01-15"),
            ("broken.jsp", "示范市人民政府规章目录", "2021-01-10")]
    attach = ('<p>附件：<a href="P020210820_plan.pdf">1.工作方案.pdf</a> <a href="P020210820_table.xls">2.任务分工表.xls</a> '
              '<a href="./P020210820_old.doc">3.原方案.doc</a></p><p>相关阅读：'
              '<a href="../202106/t20210610_0888.html">全市优化营商环境推进会召开</a> '
              '<a href="../../tzgg/202107/t20210715_2002.html">关于做好2021年防汛工作的通知</a></p>')
    msgs = ('<table class="hdjl"><tr><th>标题</th><th>留言时间</th><th>答复时间</th></tr>'
            '<tr><td><a href="/hdjl/msg_101.html">关于小区供暖问题的咨询</a></td><td>2021-07-02</td><td>2021-07-09</td></tr>'
            '</table><p><a href="/hdjl/ask.html">我要写信</a></p>')
    guide = "".join(f"<tr><th>{f}</th><td>{f}的内容</td></tr>" for f in GUIDE_FIELDS)
    text = "为深入贯彻落实上级部署，切实做好相关工作，现将有关事项通知如下。"
    return {
        "/": _portal("示范市人民政府", home, f'<link rel="dns-prefetch" href="{gone}/">'),
        "/robots.txt": Route("User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        "/zwdt/": _portal("政务动态", crumb("政务动态", "/zwdt/") + span_list(zwdt) +
                          '<div class="page"><a href="index_1.html">下一页</a></div>'),
        "/zwdt/index_1.html": _portal("政务动态", crumb("政务动态", "/zwdt/") + span_list(
            [("./202105/t20210520_0777.html", "我市召开春季植树动员会", "2021-05-20")])),
        "/zwdt/202108/t20210820_1001.html": _portal("市政府召开常务会议", article(
            "市政府召开常务会议研究部署重点工作", "2021-08-20", text, attach)),
        "/zwdt/202108/t20210815_1002.html": _portal("我市开展安全生产大检查", article(
            "我市开展安全生产大检查", "2021-08-15", text)),
        "/zwdt/202105/t20210520_0777.html": _portal("我市召开春季植树动员会", article(
            "我市召开春季植树动员会", "2021-05-20", text)),
        "/zwdt/202108/P020210820_plan.pdf": Route(b"%PDF-1.4\n%fake\n", content_type="application/pdf"),
        "/zwdt/202108/P020210820_table.xls": Route(b"\xd0\xcf\x11\xe0fake", content_type="application/vnd.ms-excel"),
        "/tzgg/": _portal("通知公告", crumb("通知公告", "/tzgg/") + table_list(tzgg)),
        "/tzgg/202107/t20210715_2002.html": _portal("关于做好2021年防汛工作的通知", article(
            "关于做好2021年防汛工作的通知", "2021-07-15", text,
            '<p>依据：<a href="t20210301_3001.html">示范市促进就业若干措施</a> '
            '<a href="t20200101_3999.html">已废止文件</a></p>'), '<base href="/zcwj/">'),
        "/tzgg/202106/t20210601_2001.html": Route(page("提示信息", '<div class="err">对不起，您访问的页面不存在或已被删除！'
                                                       '<a href="/tzgg/202106/only_on_soft404.html">返回</a></div>',
                                                       nav=PORTAL_NAV, site="示范市人民政府")),
        "/tzgg/202105/t20210510_2000.html": _portal("关于调整办公时间的通知", article(
            "关于调整办公时间的通知", "2021-05-10", text)),
        "/zcwj/": _portal("政策文件", crumb("政策文件", "/zcwj/") + table_list(zcwj) +
                          '<p><a href="/private/report.html">内部资料</a></p>'),
        "/zcwj/t20210301_3001.html": _portal("示范市促进就业若干措施", article("示范市促进就业若干措施", "2021-03-01", text)),
        "/zcwj/t20210201_3000.html": _portal("示范市政府信息公开实施办法", article("示范市政府信息公开实施办法", "2021-02-01", text)),
        "/zcwj/broken.jsp": Route("<html><body>Internal Server Error</body></html>", status=500),
        "/loop/a.html": Route("", status=302, location="/loop/b.html"),
        "/loop/b.html": Route("", status=302, location="/loop/a.html"),
        "/slow/report.html": Route(_portal("年度报告", "<p>报告</p>").body, delay=5.0),
        "/old/zcwj.html": Route("", status=301, location="/redirect/step2"),
        "/redirect/step2": Route("", status=302, location="/zcwj/"),
        "/hdjl/": _portal("互动交流", crumb("互动交流", "/hdjl/") + msgs),
        "/hdjl/msg_101.html": _portal("关于小区供暖问题的咨询", '<div class="msg"><p>留言时间：2021-07-02</p>'
                                      '<p>答复时间：2021-07-09</p><p>答复内容：已转相关部门办理。</p></div>'),
        "/hdjl/ask.html": Route("<html><body>Too Many Requests</body></html>", status=429),
        "/waf/": Route("<html><head><title>网站防火墙</title></head><body>您的访问被拦截 — 网站安全狗</body></html>",
                       status=403),
        "/bsfw/": _portal("办事服务", crumb("办事服务", "/bsfw/") + span_list(
            [("guide_1001.html", "居民身份证办理指南", "2021-06-01")]) +
            f'<p><a href="{ext}/missing.html">省政务服务网</a> <a href="/jump.html">办事大厅</a></p>'),
        "/bsfw/guide_1001.html": _portal("居民身份证办理指南", f'<table class="bszn">{guide}</table>'),
        "/jump.html": Route('<html><head><meta http-equiv="refresh" content="0;url=/zwdt/"></head><body></body></html>'),
        "/widget/weather.html": Route("<html><body><p>晴 25℃</p></body></html>"),
        "/images/banner.jpg": Route(b"\xff\xd8\xff\xe0fake-jpeg", content_type="image/jpeg", head_status=405),
        "/images/logo.png": Route(b"\x89PNG\r\n\x1a\nfake", content_type="image/png"),
        "/css/style.css": Route("body{margin:0}", content_type="text/css"),
        "/js/common.js": Route("var x=1;", content_type="application/javascript"),
    }


def trap_fallback(path_qs: str) -> Route | None:
    """Endless pages: a calendar (``/rili/?month=N`` links N±1) and ``/lm/`` linking ``lm/`` again."""
    month = re.match(r"^/rili/\?month=(-?\d+)$", path_qs)
    if month:
        n = int(month.group(1))
        body = f'<p>{n}月活动</p><a href="?month={n - 1}">上个月</a><a href="?month={n + 1}">下个月</a>'
        return Route(page("活动日历", body, nav=PORTAL_NAV, site="示范市人民政府"))
    if re.match(r"^(/lm)+/$", path_qs):
        return Route(page("栏目导航", '<a href="lm/">更多栏目</a>', nav=PORTAL_NAV, site="示范市人民政府"))
    return None


def _dept(title: str, body: str, *, meta_only: bool = False) -> Route:
    html = page(title, body, nav=DEPT_NAV, site="示范市发展和改革局", charset="gbk")
    return Route(html, content_type="text/html" if meta_only else GBK, encoding="gbk")


def hanweb_list(rows: list[tuple[str, str, str]]) -> str:
    lis = "".join(f'<li><a href="{h}" target="_blank">{t}</a><span class="bt_time">{d}</span></li>' for h, t, d in rows)
    return f'<div class="default_pgContainer"><ul>{lis}</ul></div>'


def dept_routes(bases: dict[str, str]) -> dict[str, Route]:
    """The Hanweb-like department site, all in GBK (one article declares it only in <meta>)."""
    ext, gone, portal = bases["ext"], bases["gone"], bases["portal"]
    news = [("/art/2021/8/18/art_1001_50001.html", "市发改局召开重点项目推进会", "2021-08-18"),
            ("/art/2021/8/10/art_1001_50002.html", "市发改局开展价格监督检查", "2021-08-10")]
    text = "会议要求，各单位要提高认识，压实责任，确保各项工作落到实处。"
    home = (f'<div class="news"><h2>政务动态</h2>{hanweb_list(news)}</div>'
            f'<p><a href="{ext}/ok.html">省发展改革委</a> <a href="{gone}/index.html">旧版网站</a> '
            f'<a href="{portal}/">示范市人民政府</a> <a href="/index.jsp">返回首页</a></p>')
    art = article("市发改局召开重点项目推进会", "2021-08-18", text,
                  '<p>相关：<a href="/art/2020/12/1/art_1001_30303.html">2020年重点项目名单</a></p>')
    return {
        "/": _dept("示范市发展和改革局", home),
        "/index.jsp": Route("", status=302, location="/"),
        "/col/col1001/index.html": _dept("政务动态", crumb("政务动态", "/col/col1001/index.html") + hanweb_list(
            [*news, ("/art/2021/3/1/art_1001_40404.html", "一季度经济运行情况", "2021-03-01")])),
        "/art/2021/8/18/art_1001_50001.html": _dept("市发改局召开重点项目推进会", art, meta_only=True),
        "/art/2021/8/10/art_1001_50002.html": _dept("市发改局开展价格监督检查",
                                                    article("市发改局开展价格监督检查", "2021-08-10", text)),
        "/col/col1002/index.html": _dept("通知公告", crumb("通知公告", "/col/col1002/index.html") + hanweb_list(
            [("/art/2021/7/20/art_1002_60001.html", "关于开展价格认定工作的公告", "2021-07-20")])),
        "/art/2021/7/20/art_1002_60001.html": _dept("关于开展价格认定工作的公告",
                                                    article("关于开展价格认定工作的公告", "2021-07-20", text)),
        "/col/col1003/index.html": _dept("政策文件", crumb("政策文件", "/col/col1003/index.html") + table_list(
            [("/module/download/files/2021/notice.pdf", "示范市重点项目管理办法", "2021-04-01"),
             ("/module/download/files/2021/guide_missing.pdf", "示范市项目申报指南", "2021-03-15")])),
        "/module/download/files/2021/notice.pdf": Route(b"%PDF-1.4\n%fake\n", content_type="application/pdf"),
        "/col/col1004/index.html": _dept("互动交流", crumb("互动交流", "/col/col1004/index.html") +
                                         '<p><a href="/col/col1004/submit.jsp">我要咨询</a></p>'),
        "/col/col1004/submit.jsp": Route("<html><body>云盾 · 访问被拒绝</body></html>", status=403),
        "/col/col1005/index.html": _dept("办事服务", crumb("办事服务", "/col/col1005/index.html") +
                                         '<p><a href="/col/col1005/query.jsp">办件查询</a></p>'),
        "/col/col1005/query.jsp": Route("<html><body>Too Many Requests</body></html>", status=429),
        "/images/logo.png": Route(b"\x89PNG\r\n\x1a\nfake", content_type="image/png"),
        "/css/style.css": Route("body{margin:0}", content_type="text/css"),
        "/js/common.js": Route("var x=1;", content_type="application/javascript"),
    }


def ext_routes(bases: dict[str, str]) -> dict[str, Route]:
    """The external site: one OK page (whose own dead link must never be seen) and 404s."""
    return {"/ok.html": Route('<html><head><title>上级政府网站</title></head><body>'
                              '<a href="/ext-only-dead.html">专题</a></body></html>')}
