"""The server-side SVG charts: accessible, escaped, and drawn from the numbers given."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from paradewi.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def test_a_bar_chart_is_a_named_image_with_one_bar_per_value():
    svg = charts.bar_chart(
        ident="elements",
        title="NRR <per> element",
        description="Nine & more",
        labels=["U1 <script>", "U2", "U3"],
        values=[4, 2, None],
        shown=["4.00", "2.00", ""],
        maximum=4,
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "elements-t elements-d"
    assert root.find(f"{SVG}title").text == "NRR <per> element"
    assert root.find(f"{SVG}desc").text == "Nine & more"
    bars = [rect for rect in root.findall(f"{SVG}rect") if rect.get("class") != "track"]
    assert len(bars) == 2
    assert float(bars[0].get("width")) == 2 * float(bars[1].get("width"))
    assert len(root.findall(f"{SVG}rect[@class='track']")) == 3
    assert "<script>" not in svg


def test_a_zero_bar_is_drawn_as_a_sliver_on_its_track():
    svg = charts.bar_chart(
        ident="stages",
        title="Stages",
        description="Mean hours",
        labels=["At the kecamatan", "Fixing"],
        values=[0.0, None],
        shown=["0 min", "-"],
    )
    root = parse(svg)
    bars = [rect for rect in root.findall(f"{SVG}rect") if rect.get("class") != "track"]
    assert [float(bar.get("width")) for bar in bars] == [2.0]


def test_a_column_chart_draws_each_series_and_skips_missing_values():
    svg = charts.column_chart(
        ident="trend",
        title="Requests",
        description="Per month",
        labels=["01/26", "02/26", "03/26"],
        series=[charts.Series("Submitted", [10, 0, 7]), charts.Series("Done", [8, None, 7])],
    )
    root = parse(svg)
    columns = [rect for rect in root.findall(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(columns) == 5
    assert [rect.find(f"{SVG}title").text for rect in columns][:2] == [
        "01/26, Submitted: 10",
        "01/26, Done: 8",
    ]
    # Counts: the axis goes up past the highest value, with whole numbers on its grid lines.
    ticks = re.findall(r'text-anchor="end">([\d.]+)</text>', svg)
    assert ticks == ["0", "3", "6", "9", "12"]
