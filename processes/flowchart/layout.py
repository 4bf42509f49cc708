"""Layout: how big each shape is, where it stands, and which lane each side edge runs in.

* the steps stand in one centred column, in the manual's order, top to bottom;
* an edge back to an earlier step runs in a lane on the left, an edge that skips ahead runs in
  a lane on the right; every such edge gets a lane of its own (edges whose vertical spans meet
  never share one), and edges that share a box leave and enter it at separate points (ports),
  ordered so that their lines do not cross near the box.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.thaitext import text_width

from .model import Edge, Node
from .text import FS, LABEL_FS, LH, META_FS, META_LH, wrap_name

MARGIN = 14.0
BOX_W = 250.0  # task / notify / wait boxes
BOX_PAD_X = 14.0
PORT_SP = 20.0  # vertical distance between two edge ends on one side of a box
LANE_GAP = 16.0  # from the widest thing beside the column to the first lane
LANE_SP = 14.0  # between lanes
LOOP_OUT = 22.0  # how far a self-loop sticks out

_APPROVAL_BUDGETS = (120, 140, 160, 180, 200, 230)


@dataclass
class Layout:
    """The column's centre line, the picture's size, and the room kept beside the column."""

    cx: float
    width: float
    height: float
    left_need: float
    right_need: float

    def lane_x(self, edge: Edge) -> float:
        if edge.side == "left":
            return self.cx - self.left_need - LANE_GAP - edge.lane * LANE_SP
        return self.cx + self.right_need + LANE_GAP + edge.lane * LANE_SP


# --- shapes --------------------------------------------------------------------------------


def _widest(lines: list[str]) -> float:
    return max(text_width(line, FS) for line in lines)


def _size_approval(node: Node, ports: int, port_span: float) -> None:
    # The narrowest diamond that holds the name in three lines (or the widest tried).
    for budget in _APPROVAL_BUDGETS:
        node.lines = wrap_name(node.name, budget)
        if len(node.lines) <= 3:
            break
    node.text_w = _widest(node.lines)
    text_h = len(node.lines) * LH
    # The text block sits inside the diamond when text_w / w + text_h / h <= 1.
    node.w = max(150.0, 2 * node.text_w + 28)
    node.h = max(76.0, 2 * text_h + 14, port_span / 0.56 if ports > 1 else 0)


def _size_oval(node: Node, ports: int, port_span: float) -> None:
    node.lines = wrap_name(node.name, 170)
    node.text_w = _widest(node.lines)
    node.w = max(96.0, node.text_w + 48)
    node.h = max(34.0, len(node.lines) * LH + 14, port_span / 0.55 if ports > 1 else 0)


def _size_box(node: Node, port_span: float) -> None:
    inner = BOX_W - 2 * BOX_PAD_X - (24 if node.kind == "wait_until" else 0)
    node.lines = wrap_name(node.name, inner)
    node.text_w = _widest(node.lines)
    node.w = BOX_W
    node.h = max(44.0, len(node.lines) * LH + 20, port_span + 28)


def size_node(node: Node, ports: int) -> None:
    """Wrap the node's text and size its shape; ``ports`` = edge ends on its busier side."""
    port_span = max(0, ports - 1) * PORT_SP
    if node.kind == "approval":
        _size_approval(node, ports, port_span)
    elif node.kind in ("start", "end"):
        _size_oval(node, ports, port_span)
    else:
        _size_box(node, port_span)


# --- lanes and ports -----------------------------------------------------------------------


def assign_lanes(edges: list[Edge]) -> int:
    """Give each edge the innermost lane not used by an edge whose span meets its own."""
    lanes: list[list[tuple[int, int]]] = []
    for edge in sorted(edges, key=lambda e: (e.span[1] - e.span[0], e.span)):
        low, high = edge.span
        for number, used in enumerate(lanes):
            if all(high < a or low > b for a, b in used):
                used.append(edge.span)
                edge.lane = number
                break
        else:
            lanes.append([edge.span])
            edge.lane = len(lanes) - 1
    return len(lanes)


