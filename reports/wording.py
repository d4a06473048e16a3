"""Chinese wording of the notice: names of platforms and units, dates, rates, counts.

Kept apart from the problem texts (``reports/problems.py``) so both the body sentences and
the attachment tables name things the same way (§5 of notification-format.md: full-width
punctuation, Arabic numerals, no spaces between Chinese and digits).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from monitor.model.document import pass_rate as engine_pass_rate

PLATFORM_NAMES: dict[str, str] = {
    "wechat": "微信公众号",
    "weibo": "新浪微博",
    "app": "移动客户端",
    "douyin": "抖音",
    "toutiao": "今日头条",
    "kuaishou": "快手",
    "xigua": "西瓜视频",
    "bilibili": "哔哩哔哩",
    "baijiahao": "百家号",
    "other": "其他平台",
}

COLUMN_KINDS: dict[str, str] = {
    "news": "动态要闻类",
    "notice": "通知公告类",
    "policy": "政策文件类",
    "personnel": "人事信息类",
    "planning": "规划计划类",
    "interaction": "互动交流类",
    "service": "办事服务类",
}

CHINESE_ORDINALS = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (enough for the 一是/（一） markers of a notice)."""
    if n <= 10:
        return CHINESE_ORDINALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_ORDINALS[tens - 1]
    return head + "十" + (CHINESE_ORDINALS[ones - 1] if ones else "")


def as_day(value: Any) -> date | None:
    """A finding's date value (``2021-08-10``, an ISO datetime, a date) as a date; else None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if "T" in text:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def cn_date(value: Any) -> str:
    """``2021年9月23日`` (no leading zeros, §4.6); the raw text when it is not a date."""
    day = as_day(value)
    if day is None:
        return str(value or "")
    return f"{day.year}年{day.month}月{day.day}日"


def iso_date(value: Any) -> str:
    day = as_day(value)
    return day.isoformat() if day else str(value or "")


def pass_rate(total: int, failed: int) -> Decimal | None:
    """合格率 as computed by ``monitor.model.document.pass_rate`` (the one place of the formula and its
    rounding), as a Decimal so the notice prints exactly its one decimal; None for 0 targets."""
    rate = engine_pass_rate(total, failed)
    return None if rate is None else Decimal(str(rate))


def percent(rate: Decimal | None) -> str:
    """``93.9%``; a whole 100 is written ``100%`` as the notices do."""
    if rate is None:
        return "—"
    if rate == Decimal(100):
        return "100%"
    return f"{rate}%"


def platform_name(platform: str, names: dict[str, str] | None = None) -> str:
    """The platform as the notice writes it: ``[report] platform_names`` first, then ``PLATFORM_NAMES``."""
    return (names or {}).get(platform) or PLATFORM_NAMES.get(platform) or platform


def site_label(name: str) -> str:
    """“阳泉市XX局”网站 — no second 网站 when the name already ends in 网站 or 网."""
    if name.endswith("网站") or name.endswith("网"):
        return f"“{name}”"
    return f"“{name}”网站"


def account_label(name: str, platform_cn: str) -> str:
    """西瓜视频“阳泉高新区” — platform first, as the notices write it."""
    return f"{platform_cn}“{name}”"


def join_cn(items: list[str], limit: int | None = None) -> str:
    """Items joined with 、; past ``limit`` the rest is cut to ``等``."""
    if limit is not None and len(items) > limit:
        return "、".join(items[:limit]) + "等"
    return "、".join(items)


def text_width(text: str) -> float:
    """Width in characters of the element's size: CJK and full-width 1, half-width 0.5."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch not in "“”‘’—…" else 1.0 for ch in text)
