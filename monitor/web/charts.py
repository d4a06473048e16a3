"""Small server-rendered SVG charts (no script, no chart library): pass rates over months, a
month's probe log, posts per natural week. Text is escaped; sizes are in user units so the
charts scale with the page and print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 200, 40, 28, 12


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    css: str  # a class of the stylesheet: line-a, line-b


def _svg(body: list[str], label: str, height: int = HEIGHT) -> str:
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(label)}" '
            f'xmlns="http://www.w3.org/2000/svg">' + "".join(body) + "</svg>")


def _x(index: int, count: int) -> float:
    inner = WIDTH - PAD_LEFT - 16
    return PAD_LEFT + (inner / 2 if count == 1 else inner * index / (count - 1))


def rate_chart(labels: Sequence[str], series: Sequence[Series], low: float = 0.0) -> str:
    """Pass rates (%) per month as lines; a month without a rate leaves a gap."""
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    def y(v: float) -> float:
        return PAD_TOP + inner_h * (100 - v) / (100 - low)
    body = []
    for tick in range(int(low), 101, 10 if 100 - low > 20 else 5):
        body.append(f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - 8}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
                    f'<text class="tick" x="{PAD_LEFT - 4}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    for i, label in enumerate(labels):
        body.append(f'<text class="tick" x="{_x(i, len(labels)):.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                    f'{escape(label)}</text>')
    for s in series:
        points = [(_x(i, len(labels)), y(max(low, v))) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            body.append(f'<polyline class="{s.css}" fill="none" points="'
                        + " ".join(f"{px:.1f},{py:.1f}" for px, py in points) + '"/>')
        for (px, py), v in zip(points, [v for v in s.values if v is not None]):
            body.append(f'<circle class="{s.css}" cx="{px:.1f}" cy="{py:.1f}" r="3.5"><title>{escape(s.name)} '
                        f'{v:.1f}%</title></circle>')
    return _svg(body, "合格率趋势：" + "；".join(s.name for s in series))


def bar_chart(labels: Sequence[str], values: Sequence[int], *, line: float | None = None, label: str,
              hint: Sequence[str] | None = None) -> str:
    """Counts as bars (posts per week, probes per day); ``line``: a required level drawn across."""
    top = max([*values, int(line or 0), 1])
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    inner_w = WIDTH - PAD_LEFT - 16
    step = inner_w / max(len(values), 1)
    body = [f'<line class="axis" x1="{PAD_LEFT}" x2="{WIDTH - 8}" y1="{HEIGHT - PAD_BOTTOM}" '
            f'y2="{HEIGHT - PAD_BOTTOM}"/>',
            f'<text class="tick" x="{PAD_LEFT - 4}" y="{PAD_TOP + 4}" text-anchor="end">{top}</text>']
    for i, (name, value) in enumerate(zip(labels, values)):
        h = inner_h * value / top
        x = PAD_LEFT + i * step + step * 0.15
        tip = hint[i] if hint else f"{name}：{value}"
        body.append(f'<rect class="bar{" low" if line is not None and value < line else ""}" x="{x:.1f}" '
                    f'y="{HEIGHT - PAD_BOTTOM - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}">'
                    f'<title>{escape(tip)}</title></rect>'
                    f'<text class="value" x="{x + step * 0.35:.1f}" y="{HEIGHT - PAD_BOTTOM - h - 3:.1f}" '
                    f'text-anchor="middle">{value}</text>')
        if len(labels) <= 16 or i % max(1, len(labels) // 12) == 0:
            body.append(f'<text class="tick" x="{x + step * 0.35:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                        f'{escape(name)}</text>')
    if line is not None:
        ly = HEIGHT - PAD_BOTTOM - inner_h * line / top
        body.append(f'<line class="required" x1="{PAD_LEFT}" x2="{WIDTH - 8}" y1="{ly:.1f}" y2="{ly:.1f}"/>')
    return _svg(body, label)


def probe_chart(days: Sequence[str], ok: Sequence[int], failed: Sequence[int], other: Sequence[int]) -> str:
    """Probes per day, stacked: answered, failed, and not counted (blocked or void)."""
    top = max([a + b + c for a, b, c in zip(ok, failed, other)] + [1])
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    inner_w = WIDTH - PAD_LEFT - 16
    step = inner_w / max(len(days), 1)
    body = [f'<line class="axis" x1="{PAD_LEFT}" x2="{WIDTH - 8}" y1="{HEIGHT - PAD_BOTTOM}" '
            f'y2="{HEIGHT - PAD_BOTTOM}"/>',
            f'<text class="tick" x="{PAD_LEFT - 4}" y="{PAD_TOP + 4}" text-anchor="end">{top}</text>']
    for i, day in enumerate(days):
        x = PAD_LEFT + i * step + step * 0.1
        base = HEIGHT - PAD_BOTTOM
        for css, value in (("ok", ok[i]), ("fail", failed[i]), ("void", other[i])):
            h = inner_h * value / top
            if h:
                body.append(f'<rect class="probe-{css}" x="{x:.1f}" y="{base - h:.1f}" width="{step * 0.8:.1f}" '
                            f'height="{h:.1f}"><title>{escape(day)}：正常{ok[i]}次，失败{failed[i]}次，'
                            f'不计{other[i]}次</title></rect>')
            base -= h
        if i % 5 == 0:
            body.append(f'<text class="tick" x="{x + step * 0.4:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                        f'{escape(day[5:])}</text>')
    return _svg(body, "首页探测记录（每日）")