def _collect_ports(nodes: list[Node], edges: list[Edge]) -> None:
    """Where each side edge meets its boxes.

    On one side of a box, the ends whose lines go up come first (innermost lane on top), then
    self-loops, then the ends whose lines go down (outermost lane on top): that way no line
    crosses another next to the box.
    """
    for number, edge in enumerate(edges):
        if edge.route == "self":
            ports = nodes[edge.src].ports["right"]
            ports.append(((1, number, 0), number, "out"))
            ports.append(((1, number, 1), number, "in"))
            continue
        if not edge.side:
            continue
        for end, other in (("out", edge.dst), ("in", edge.src)):
            here = edge.src if end == "out" else edge.dst
            order = (0, edge.lane) if other < here else (2, -edge.lane)
            nodes[here].ports[edge.side].append((order, number, end))


def _place_ports(node: Node) -> None:
    for side in ("left", "right"):
        ports = sorted(node.ports[side], key=lambda port: port[0])
        node.ports[side] = ports
        for k, (_, number, end) in enumerate(ports):
            node.port_dy[(number, end)] = (k - (len(ports) - 1) / 2) * PORT_SP


def size_nodes(nodes: list[Node], edges: list[Edge]) -> None:
    """Give every node its ports and then its size (a busy side makes a taller shape)."""
    _collect_ports(nodes, edges)
    for node in nodes:
        size_node(node, max(len(node.ports["left"]), len(node.ports["right"])))
        _place_ports(node)


# --- the whole picture ---------------------------------------------------------------------


def _label_need(node: Node, edge: Edge, number: int) -> tuple[float, float]:
    """Room (left, right of the centre line) that an edge's label takes beside the column."""
    width = text_width(edge.label, LABEL_FS, bold=True) if edge.label else 0.0
    if edge.route == "self":
        return 0.0, node.w / 2 + LOOP_OUT + 5 + width + 4
    if not width:
        return 0.0, 0.0
    if edge.route == "next":
        return 7 + width + 6, 0.0
    if edge.route in ("back", "skip"):
        need = node.half_width_at(node.port_dy[(number, "out")]) + 6 + width + 4
        return (need, 0.0) if edge.route == "back" else (0.0, need)
    return 0.0, 0.0


def _node_need(node: Node) -> float:
    """Room right of the centre line that a node and its grey lines take."""
    need = node.w / 2
    if node.meta:
        need = max(need, 8 + max(text_width(line, META_FS) for line in node.meta) + 4)
    return need


def _lanes_room(lanes: int) -> float:
    return LANE_GAP + (lanes - 1) * LANE_SP if lanes else 0.0


def _stack(nodes: list[Node]) -> float:
    """Vertical positions, the column top to bottom; returns the picture's height."""
    y = MARGIN
    for node in nodes:
        node.cy = y + node.h / 2
        below = len(node.meta) * META_LH
        y = node.bottom + (28.0 if node.kind == "start" else max(36.0, 10 + below + 16))
    last = nodes[-1]
    return last.bottom + max(MARGIN, 8 + len(last.meta) * META_LH + 4)


def lay_out(nodes: list[Node], edges: list[Edge]) -> Layout:
    """Lanes, ports, sizes and positions for every node and edge; the picture's frame."""
    left_lanes = assign_lanes([e for e in edges if e.route == "back"])
    right_lanes = assign_lanes([e for e in edges if e.route == "skip"])
    size_nodes(nodes, edges)
    left_need = right_need = 0.0
    for number, edge in enumerate(edges):
        left, right = _label_need(nodes[edge.src], edge, number)
        left_need, right_need = max(left_need, left), max(right_need, right)
    for node in nodes:
        left_need = max(left_need, node.w / 2)
        right_need = max(right_need, _node_need(node))
    cx = MARGIN + (left_need + _lanes_room(left_lanes))
    width = cx + (right_need + _lanes_room(right_lanes)) + MARGIN
    return Layout(cx, width, _stack(nodes), left_need, right_need)
