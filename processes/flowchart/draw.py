"""Drawing: SVG markup for the laid-out shapes and routed edges, and the accessible text.

Every piece of text goes through :func:`esc`; attribute values through :func:`attrs`.
"""

from __future__ import annotations

import hashlib
import html
import math

from core.thaitext import text_width

from .layout import Layout
from .model import Edge, Node, css_token, word
from .routing import Point, Route
from .text import FS, LABEL_FS, LH, META_FS, META_LH

FONT_FAMILY = "Sarabun, 'TH Sarabun New', sans-serif"

_ARROW_LEN = 8.0
_ARROW_HALF = 4.5

_TEXT = "#1f2937"
_META = "#6b7280"

# kind -> (fill, stroke)
_COLOURS = {
    "start": ("#eceff1", "#546e7a"),
    "task": ("#e3f2fd", "#1e88e5"),
    "approval": ("#fff3e0", "#ef6c00"),
    "notify": ("#e8f5e9", "#43a047"),
    "wait_until": ("#f3e5f5", "#8e24aa"),
    "end": ("#eceff1", "#546e7a"),
}

# outcome -> edge colour; anything else draws in the neutral colour
_EDGE_COLOURS = {
    "approve": "#2e7d32",
    "return": "#b45309",
    "reject": "#c62828",
}
_EDGE_NEUTRAL = "#475569"


# --- markup primitives ---------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def num(value: float) -> str:
    """Coordinates with at most one decimal and no trailing ``.0``."""
    if not math.isfinite(value):
        return "0"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def attrs(**values: object) -> str:
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        text = num(value) if isinstance(value, float) else str(value)
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{esc(text)}"')
    return " ".join(parts)


def el(tag: str, **values: object) -> str:
    return f"<{tag} {attrs(**values)}/>"


def text_lines(
    lines: list[str],
    x: float,
    first_baseline: float,
    *,
    size: float,
    line_h: float,
    anchor: str = "middle",
    fill: str = _TEXT,
    css: str = "fc-text",
    weight: str | None = None,
) -> str:
    spans = "".join(
        f"<tspan {attrs(x=x, y=first_baseline + i * line_h)}>{esc(line)}</tspan>"
        for i, line in enumerate(lines)
    )
    head = attrs(class_=css, font_size=num(size), fill=fill, text_anchor=anchor, font_weight=weight)
    return f"<text {head}>{spans}</text>"


def _block_baseline(cy: float, count: int, line_h: float = LH, size: float = FS) -> float:
    """Baseline of the first of ``count`` lines centred on ``cy``."""
    return cy - count * line_h / 2 + line_h / 2 + size * 0.36


# --- shapes --------------------------------------------------------------------------------


def _diamond(node: Node, cx: float, common: dict[str, str]) -> list[str]:
    x, y = cx - node.w / 2, node.top
    points = " ".join(
        f"{num(px)},{num(py)}"
        for px, py in ((cx, y), (x + node.w, node.cy), (cx, y + node.h), (x, node.cy))
    )
    return [f"<polygon {attrs(class_='fc-shape', points=points, **common)}/>"]


def _oval(node: Node, cx: float, common: dict[str, str]) -> list[str]:
    common = {**common, "stroke_width": "2" if node.kind == "end" else "1.5"}
    return [
        el("ellipse", class_="fc-shape", cx=cx, cy=node.cy, rx=node.w / 2, ry=node.h / 2, **common)
    ]


def _notice(node: Node, cx: float, common: dict[str, str]) -> list[str]:
    x, y, h = cx - node.w / 2, node.top, node.h
    return [
        el("rect", class_="fc-shape", x=x, y=y, width=node.w, height=h, rx="3", **common),
        el("line", x1=x + 6, y1=y, x2=x + 6, y2=y + h, stroke=common["stroke"], stroke_width="1.5"),
    ]


