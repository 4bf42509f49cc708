"""Small server-side SVG charts: vertical bars (grouped or stacked) and horizontal top-N bars.

The portal's reports draw their charts here, as inline SVG strings, so that a page (or a PDF
made from it) needs no JavaScript, no network and no packages beyond the standard library::

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
  are estimated (there is no font engine on the server) generously enough for Thai.
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
import unicodedata
from collections.abc import Iterable, Sequence
from typing import SupportsFloat

from django.utils.translation import gettext as _

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

_ELLIPSIS = "…"
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
    n = len(labels)
    rows = [_aligned(values, n) for _name, values in series]
    uid = _uid("bar", title, unit, stacked, labels, names, rows)
    if not n or not rows or all(v is None for row in rows for v in row):
        return _empty_svg(title, uid, show_title)

    desc = _bar_description(title, labels, names, rows, unit, stacked)

    # Value range, and the ticks of the y-axis.
    if stacked:
        ups = [
            sum(v for v in column if v is not None and v > 0) for column in zip(*rows, strict=True)
        ]
        downs = [
            sum(v for v in column if v is not None and v < 0) for column in zip(*rows, strict=True)
        ]
        low, high = min([0.0, *downs]), max([0.0, *ups])
    else:
        present = [v for row in rows for v in row if v is not None]
        low, high = min([0.0, *present]), max([0.0, *present])
    integers = all(v is None or float(v).is_integer() for row in rows for v in row)
    ticks = _nice_ticks(low, high, integers=integers)
    axis_low, axis_high = ticks[0], ticks[-1]
    tick_texts = [format_number(t) if integers else _tick_text(t, ticks) for t in ticks]

    # Vertical layout, top to bottom: title, legend, unit, headroom for value labels, plot,
    # room for labels under negative bars, x labels.
    y = PAD
    parts: list[str] = []
    if show_title:
        parts.append(_text(PAD, y + TITLE_FS, title, TITLE_FS, weight="600"))
        y += TITLE_FS + 8
    if len(rows) > 1:
        legend, legend_height = _legend(names, PAD, y, WIDTH - 2 * PAD)
        parts.append(legend)
        y += legend_height + 4
    if unit:
        parts.append(_text(PAD, y + FS, unit, FS, fill=MUTED))
        y += FS + 2
    y += VALUE_FS + 4
    plot_top = y

    left = PAD + max(_text_width(t, TICK_FS) for t in tick_texts) + 6
    right = WIDTH - PAD
    plot_width = right - left
    slot = plot_width / n

    def to_y(value: float) -> float:
        return plot_top + (axis_high - value) / (axis_high - axis_low) * PLOT_HEIGHT

    plot_bottom = plot_top + PLOT_HEIGHT
    below = plot_bottom + (VALUE_FS + 4 if axis_low < 0 else 0)

    # X labels: level when they fit their slot, else turned 45 degrees.
    shown = [_fit(label, MAX_X_LABEL, TICK_FS) for label in labels]
    widest = max((_text_width(label, TICK_FS) for label in shown), default=0.0)
    turned = widest > slot - 2
    if turned:
        # A turned label runs down to the left of its slot's centre: keep it inside the chart.
        shown = [
            _fit(label, min(MAX_X_LABEL, (left + (i + 0.5) * slot - 2) / 0.71), TICK_FS)
            for i, label in enumerate(shown)
        ]
        widest = max(_text_width(label, TICK_FS) for label in shown)
    label_room = (widest * 0.71 + TICK_FS + 8) if turned else TICK_FS + 10
    height = below + label_room + PAD

    # Grid and y-axis labels.
    for tick, text in zip(ticks, tick_texts, strict=True):
        ty = to_y(tick)
        if tick != 0:
            parts.append(_line(left, ty, right, ty, GRID))
        parts.append(_text(left - 5, ty + TICK_FS * 0.35, text, TICK_FS, fill=MUTED, anchor="end"))

    # Bars.
    bars: list[str] = []
    values_drawn: list[str] = []
    for i, label in enumerate(labels):
        x0 = left + i * slot
        if stacked:
            bar_width = slot * 0.6
            bx = x0 + (slot - bar_width) / 2
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
                bars.append(
                    _bar(bx, to_y(max(start, end)), bar_width, to_y(min(start, end)), s)
                    + _tip(label, names[s], value, unit)
                    + "</rect>"
                )
            total = sum(v for v in (row[i] for row in rows) if v is not None)
            if total and _text_width(format_number(total), VALUE_FS) <= slot:
                values_drawn.append(_value_label(bx + bar_width / 2, to_y(up), to_y(down), total))
        else:
            group = slot * 0.8
            bar_width = group / len(rows)
            for s, row in enumerate(rows):
                value = row[i]
                if not value:
                    continue
                bx = x0 + (slot - group) / 2 + s * bar_width
                top, bottom = to_y(max(value, 0.0)), to_y(min(value, 0.0))
                bars.append(
                    _bar(bx, top, bar_width, bottom, s)
                    + _tip(label, names[s] if len(rows) > 1 else "", value, unit)
                    + "</rect>"
                )
                if _text_width(format_number(value), VALUE_FS) <= bar_width + 1:
                    values_drawn.append(_value_label(bx + bar_width / 2, top, bottom, value))
    parts.extend(bars)
    parts.append(_line(left, to_y(0.0), right, to_y(0.0), AXIS))  # the zero line, over the bars
    parts.extend(values_drawn)

    # X labels.
    for i, label in enumerate(shown):
        cx = left + (i + 0.5) * slot
        if turned:
            ly = below + TICK_FS
            parts.append(
                _text(
                    cx,
                    ly,
                    label,
                    TICK_FS,
                    fill=TEXT,
                    anchor="end",
                    transform=f"rotate(-45 {_num(cx)} {_num(ly)})",
                )
            )
        else:
            parts.append(_text(cx, below + TICK_FS + 3, label, TICK_FS, fill=TEXT, anchor="middle"))

    return _svg(title, desc, uid, height, parts)


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
    y = PAD
    if show_title:
        parts.append(_text(PAD, y + TITLE_FS, title, TITLE_FS, weight="600"))
        y += TITLE_FS + 8
    if unit:
        parts.append(_text(PAD, y + FS, unit, FS, fill=MUTED))
        y += FS + 6
    largest = max((value for _label, value in rows if value is not None), default=0.0)
    number_room = max(_text_width(format_number(value), VALUE_FS + 1) for _l, value in rows) + 6
    longest = WIDTH - 2 * PAD - number_room
    for label, value in rows:
        parts.append(_text(PAD, y + FS, _fit(label, WIDTH - 2 * PAD, FS), FS, fill=TEXT))
        bar_top = y + FS + 5
        length = longest * value / largest if value and value > 0 and largest > 0 else 0.0
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
        y += H_ROW
    # y is where a next row would start; the last row ends with its bar.
    height = y - H_ROW + FS + 5 + H_BAR + PAD
    return _svg(title, desc, uid, height, parts)


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


def _char_width(ch: str, size: float) -> float:
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0  # Thai vowel and tone marks sit on the letter before them
    if "\u0e00" <= ch <= "\u0e7f":
        factor = 0.62
    elif ch == " ":
        factor = 0.3
    elif ch.isascii():
        if ch in "MWmw@%":
            factor = 0.85
        elif ch.isupper() or ch.isdigit():
            factor = 0.64
        elif ch in "il.,:;'|!()[]{}":
            factor = 0.32
        else:
            factor = 0.56
    elif unicodedata.east_asian_width(ch) in ("W", "F"):
        factor = 1.0
    else:
        factor = 0.62
    return factor * size


def _text_width(text: str, size: float) -> float:
    return sum(_char_width(ch, size) for ch in text)


def _fit(text: str, budget: float, size: float) -> str:
    """`text`, cut short with an ellipsis so that it is no wider than `budget`."""
    if _text_width(text, size) <= budget:
        return text
    room = budget - _char_width(_ELLIPSIS, size)
    width, cut = 0.0, 0
    for i, ch in enumerate(text):
        width += _char_width(ch, size)
        if width > room:
            break
        # Only cut where the next character is not a mark belonging to this one.
        if i + 1 < len(text) and _char_width(text[i + 1], size) == 0.0:
            continue
        cut = i + 1
    return text[:cut].rstrip() + _ELLIPSIS


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
