"""The server-side SVG flowchart of a process definition (processes.flowchart); no database."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from processes.flowchart import _wrap, render_flowchart_svg

SVG_NS = "{http://www.w3.org/2000/svg}"

# A typical plan process, as the operations manual draws it.
PLAN_STEPS = [
    {
        "key": "appoint",
        "name_th": "แต่งตั้งคณะทำงาน",
        "name_en": "Appoint the working group",
        "kind": "task",
        "responsible": "staff",
        "days_min": 1,
        "days_max": 3,
    },
    {
        "key": "study",
        "name_th": "ศึกษา วิเคราะห์ข้อมูลสภาพปัจจุบันและปัญหา",
        "name_en": "Study and analyse the current situation and problems",
        "kind": "task",
        "responsible": "staff",
        "days_min": 5,
        "days_max": 10,
    },
    {
        "key": "meet",
        "name_th": "ประชุมคณะทำงานจัดทำร่างแผน",
        "name_en": "Working-group meeting to draft the plan",
        "kind": "task",
        "responsible": "staff",
        "days_min": 1,
        "days_max": 5,
    },
    {
        "key": "draft",
        "name_th": "จัดทำร่างแผนพัฒนาคุณภาพด้านเทคโนโลยีดิจิทัลเพื่อการศึกษา",
        "name_en": "Draft the digital-technology-for-education quality development plan",
        "kind": "task",
        "responsible": "staff",
        "days_min": 5,
        "days_max": 15,
    },
    {
        "key": "propose",
        "name_th": "เสนอผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาพิจารณาอนุมัติ",
        "name_en": "Propose to the ESA director for approval",
        "kind": "approval",
        "approvers": ["group_head", "director"],
        "days_min": 1,
        "days_max": 3,
    },
    {
        "key": "publish",
        "name_th": "เผยแพร่แผนสู่สถานศึกษา",
        "name_en": "Publish the plan to schools",
        "kind": "task",
        "responsible": "staff",
        "days_min": 1,
        "days_max": 5,
    },
    {
        "key": "report",
        "name_th": "รายงานผลให้ผู้บริหารทราบ",
        "name_en": "Report the results to the executives",
        "kind": "notify",
        "responsible": "staff",
    },
    {"key": "end", "name_th": "สิ้นสุด", "name_en": "End", "kind": "end"},
]
PLAN_TRANSITIONS = [
    {"from": source, "outcome": outcome, "to": target}
    for source, outcome, target in [
        ("appoint", "done", "study"),
        ("study", "done", "meet"),
        ("meet", "done", "draft"),
        ("draft", "done", "propose"),
        ("propose", "approve", "publish"),
        ("propose", "return", "draft"),
        ("propose", "reject", "study"),
        ("publish", "done", "report"),
        ("report", "done", "end"),
    ]
]

DASH = "\u2013"  # the en dash between the days, as in "1-5 วันทำการ"

# Thai characters that attach to the one before them and so must never begin a line.
THAI_ATTACHED = set("ะัาำิีึืฺุูๅๆ็่้๊๋์ํ๎")


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert root.tag == f"{SVG_NS}svg"
    return root


def classes(element: ET.Element) -> list[str]:
    return (element.get("class") or "").split()


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [element for element in root.iter() if name in classes(element)]


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, width, height = (float(part) for part in root.get("viewBox").split())
    return x, y, width, height


def drawn_text(element: ET.Element, css: str | None = None) -> list[str]:
    """Every visible line of text (tspans and plain text elements), optionally of one class."""
    lines = []
    for text in element.iter(f"{SVG_NS}text"):
        if css and css not in classes(text):
            continue
        spans = list(text.iter(f"{SVG_NS}tspan"))
        if spans:
            lines.extend(span.text or "" for span in spans)
        else:
            lines.append(text.text or "")
    return lines


def edge(root: ET.Element, source: str, outcome: str) -> ET.Element:
    found = [
        group
        for group in with_class(root, "fc-edge")
        if group.get("data-from") == source and group.get("data-outcome") == outcome
    ]
    assert len(found) == 1, (source, outcome, found)
    return found[0]


def path_points(group: ET.Element) -> list[tuple[float, float]]:
    d = group.find(f"{SVG_NS}path").get("d")
    numbers = [float(value) for value in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def step_group(root: ET.Element, key: str) -> ET.Element:
    found = [group for group in with_class(root, "fc-step") if group.get("data-key") == key]
    assert len(found) == 1
    return found[0]


def step_bounds(group: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a step's main shape."""
    shape = next(element for element in group.iter() if "fc-shape" in classes(element))
    tag = shape.tag.removeprefix(SVG_NS)
    if tag == "rect":
        x, y = float(shape.get("x")), float(shape.get("y"))
        return x, y, x + float(shape.get("width")), y + float(shape.get("height"))
    if tag == "ellipse":
        cx, cy = float(shape.get("cx")), float(shape.get("cy"))
        rx, ry = float(shape.get("rx")), float(shape.get("ry"))
        return cx - rx, cy - ry, cx + rx, cy + ry
    points = [tuple(map(float, pair.split(","))) for pair in shape.get("points").split()]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def plan(lang: str = "th") -> ET.Element:
    return parse(render_flowchart_svg(PLAN_STEPS, PLAN_TRANSITIONS, title="แผน", lang=lang))


