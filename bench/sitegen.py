"""Generate a large government-style static site with known dead links (the benchmark's ground truth).

Shape (TRS WCM style): a home page, 12 columns with paginated list pages (index.html,
index_1.html …), dated article pages (/tzgg/202108/t20210815_1234.html) with attachments,
shared images, related articles, breadcrumbs and a footer linking "external" sites (another
nginx port). A third of the columns are GB2312-declared GBK pages, as on real sites.

Injected faults, by kind (distinct URLs, scaled with the page count): internal 404 articles,
missing attachments, external 404s, a dead external host (closed port), 410 Gone, redirect
loops, soft-404 pages (200 "页面不存在") — all dead — and 403 pages, which a firewall answers:
"blocked", not dead. Every count is computed from what was written, never assumed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

COLUMNS = [("yw", "要闻动态"), ("tzgg", "通知公告"), ("zcwj", "政策文件"), ("zcjd", "政策解读"), ("rsxx", "人事信息"),
           ("ghjh", "规划计划"), ("bmdt", "部门动态"), ("xzdt", "乡镇动态"), ("zwgk", "政务公开"), ("bsfw", "办事服务"),
           ("hdjl", "互动交流"), ("ztzl", "专题专栏")]
GBK_COLUMNS = {"zcwj", "rsxx", "bmdt", "hdjl"}
WORDS = ("关于 进一步 加强 全市 政府网站 政务新媒体 监管 工作 的 通知 各县区 人民政府 市直各部门 为 深入 贯彻 落实 "
         "国务院办公厅 有关 要求 提升 政务公开 水平 现将 有关 事项 通知 如下 一 总体 要求 二 重点 任务 三 保障 措施 "
         "高质量 发展 营商环境 优化 服务 群众 办事 便利度 满意度 持续 推进 数字政府 建设 信息 安全 管理 责任 落实").split()
PER_LIST = 20
EXT_NEWS = 5500
DEAD_KINDS = ("internal_404", "attachment_404", "external_404", "dead_host", "gone_410", "loop", "soft_404")
BLOCKED_KINDS = ("blocked_403",)
INJECT = {"internal_404": 400, "attachment_404": 200, "external_404": 150, "dead_host": 40, "gone_410": 40,
          "loop": 20, "soft_404": 100, "blocked_403": 60}


@dataclass
class Site:
    """What was generated: page URLs, link occurrences, and the injected URLs by kind."""

    root: Path
    base: str
    ext_base: str
    dead_base: str
    pages: list[str] = field(default_factory=list)
    occurrences: int = 0
    distinct: set[str] = field(default_factory=set)
    injected: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in (*DEAD_KINDS, *BLOCKED_KINDS)})

    def dead(self) -> set[str]:
        return set().union(*(self.injected[k] for k in DEAD_KINDS))


@dataclass
class Article:
    col: str
    day: date
    ident: int

    @property
    def path(self) -> str:
        return f"/{self.col}/{self.day:%Y%m}/t{self.day:%Y%m%d}_{self.ident}.html"


class Generator:
    """Writes the site under ``root/site`` and the external host under ``root/ext``."""

    def __init__(self, root: Path, pages: int, base: str, ext_base: str, dead_base: str, as_of: date,
                 seed: int = 20210831) -> None:
        self.rng = random.Random(seed)
        self.site = Site(root, base, ext_base, dead_base)
        self.as_of = as_of
        self.scale = max(0.05, pages / 18000)
        per_col = max(3, math.ceil((pages - 4) / len(COLUMNS) / (1 + 1 / PER_LIST)))
        ident = 10000
        self.articles: dict[str, list[Article]] = {}
        for code, _ in COLUMNS:
            day_step = 1 if code in ("yw", "bmdt", "xzdt") else 3
            self.articles[code] = [Article(code, as_of - timedelta(days=i * day_step // 4), ident + i)
                                   for i in range(per_col)]
            ident += per_col
        self.faults = {kind: self._fault_urls(kind, max(1, round(n * self.scale))) for kind, n in INJECT.items()}

    def _fault_urls(self, kind: str, n: int) -> list[str]:
        b, e, d = self.site.base, self.site.ext_base, self.site.dead_base
        make = {"internal_404": lambda i: f"{b}/yw/202001/t20200101_9{i:05d}.html",
                "attachment_404": lambda i: f"{b}/tzgg/202001/P0{i:06d}_missing.pdf",
                "external_404": lambda i: f"{e}/news/missing_{i}.html",
                "dead_host": lambda i: f"{d}/page_{i}.html",
                "gone_410": lambda i: f"{b}/removed/{i}.html",
                "loop": lambda i: f"{b}/loop/{i}.html",
                "soft_404": lambda i: f"{b}/info/{i}.html",
                "blocked_403": lambda i: f"{e}/secure/{i}.html"}[kind]
        return [make(i) for i in range(n)]

    # writing ------------------------------------------------------------------------------
    def write(self) -> Site:
        for code, name in COLUMNS:
            self._write_lists(code, name)
            for i, art in enumerate(self.articles[code]):
                self._write_article(code, name, i, art)
        self._write_home()
        self._write_static()
        return self.site

    def _emit(self, path: str, title: str, body: list[str], links: list[str], gbk: bool = False) -> None:
        url = self.site.base + path
        self.site.pages.append(url)
        resolved = {self._abs(path, href) for href in links}
        self.site.occurrences += len(resolved)
        self.site.distinct.update(resolved)
        for kind, urls in self.site.injected.items():
            urls.update(u for u in resolved if u in self._fault_set.get(kind, ()))
        charset = "gb2312" if gbk else "utf-8"
        anchors = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in zip(links, self._titles(len(links))))
        html = (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
                f"<title>{title}</title><style>{STYLE}</style></head><body><div class='head'>某某市人民政府</div>"
                f"<ul class='links'>{anchors}</ul>{''.join(body)}<div class='foot'>主办：某某市人民政府办公室 "
                f"网站标识码：1400000001 晋ICP备05001234号</div></body></html>")
        target = self.site.root / "site" / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(html.encode("gb18030" if gbk else "utf-8"))

    @property
    def _fault_set(self) -> dict[str, set[str]]:
        if not hasattr(self, "_fs"):
            self._fs = {k: set(v) for k, v in self.faults.items()}
        return self._fs

    def _abs(self, page: str, href: str) -> str:
        if href.startswith("http"):
            return href
        if href.startswith("/"):
            return self.site.base + href
        folder = page.rsplit("/", 1)[0]
        while href.startswith("../"):
            folder, href = folder.rsplit("/", 1)[0], href[3:]
        return f"{self.site.base}{folder}/{href.removeprefix('./')}"

    def _titles(self, n: int) -> list[str]:
        return ["".join(self.rng.choices(WORDS, k=4)) for _ in range(n)]

    def _text(self, words: int) -> str:
        return "".join(f"<p>{''.join(self.rng.choices(WORDS, k=40))}。</p>" for _ in range(words // 40))

    def _nav(self) -> list[str]:
        return ["/", *(f"/{code}/" for code, _ in COLUMNS)]

    def _footer(self) -> list[str]:
        e = self.site.ext_base
        return ["/about.html", "/contact.html", "/sitemap.html", f"{e}/", f"{e}/zfwzzc/", f"{e}/beian/"]

    def _write_lists(self, code: str, name: str) -> None:
        arts = self.articles[code]
        count = (len(arts) + PER_LIST - 1) // PER_LIST
        for k in range(count):
            path = f"/{code}/index.html" if k == 0 else f"/{code}/index_{k}.html"
            chunk = arts[k * PER_LIST:(k + 1) * PER_LIST]
            items = [f"./{a.day:%Y%m}/t{a.day:%Y%m%d}_{a.ident}.html" for a in chunk]
            pager = [("index.html" if j == 0 else f"index_{j}.html") for j in
                     sorted({0, count - 1, *range(max(0, k - 3), min(count, k + 4))}) if j != k]
            dates = "".join(f"<li><span>{a.day:%Y-%m-%d}</span></li>" for a in chunk)
            self._emit(path, f"{name}_某某市人民政府", [f"<ul class='list'>{dates}</ul>"],
                       self._nav() + items + pager + self._footer(), gbk=code in GBK_COLUMNS)

    def _write_article(self, code: str, name: str, i: int, art: Article) -> None:
        arts, rng = self.articles[code], self.rng
        related = [a.path for a in rng.sample(arts, k=min(3, len(arts)))]
        neighbours = [arts[j].path for j in (i - 1, i + 1) if 0 <= j < len(arts)]
        files = [f"./P0{art.ident}_{n}.{rng.choice(('pdf', 'doc', 'xls'))}" for n in range(rng.choice((0, 0, 0, 1, 1, 2)))]
        for href in files:
            self._write_file(self._abs(art.path, href))
        images = [f"/images/{rng.randrange(50)}.jpg"]
        extra = [f"{self.site.ext_base}/news/{rng.randrange(int(EXT_NEWS * self.scale) + 1)}.html"] if rng.random() < 0.3 else []
        faults = self._pick_faults(rng)
        body = [f"<h1>{''.join(rng.choices(WORDS, k=6))}</h1><div class='info'>发布时间：{art.day:%Y-%m-%d}</div>",
                self._text(rng.randrange(200, 1200))]
        links = self._nav() + [f"/{code}/"] + files + images + related + neighbours + extra + faults + self._footer()
        self._emit(art.path, f"{name}_某某市人民政府", body, links, gbk=code in GBK_COLUMNS)

    def _pick_faults(self, rng: random.Random) -> list[str]:
        picked = []
        for kind, urls in self.faults.items():
            share = len(urls) * 2.2 / (18000 * self.scale)
            if rng.random() < share:
                picked.append(rng.choice(urls))
        return picked

    def _write_file(self, url: str) -> None:
        target = self.site.root / "site" / url.removeprefix(self.site.base).lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"%PDF-1.4\n% govmon bench attachment\n" + url.encode() + b"\n%%EOF\n")

    def _write_home(self) -> None:
        latest = [a.path for code, _ in COLUMNS for a in self.articles[code][:10]]
        self._emit("/index.html", "某某市人民政府门户网站", [self._text(400)], self._nav() + latest + self._footer())
        for path, title in (("/about.html", "网站简介"), ("/contact.html", "联系我们"), ("/sitemap.html", "网站地图")):
            self._emit(path, title, [self._text(200)], self._nav() + self._footer())

    def _write_static(self) -> None:
        root = self.site.root
        for i in range(50):
            img = root / "site" / "images" / f"{i}.jpg"
            img.parent.mkdir(parents=True, exist_ok=True)
            img.write_bytes(b"\xff\xd8\xff\xe0" + bytes(200) + b"\xff\xd9")
        (root / "site" / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n")
        soft = "<html><head><title>页面不存在</title></head><body><p>对不起，您访问的页面不存在或已被删除。</p></body></html>"
        for url in self.faults["soft_404"]:
            target = root / "site" / url.removeprefix(self.site.base).lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(soft, encoding="utf-8")
        ext = root / "ext"
        for sub in ("", "zfwzzc/", "beian/"):
            (ext / sub).mkdir(parents=True, exist_ok=True)
            (ext / sub / "index.html").write_text(f"<html><head><title>外部网站 {sub}</title></head><body>ok</body></html>")
        (ext / "news").mkdir(exist_ok=True)
        for i in range(int(EXT_NEWS * self.scale) + 1):
            (ext / "news" / f"{i}.html").write_text(f"<html><head><title>新闻 {i}</title></head><body>正文</body></html>")


STYLE = ("body{font-family:'Microsoft YaHei';margin:0}.head{background:#c00;color:#fff;height:120px}"
         ".links li{float:left;list-style:none;margin:0 8px}.list li{line-height:32px}.foot{clear:both;"
         "border-top:2px solid #c00;padding:20px;text-align:center}") * 6


def generate(root: Path, pages: int, base: str, ext_base: str, dead_base: str, as_of: date) -> Site:
    """Write the site and return its ground truth."""
    return Generator(root, pages, base, ext_base, dead_base, as_of).write()
