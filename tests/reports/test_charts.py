"""Server-side SVG charts: well-formed XML, escaped text, readable numbers, never an error."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from django.utils.translation import gettext

from core.charts import PALETTE, bar_chart_svg, format_number, horizontal_bar_svg

NS = {"svg": "http://www.w3.org/2000/svg"}
MONTHS = ["ต.ค.", "พ.ย.", "ธ.ค."]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def bars(root: ET.Element) -> list[ET.Element]:
    """The data bars: rects with a tooltip (legend keys and frames have none)."""
    return [
        r
        for r in root.iter("{http://www.w3.org/2000/svg}rect")
        if r.find("svg:title", NS) is not None
    ]


def test_a_grouped_chart_is_accessible_responsive_and_lists_its_numbers():
    svg = bar_chart_svg(
        MONTHS,
        [("รับแจ้ง", [3, 5, 2]), ("ปิดงาน", [1, 4, 0])],
        title="คำขอรายเดือน",
        unit="รายการ",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith("0 0 ")
    assert "Sarabun" in root.get("font-family")
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find("svg:title", NS).get("id") == title_id
    assert root.find("svg:title", NS).text == "คำขอรายเดือน"
    desc = root.find("svg:desc", NS)
    assert desc.get("id") == desc_id
    assert desc.text == (
        "คำขอรายเดือน. ต.ค.: รับแจ้ง 3 รายการ, ปิดงาน 1 รายการ; "
        "พ.ย.: รับแจ้ง 5 รายการ, ปิดงาน 4 รายการ; ธ.ค.: รับแจ้ง 2 รายการ, ปิดงาน 0 รายการ."
    )
    # One bar per non-zero value, each with its own tooltip; the legend names both series.
    drawn = bars(root)
    assert len(drawn) == 5
    assert drawn[0].find("svg:title", NS).text == "ต.ค. · รับแจ้ง: 3 รายการ"
    assert {r.get("fill") for r in drawn} == {PALETTE[0], PALETTE[1]}
    assert {"รับแจ้ง", "ปิดงาน", "รายการ", *MONTHS} <= set(texts(root))


def test_axis_ticks_are_round_and_counts_get_no_fractions():
    root = parse(bar_chart_svg(["a", "b"], [("n", [7, 3])], title="t"))
    assert [t for t in texts(root) if t.isdigit()][:5] == ["0", "2", "4", "6", "8"]
    root = parse(bar_chart_svg(["a"], [("n", [1])], title="t"))
    ticks = [t for t in texts(root) if t.replace(".", "").isdigit()]
    assert "0.5" not in ticks and "0.25" not in ticks


def test_fractional_values_get_fractional_ticks_and_readable_labels():
    root = parse(bar_chart_svg(["a", "b"], [("x", [0.75, 1.3])], title="t", unit="%"))
    found = texts(root)
    assert {"0.0", "0.5", "1.0", "1.5"} <= set(found)
    assert "0.75" in found and "1.3" in found
    assert "a: 0.75%" in root.find("svg:desc", NS).text
    assert format_number(1234) == "1,234"
    assert format_number(3.66666) == "3.67"
    assert format_number(71.428) == "71.4"
    assert format_number(None) == "\u2013"


def test_a_stacked_chart_piles_the_series_and_labels_the_totals():
    root = parse(
        bar_chart_svg(
            ["Q1", "Q2"], [("A", [3, 5]), ("B", [1, 4])], title="t", unit="", stacked=True
        )
    )
    drawn = bars(root)
    assert len(drawn) == 4
    # In a stack the two segments share x and width and touch.
    a, b = drawn[0], drawn[1]
    assert a.get("x") == b.get("x") and a.get("width") == b.get("width")
    assert math.isclose(float(b.get("y")) + float(b.get("height")), float(a.get("y")), abs_tol=0.01)
    assert {"4", "9"} <= set(texts(root))  # totals
    assert "Q2: A 5, B 4, " in root.find("svg:desc", NS).text


def test_negative_values_draw_below_the_zero_line():
    root = parse(bar_chart_svg(["a", "b"], [("x", [4, -2])], title="t"))
    assert "-2" in texts(root)
    up, down = bars(root)
    assert float(down.get("y")) >= float(up.get("y")) + float(up.get("height")) - 0.01


def test_text_is_escaped_and_characters_xml_forbids_are_dropped():
    evil = '<script>alert("x")</script> & co'
    svg = bar_chart_svg([evil, "b\x00\x1b"], [(evil, [1, 2])], title=evil, unit="<u>")
    assert "<script" not in svg
    root = parse(svg)
    assert root.find("svg:title", NS).text == evil
    assert evil in root.find("svg:desc", NS).text
    assert "b" in texts(root)
    svg = horizontal_bar_svg([(evil, 3)], title=evil)
    assert "<script" not in svg
    assert evil in parse(svg).find("svg:desc", NS).text


@pytest.mark.parametrize(
    "draw",
    [
        lambda: bar_chart_svg([], [], title="ว่าง"),
        lambda: bar_chart_svg(["a"], [], title="ว่าง"),
        lambda: bar_chart_svg([], [("x", [])], title="ว่าง"),
        lambda: bar_chart_svg(["a", "b"], [("x", [None, float("nan")])], title="ว่าง"),
        lambda: horizontal_bar_svg([], title="ว่าง"),
        lambda: horizontal_bar_svg([("a", None)], title="ว่าง"),
    ],
    ids=["nothing", "no-series", "no-labels", "no-numbers", "h-nothing", "h-no-numbers"],
)
def test_empty_input_draws_a_no_data_box(draw):
    root = parse(draw())
    assert gettext("No data") in texts(root)
    assert root.find("svg:title", NS).text == "ว่าง"
    assert root.get("role") == "img"


def test_the_no_data_message_follows_the_language():
    with translation.override("en"):
        assert "No data" in texts(parse(bar_chart_svg([], [], title="t")))


def test_ragged_and_odd_values_never_raise():
    root = parse(
        bar_chart_svg(
            ["a", "b", "c"],
            [("x", [1]), ("y", [1, "oops", float("inf"), 4, 5])],
            title="t",
        )
    )
    assert len(bars(root)) == 2  # x for a, y for a; the rest is missing or cut off
    assert "b: x \u2013, y \u2013" in root.find("svg:desc", NS).text
    parse(bar_chart_svg(["a"], [("x", [0])], title="all zero"))


def test_long_labels_are_cut_short_on_the_picture_but_whole_in_the_description():
    name = "โรงเรียนบ้านหนองบัวแดงวิทยาคมสามัคคีประชาอุทิศราษฎร์บำรุงวิทยา" * 2
    root = parse(horizontal_bar_svg([(name, 12), ("โรงเรียนวัดใหม่", 7)], title="t", unit="ครั้ง"))
    shown = texts(root)
    assert name not in shown
    assert any(t.endswith("…") and name.startswith(t[:-1]) for t in shown)
    assert f"{name}: 12 ครั้ง" in root.find("svg:desc", NS).text
    first, second = bars(root)
    assert float(first.get("width")) > float(second.get("width"))
    # Vertical charts turn long category labels instead of overlapping them.
    labels = ["คอมพิวเตอร์", "เครื่องพิมพ์", "เครือข่าย / อินเทอร์เน็ต", "โปรเจกเตอร์"] * 2
    root = parse(bar_chart_svg(labels, [("n", list(range(1, 9)))], title="t"))
    assert any("rotate(-45" in (t.get("transform") or "") for t in root.iter())


def test_the_same_data_gives_the_same_svg_and_other_data_other_ids():
    one = bar_chart_svg(MONTHS, [("x", [1, 2, 3])], title="t")
    assert one == bar_chart_svg(MONTHS, [("x", [1, 2, 3])], title="t")
    other = bar_chart_svg(MONTHS, [("x", [1, 2, 4])], title="t")
    assert parse(one).get("aria-labelledby") != parse(other).get("aria-labelledby")


def _contrast_with_white(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_every_palette_colour_stands_out_against_white():
    assert len(set(PALETTE)) == len(PALETTE) >= 6
    assert all(_contrast_with_white(c) >= 3 for c in PALETTE)