def linear(count: int) -> tuple[list[dict], list[dict]]:
    steps = [
        {
            "key": f"s{n}",
            "name_th": f"ขั้นตอนที่ {n} ดำเนินการตามแผนงาน",
            "name_en": f"Step {n}",
            "kind": "task",
            "responsible": "staff",
            "days_min": 1,
            "days_max": 2,
        }
        for n in range(1, count)
    ]
    steps.append({"key": "end", "name_th": "สิ้นสุด", "kind": "end"})
    transitions = [
        {"from": a["key"], "outcome": "done", "to": b["key"]} for a, b in itertools.pairwise(steps)
    ]
    return steps, transitions


# --- the document ---------------------------------------------------------------------------


def test_standalone_responsive_svg_with_accessible_title_and_description():
    svg = render_flowchart_svg(PLAN_STEPS, PLAN_TRANSITIONS, title="กระบวนการจัดทำแผน")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    _, _, width, height = view_box(root)
    assert width > 0 and height > width  # a column down the page
    assert f"max-width: {width:g}px" in root.get("style")
    assert "Sarabun" in root.get("font-family")
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG_NS}title")
    desc = root.find(f"{SVG_NS}desc")
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title.text == "กระบวนการจัดทำแผน"
    assert "แต่งตั้งคณะทำงาน" in desc.text and "ส่งกลับแก้ไข" in desc.text


def test_output_is_deterministic_and_ids_differ_between_definitions():
    first = render_flowchart_svg(PLAN_STEPS, PLAN_TRANSITIONS, title="แผน")
    assert first == render_flowchart_svg(PLAN_STEPS, PLAN_TRANSITIONS, title="แผน")
    steps, transitions = linear(4)
    other = parse(render_flowchart_svg(steps, transitions, title="อื่น"))
    assert parse(first).get("aria-labelledby") != other.get("aria-labelledby")


# --- shapes ---------------------------------------------------------------------------------


def test_one_shape_per_step_with_the_class_of_its_kind():
    root = plan()
    groups = with_class(root, "fc-step")
    assert [group.get("data-key") for group in groups] == [step["key"] for step in PLAN_STEPS]
    expected = {
        "task": ("fc-task", "rect"),
        "approval": ("fc-approval", "polygon"),
        "notify": ("fc-notify", "rect"),
        "end": ("fc-end", "ellipse"),
    }
    for group, step in zip(groups, PLAN_STEPS, strict=True):
        css, tag = expected[step["kind"]]
        assert css in classes(group)
        shapes = [element for element in group.iter() if "fc-shape" in classes(element)]
        assert len(shapes) == 1
        assert shapes[0].tag == f"{SVG_NS}{tag}"


