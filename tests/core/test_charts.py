"""core.charts pieces the report tests do not reach: the heading, the legend, stacks below
zero, value labels that do not fit, turned labels kept inside, and horizontal bar lengths."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

from core.charts import PALETTE, TITLE_FS, bar_chart_svg, horizontal_bar_svg
from core.thaitext import text_width

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


def legend_keys(root: ET.Element) -> list[ET.Element]:
    return [
        r
        for r in root.iter(f"{SVG}rect")
        if r.get("width") == "12" and r.find(f"{SVG}title") is None
    ]


def texts(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}text"))


def box(rect: ET.Element) -> tuple[float, float, float, float]:
    x, y = float(rect.get("x")), float(rect.get("y"))
    return x, y, x + float(rect.get("width")), y + float(rect.get("height"))


def test_show_title_draws_the_title_and_moves_the_chart_down_by_its_height():
    data = (["a", "b"], [("n", [3, 5])])
    plain = parse(bar_chart_svg(*data, title="คำขอ"))
    titled = parse(bar_chart_svg(*data, title="คำขอ", show_title=True))
    assert "คำขอ" not in [t.text for t in texts(plain)]
    assert next(t.text for t in texts(titled)) == "คำขอ"
    for before, after in zip(bars(plain), bars(titled), strict=True):
        assert math.isclose(box(after)[1] - box(before)[1], TITLE_FS + 8, abs_tol=0.01)
    # The same holds for horizontal charts, with or without a unit line.
    plain = parse(horizontal_bar_svg([("a", 3)], title="t", unit="ครั้ง"))
    titled = parse(horizontal_bar_svg([("a", 3)], title="t", unit="ครั้ง", show_title=True))
    assert math.isclose(
        box(bars(titled)[0])[1] - box(bars(plain)[0])[1], TITLE_FS + 8, abs_tol=0.01
    )


def test_the_legend_names_every_series_in_palette_order_and_wraps_when_long():
    assert legend_keys(parse(bar_chart_svg(["a"], [("one", [1])], title="t"))) == []
    names = [f"ชุดข้อมูลที่ {n} ของสำนักงานเขตพื้นที่การศึกษา" for n in range(1, 7)]
    root = parse(bar_chart_svg(["a"], [(name, [n]) for n, name in enumerate(names, 1)], title="t"))
    keys = legend_keys(root)
    assert [k.get("fill") for k in keys] == list(PALETTE[:6])
    assert len({k.get("y") for k in keys}) > 1  # wrapped onto more than one line
    # Every bar starts below the legend.
    legend_bottom = max(float(k.get("y")) + 12 for k in keys)
    assert all(box(bar)[1] > legend_bottom for bar in bars(root))


def test_a_stack_piles_positives_up_and_negatives_down_from_zero():
    root = parse(
        bar_chart_svg(
            ["q"], [("A", [3]), ("B", [-2]), ("C", [-1]), ("D", [2])], title="t", stacked=True
        )
    )
    a, b, c, d = (box(bar) for bar in bars(root))
    zero = a[3]  # A rises from the zero line
    assert math.isclose(b[1], zero, abs_tol=0.01)  # B hangs from it
    assert math.isclose(c[1], b[3], abs_tol=0.01)  # C hangs under B
    assert math.isclose(d[3], a[1], abs_tol=0.01)  # D sits on A
    assert "2" in [t.text for t in texts(root)]  # the total, 3 - 2 - 1 + 2


def test_numbers_too_wide_for_their_bar_are_left_to_the_tooltip_and_description():
    labels = [f"{n}" for n in range(30)]
    root = parse(bar_chart_svg(labels, [("n", [123456] * 30)], title="t"))
    assert "123,456" not in [t.text for t in texts(root)]
    assert all(bar.find(f"{SVG}title").text.endswith("123,456") for bar in bars(root))
    assert "0: 123,456" in root.find(f"{SVG}desc").text
    few = parse(bar_chart_svg(["a"], [("n", [123456])], title="t"))
    assert "123,456" in [t.text for t in texts(few)]


def test_turned_labels_stay_inside_the_chart():
    labels = ["โรงเรียนบ้านหนองบัวแดงวิทยาคมสามัคคี"] * 12
    root = parse(bar_chart_svg(labels, [("n", list(range(1, 13)))], title="t"))
    turned = [t for t in texts(root) if "rotate(-45" in (t.get("transform") or "")]
    assert len(turned) == 12
    for label in turned:
        # A label turned 45 degrees runs down-left from its anchor: its far end stays at x >= 0.
        x = float(label.get("x"))
        assert x - text_width(label.text, float(label.get("font-size"))) * 0.71 >= -0.5
    height = float(root.get("viewBox").split()[3])
    assert all(float(t.get("y")) < height for t in turned)


def test_horizontal_bars_are_as_long_as_their_values_and_negatives_draw_none():
    root = parse(horizontal_bar_svg([("a", 10), ("b", 5), ("c", -3), ("d", 0)], title="t"))
    first, second = (box(bar) for bar in bars(root))
    assert math.isclose((first[2] - first[0]) / (second[2] - second[0]), 2.0, rel_tol=1e-3)
    numbers = [t.text for t in texts(root) if re.fullmatch(r"-?\d+", t.text or "")]
    assert numbers == ["10", "5", "-3", "0"]  # every row keeps its number
