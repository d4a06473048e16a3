"""Block pages of real WAF vendors, rebuilt from their published passive signatures, and the same
vendors' badges in a normal page's footer (which must never make a page "blocked").

Each block page carries what wafw00f's passive fingerprint for the vendor reads (a header, a
cookie or a piece of block-page markup) and the vendor's usual wording; none carries a site's
navigation. Used by the fault world (``/fw/<vendor>.html``) and by tests/unit/test_classify.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BlockPage:
    vendor: str
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


BLOCK_PAGES: dict[str, BlockPage] = {
    "safedog": BlockPage("安全狗 SafeDog", 200, (
        '<html><head><title>网站防火墙</title></head><body><div class="box">'
        '<img src="http://404.safedog.cn/images/safedogsite/head.png"><h3>您的请求带有不合法参数，已被网站管理员设置拦截！</h3>'
        '<p>可能原因：您提交的内容包含危险的攻击请求</p><p>如何解决：检查提交内容；如网站托管，请联系空间提供商；普通网站访客，请联系网站管理员</p>'
        '</div></body></html>'), {"Server": "Safedog/4.0", "Set-Cookie": "safedog-flow-item=C07A93F1; path=/"}),
    "yundun": BlockPage("云盾 Yundun", 403, (
        '<html><head><title>访问被拦截</title></head><body><h1>Blocked by YUNDUN Cloud WAF</h1>'
        '<p>您的访问请求可能对网站造成安全威胁，请求已被拦截。</p>'
        '<img src="https://www.yundun.com/yd-http-error/403.png"></body></html>'), {"Server": "YUNDUN-WAF"}),
    "wzws360": BlockPage("360网站卫士 360WangZhanBao", 493, (
        '<html><head><title>请求被拦截</title></head><body><div class="wzws">当前访问疑似黑客攻击，已被网站管理员设置为拦截。'
        '<iframe src="/wzws-waf-cgi/block?id=8f2a"></iframe></div></body></html>'),
        {"WZWS-Ray": "1203-1629-8d1e", "Server": "qianxin-waf"}),
    "chuangyudun": BlockPage("创宇盾 Knownsec", 403, (
        '<html><head><title>创宇盾</title></head><body><img src="/ks-waf-error.png">'
        '<p>当前访问疑似黑客攻击，已被创宇盾拦截。</p>'
        '<a href="https://help.365cyd.com/cyd-error-help.html?code=403">帮助</a></body></html>')),
    "anquanbao": BlockPage("安全宝 Anquanbao", 405, (
        '<html><head><title>安全宝</title></head><body><p>您的访问可能对网站造成危害，已被拦截。</p>'
        '<img src="/aqb_cc/error/403.png"></body></html>'), {"X-Powered-By-Anquanbao": "MISS from pcs"}),
    "aliyundun": BlockPage("阿里云盾 AliYunDun", 405, (
        '<html><head><title>405</title></head><body>'
        '<img src="https://errors.aliyun.com/images/TB1TpamHpXXXXaJXXXXeB7nYVXX-104-162.png">'
        '<img src="https://g.alicdn.com/sd-base/static/1.0.5/image/405.png">'
        "<p>Sorry, your request has been blocked as it may cause potential threats to the server's security.</p>"
        '<p>很抱歉，由于您访问的URL有可能对网站造成安全威胁，您的访问被阻断。</p></body></html>')),
    "tencent": BlockPage("腾讯云WAF Tencent Cloud", 403, (
        '<html><head><title>501</title></head><body><p>腾讯云Web应用防火墙 — 您的请求存在威胁，已被拦截</p>'
        '<script>window.location.href="https://waf.tencent-cloud.com/501page.html?u="+location.href;</script>'
        '</body></html>')),
    "cloudflare": BlockPage("Cloudflare", 503, (
        '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>'
        '<div id="cf-error-details"><noscript>Enable JavaScript and cookies to continue</noscript></div>'
        '<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8a1b"></script></body></html>'),
        {"Server": "cloudflare", "CF-Ray": "8a1b2c3d4e5f-HKG", "cf-mitigated": "challenge"}),
}

#: A footer badge of each vendor, as sites show them (logo, "本站由…提供安全防护", the vendor's
#: address). Sandbox pages link nothing outside 127.0.0.1: addresses sit in ``title`` attributes.
BADGES: dict[str, str] = {
    "safedog": '<a title="网站安全狗"><img src="/images/safedogsite/broswer_logo.jpg" alt="网站安全狗"></a>',
    "yundun": '<span>云盾 · 网站防火墙提供安全防护</span><a title="www.yundun.com/static/js/fingerprint">YUNDUN</a>',
    "wzws360": '<a title="wangshan.360.cn"><img src="/wzws-waf-cgi/badge.png" alt="360网站卫士">360网站卫士 · 网站防火墙</a>',
    "chuangyudun": '<a title="www.365cyd.com"><img src="/images/ks-waf-error.png" alt="创宇盾">创宇盾 知道创宇</a>',
    "anquanbao": '<span>本站由安全宝提供防护</span><a title="aqb_cc/error/">安全宝</a>',
    "aliyundun": '<span>阿里云盾 Web应用防火墙保护</span>',
    "tencent": '<span>腾讯云Web应用防火墙 提供安全防护</span><a title="waf.tencent-cloud.com/">腾讯云</a>',
    "cloudflare": '<a title="/cdn-cgi/challenge-platform/">Attention Required! | Cloudflare protected</a>',
}

#: The images the badges show (served by the sandbox site that shows them).
BADGE_IMAGES = ("/images/safedogsite/broswer_logo.jpg", "/wzws-waf-cgi/badge.png", "/images/ks-waf-error.png")