def _waiting(node: Node, cx: float, common: dict[str, str]) -> list[str]:
    x, y = cx - node.w / 2, node.top
    box = {"x": x, "y": y, "width": node.w, "height": node.h, "rx": "10"}
    kx, ky = x + node.w - 16, y + 16
    pen = {"stroke": common["stroke"], "stroke_width": "1.5"}
    hands = f"M{num(kx)} {num(ky - 4.5)}V{num(ky)}H{num(kx + 3.5)}"
    return [
        el("rect", class_="fc-shape", stroke_dasharray="6 4", **box, **common),
        el("circle", cx=kx, cy=ky, r="7", fill="#ffffff", **pen),
        el("path", d=hands, fill="none", stroke_linecap="round", **pen),
    ]


def _box(node: Node, cx: float, common: dict[str, str]) -> list[str]:
    x, y = cx - node.w / 2, node.top
    return [el("rect", class_="fc-shape", x=x, y=y, width=node.w, height=node.h, rx="10", **common)]


_OUTLINES = {
    "approval": _diamond,
    "start": _oval,
    "end": _oval,
    "notify": _notice,
    "wait_until": _waiting,
}

# How far the label moves off the centre line to clear a shape's decoration.
_TEXT_SHIFT = {"wait_until": -6, "notify": 3}


def shape(node: Node, cx: float) -> str:
    """The node's outline, its name, and the grey time and role lines under it."""
    fill, stroke = _COLOURS.get(node.kind, _COLOURS["task"])
    common = {"fill": fill, "stroke": stroke, "stroke_width": "1.5"}
    parts = _OUTLINES.get(node.kind, _box)(node, cx, common)
    parts.append(
        text_lines(
            node.lines,
            cx + _TEXT_SHIFT.get(node.kind, 0),
            _block_baseline(node.cy, len(node.lines)),
            size=FS,
            line_h=LH,
            weight="600" if node.kind in ("start", "end") else None,
        )
    )
    if node.meta:
        parts.append(
            text_lines(
                node.meta,
                cx + 8,
                node.bottom + 15,
                size=META_FS,
                line_h=META_LH,
                anchor="start",
                fill=_META,
                css="fc-meta",
            )
        )
    return "".join(parts)


# --- edges ---------------------------------------------------------------------------------


def arrow_path(points: list[Point], colour: str) -> tuple[str, str]:
    """The line (stopping at the arrowhead's base) and the arrowhead, for ``points``."""
    (x1, y1), (x2, y2) = points[-2], points[-1]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    base_x, base_y = x2 - ux * _ARROW_LEN, y2 - uy * _ARROW_LEN
    line_points = [*points[:-1], (base_x + ux, base_y + uy)]
    d = "M" + " L".join(f"{num(px)} {num(py)}" for px, py in line_points)
    head = " ".join(
        f"{num(px)},{num(py)}"
        for px, py in (
            (x2, y2),
            (base_x - uy * _ARROW_HALF, base_y + ux * _ARROW_HALF),
            (base_x + uy * _ARROW_HALF, base_y - ux * _ARROW_HALF),
        )
    )
    path = el(
        "path", d=d, fill="none", stroke=colour, stroke_width="1.6", stroke_linejoin="round"
    ) + el("polygon", class_="fc-arrowhead", points=head, fill=colour)
    return path, d


def _label(text: str, x: float, y: float, anchor: str, colour: str) -> str:
    if not text:
        return ""
    head = attrs(
        class_="fc-label",
        x=x,
        y=y,
        font_size=num(LABEL_FS),
        font_weight="600",
        fill=colour,
        text_anchor=anchor,
    )
    return f"<text {head}>{esc(text)}</text>"


def edge_group(edge: Edge, src: Node, dst: Node, route: Route) -> str:
    """One edge as a group: its line, arrowhead and label, with data attributes for tests."""
    colour = _EDGE_COLOURS.get(edge.outcome, _EDGE_NEUTRAL)
    path, _ = arrow_path(route.points, colour)
    label = _label(edge.label, route.label_x, route.label_y, route.label_anchor, colour)
    head = attrs(
        class_=f"fc-edge fc-edge-{edge.route} fc-outcome-{css_token(edge.outcome)}",
        data_from=src.key or None,
        data_to=dst.key or None,
        data_outcome=edge.outcome,
        data_route=edge.route,
        data_lane=str(edge.lane) if edge.side and edge.route != "self" else None,
    )
    return f"<g {head}>{path}{label}</g>"


