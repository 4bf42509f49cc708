"""Routing: the line each edge follows once the shapes are placed, and where its label sits.

* an edge to the very next step is a straight arrow down the column;
* an edge back (left) or ahead (right) leaves its box at its port, runs out to its lane, along
  the lane, and into the other box at that box's port;
* a step that leads to itself gets a small loop on its right.
"""

from __future__ import annotations

from dataclasses import dataclass

from .layout import LOOP_OUT, Layout
from .model import Edge, Node
from .text import LABEL_FS

Point = tuple[float, float]


@dataclass(frozen=True)
class Route:
    points: list[Point]
    label_x: float
    label_y: float
    label_anchor: str


def _straight(src: Node, dst: Node, cx: float) -> Route:
    return Route([(cx, src.bottom), (cx, dst.top)], cx - 7, src.bottom + 15, "end")


def _loop(src: Node, number: int, cx: float) -> Route:
    dy_out, dy_in = src.port_dy[(number, "out")], src.port_dy[(number, "in")]
    loop_x = cx + src.w / 2 + LOOP_OUT
    points = [
        (cx + src.half_width_at(dy_out), src.cy + dy_out),
        (loop_x, src.cy + dy_out),
        (loop_x, src.cy + dy_in),
        (cx + src.half_width_at(dy_in), src.cy + dy_in),
    ]
    mid = src.cy + (dy_out + dy_in) / 2 + LABEL_FS * 0.36
    return Route(points, loop_x + 5, mid, "start")


def _lane(src: Node, dst: Node, edge: Edge, number: int, layout: Layout) -> Route:
    sign = -1 if edge.side == "left" else 1
    dy_out, dy_in = src.port_dy[(number, "out")], dst.port_dy[(number, "in")]
    x_out = layout.cx + sign * src.half_width_at(dy_out)
    x_in = layout.cx + sign * dst.half_width_at(dy_in)
    lx = layout.lane_x(edge)
    points = [
        (x_out, src.cy + dy_out),
        (lx, src.cy + dy_out),
        (lx, dst.cy + dy_in),
        (x_in, dst.cy + dy_in),
    ]
    label_y = src.cy + dy_out + (-5 if dy_out <= 0 else LABEL_FS + 2)
    return Route(points, x_out + sign * 6, label_y, "end" if sign < 0 else "start")


def route(edge: Edge, number: int, nodes: list[Node], layout: Layout) -> Route:
    """The route of ``edge`` (the ``number``-th edge) through the laid-out picture."""
    src, dst = nodes[edge.src], nodes[edge.dst]
    if edge.route in ("start", "next"):
        return _straight(src, dst, layout.cx)
    if edge.route == "self":
        return _loop(src, number, layout.cx)
    return _lane(src, dst, edge, number, layout)
