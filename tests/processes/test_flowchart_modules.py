"""The flowchart's pieces on their own: model, layout (lanes), routing, and the safety net."""

from __future__ import annotations

import logging

import processes.flowchart as flowchart
from processes.flowchart.layout import assign_lanes, lay_out
from processes.flowchart.model import Edge, build_edges, build_nodes
from processes.flowchart.routing import route

STEPS = [
    {"key": "a", "name_th": "ศึกษาข้อมูล", "kind": "task", "days_min": 1, "days_max": 3},
    {"key": "b", "name_th": "จัดทำร่างแผน", "kind": "task"},
    {"key": "c", "name_th": "เสนอ ผอ.สพท.", "kind": "approval", "approvers": ["director"]},
    {"key": "d", "name_th": "สิ้นสุด", "kind": "end"},
]
TRANSITIONS = [
    {"from": "a", "outcome": "done", "to": "b"},
    {"from": "b", "outcome": "done", "to": "c"},
    {"from": "c", "outcome": "approve", "to": "d"},
    {"from": "c", "outcome": "return", "to": "a"},
    {"from": "a", "outcome": "cancel", "to": "d"},
    {"from": "b", "outcome": "again", "to": "b"},
    {"from": "x", "outcome": "done", "to": "a"},  # unknown step: left out
]


def laid_out():
    nodes, index_of = build_nodes(STEPS, "th")
    edges = build_edges(TRANSITIONS, index_of, "th")
    return nodes, edges, lay_out(nodes, edges)


def test_edges_get_their_routes_and_unknown_steps_are_left_out():
    _nodes, edges, _layout = laid_out()
    assert [(e.src, e.dst, e.route) for e in edges] == [
        (0, 1, "start"),
        (1, 2, "next"),
        (2, 3, "next"),
        (3, 4, "next"),
        (3, 1, "back"),
        (1, 4, "skip"),
        (2, 2, "self"),
    ]
    assert edges[4].label == "ส่งกลับแก้ไข"


def test_edges_whose_spans_meet_never_share_a_lane():
    edges = [Edge(1, 4, "x", "", "skip"), Edge(2, 3, "x", "", "skip"), Edge(5, 6, "x", "", "skip")]
    assert assign_lanes(edges) == 2
    assert edges[1].lane == 0  # the shortest goes innermost
    assert edges[0].lane == 1  # it meets the first
    assert edges[2].lane == 0  # it meets neither


def test_back_edges_run_left_of_the_column_and_skips_right():
    nodes, edges, layout = laid_out()
    back = route(edges[4], 4, nodes, layout)
    skip = route(edges[5], 5, nodes, layout)
    loop = route(edges[6], 6, nodes, layout)
    assert max(x for x, _y in back.points[1:3]) < layout.cx - nodes[3].w / 2
    assert min(x for x, _y in skip.points[1:3]) > layout.cx + nodes[1].w / 2
    assert loop.points[1][0] > layout.cx + nodes[2].w / 2
    # Lines end at their boxes: a back edge leaves the approval and enters the first step.
    assert back.points[0][1] == nodes[3].cy + nodes[3].port_dy[(4, "out")]
    assert back.points[-1][1] == nodes[1].cy + nodes[1].port_dy[(4, "in")]
    # The column stacks top to bottom and fits the picture.
    assert [n.cy for n in nodes] == sorted(n.cy for n in nodes)
    assert nodes[-1].bottom < layout.height


def test_a_failure_while_drawing_gives_a_small_error_picture(monkeypatch, caplog):
    def broken(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr(flowchart, "lay_out", broken)
    with caplog.at_level(logging.ERROR, logger="processes.flowchart"):
        svg = flowchart.render_flowchart_svg(STEPS, TRANSITIONS, title="แผน", lang="en")
    assert "The flowchart could not be drawn" in svg
    assert "fc-empty" in svg
    assert "Could not draw a flowchart" in caplog.text
