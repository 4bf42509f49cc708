"""Small server-side SVG charts: vertical bars (grouped or stacked) and horizontal top-N bars.

The portal's reports draw their charts here, as inline SVG strings, so that a page (or a PDF
made from it) needs no JavaScript and no network::

    bar_chart_svg(
        ["ต.ค.", "พ.ย.", "ธ.ค."],
        [("รับแจ้ง", [3, 5, 2]), ("ปิดงาน", [1, 4, 4])],
        title="คำขอรายเดือน",
        unit="รายการ",
    )
    horizontal_bar_svg([("โรงเรียนบ้านหนองบัว", 12), ("โรงเรียนวัดใหม่", 7)], title="…")

Conventions, so that every report's charts look and behave alike:

* The result is one ``<svg>`` element with ``role="img"``, a ``<title>`` (the chart's title)
  and a ``<desc>`` that lists every number, both referenced by ``aria-labelledby``: a screen
  reader hears the data, not a picture. Each bar also carries its own ``<title>`` (a tooltip).
* It scales: ``width="100%"`` with a ``viewBox`` and ``height: auto``, never wider than 1.5
  times its drawn size, centred in a wider box. Text sizes are chosen so that labels stay
  legible when the chart shrinks to the width of a 360 px phone.
* Every piece of text passes through :func:`_esc` (XML-escaped, characters XML forbids
  removed), so a page may insert the result with ``|safe``. Nothing else is needed, or allowed,
  to go into the markup unescaped.
* Colours come from :data:`PALETTE`, a fixed colour-blind-safe set (after Okabe and Ito) whose
  colours all have at least 3:1 contrast against white; the n-th series always gets the n-th
  colour, so a legend reads the same in every report.
* Text is set in Sarabun (vendored by the portal's CSS), else the system's sans-serif. Widths
  are estimated (there is no font engine on the server) generously enough for Thai, by
  :mod:`core.thaitext`, which also cuts long labels short without parting a letter from its marks.
* Bad input never raises: no labels, no series or no numbers draws a "No data" box; missing,
  non-numeric or non-finite values (None, NaN, "x") count as missing (no bar, a dash in the
  description); a series shorter than the labels is padded with missing values.
* Value labels are drawn where they fit; where they do not (many narrow bars), the tooltip
  and the description still carry the number. Zero values draw no bar and no label.
* Output is deterministic (the element ids are a hash of the content), so the same data gives
  the same string. Two charts of identical content on one page would share ids; give them
  different titles.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import SupportsFloat

from django.utils.translation import gettext as _

from core.thaitext import fit as _fit
from core.thaitext import text_width as _text_width

__all__ = ["PALETTE", "bar_chart_svg", "format_number", "horizontal_bar_svg"]

FONT_FAMILY = "Sarabun, sans-serif"

# Okabe-Ito based; orange and sky blue replaced by darker tones so that every colour has at
# least 3:1 contrast against white (WCAG 1.4.11 for graphical objects).
PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#9A6700",  # dark amber
    "#595959",  # grey
    "#5E4FA2",  # indigo
    "#882255",  # wine
)

# Drawing sizes, in SVG user units (= CSS px at 100 %). WIDTH is small on purpose: on a
# 360 px phone the chart is drawn at about 300 px, so 12-13 unit text still reads as ~9 px.
WIDTH = 420.0
MAX_SCALE = 1.5  # never drawn wider than WIDTH * MAX_SCALE px
PAD = 6.0
PLOT_HEIGHT = 190.0
FS = 13.0  # legend, unit, horizontal-bar labels
TICK_FS = 12.0  # axis labels
VALUE_FS = 11.0  # numbers on the bars
TITLE_FS = 15.0
MAX_X_LABEL = 110.0  # a category label longer than this is cut short with an ellipsis
H_BAR = 16.0  # bar thickness in horizontal charts
H_ROW = 44.0  # one horizontal-chart row: label line, bar, gap

TEXT = "#1f2937"
MUTED = "#4b5563"  # 7.6:1 on white
GRID = "#e5e7eb"
AXIS = "#6b7280"

_MISSING = "\u2013"  # en dash
# Characters XML 1.0 does not allow: a label containing one would make the page unparsable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# ---------------------------------------------------------------------------------------------
# Public helpers
# ---------------------------------------------------------------------------------------------


def format_number(value: float | None) -> str:
    """A number for people: 1234 -> '1,234'; 0.75 -> '0.75'; 3.6667 -> '3.67'; 71.43 -> '71.4'.

    Whole numbers without decimals; below 10 up to two decimals, else one; None -> a dash.
    """
    if value is None:
        return _MISSING
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    text = f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"
    return text.rstrip("0").rstrip(".")


def bar_chart_svg(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    unit: str = "",
    stacked: bool = False,
    show_title: bool = False,
) -> str:
    """Vertical bars, one group (or stack) per label, one colour per series.

    `labels` name the categories along the x-axis (e.g. months); `series` is a list of
    (name, values), values aligned with `labels`. Grouped by default; `stacked=True` piles the
    series on each other (negative values pile downwards) and labels each stack's total.
    `unit` names what the numbers count ("รายการ", "%", "วันทำการ"): drawn above the y-axis and
    repeated in the description. A legend is drawn when there is more than one series.
    `show_title` also draws the title on the picture (for PDFs; a page's card header usually
    carries it already); it is always the accessible name.
    """
    title = _clean(title)
    unit = _clean(unit)
    names = [_clean(name) for name, _values in series]
    labels = [_clean(label) for label in labels]
    rows = [_aligned(values, len(labels)) for _name, values in series]
    uid = _uid("bar", title, unit, stacked, labels, names, rows)
    if not labels or not rows or all(v is None for row in rows for v in row):
        return _empty_svg(title, uid, show_title)

    desc = _bar_description(title, labels, names, rows, unit, stacked)
    parts: list[str] = []
    # Top to bottom: title, legend, unit, headroom for value labels, plot, room for labels
    # under negative bars, x labels.
    legend = names if len(rows) > 1 else []
    y = _heading(parts, title if show_title else None, legend, unit, unit_gap=2)
    plot = _Plot.for_rows(rows, stacked, top=y + (VALUE_FS + 4), slots=len(labels))
    x_labels = _XLabels.for_slots(labels, plot)
    parts.extend(plot.grid())
    draw = _stacked_bars if stacked else _grouped_bars
    bars, values_drawn = draw(plot, labels, names, rows, unit)
    parts.extend(bars)
    parts.append(_line(plot.left, plot.to_y(0.0), plot.right, plot.to_y(0.0), AXIS))  # over bars
    parts.extend(values_drawn)
    parts.extend(x_labels.marks())
    return _svg(title, desc, uid, x_labels.bottom + PAD, parts)


def horizontal_bar_svg(
    items: Sequence[tuple[str, float | None]],
    *,
    title: str,
    unit: str = "",
    show_title: bool = False,
) -> str:
    """One bar per (label, value), top to bottom in the order given: for top-N lists.

    Each label sits on its own line above its bar, so long Thai names get the chart's full
    width (and are cut short with an ellipsis beyond it; the description keeps them whole).
    Bars start at zero; negative values draw no bar but keep their number. Pass the items
    already sorted and cut to N.
    """
    title = _clean(title)
    unit = _clean(unit)
    rows = [(_clean(label), _number(value)) for label, value in items]
    uid = _uid("hbar", title, unit, rows)
    if not rows or all(value is None for _label, value in rows):
        return _empty_svg(title, uid, show_title)

    desc = _join_description(
        title, [f"{label}: {_with_unit(value, unit)}" for label, value in rows]
    )
    parts: list[str] = []
    y = _heading(parts, title if show_title else None, [], unit, unit_gap=6)
    largest = max((value for _label, value in rows if value is not None), default=0.0)
    number_room = max(_text_width(format_number(value), VALUE_FS + 1) for _l, value in rows) + 6
    longest = WIDTH - 2 * PAD - number_room
    for label, value in rows:
        parts.append(_h_row(label, value, y, _bar_length(longest, value, largest), unit))
        y += H_ROW
    # y is where a next row would start; the last row ends with its bar.
    height = y - H_ROW + FS + 5 + H_BAR + PAD
    return _svg(title, desc, uid, height, parts)


def _bar_length(longest: float, value: float | None, largest: float) -> float:
    """The bar of a positive value, ``longest`` for the largest (0 for none, zero or less)."""
    return longest * value / largest if value and value > 0 and largest > 0 else 0.0


def _h_row(label: str, value: float | None, y: float, length: float, unit: str) -> str:
    """One horizontal-chart row: its label line, its bar (if any) and its number."""
    parts = [_text(PAD, y + FS, _fit(label, WIDTH - 2 * PAD, FS), FS, fill=TEXT)]
    bar_top = y + FS + 5
    if length:
        length = max(length, 1.0)
        parts.append(
            _bar(PAD, bar_top, length, bar_top + H_BAR, 0)
            + _tip(label, "", value, unit)
            + "</rect>"
        )
    parts.append(
        _text(
            PAD + length + 5,
            bar_top + H_BAR / 2 + (VALUE_FS + 1) * 0.35,
            format_number(value),
            VALUE_FS + 1,
            fill=TEXT,
            weight="600",
        )
    )
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Layout of the vertical bar chart
# ---------------------------------------------------------------------------------------------


def _heading(
    parts: list[str], title: str | None, legend: Sequence[str], unit: str, unit_gap: float
) -> float:
    """Draw the title (unless None), the legend (if any names) and the unit; return the next y."""
    y = PAD
    if title is not None:
        parts.append(_text(PAD, y + TITLE_FS, title, TITLE_FS, weight="600"))
        y += TITLE_FS + 8
    if legend:
        markup, legend_height = _legend(legend, PAD, y, WIDTH - 2 * PAD)
        parts.append(markup)
        y += legend_height + 4
    if unit:
        parts.append(_text(PAD, y + FS, unit, FS, fill=MUTED))
        y += FS + unit_gap
    return y


def _value_range(rows: Sequence[Sequence[float | None]], stacked: bool) -> tuple[float, float]:
    """The lowest and highest value the y-axis must show (always including zero)."""
    if not stacked:
        present = [v for row in rows for v in row if v is not None]
        return min([0.0, *present]), max([0.0, *present])
    columns = [[v for v in column if v is not None] for column in zip(*rows, strict=True)]
    ups = [sum(v for v in column if v > 0) for column in columns]
    downs = [sum(v for v in column if v < 0) for column in columns]
    return min([0.0, *downs]), max([0.0, *ups])


@dataclass(frozen=True)
class _Plot:
    """The plot area of a vertical bar chart: its y-axis ticks and where each slot starts."""

    ticks: list[float]
    tick_texts: list[str]
    top: float
    left: float
    slot: float

    @classmethod
    def for_rows(
        cls, rows: Sequence[Sequence[float | None]], stacked: bool, *, top: float, slots: int
    ) -> _Plot:
        low, high = _value_range(rows, stacked)
        integers = all(v is None or float(v).is_integer() for row in rows for v in row)
        ticks = _nice_ticks(low, high, integers=integers)
        tick_texts = [format_number(t) if integers else _tick_text(t, ticks) for t in ticks]
        left = PAD + max(_text_width(t, TICK_FS) for t in tick_texts) + 6
        return cls(ticks, tick_texts, top, left, (WIDTH - PAD - left) / slots)

    @property
    def right(self) -> float:
        return WIDTH - PAD

    @property
    def bottom(self) -> float:
        return self.top + PLOT_HEIGHT

    @property
    def below(self) -> float:
        """Where the x labels start: under the plot, and under labels of negative bars."""
        return self.bottom + (VALUE_FS + 4 if self.ticks[0] < 0 else 0)

    def to_y(self, value: float) -> float:
        low, high = self.ticks[0], self.ticks[-1]
        return self.top + (high - value) / (high - low) * PLOT_HEIGHT

    def grid(self) -> list[str]:
        """Grid lines (but at zero: the zero line is drawn over the bars) and y-axis labels."""
        parts = []
        for tick, text in zip(self.ticks, self.tick_texts, strict=True):
            ty = self.to_y(tick)
            if tick != 0:
                parts.append(_line(self.left, ty, self.right, ty, GRID))
            parts.append(
                _text(self.left - 5, ty + TICK_FS * 0.35, text, TICK_FS, fill=MUTED, anchor="end")
            )
        return parts


@dataclass(frozen=True)
class _XLabels:
    """Category labels under the slots: level when they fit their slot, else turned 45 degrees."""

    shown: list[str]
    turned: bool
    widest: float
    plot: _Plot

    @classmethod
    def for_slots(cls, labels: Sequence[str], plot: _Plot) -> _XLabels:
        shown = [_fit(label, MAX_X_LABEL, TICK_FS) for label in labels]
        widest = max((_text_width(label, TICK_FS) for label in shown), default=0.0)
        if widest <= plot.slot - 2:
            return cls(shown, False, widest, plot)
        # A turned label runs down to the left of its slot's centre: keep it inside the chart.
        shown = [
            _fit(label, min(MAX_X_LABEL, (plot.left + (i + 0.5) * plot.slot - 2) / 0.71), TICK_FS)
            for i, label in enumerate(shown)
        ]
        return cls(shown, True, max(_text_width(label, TICK_FS) for label in shown), plot)

    @property
    def bottom(self) -> float:
        room = (self.widest * 0.71 + TICK_FS + 8) if self.turned else TICK_FS + 10
        return self.plot.below + room

    def marks(self) -> list[str]:
        parts = []
        below = self.plot.below
        for i, label in enumerate(self.shown):
            cx = self.plot.left + (i + 0.5) * self.plot.slot
            if not self.turned:
                parts.append(
                    _text(cx, below + TICK_FS + 3, label, TICK_FS, fill=TEXT, anchor="middle")
                )
                continue
            ly = below + TICK_FS
            turn = f"rotate(-45 {_num(cx)} {_num(ly)})"
            parts.append(_text(cx, ly, label, TICK_FS, fill=TEXT, anchor="end", transform=turn))
        return parts


_Bars = tuple[list[str], list[str]]  # the bars, and the value labels drawn over them


def _stacked_bars(
    plot: _Plot,
    labels: Sequence[str],
    names: Sequence[str],
    rows: Sequence[Sequence[float | None]],
    unit: str,
) -> _Bars:
    """One stack per slot (positives up from zero, negatives down), labelled with its total."""
    bars: list[str] = []
    values_drawn: list[str] = []
    bar_width = plot.slot * 0.6
    for i, label in enumerate(labels):
        bx = plot.left + i * plot.slot + (plot.slot - bar_width) / 2
        up = down = 0.0
        for s, row in enumerate(rows):
            value = row[i]
            if not value:
                continue
            if value > 0:
                start, up = up, up + value
                end = up
            else:
                start, down = down, down + value
                end = down
            top, bottom = plot.to_y(max(start, end)), plot.to_y(min(start, end))
            bars.append(
                _bar(bx, top, bar_width, bottom, s) + _tip(label, names[s], value, unit) + "</rect>"
            )
        total = sum(v for v in (row[i] for row in rows) if v is not None)
        if total and _text_width(format_number(total), VALUE_FS) <= plot.slot:
            values_drawn.append(
                _value_label(bx + bar_width / 2, plot.to_y(up), plot.to_y(down), total)
            )
    return bars, values_drawn


def _grouped_bars(
    plot: _Plot,
    labels: Sequence[str],
    names: Sequence[str],
    rows: Sequence[Sequence[float | None]],
    unit: str,
) -> _Bars:
    """One bar per series side by side in each slot, each labelled where its number fits."""
    bars: list[str] = []
    values_drawn: list[str] = []
    group = plot.slot * 0.8
    bar_width = group / len(rows)
    for i, label in enumerate(labels):
        x0 = plot.left + i * plot.slot + (plot.slot - group) / 2
        for s, row in enumerate(rows):
            value = row[i]
            if not value:
                continue
            bx = x0 + s * bar_width
            top, bottom = plot.to_y(max(value, 0.0)), plot.to_y(min(value, 0.0))
            name = names[s] if len(rows) > 1 else ""
            bars.append(
                _bar(bx, top, bar_width, bottom, s) + _tip(label, name, value, unit) + "</rect>"
            )
            if _text_width(format_number(value), VALUE_FS) <= bar_width + 1:
                values_drawn.append(_value_label(bx + bar_width / 2, top, bottom, value))
    return bars, values_drawn


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


def _number(value: object) -> float | None:
    """A finite float, or None for anything that is not one."""
    if isinstance(value, bool) or not isinstance(value, str | SupportsFloat):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _aligned(values: Iterable[object] | None, n: int) -> list[float | None]:
    try:
        numbers = [_number(v) for v in values or ()]
    except TypeError:  # not iterable at all
        numbers = []
    return (numbers + [None] * n)[:n]


def _nice_ticks(low: float, high: float, *, integers: bool, target: int = 5) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2, 2.5 or 5 times a power of ten.

    Counts (integers) never get fractional ticks. An all-zero range becomes 0..1.
    """
    if high - low <= 0:
        high = low + 1
    raw = (high - low) / (target - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if integers and magnitude < 10 else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw * (1 - 1e-9))
    if integers:
        step = max(1, round(step))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(k * step, 10) for k in range(first, last + 1)]