def node_group(node: Node, cx: float) -> str:
    """One step (or the start oval) as a group with a tooltip."""
    if node.kind == "start":
        head = attrs(class_="fc-start")
    else:
        head = attrs(
            class_=f"fc-step fc-{node.kind.replace('_', '-')}",
            data_key=node.key or None,
            data_kind=node.raw_kind or None,
        )
    tooltip = node.name + (f" — {node.summary}" if node.summary else "")
    return f"<g {head}><title>{esc(tooltip)}</title>{shape(node, cx)}</g>"


# --- the whole picture ---------------------------------------------------------------------


def svg_open(width: float, height: float, uid: str, extra_class: str = "") -> str:
    head = attrs(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {num(width)} {num(height)}",
        width="100%",
        style=f"max-width: {num(width)}px; height: auto",
        role="img",
        aria_labelledby=f"{uid}-title {uid}-desc",
        class_=f"fc-chart {extra_class}".strip(),
        font_family=FONT_FAMILY,
        text_rendering="geometricPrecision",
    )
    return f"<svg {head}>"


def uid_for(*parts: object) -> str:
    try:
        seed = repr(parts)
    except Exception:
        seed = ""
    return "fc-" + hashlib.sha1(seed.encode("utf-8", "replace")).hexdigest()[:10]


def message_svg(message: str, title: str, lang: str, uid: str) -> str:
    """A small framed picture that says ``message`` (no steps, or a drawing that failed)."""
    width = max(220.0, text_width(message, FS) + 48)
    height = 64.0
    return (
        svg_open(width, height, uid, "fc-empty")
        + f'<title id="{uid}-title">{esc(title or word("chart", lang))}</title>'
        + f'<desc id="{uid}-desc">{esc(message)}</desc>'
        + el(
            "rect",
            x=1.0,
            y=1.0,
            width=width - 2,
            height=height - 2,
            rx="10",
            fill="#f8fafc",
            stroke="#cbd5e1",
            stroke_dasharray="5 4",
        )
        + text_lines([message], width / 2, height / 2 + FS * 0.36, size=FS, line_h=LH, fill=_META)
        + "</svg>"
    )


def description(nodes: list[Node], edges: list[Edge], lang: str) -> str:
    """The picture in words, for screen readers: every step, then every branch."""
    numbered = []
    for node in nodes[1:]:
        detail = f" ({node.summary})" if node.summary else ""
        numbered.append(f"{node.index}. {node.name}{detail}")
    step = word("step", lang)
    branches = []
    for edge in edges:
        if edge.route in ("back", "skip", "self") or edge.label:
            said = edge.label or ("next" if lang == "en" else "ต่อไป")
            branches.append(f"{step} {edge.src} {said} → {step} {edge.dst}")
    if lang == "en":
        text = f"Flowchart of {len(nodes) - 1} steps: " + "; ".join(numbered)
        return text + (". Branches: " + "; ".join(branches) if branches else "")
    text = f"ผังงาน {len(nodes) - 1} ขั้นตอน: " + "; ".join(numbered)
    return text + (" ทางแยก: " + "; ".join(branches) if branches else "")


def picture(
    nodes: list[Node],
    edges: list[Edge],
    routes: list[Route],
    layout: Layout,
    *,
    title: str,
    lang: str,
    uid: str,
) -> str:
    """The standalone SVG: edges under the steps, with a title and a description."""
    body = "".join(
        edge_group(edge, nodes[edge.src], nodes[edge.dst], route)
        for edge, route in zip(edges, routes, strict=True)
    )
    shapes = "".join(node_group(node, layout.cx) for node in nodes)
    return (
        svg_open(layout.width, layout.height, uid)
        + f'<title id="{uid}-title">{esc(title or word("chart", lang))}</title>'
        + f'<desc id="{uid}-desc">{esc(description(nodes, edges, lang))}</desc>'
        + '<g class="fc-edges">'
        + body
        + '</g><g class="fc-steps">'
        + shapes
        + "</g></svg>"
    )