def test_kind_colours_and_decorations():
    steps = [
        {"key": "a", "name_th": "งาน", "kind": "task"},
        {"key": "b", "name_th": "อนุมัติ", "kind": "approval"},
        {"key": "c", "name_th": "แจ้ง", "kind": "notify"},
        {"key": "d", "name_th": "รอถึงวันที่กำหนด", "kind": "wait_until"},
        {"key": "e", "name_th": "สิ้นสุด", "kind": "end"},
    ]
    root = parse(render_flowchart_svg(steps, []))

    def shape(key: str) -> ET.Element:
        group = step_group(root, key)
        return next(element for element in group.iter() if "fc-shape" in classes(element))

    assert shape("a").get("fill") == "#e3f2fd"  # tasks light blue
    assert shape("b").get("fill") == "#fff3e0"  # approvals warm
    assert shape("e").get("fill") == "#eceff1"  # end grey
    assert shape("d").get("stroke-dasharray")  # waiting: dashed border ...
    assert step_group(root, "d").find(f"{SVG_NS}circle") is not None  # ... and a clock
    assert "fc-wait-until" in classes(step_group(root, "d"))
    assert step_group(root, "c").find(f"{SVG_NS}line") is not None  # notify: double left border


def test_start_oval_above_the_first_step():
    root = plan()
    (start,) = with_class(root, "fc-start")
    assert start.find(f"{SVG_NS}ellipse") is not None
    assert drawn_text(start) == ["เริ่มต้น"]
    first_top = step_bounds(step_group(root, "appoint"))[1]
    assert float(start.find(f"{SVG_NS}ellipse").get("cy")) < first_top
    (english_start,) = with_class(plan("en"), "fc-start")
    assert drawn_text(english_start) == ["Start"]


def test_end_step_is_an_oval_with_its_name():
    group = step_group(plan(), "end")
    assert group.find(f"{SVG_NS}ellipse") is not None
    assert "สิ้นสุด" in drawn_text(group)


def test_unknown_kind_draws_as_a_task():
    steps = [{"key": "x", "name_th": "งานแปลก", "kind": "mystery"}, {"key": "y", "kind": "end"}]
    root = parse(render_flowchart_svg(steps, [{"from": "x", "outcome": "done", "to": "y"}]))
    group = step_group(root, "x")
    assert "fc-task" in classes(group)
    assert group.get("data-kind") == "mystery"
    assert group.find(f"{SVG_NS}rect") is not None


def test_columns_are_centred_and_in_manual_order():
    root = plan()
    bounds = [step_bounds(step_group(root, step["key"])) for step in PLAN_STEPS]
    centres = {round((left + right) / 2, 1) for left, _, right, _ in bounds}
    assert len(centres) == 1
    for upper, lower in itertools.pairwise(bounds):
        assert upper[3] < lower[1]  # each box wholly above the next


# --- edges ----------------------------------------------------------------------------------


def test_one_arrow_per_transition_plus_the_start_arrow():
    root = plan()
    edges = with_class(root, "fc-edge")
    assert len(edges) == len(PLAN_TRANSITIONS) + 1
    for group in edges:
        assert group.find(f"{SVG_NS}path") is not None
        assert len(with_class(group, "fc-arrowhead")) == 1
    assert len(with_class(root, "fc-edge-start")) == 1


def test_forward_edges_to_the_next_step_are_straight_and_down():
    root = plan()
    points = path_points(edge(root, "draft", "done"))
    assert len(points) == 2
    (x1, y1), (x2, y2) = points
    assert x1 == x2 and y2 > y1
    assert edge(root, "propose", "approve").get("data-route") == "next"


def test_return_loop_goes_up_the_left_lane():
    root = plan()
    back = edge(root, "propose", "return")
    assert back.get("data-route") == "back"
    points = path_points(back)
    assert len(points) == 4  # out, up, in: an orthogonal poly-line
    assert points[-1][1] < points[0][1]  # ends higher than it starts
    lane_x = points[1][0]
    assert points[1][0] == points[2][0]  # the vertical run
    assert points[0][1] == points[1][1] and points[2][1] == points[3][1]  # horizontal ends
    lefts = [step_bounds(step_group(root, step["key"]))[0] for step in PLAN_STEPS]
    assert lane_x < min(lefts)  # left of every box
    draft_top, draft_bottom = step_bounds(step_group(root, "draft"))[1::2]
    assert draft_top < points[-1][1] < draft_bottom  # comes into the drafting box


