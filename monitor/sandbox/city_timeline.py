"""What each column has published up to a date: items, citizen messages and service guides.

Timelines walk forward from a fixed epoch with hashed gaps, so an item dated 2021-08-10 has
the same title and URL in the August and in the September world; faults (``city_faults``)
then take items away or add late replies and incomplete guides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from monitor.sandbox.city_columns import EPOCH, ColumnSpec
from monitor.sandbox.city_faults import site_faults
from monitor.sandbox.city_text import GUIDE_ELEMENTS, ask_title, frac, guide_names, guide_values, h, title
from monitor.sandbox.city_units import CitySite


@dataclass(frozen=True, slots=True)
class Item:
    """One published item of a column (its article page exists)."""

    uid: int
    day: date
    clock: str
    title: str
    column: str
    role: str


@dataclass(frozen=True, slots=True)
class CityMessage:
    uid: int
    title: str
    asked: date
    replied: date | None
    clock: str


@dataclass(frozen=True, slots=True)
class Guide:
    uid: int
    name: str
    published: date
    values: dict[str, str]


def _clock(*parts: object) -> str:
    minutes = 8 * 60 + h(*parts, "clock") % (9 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _walk(site: CitySite, col: ColumnSpec, until: date) -> list[date]:
    """Publication days from the column's start up to ``until``, oldest first."""
    if col.cadence <= 0:
        return _fixed_days(site, col, until)
    start = max(EPOCH, col.created, col.first_item or EPOCH)
    day = start + timedelta(days=h(site.id, col.name, "offset") % max(1, int(col.cadence)))
    out: list[date] = []
    step = 0
    while day <= until:
        out.append(day)
        step += 1
        gap = col.cadence * (0.4 + 1.2 * frac(site.id, col.name, step))
        day = day + timedelta(days=max(1, round(gap)) if col.cadence >= 1 else int(gap))
    return out


def _fixed_days(site: CitySite, col: ColumnSpec, until: date) -> list[date]:
    """Static columns: one or two long-standing pages."""
    days = [date(2019, 3, 1) + timedelta(days=h(site.id, col.name, "fixed", i) % 700) for i in range(1 + h(site.id, col.name) % 2)]
    return sorted(d for d in days if d <= until)


def _apply_stops(site: CitySite, col: ColumnSpec, days: list[date], until: date) -> list[date]:
    for stop in site_faults(site.id).stopped:
        if "*" not in stop.columns and col.name not in stop.columns:
            continue
        end = stop.resumed or date.max
        days = [d for d in days if not stop.last < d < end]
        named = col.name in stop.columns or col.role == "news"
        if named and stop.last <= until and stop.last not in days and col.cadence > 0:
            days = sorted([*days, stop.last])
    return days


def column_items(site: CitySite, col: ColumnSpec, as_of: date, limit: int) -> list[Item]:
    """The newest ``limit`` items of a column as of ``as_of``, newest first."""
    if col.role in ("parent", "service", "interaction") or (col.first_item and col.first_item > as_of):
        return []
    days = _apply_stops(site, col, _walk(site, col, as_of), as_of)
    items = []
    for day in days:
        seq = day.isoformat()
        uid = 100000 + h(site.id, col.name, seq) % 900000
        items.append(Item(uid, day, _clock(site.id, col.name, seq), title(site, col.role, col.name, seq), col.name,
                          col.role))
    items.sort(key=lambda it: (it.day, it.clock, it.uid), reverse=True)
    return items[:limit]


def messages(site: CitySite, as_of: date, cadence: float, limit: int) -> list[CityMessage]:
    """Citizen messages asked up to ``as_of``, newest first; replies shown once given."""
    start = date(2020, 1, 6)
    out: list[CityMessage] = []
    day, step = start, 0
    while day <= as_of:
        delay = 1 + h(site.id, "reply", step) % 8
        replied = day + timedelta(days=delay)
        out.append(CityMessage(200000 + h(site.id, "msg", step) % 800000, ask_title(site, step), day,
                               replied if replied <= as_of else None, _clock(site.id, "msg", step)))
        step += 1
        day += timedelta(days=max(1, round(cadence * (0.5 + frac(site.id, "msg-gap", step)))))
    for late in site_faults(site.id).replies:
        if late.asked <= as_of:
            replied = late.replied if late.replied and late.replied <= as_of else None
            out.append(CityMessage(200000 + h(site.id, "late", late.asked) % 800000, late.title, late.asked,
                                   replied, _clock(site.id, "late", late.asked)))
    out.sort(key=lambda m: (m.asked, m.clock, m.uid), reverse=True)
    return out[:limit]


def guides(site: CitySite, as_of: date) -> list[Guide]:
    """The service guides shown at ``as_of`` (newest first): long-standing ones and fault batches."""
    names = iter(guide_names(site))
    out = []
    for i in range(5 + h(site.id, "guides") % 3):
        name = next(names)
        published = date(2019, 6, 1) + timedelta(days=h(site.id, "guide-day", i) % 500)
        out.append(Guide(300000 + h(site.id, name) % 700000, name, published, guide_values(site, name, i)))
    for batch in site_faults(site.id).guides:
        for i in range(batch.count):
            name = next(names)
            if batch.published > as_of:
                continue
            values = guide_values(site, name, name)
            values.update({key: "" for key in batch.missing if key in GUIDE_ELEMENTS})
            out.append(Guide(300000 + h(site.id, name) % 700000, name, batch.published, values))
    return sorted(out, key=lambda g: (g.published, g.uid), reverse=True)
