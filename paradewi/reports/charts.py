"""Small SVG charts drawn on the server: no JavaScript, no library, a few hundred bytes each.

Every chart is an `<svg role="img">` named by its `<title>` and summarised by its `<desc>`;
pages put the table of the same numbers next to it, so nothing is only in the picture. All
text is escaped here; the result is safe to insert into a template.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Narrow drawings, so text stays legible on a phone (the width of a card on a 360 px screen);
# on wider screens the drawing scales up with the card, capped by the stylesheet.
BAR_WIDTH = 360
COLUMN_WIDTH = 400
FONT = 12
COLOURS = ("#0b5d3b", "#7a8794", "#c27c0e")
TRACK = "#e7ecef"  # the full length behind a bar


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(
    kind: str, ident: str, title: str, description: str, width: int, height: float, body: list[str]
) -> SafeString:
    head = (
        f'<svg class="chart chart-{kind}" role="img" viewBox="0 0 {width} {_number(height)}" '
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
    """Horizontal bars, one per label (elements, services, areas), each label on its own line
    above its bar on a light track of the full length; `shown` is the value printed at the end
    of the bar ("" for none). A None value draws no bar; a zero a sliver."""
    row, bar_height, right = 40, 14, 4
    bar_space = BAR_WIDTH - right
    top = max((value for value in values if value is not None), default=0)
    scale = bar_space / (maximum or top or 1)
    body = []
    for index, (label, value, text) in enumerate(zip(labels, values, shown, strict=True)):
        y = index * row
        body.append(
            f'<text x="0" y="{y + 13}"><title>{escape(label)}</title>{escape(_clip(label, 52))}'
            "</text>"
        )
        # A zero is a sliver, not nothing: a chart of short stays (all "0 min") still reads as
        # bars on their tracks.
        width = max(value * scale, 2) if value is not None else 0
        bar_top = y + 18
        body.append(
            f'<rect class="track" x="0" y="{bar_top}" width="{bar_space}" '
            f'height="{bar_height}" fill="{TRACK}"/>'
        )
        if value is not None:
            body.append(
                f'<rect x="0" y="{bar_top}" width="{_number(width)}" height="{bar_height}" '
                f'fill="{COLOURS[0]}"/>'
            )
        # The value after the bar, or inside a long bar (in white) so it never runs off.
        inside = width > bar_space * 0.75
        x = width - 4 if inside else width + 4
        colour = ' fill="#fff" text-anchor="end"' if inside else ""
        body.append(f'<text x="{_number(x)}" y="{bar_top + 11}"{colour}>{escape(text)}</text>')
    return _svg("bars", ident, title, description, BAR_WIDTH, len(labels) * row, body)


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
    left, right, top_margin, bottom = 34, 4, 26, 20
    height = 200
    plot_height = height - top_margin - bottom
    plot_width = COLUMN_WIDTH - left - right
    highest = max((value for s in series for value in s.values if value is not None), default=0)
    ceiling = maximum or _nice(highest)
    counts = all(float(v).is_integer() for item in series for v in item.values if v is not None)
    if counts and not maximum:
        ceiling = 4 * math.ceil(ceiling / 4)  # whole numbers on the four grid lines
    body = []
    for step in range(5):
        tick = ceiling * step / 4
        y = top_margin + plot_height - plot_height * step / 4
        body.append(
            f'<line x1="{left}" x2="{COLUMN_WIDTH - right}" y1="{_number(y)}" y2="{_number(y)}" '
            f'stroke="#d5dbe1"/>'
            f'<text x="{left - 6}" y="{_number(y + 4)}" text-anchor="end">{_number(tick)}</text>'
        )
    slot = plot_width / max(len(labels), 1)
    column = slot * 0.7 / max(len(series), 1)
    # At most twelve labels under the axis, so they never overlap (a five-year range has 60
    # columns); every column still names itself in its tooltip and in the table below.
    every = math.ceil(len(labels) / 12) or 1
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
        if index % every == 0:
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
        x += 24 + 7 * len(item.name)
    return _svg("columns", ident, title, description, COLUMN_WIDTH, height, body)


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