def _tick_text(tick: float, ticks: Sequence[float]) -> str:
    """A tick value with as many decimals as the step needs: 0.25 steps give '0.75'."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = next(d for d in range(7) if abs(step * 10**d - round(step * 10**d)) < 1e-6 or d == 6)
    return f"{tick:,.{decimals}f}"


def _with_unit(value: float | None, unit: str) -> str:
    text = format_number(value)
    if not unit or value is None:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def _bar_description(
    title: str,
    labels: Sequence[str],
    names: Sequence[str],
    rows: Sequence[Sequence[float | None]],
    unit: str,
    stacked: bool,
) -> str:
    entries = []
    for i, label in enumerate(labels):
        if len(rows) == 1:
            entries.append(f"{label}: {_with_unit(rows[0][i], unit)}")
            continue
        values = ", ".join(
            f"{name} {_with_unit(row[i], unit)}" for name, row in zip(names, rows, strict=True)
        )
        if stacked:
            total = sum((v for row in rows if (v := row[i]) is not None), 0.0)
            # Translators: th: รวม
            values += f", {_('total')} {_with_unit(total, unit)}"
        entries.append(f"{label}: {values}")
    return _join_description(title, entries)


def _join_description(title: str, entries: Sequence[str]) -> str:
    return f"{title}. " + "; ".join(entries) + "."


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------


def _clean(text: object) -> str:
    """A one-line string with no characters XML forbids ('' for None)."""
    if text is None:
        return ""
    return " ".join(_NOT_XML.sub("", str(text)).split())


def _esc(text: object) -> str:
    return html.escape(_clean(text), quote=True)


# ---------------------------------------------------------------------------------------------
# Markup
# ---------------------------------------------------------------------------------------------


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _uid(*parts: object) -> str:
    return "chart-" + hashlib.sha1(repr(parts).encode("utf-8", "replace")).hexdigest()[:10]


def _text(
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    fill: str = TEXT,
    anchor: str = "start",
    weight: str = "",
    transform: str = "",
) -> str:
    extra = f' font-weight="{weight}"' if weight else ""
    extra += f' transform="{transform}"' if transform else ""
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" fill="{fill}"'
        f' text-anchor="{anchor}"{extra}>{_esc(text)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str) -> str:
    return (
        f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}"'
        f' stroke="{colour}" stroke-width="1"/>'
    )


def _bar(x: float, top: float, width: float, bottom: float, index: int) -> str:
    """An open <rect> (the caller adds a <title> and closes it)."""
    height = max(bottom - top, 1.0)
    return (
        f'<rect x="{_num(x)}" y="{_num(top)}" width="{_num(width)}" height="{_num(height)}"'
        f' fill="{PALETTE[index % len(PALETTE)]}" stroke="#ffffff" stroke-width="0.75">'
    )


def _tip(label: str, name: str, value: float | None, unit: str) -> str:
    head = f"{label} · {name}" if name else label
    return f"<title>{_esc(f'{head}: {_with_unit(value, unit)}')}</title>"


def _value_label(cx: float, top: float, bottom: float, value: float) -> str:
    y = top - 3 if value >= 0 else bottom + VALUE_FS
    return _text(cx, y, format_number(value), VALUE_FS, fill=TEXT, anchor="middle")


def _legend(names: Sequence[str], x0: float, y0: float, budget: float) -> tuple[str, float]:
    """Colour keys flowing left to right, wrapping; returns the markup and its height."""
    parts: list[str] = []
    x, y, line = x0, y0, FS + 4
    for index, name in enumerate(names):
        shown = _fit(name or f"{index + 1}", budget - 18, FS)
        width = 16 + _text_width(shown, FS) + 14
        if x > x0 and x + width > x0 + budget:
            x, y = x0, y + line
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y + 2)}" width="12" height="12"'
            f' fill="{PALETTE[index % len(PALETTE)]}"/>'
        )
        parts.append(_text(x + 16, y + FS - 1, shown, FS, fill=TEXT))
        x += width
    return "".join(parts), y + line - y0


# Scales with its container, up to MAX_SCALE times its drawn size, centred in wider ones.
_STYLE = f"display: block; max-width: {_num(WIDTH * MAX_SCALE)}px; height: auto; margin: 0 auto"


def _svg(title: str, desc: str, uid: str, height: float, parts: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(WIDTH)} {_num(height)}"'
        f' width="100%" style="{_STYLE}"'
        f' role="img" aria-labelledby="{uid}-title {uid}-desc" class="portal-chart"'
        f' font-family="{FONT_FAMILY}">'
        f'<title id="{uid}-title">{_esc(title)}</title>'
        f'<desc id="{uid}-desc">{_esc(desc)}</desc>' + "".join(parts) + "</svg>"
    )


def _empty_svg(title: str, uid: str, show_title: bool) -> str:
    # Translators: th: ไม่มีข้อมูล
    message = _("No data")
    top = PAD + (TITLE_FS + 8 if show_title else 0)
    parts = [_text(PAD, PAD + TITLE_FS, title, TITLE_FS, weight="600")] if show_title else []
    parts.append(
        f'<rect x="{_num(PAD)}" y="{_num(top)}" width="{_num(WIDTH - 2 * PAD)}" height="64"'
        f' rx="6" fill="#f9fafb" stroke="{GRID}"/>'
    )
    parts.append(_text(WIDTH / 2, top + 32 + FS * 0.35, message, FS, fill=MUTED, anchor="middle"))
    return _svg(title, f"{title}. {message}.", uid, top + 64 + PAD, parts)