def test_each_back_edge_has_its_own_lane_and_its_own_exit():
    root = plan()
    returned = path_points(edge(root, "propose", "return"))
    rejected = path_points(edge(root, "propose", "reject"))
    assert returned[1][0] != rejected[1][0]
    assert returned[0][1] != rejected[0][1]
    # The longer loop is the outer one, so the two do not cross.
    assert rejected[1][0] < returned[1][0]
    assert rejected[0][1] > returned[0][1]
    assert rejected[-1][1] < returned[-1][1]


def test_skipping_forward_edges_use_the_right_lane():
    transitions = [*PLAN_TRANSITIONS, {"from": "propose", "outcome": "reject", "to": "end"}]
    transitions = [t for t in transitions if t["to"] != "study"]
    root = parse(render_flowchart_svg(PLAN_STEPS, transitions))
    skip = edge(root, "propose", "reject")
    assert skip.get("data-route") == "skip"
    points = path_points(skip)
    assert points[-1][1] > points[0][1]
    rights = [step_bounds(step_group(root, step["key"]))[2] for step in PLAN_STEPS]
    assert points[1][0] > max(rights)
    assert "ไม่อนุมัติ" in drawn_text(skip)


def test_duplicate_edge_to_the_next_step_is_not_drawn_on_top_of_the_first():
    steps, transitions = linear(3)
    transitions.append({"from": "s1", "outcome": "approve", "to": "s2"})
    root = parse(render_flowchart_svg(steps, transitions))
    assert len(with_class(root, "fc-edge")) == len(transitions) + 1
    assert path_points(edge(root, "s1", "approve")) != path_points(edge(root, "s1", "done"))


def test_self_loop_is_a_small_loop_on_the_side():
    steps = [{"key": "fix", "name_th": "ซ่อม", "kind": "task"}, {"key": "end", "kind": "end"}]
    transitions = [
        {"from": "fix", "outcome": "return", "to": "fix"},
        {"from": "fix", "outcome": "done", "to": "end"},
    ]
    root = parse(render_flowchart_svg(steps, transitions))
    loop = edge(root, "fix", "return")
    assert loop.get("data-route") == "self"
    points = path_points(loop)
    _, top, right, bottom = step_bounds(step_group(root, "fix"))
    assert points[0][0] == pytest.approx(right)
    assert all(top < y < bottom for _, y in points)
    assert max(x for x, _ in points) > right
    assert "ส่งกลับแก้ไข" in drawn_text(loop)


def test_transitions_to_unknown_steps_are_ignored():
    transitions = [
        *PLAN_TRANSITIONS,
        {"from": "propose", "outcome": "reject", "to": "nowhere"},
        {"from": "ghost", "outcome": "done", "to": "end"},
        {"outcome": "done"},
    ]
    root = parse(render_flowchart_svg(PLAN_STEPS, transitions))
    assert len(with_class(root, "fc-edge")) == len(PLAN_TRANSITIONS) + 1


# --- text -----------------------------------------------------------------------------------


def test_outcome_labels_in_thai():
    root = plan()
    labels = drawn_text(root, "fc-label")
    assert sorted(labels) == sorted(["อนุมัติ", "ส่งกลับแก้ไข", "ไม่อนุมัติ"])
    assert drawn_text(edge(root, "draft", "done"), "fc-label") == []


def test_outcome_labels_and_names_in_english():
    root = plan("en")
    assert sorted(drawn_text(root, "fc-label")) == ["Approve", "Reject", "Return"]
    text = " ".join(drawn_text(root))
    assert "Appoint the working group" in text
    assert "อนุมัติ" not in text


