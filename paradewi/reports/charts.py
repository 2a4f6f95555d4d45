"""Small SVG charts drawn on the server: no JavaScript, no library, a few hundred bytes each.

Every chart is an `<svg role="img">` named by its `<title>` and summarised by its `<desc>`;
pages put the table of the same numbers next to it, so nothing is only in the picture. All
text is escaped here; the result is safe to insert into a template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
FONT = 13
COLOURS = ("#0b5d3b", "#7a8794", "#c27c0e")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(ident: str, title: str, description: str, height: float, body: list[str]) -> SafeString:
    head = (
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {_number(height)}" '
        f'aria-labelledby="{escape(ident)}-t {escape(ident)}-d" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">'
        f'<title id="{escape(ident)}-t">{escape(title)}</title>'
        f'<desc id="{escape(ident)}-d">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text is escaped


def _clip(label: str, length: int) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


def bar_chart(
    *,
    ident: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    shown: Sequence[str],
    maximum: float | None = None,
) -> SafeString:
    """Horizontal bars, one per label (elements, services, areas); `shown` is the value as
    printed at the end of each bar ("" for none). A None value draws no bar."""
    row, label_width = 26, 250
    bar_space = WIDTH - label_width - 8
    top = max((value for value in values if value is not None), default=0)
    scale = bar_space / (maximum or top or 1)
    body = []
    for index, (label, value, text) in enumerate(zip(labels, values, shown, strict=True)):
        y = index * row + 4
        body.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(_clip(label, 30))}</text>"
        )
        width = max(value * scale, 1) if value else 0
        if value is not None:
            body.append(
                f'<rect x="{label_width}" y="{y + 2}" width="{_number(width)}" height="{row - 8}" '
                f'fill="{COLOURS[0]}"/>'
            )
        # The value after the bar, or inside a long bar (in white) so it never runs off.
        inside = width > bar_space * 0.6
        x = label_width + width - 6 if inside else label_width + width + 6
        colour = ' fill="#fff" text-anchor="end"' if inside else ""
        body.append(f'<text x="{_number(x)}" y="{y + 15}"{colour}>{escape(text)}</text>')
    return _svg(ident, title, description, len(labels) * row + 8, body)


def column_chart(
    *,
    ident: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    maximum: float | None = None,
) -> SafeString:
    """Vertical columns per label (months), one colour per series, with a legend and four
    grid lines. A None value draws no column."""
    left, right, top_margin, bottom = 44, 8, 30, 24
    height = 240
    plot_height = height - top_margin - bottom
    plot_width = WIDTH - left - right
    highest = max((value for s in series for value in s.values if value is not None), default=0)
    ceiling = maximum or _nice(highest)
    body = []
    for step in range(5):
        tick = ceiling * step / 4
        y = top_margin + plot_height - plot_height * step / 4
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{_number(y)}" y2="{_number(y)}" '
            f'stroke="#d5dbe1"/>'
            f'<text x="{left - 6}" y="{_number(y + 4)}" text-anchor="end">{_number(tick)}</text>'
        )
    slot = plot_width / max(len(labels), 1)
    column = slot * 0.7 / max(len(series), 1)
    for index, label in enumerate(labels):
        x0 = left + index * slot + slot * 0.15
        for number, item in enumerate(series):
            value = item.values[index]
            if value is None:
                continue
            bar = plot_height * value / ceiling if ceiling else 0
            body.append(
                f'<rect x="{_number(x0 + number * column)}" '
                f'y="{_number(top_margin + plot_height - bar)}" width="{_number(column)}" '
                f'height="{_number(bar)}" fill="{COLOURS[number % len(COLOURS)]}">'
                f"<title>{escape(label)}, {escape(item.name)}: {_number(value)}</title></rect>"
            )
        body.append(
            f'<text x="{_number(left + index * slot + slot / 2)}" y="{height - 6}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    x = left
    for number, item in enumerate(series):
        body.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[number % len(COLOURS)]}"/>'
            f'<text x="{x + 16}" y="16">{escape(item.name)}</text>'
        )
        x += 24 + 8 * len(item.name)
    return _svg(ident, title, description, height, body)


def _nice(value: float) -> float:
    """A round ceiling for an axis: 1, 2, 2.5 or 5 times a power of ten, at least `value`."""
    if value <= 0:
        return 1
    power = 1.0
    while power * 10 < value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power
