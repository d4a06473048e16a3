"""Passive signatures of the web application firewalls government sites sit behind (data only).

Taken from the passive fingerprints of wafw00f (github.com/EnableSecurity/wafw00f, BSD-3-Clause,
``wafw00f/plugins/*.py``: response headers, cookie names, markup of the block page) plus the
visible wording of each vendor's published block page. Only what a response already carries is
read: govmon never sends wafw00f's attack probes. A signature names the vendor; whether the page
*is* a block page is decided in ``monitor.net.classify`` (a normal page behind Cloudflare carries
``Server: cloudflare`` too, and a footer badge carries the vendor's logo).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Vendor:
    """One vendor's passive signature: header (name, value regex), cookie-name regexes, markup regexes."""

    name: str
    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[str, ...] = ()
    markup: tuple[str, ...] = ()
    statuses: tuple[int, ...] = ()


VENDORS: tuple[Vendor, ...] = (
    Vendor("安全狗 SafeDog", headers=(("server", r"safedog"),), cookies=(r"safedog-flow-item",),
           markup=(r"safedogsite/broswer_logo\.jpg", r"404\.safedog\.cn/", r"safedogsite/head\.png",
                   r"网站防火墙.{0,400}安全狗", r"已被网站管理员设置拦截")),
    Vendor("云盾 Yundun", headers=(("server", r"yundun"), ("x-cache", r"yundun")), cookies=(r"yd_cookie",),
           markup=(r"blocked by yundun cloud waf", r"yundun\.com/yd[-_]http[_-]error/",
                   r"www\.yundun\.com/static/js/fingerprint")),
    Vendor("360网站卫士 360WangZhanBao", headers=(("server", r"qianxin-waf"), ("wzws-ray", r"."),
                                                  ("x-powered-by-360wzb", r".")),
           markup=(r"wzws-waf-cgi/", r"wangshan\.360\.cn", r"360网站卫士.{0,200}(拦截|阻断)"), statuses=(493,)),
    Vendor("创宇盾 Knownsec", markup=(r"/ks[-_]waf[-_]error\.png", r"www\.365cyd\.com", r"365cyd\.com/cyd-error-help",
                                     r"已被创宇盾拦截")),
    Vendor("安全宝 Anquanbao", headers=(("x-powered-by-anquanbao", r"."),), markup=(r"aqb_cc/error/",)),
    Vendor("阿里云盾 AliYunDun", markup=(r"errors?\.aliyun(dun)?\.(com|net)", r"alicdn\.com/sd-base/static/[\d.]+/image/405\.png",
                                       r"your request has been blocked as it may cause potential threats")),
    Vendor("腾讯云WAF Tencent Cloud", markup=(r"waf\.tencent-?cloud\.com/", r"腾讯云web应用防火墙")),
    Vendor("Cloudflare", headers=(("server", r"cloudflare"), ("cf-ray", r"."), ("cf-mitigated", r"challenge")),
           cookies=(r"__cfduid", r"__cf_bm", r"cf_clearance"),
           markup=(r"/cdn-cgi/challenge-platform/", r"attention required! \| cloudflare", r"cf-chl", r"cf-error-details")),
    Vendor("加速乐 Jiasule", headers=(("server", r"jiasule-waf"),), cookies=(r"jsl_tracking", r"__jsluid", r"__jsl_clearance"),
           markup=(r"notice-jiasule", r"static\.jiasule\.com")),
    Vendor("云锁 Yunsuo", cookies=(r"yunsuo_session",), markup=(r'class="yunsuologo"',)),
    Vendor("华为云WAF Huawei Cloud", headers=(("server", r"huaweicloudwaf"),), cookies=(r"hwwafsesid",),
           markup=(r"hws_security@",)),
    Vendor("百度云加速 Yunjiasu", headers=(("server", r"yunjiasu"),), markup=(r"/\.well-known/yunjiasu-cgi/",)),
)

#: Lower-case literals, one of which every markup signature above contains: the cheap gate.
ANCHORS: tuple[str, ...] = (
    "safedog", "安全狗", "已被网站管理员设置拦截", "yundun", "wzws-waf-cgi", "wangshan.360.cn", "360网站卫士",
    "ks-waf-error", "ks_waf_error", "ks-waf_error", "ks_waf-error", "365cyd", "创宇盾", "aqb_cc/error/", "error.aliyun",
    "errors.aliyun", "sd-base/static", "may cause potential threats", "waf.tencent", "腾讯云web应用防火墙", "/cdn-cgi/challenge-platform/",
    "attention required!", "cf-chl", "cf-error-details", "jiasule", "yunsuologo", "hws_security@", "yunjiasu-cgi",
)
_COOKIE_NAME = re.compile(r"(?:^|,\s*)([^=;,\s]+)=")


def markup_gate(source: str) -> bool:
    """Whether any vendor's markup may occur in ``source``: one of ``ANCHORS`` is in it (any case).
    ``monitor.net.classify`` folds the anchors into its one-pass phrase gate instead of calling this."""
    low = source.lower()
    return any(anchor in low for anchor in ANCHORS)


def by_markup(source: str) -> list[str]:
    """Vendors whose block-page markup occurs in ``source`` (markup outside footers and links)."""
    return [v.name for v in VENDORS if any(re.search(m, source, re.I | re.S) for m in v.markup)]


def by_headers(headers: dict[str, str], status: int | None) -> list[str]:
    """Vendors named by response headers, cookie names or their own block status."""
    cookies = [name.lower() for name in _COOKIE_NAME.findall(headers.get("set-cookie", ""))]
    found = []
    for vendor in VENDORS:
        if (any(re.search(rx, headers.get(name, ""), re.I) for name, rx in vendor.headers if name in headers)
                or any(re.match(rx, c) for rx in vendor.cookies for c in cookies)
                or status in vendor.statuses):
            found.append(vendor.name)
    return found