def test_standard_times_and_responsible_roles():
    root = plan()
    appoint = drawn_text(step_group(root, "appoint"), "fc-meta")
    assert appoint == [f"1{DASH}3 วันทำการ", "เจ้าหน้าที่"]
    assert f"1{DASH}5 วันทำการ" in drawn_text(step_group(root, "meet"), "fc-meta")
    assert drawn_text(step_group(root, "propose"), "fc-meta") == [
        f"1{DASH}3 วันทำการ",
        "ผอ.กลุ่ม → ผอ.สพท.",
    ]
    assert drawn_text(step_group(root, "report"), "fc-meta") == ["เจ้าหน้าที่"]  # no time
    assert drawn_text(step_group(root, "end"), "fc-meta") == []
    meta = plan("en").iter(f"{SVG_NS}text")
    english = [line for text in meta if "fc-meta" in classes(text) for line in drawn_text(text)]
    assert f"1{DASH}5 working days" in english and "Group head → Director" in english


@pytest.mark.parametrize(
    ("days_min", "days_max", "expected"),
    [
        (3, 3, ["3 วันทำการ"]),
        (2, None, ["2 วันทำการ"]),
        (None, None, []),
        (5, 1, [f"1{DASH}5 วันทำการ"]),
        ("x", None, []),
    ],
)
def test_time_line_variants(days_min, days_max, expected):
    steps = [{"key": "a", "name_th": "งาน", "kind": "task", "days_min": days_min}]
    steps[0]["days_max"] = days_max
    root = parse(render_flowchart_svg(steps, []))
    assert drawn_text(step_group(root, "a"), "fc-meta") == expected


def test_role_labels():
    roles = {
        "staff": "เจ้าหน้าที่",
        "group_head": "ผอ.กลุ่ม",
        "deputy_director": "รอง ผอ.สพท.",
        "director": "ผอ.สพท.",
        "requester": "ผู้ยื่นคำขอ",
        "school_user": "สถานศึกษา",
        "school_director": "ผอ.สถานศึกษา",
        "someone_new": "someone_new",
    }
    steps = [{"key": code, "name_th": "งาน", "kind": "task", "responsible": code} for code in roles]
    root = parse(render_flowchart_svg(steps, []))
    for code, label in roles.items():
        assert drawn_text(step_group(root, code), "fc-meta") == [label]


def test_text_is_escaped():
    steps = [
        {"key": 'k"1', "name_th": "<script>&", "kind": "task"},
        {"key": "end", "name_th": "จบ ' \" >", "kind": "end"},
    ]
    svg = render_flowchart_svg(steps, [], title="</svg><b>&amp;")
    assert "<script>" not in svg and "</svg><b>" not in svg
    assert "&lt;script&gt;&amp;" in svg
    root = parse(svg)
    assert "<script>&" in drawn_text(root)
    assert root.find(f"{SVG_NS}title").text == "</svg><b>&amp;"
    assert with_class(root, "fc-step")[0].get("data-key") == 'k"1'


def test_long_thai_names_wrap_and_the_box_grows():
    root = plan()
    draft = step_group(root, "draft")
    lines = drawn_text(draft, "fc-text")
    assert len(lines) >= 2
    assert "".join(lines) == PLAN_STEPS[3]["name_th"]
    draft_height = step_bounds(draft)[3] - step_bounds(draft)[1]
    appoint = step_bounds(step_group(root, "appoint"))
    assert draft_height > appoint[3] - appoint[1]


def test_no_drawn_line_starts_with_a_thai_combining_mark():
    for lang in ("th", "en"):
        for line in drawn_text(plan(lang)):
            assert line and line[0] not in THAI_ATTACHED, line


@pytest.mark.parametrize("budget", [40, 60, 90, 140, 222])
@pytest.mark.parametrize(
    "text",
    [
        "จัดทำร่างแผนพัฒนาคุณภาพด้านเทคโนโลยีดิจิทัลเพื่อการศึกษา",
        "เสนอผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาพิจารณาอนุมัติ",
        "ที่นี่มีน้ำใจไมตรีกับผู้มาเยือนทุกคนตั้งแต่เช้าจรดค่ำ",
        "สำรวจความต้องการครุภัณฑ์คอมพิวเตอร์ของโรงเรียนในสังกัดสำนักงาน",
        "ศึกษา วิเคราะห์ข้อมูลสภาพปัจจุบันและปัญหา",
        "Draft the digital-technology-for-education quality development plan",
    ],
)
def test_wrap_never_splits_a_letter_from_its_marks(text, budget):
    lines = _wrap(text, budget)
    assert len(lines) >= 1
    for line in lines:
        assert line and line[0] not in THAI_ATTACHED, lines
        assert line[-1] not in "เแโใไ", lines  # a leading vowel stays with its consonant
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_prefers_spaces_and_word_edges():
    assert _wrap("ศึกษา วิเคราะห์ข้อมูลสภาพปัจจุบันและปัญหา", 222) == [
        "ศึกษา วิเคราะห์ข้อมูลสภาพปัจจุบัน",
        "และปัญหา",
    ]
    text = "Draft the quality development plan for the office"
    lines = _wrap(text, 120)
    assert len(lines) > 1
    assert " ".join(lines) == text  # broken only at spaces


def test_a_very_long_name_is_cut_short():
    steps = [{"key": "a", "name_th": "ระบบสารสนเทศ" * 200, "kind": "task"}]
    lines = drawn_text(step_group(parse(render_flowchart_svg(steps, [])), "a"), "fc-text")
    assert 1 < len(lines) <= 8
    assert lines[-1].endswith("\u2026")


# --- size and odd input ---------------------------------------------------------------------


def test_fifteen_steps_draw_taller_than_five():
    short = parse(render_flowchart_svg(*linear(5)))
    tall = parse(render_flowchart_svg(*linear(15)))
    assert len(with_class(tall, "fc-step")) == 15
    assert view_box(tall)[3] > view_box(short)[3] * 2


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("steps", [[], None, (), "not a list"])
def test_no_steps_gives_a_small_picture_saying_so(steps, lang):
    root = parse(render_flowchart_svg(steps, [], title="ว่าง", lang=lang))
    message = "No steps" if lang == "en" else "ไม่มีขั้นตอน"
    assert drawn_text(root) == [message]
    assert with_class(root, "fc-step") == []
    assert view_box(root)[3] < 100
    assert root.find(f"{SVG_NS}title").text == "ว่าง"


@pytest.mark.parametrize(
    ("steps", "transitions"),
    [
        ([1, None, "x", {"key": 5}], [None, 3, {"from": 1}]),
        ([{"key": "a", "kind": None, "days_min": "x", "days_max": float("nan")}], None),
        ([{"key": "a", "kind": "approval", "approvers": 5}, {"key": "a"}], [{"from": "a"}]),
        ([{"key": "a", "approvers": "director", "kind": "approval"}], "a→a"),
        ([{"key": "a", "name_th": "x\x00\x1fy", "responsible": object()}], [{}]),
        ([{"key": "a", "days_min": 1e308, "days_max": -1}], [{"from": "a", "to": "a"}] * 3),
        ([{"key": "a"}, {"key": "b"}], [{"from": "b", "to": "a"}] * 4),
        ([{"key": "a", "name_th": "ก" * 500}], []),
        ([{"key": "a", "name_th": "่่่่่่"}], []),
    ],
)
def test_odd_input_never_raises(steps, transitions):
    root = parse(render_flowchart_svg(steps, transitions, title=None, lang=None))
    assert len(with_class(root, "fc-step")) == len(steps)


def test_repeated_back_edges_each_get_a_lane():
    steps = [{"key": "a"}, {"key": "b"}]
    root = parse(render_flowchart_svg(steps, [{"from": "b", "to": "a"}] * 3))
    lanes = {path_points(group)[1][0] for group in with_class(root, "fc-edge-back")}
    assert len(lanes) == 3


# --- the picture ----------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert not installed")
def test_renders_to_png(tmp_path):
    svg_file = tmp_path / "flowchart.svg"
    svg_file.write_text(render_flowchart_svg(PLAN_STEPS, PLAN_TRANSITIONS, title="แผน"))
    png = subprocess.run(
        ["rsvg-convert", "-w", "800", str(svg_file)], capture_output=True, check=True
    ).stdout
    assert png.startswith(b"\x89PNG")
