"""A process version as BPMN 2.0 XML, and BPMN 2.0 XML (from any standard modeler) as a draft.

Export: one pool with a lane per responsible role; tasks and approvals are user tasks, notices
are send tasks, waits are timer catch events, end steps are end events; a step with more than one
outcome (an approval, a task with named branches) flows into an exclusive gateway whose outgoing
sequence flows carry the outcomes' names. A diagram (BPMN DI) is laid out so that modelers such as
bpmn.io or Camunda Modeler draw it. What BPMN has no word for (standard times, quality standard,
the step's form, attachments, the approval chain) travels in `extensionElements` of the portal's
own namespace, so exporting and importing again gives the same definition.

Import: the same file, or one drawn in a modeler. Elements the engine cannot run (parallel
gateways, sub-processes, message flows, boundary events…) are left out and listed, so the person
knows what to redo in the designer. The result is always a draft; nothing is published.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from processes.definitions import DEFINITION_FIELDS, version_as_dict
from processes.flowchart.model import _ROLE_LABELS
from processes.models import (
    Area,
    DefinitionVersion,
    Outcome,
    Responsible,
    StepKind,
    step_outcomes,
)

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
ICT = "https://ict-office-portal.example/ns/process/1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "ict": ICT}
SCHEMA_DIR = Path(__file__).resolve().parent / "bpmn_schema"
MAX_BYTES = 5 * 1024 * 1024


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


@cache
def bpmn_schema() -> etree.XMLSchema:
    """The OMG BPMN 2.0 schema (vendored in bpmn_schema/; loaded from disk, never the network)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "BPMN20.xsd"), parser))


def schema_errors(xml: bytes) -> list[str]:
    """Where `xml` breaks the BPMN 2.0 schema (empty when it is valid)."""
    schema = bpmn_schema()
    document = etree.fromstring(xml, _safe_parser())
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def _safe_parser() -> etree.XMLParser:
    # No DTDs, no entities, no network: an uploaded file cannot read files or explode.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
    )


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------

_TASK_W, _TASK_H = 120, 80
_GW = 50
_EV = 36
_COL = 170
_LANE_H = 150
_LANE_LABEL = 30
_LEFT = 60


def _lane_of(step: Mapping[str, Any]) -> str:
    if step["kind"] == StepKind.APPROVAL and step.get("approvers"):
        last = step["approvers"][-1]
        return last["role"] if isinstance(last, Mapping) else last
    return step.get("responsible") or Responsible.STAFF


def _role_name(role: str) -> str:
    return _ROLE_LABELS.get(role, (role, role))[0]


def version_to_bpmn(version: DefinitionVersion) -> bytes:
    """The version as a BPMN 2.0 document with its diagram, UTF-8 bytes."""
    with translation.override("th"):
        return _export(version_as_dict(version))


def _export(data: Mapping[str, Any]) -> bytes:
    steps = data["steps"]
    code = data["code"]
    exits: dict[str, list[tuple[str, str]]] = {s["key"]: [] for s in steps}
    for t in data["transitions"]:
        exits[t["from"]].append((t["outcome"], t["to"]))

    root = etree.Element(
        _q(BPMN, "definitions"),
        nsmap=NSMAP,
        id=f"Definitions_{_ncname(code)}",
        targetNamespace=ICT,
        exporter="ICT Office Portal",
        exporterVersion="1",
    )
    collaboration = etree.SubElement(root, _q(BPMN, "collaboration"), id="Collaboration_1")
    process_id = f"Process_{_ncname(code)}"
    etree.SubElement(
        collaboration,
        _q(BPMN, "participant"),
        id="Participant_1",
        name=data["title_th"],
        processRef=process_id,
    )
    process = etree.SubElement(
        root, _q(BPMN, "process"), id=process_id, name=data["title_th"], isExecutable="false"
    )
    about = {f: data.get(f) for f in ("code", *DEFINITION_FIELDS, "reference_prefix")}
    extension = etree.SubElement(process, _q(BPMN, "extensionElements"))
    etree.SubElement(extension, _q(ICT, "definition")).text = json.dumps(about, ensure_ascii=False)

    # Lanes, in the order their roles first appear.
    lanes: list[str] = []
    for step in steps:
        lane = _lane_of(step)
        if step["kind"] != StepKind.END and lane not in lanes:
            lanes.append(lane)
    if not lanes:
        lanes.append(Responsible.STAFF)
    lane_members: dict[str, list[str]] = {lane: [] for lane in lanes}
    lane_set = etree.SubElement(process, _q(BPMN, "laneSet"), id="LaneSet_1")

    nodes: list[tuple[str, str, str]] = []  # (element id, lane, shape kind)
    flows: list[tuple[str, str, str]] = []  # (flow id, source id, target id)
    elements: dict[str, etree._Element] = {}

    def node_id(key: str) -> str:
        return f"Step_{_ncname(key)}"

    start_id = "StartEvent_1"
    start_lane = _lane_of(steps[0]) if steps and steps[0]["kind"] != StepKind.END else lanes[0]
    elements[start_id] = etree.Element(_q(BPMN, "startEvent"), id=start_id, name="เริ่มต้น")
    nodes.append((start_id, start_lane, "event"))
    if steps:
        flows.append(("Flow_start", start_id, node_id(steps[0]["key"])))

    previous_lane = start_lane
    for position, step in enumerate(steps, start=1):
        key, kind = step["key"], step["kind"]
        element_id = node_id(key)
        if kind == StepKind.END:
            tag, shape = "endEvent", "event"
            lane = previous_lane
        elif kind == StepKind.NOTIFY:
            tag, shape, lane = "sendTask", "task", _lane_of(step)
        elif kind == StepKind.WAIT_UNTIL:
            tag, shape, lane = "intermediateCatchEvent", "event", _lane_of(step)
        else:
            tag, shape, lane = "userTask", "task", _lane_of(step)
        previous_lane = lane
        element = etree.Element(_q(BPMN, tag), id=element_id, name=step.get("name_th") or key)
        element.set(_q(ICT, "key"), key)
        element.set(_q(ICT, "kind"), kind)
        element.set(_q(ICT, "position"), str(position))
        ext = etree.SubElement(element, _q(BPMN, "extensionElements"))
        payload = {k: v for k, v in step.items() if k != "key"}
        etree.SubElement(ext, _q(ICT, "step")).text = json.dumps(payload, ensure_ascii=False)
        if step.get("quality_th"):
            documentation = etree.Element(_q(BPMN, "documentation"))
            documentation.text = step["quality_th"]
            element.insert(0, documentation)
        elements[element_id] = element
        nodes.append((element_id, lane, shape))
        outgoing = exits[key]
        offered = step_outcomes(kind, step.get("options") or [])
        labels = {value: str(label) for value, label in offered}
        order = {value: index for index, (value, _label) in enumerate(offered)}
        outgoing.sort(key=lambda pair: order.get(pair[0], 99))
        if len(offered) > 1:
            gateway_id = f"Gateway_{_ncname(key)}"
            gateway = etree.Element(
                _q(BPMN, "exclusiveGateway"), id=gateway_id, name=_gateway_name(kind)
            )
            elements[gateway_id] = gateway
            nodes.append((gateway_id, lane, "gateway"))
            flows.append((f"Flow_{_ncname(key)}_decide", element_id, gateway_id))
            for outcome, target in outgoing:
                flow_id = f"Flow_{_ncname(key)}_{_ncname(outcome)}"
                flows.append((flow_id, gateway_id, node_id(target)))
                elements[flow_id] = _flow_meta(labels.get(outcome, outcome), outcome)
        else:
            for outcome, target in outgoing:
                flow_id = f"Flow_{_ncname(key)}_{_ncname(outcome)}"
                flows.append((flow_id, element_id, node_id(target)))
                elements[flow_id] = _flow_meta("", outcome)
        if kind == StepKind.WAIT_UNTIL:
            etree.SubElement(element, _q(BPMN, "timerEventDefinition"), id=f"Timer_{_ncname(key)}")

    # incoming/outgoing references, in schema order (after extensionElements/documentation).
    incoming: dict[str, list[str]] = {}
    outgoing_refs: dict[str, list[str]] = {}
    for flow_id, source, target in flows:
        outgoing_refs.setdefault(source, []).append(flow_id)
        incoming.setdefault(target, []).append(flow_id)
    for element_id, lane, _shape in nodes:
        element = elements[element_id]
        position = _children_before_refs(element)
        for flow_id in incoming.get(element_id, []):
            ref = etree.Element(_q(BPMN, "incoming"))
            ref.text = flow_id
            element.insert(position, ref)
            position += 1
        for flow_id in outgoing_refs.get(element_id, []):
            ref = etree.Element(_q(BPMN, "outgoing"))
            ref.text = flow_id
            element.insert(position, ref)
            position += 1
        lane_members.setdefault(lane, []).append(element_id)
    for lane in lanes:
        lane_element = etree.SubElement(
            lane_set, _q(BPMN, "lane"), id=f"Lane_{_ncname(lane)}", name=_role_name(lane)
        )
        lane_element.set(_q(ICT, "role"), lane)
        for member in lane_members.get(lane, []):
            etree.SubElement(lane_element, _q(BPMN, "flowNodeRef")).text = member
    for element_id, _lane, _shape in nodes:
        process.append(elements[element_id])
    for flow_id, source, target in flows:
        flow = etree.SubElement(
            process, _q(BPMN, "sequenceFlow"), id=flow_id, sourceRef=source, targetRef=target
        )
        meta = elements.get(flow_id)
        if meta is not None:
            if meta.get("name"):
                flow.set("name", meta.get("name"))
            flow.set(_q(ICT, "outcome"), meta.get("outcome"))

    _diagram(root, nodes, flows, lanes)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _gateway_name(kind: str) -> str:
    return "ผลการพิจารณา" if kind == StepKind.APPROVAL else "เลือกทาง"


def _flow_meta(name: str, outcome: str) -> etree._Element:
    meta = etree.Element("meta")
    meta.set("name", name)
    meta.set("outcome", outcome)
    return meta


def _children_before_refs(element: etree._Element) -> int:
    """Index after documentation/extensionElements, where incoming/outgoing go."""
    index = 0
    for child in element:
        if child.tag in (_q(BPMN, "documentation"), _q(BPMN, "extensionElements")):
            index += 1
    return index


def _ncname(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", str(text)) or "x"


def _diagram(root, nodes, flows, lanes) -> None:
    diagram = etree.SubElement(root, _q(BPMNDI, "BPMNDiagram"), id="BPMNDiagram_1")
    plane = etree.SubElement(
        diagram, _q(BPMNDI, "BPMNPlane"), id="BPMNPlane_1", bpmnElement="Collaboration_1"
    )
    lane_top = {lane: index * _LANE_H for index, lane in enumerate(lanes)}
    width = _LEFT + len(nodes) * _COL + 60
    height = max(1, len(lanes)) * _LANE_H
    _shape(plane, "Participant_1", 0, 0, width, height, horizontal=True)
    for lane in lanes:
        _shape(
            plane,
            f"Lane_{_ncname(lane)}",
            _LANE_LABEL,
            lane_top[lane],
            width - _LANE_LABEL,
            _LANE_H,
            horizontal=True,
        )
    bounds: dict[str, tuple[float, float, float, float]] = {}
    for column, (element_id, lane, shape) in enumerate(nodes):
        w, h = {"task": (_TASK_W, _TASK_H), "gateway": (_GW, _GW), "event": (_EV, _EV)}[shape]
        cx = _LEFT + column * _COL + _TASK_W / 2
        cy = lane_top.get(lane, 0) + _LANE_H / 2
        x, y = cx - w / 2, cy - h / 2
        bounds[element_id] = (x, y, w, h)
        _shape(plane, element_id, x, y, w, h, marker=shape == "gateway")
    for flow_id, source, target in flows:
        sx, sy, sw, sh = bounds[source]
        tx, ty, tw, th = bounds[target]
        edge = etree.SubElement(
            plane, _q(BPMNDI, "BPMNEdge"), id=f"{flow_id}_di", bpmnElement=flow_id
        )
        if tx > sx:
            points = [(sx + sw, sy + sh / 2), (tx, ty + th / 2)]
            if abs((sy + sh / 2) - (ty + th / 2)) > 1:
                mid = sx + sw + (tx - sx - sw) / 2
                points = [
                    (sx + sw, sy + sh / 2),
                    (mid, sy + sh / 2),
                    (mid, ty + th / 2),
                    (tx, ty + th / 2),
                ]
        else:  # back to an earlier step: under both shapes
            below = max(sy + sh, ty + th) + 20
            points = [
                (sx + sw / 2, sy + sh),
                (sx + sw / 2, below),
                (tx + tw / 2, below),
                (tx + tw / 2, ty + th),
            ]
        for x, y in points:
            etree.SubElement(edge, _q(DI, "waypoint"), x=_n(x), y=_n(y))


def _shape(plane, element_id, x, y, w, h, *, horizontal=False, marker=False) -> None:
    shape = etree.SubElement(
        plane, _q(BPMNDI, "BPMNShape"), id=f"{element_id}_di", bpmnElement=element_id
    )
    if horizontal:
        shape.set("isHorizontal", "true")
    if marker:
        shape.set("isMarkerVisible", "true")
    etree.SubElement(shape, _q(DC, "Bounds"), x=_n(x), y=_n(y), width=_n(w), height=_n(h))


def _n(value: float) -> str:
    return str(round(value))


# ---------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------

_TASK_TAGS = {
    "task": StepKind.TASK,
    "userTask": StepKind.TASK,
    "manualTask": StepKind.TASK,
    "receiveTask": StepKind.TASK,
    "sendTask": StepKind.NOTIFY,
    "serviceTask": StepKind.TASK,
    "scriptTask": StepKind.TASK,
    "businessRuleTask": StepKind.TASK,
}
_PASS_THROUGH = {"intermediateThrowEvent"}
_APPROVAL_WORDS = {
    Outcome.APPROVE: {"approve", "approved", "อนุมัติ", "เห็นชอบ", "ผ่าน"},
    Outcome.RETURN: {"return", "ส่งกลับ", "ส่งกลับแก้ไข", "แก้ไข", "ปรับปรุง"},
    Outcome.REJECT: {"reject", "rejected", "ไม่อนุมัติ", "ไม่เห็นชอบ", "ไม่ผ่าน"},
}


@dataclass
class BpmnImport:
    """What a BPMN file gave: the definition in the project's JSON shape, and in words what of
    the file could not be mapped onto the engine."""

    data: dict[str, Any]
    not_mapped: list[str] = field(default_factory=list)


class BpmnError(ValueError):
    pass


def bpmn_to_dict(xml: bytes) -> BpmnImport:
    """Read a BPMN 2.0 file into the project's definition shape (see definitions.py)."""
    if len(xml) > MAX_BYTES:
        raise BpmnError(_("The file is larger than 5 MB."))
    try:
        root = etree.fromstring(xml, _safe_parser())
    except etree.XMLSyntaxError as error:
        raise BpmnError(_("The file is not XML: %(error)s") % {"error": error}) from None
    if root.tag != _q(BPMN, "definitions"):
        raise BpmnError(_("The file is not a BPMN 2.0 document (no bpmn:definitions)."))
    problems = [] if bpmn_schema().validate(root) else list(bpmn_schema().error_log)
    if problems:
        raise BpmnError(
            _("The file breaks the BPMN 2.0 schema: %(errors)s")
            % {"errors": "; ".join(f"line {e.line}: {e.message}" for e in problems[:5])}
        )
    processes = root.findall(_q(BPMN, "process"))
    if not processes:
        raise BpmnError(_("The file holds no process."))
    notes: list[str] = []
    process = max(processes, key=lambda p: len(p))
    if len(processes) > 1:
        notes.append(
            _("The file has %(n)s processes (pools); only “%(name)s” was read.")
            % {"n": len(processes), "name": process.get("name") or process.get("id")}
        )
    for tag in ("messageFlow", "conversation", "choreography"):
        for element in root.iter(_q(BPMN, tag)):
            notes.append(_describe(element, _("not used by the engine")))
    return _read_process(process, notes)


def _describe(element, why: str) -> str:
    tag = etree.QName(element).localname
    name = element.get("name") or element.get("id") or ""
    return f"{tag} “{name}”: {why}"


def _local(element) -> str:
    return etree.QName(element).localname


def _read_process(process, notes: list[str]) -> BpmnImport:
    about: dict[str, Any] = {}
    definition_ext = process.find(f"{_q(BPMN, 'extensionElements')}/{_q(ICT, 'definition')}")
    if definition_ext is not None and definition_ext.text:
        try:
            about = json.loads(definition_ext.text)
        except json.JSONDecodeError:
            notes.append(_("The portal's definition details in the file could not be read."))
    name = process.get("name") or about.get("title_th") or process.get("id")

    # Roles from lanes.
    role_of: dict[str, str] = {}
    for lane in process.iter(_q(BPMN, "lane")):
        role = lane.get(_q(ICT, "role")) or _role_from_name(lane.get("name") or "")
        if role is None:
            notes.append(
                _("Lane “%(lane)s” matches no role; its steps were given to staff.")
                % {"lane": lane.get("name") or lane.get("id")}
            )
            role = Responsible.STAFF
        for ref in lane.findall(_q(BPMN, "flowNodeRef")):
            role_of[(ref.text or "").strip()] = role

    flows: dict[str, dict[str, Any]] = {}
    nodes: dict[str, Any] = {}
    for element in process:
        if not isinstance(element.tag, str):
            continue
        local = _local(element)
        if local == "sequenceFlow":
            flows[element.get("id")] = {
                "source": element.get("sourceRef"),
                "target": element.get("targetRef"),
                "name": (element.get("name") or "").strip(),
                "outcome": element.get(_q(ICT, "outcome")) or "",
            }
        elif local in ("extensionElements", "laneSet", "documentation"):
            continue
        else:
            nodes[element.get("id")] = element
    out: dict[str, list[dict[str, Any]]] = {node_id: [] for node_id in nodes}
    for flow in flows.values():
        if flow["source"] in out:
            out[flow["source"]].append(flow)

    steps: dict[str, dict[str, Any]] = {}  # by element id
    starts = []
    gateways = set()
    for node_id, element in nodes.items():
        local = _local(element)
        if local == "startEvent":
            starts.append(node_id)
        elif local in _TASK_TAGS:
            steps[node_id] = _step_from_element(element, _TASK_TAGS[local], role_of, notes)
            if local in ("serviceTask", "scriptTask", "businessRuleTask"):
                notes.append(
                    _describe(
                        element, _("became a task done by a person (the engine runs no code)")
                    )
                )
        elif local == "endEvent":
            steps[node_id] = _step_from_element(element, StepKind.END, role_of, notes)
        elif (
            local == "intermediateCatchEvent"
            and element.find(_q(BPMN, "timerEventDefinition")) is not None
        ):
            steps[node_id] = _step_from_element(element, StepKind.WAIT_UNTIL, role_of, notes)
            if not steps[node_id].get("case_date_field"):
                notes.append(
                    _describe(
                        element, _("a timer: say in the designer which case date to wait for")
                    )
                )
        elif local == "exclusiveGateway":
            gateways.add(node_id)
        elif local in _PASS_THROUGH or local == "intermediateCatchEvent":
            notes.append(_describe(element, _("left out; the flow passes straight through")))
            gateways.add(node_id)  # followed like a gateway with one way out
        else:
            notes.append(_describe(element, _("not supported by the engine; left out")))

    if not starts:
        raise BpmnError(_("The process has no start event."))
    if len(starts) > 1:
        notes.append(_("The process has several start events; the first one was used."))

    def resolve(target: str, seen: frozenset = frozenset()) -> str | None:
        """The step a flow leads to, through pass-through nodes with one way out."""
        if target in steps:
            return target
        if target in gateways and target not in seen and len(out.get(target, [])) == 1:
            return resolve(out[target][0]["target"], seen | {target})
        return None

    transitions: list[tuple[str, str, str]] = []
    for node_id, step in steps.items():
        if step["kind"] == StepKind.END:
            continue
        leaving = out.get(node_id, [])
        branches: list[dict[str, Any]] = []
        for flow in leaving:
            if flow["target"] in gateways and len(out.get(flow["target"], [])) > 1:
                branches += out[flow["target"]]
            else:
                branches.append(flow)
        if not branches:
            notes.append(
                _("Step “%(step)s” has no outgoing flow; choose its next step in the designer.")
                % {"step": step["name_th"]}
            )
            continue
        if len(branches) == 1:
            target = resolve(branches[0]["target"])
            outcome = branches[0]["outcome"] or Outcome.DONE
            if target:
                transitions.append((node_id, outcome, target))
            else:
                notes.append(_unresolved(step, branches[0]))
            continue
        # Several ways out: an approval (approve/return/reject) or named branches.
        outcomes = [flow["outcome"] or _approval_word(flow["name"]) for flow in branches]
        if step["kind"] == StepKind.APPROVAL or (
            sorted(o or "" for o in outcomes) == sorted(o.value for o in APPROVALS)
        ):
            step["kind"] = StepKind.APPROVAL
            if not step.get("approvers"):
                role = step.get("responsible")
                step["approvers"] = [role if role in APPROVER_ROLE_VALUES else "director"]
                if role not in APPROVER_ROLE_VALUES:
                    notes.append(
                        _(
                            "Approval “%(step)s”: its lane is not an approver's; the director "
                            "was put in its approval chain."
                        )
                        % {"step": step["name_th"]}
                    )
            for flow, outcome in zip(branches, outcomes, strict=True):
                target = resolve(flow["target"])
                if target and outcome:
                    transitions.append((node_id, outcome, target))
                else:
                    notes.append(_unresolved(step, flow))
            continue
        options = step.get("options") or []
        known = {o["value"] for o in options}
        for number, flow in enumerate(branches, start=1):
            value = flow["outcome"] or f"option_{number}"
            if value not in known:
                options.append({"value": value, "label_th": flow["name"] or value, "label_en": ""})
                known.add(value)
                if not flow["name"]:
                    notes.append(
                        _("A branch of “%(step)s” has no name; name it in the designer.")
                        % {"step": step["name_th"]}
                    )
            target = resolve(flow["target"])
            if target:
                transitions.append((node_id, value, target))
            else:
                notes.append(_unresolved(step, flow))
        step["options"] = options

    # Order: the portal's own positions when present, else the order of the flows from start.
    start_target = None
    for flow in out.get(starts[0], []):
        start_target = resolve(flow["target"])
        if start_target:
            break
    if start_target is None:
        raise BpmnError(_("The start event leads to no step."))
    order = _walk_order(start_target, steps, transitions)
    if all(steps[n].get("_position") for n in steps):
        order = sorted(steps, key=lambda n: int(steps[n]["_position"]))
        if order[0] != start_target:
            order.remove(start_target)
            order.insert(0, start_target)
    keys = _unique_keys(order, steps)
    result_steps = []
    for node_id in order:
        step = dict(steps[node_id])
        step.pop("_position", None)
        step["key"] = keys[node_id]
        result_steps.append(step)
    seen_edges = set()
    result_transitions = []
    for source, outcome, target in transitions:
        if (source, outcome) in seen_edges:
            continue
        seen_edges.add((source, outcome))
        result_transitions.append({"from": keys[source], "outcome": outcome, "to": keys[target]})
    code = about.get("code") or _slug(name)
    data = {
        "code": code,
        "title_th": about.get("title_th") or name,
        "title_en": about.get("title_en") or "",
        "area": about.get("area") if about.get("area") in Area.values else Area.SERVICE,
        **{f: about[f] for f in DEFINITION_FIELDS if f in about and f not in ("title_th",)},
        "reference_prefix": about.get("reference_prefix") or "WF",
        "steps": result_steps,
        "transitions": result_transitions,
    }
    return BpmnImport(data=data, not_mapped=notes)


APPROVALS = (Outcome.APPROVE, Outcome.RETURN, Outcome.REJECT)
APPROVER_ROLE_VALUES = {"group_head", "deputy_director", "director"}


def _approval_word(name: str) -> str:
    text = name.strip().lower()
    for outcome, words in _APPROVAL_WORDS.items():
        if text in words:
            return outcome.value
    return ""


def _unresolved(step: Mapping[str, Any], flow: Mapping[str, Any]) -> str:
    return _(
        "The flow “%(flow)s” from “%(step)s” leads to something the engine does not run; "
        "choose its target in the designer."
    ) % {"flow": flow["name"] or flow["outcome"] or "—", "step": step["name_th"]}


def _role_from_name(name: str) -> str | None:
    text = name.strip().lower()
    for code, (thai, english) in _ROLE_LABELS.items():
        if text in {code, thai.lower(), english.lower()}:
            return code
    for code, label in Responsible.choices:
        if text == str(label).lower():
            return code
    return None


def _step_from_element(element, kind: str, role_of: Mapping[str, str], notes) -> dict[str, Any]:
    node_id = element.get("id")
    payload: dict[str, Any] = {}
    ext = element.find(f"{_q(BPMN, 'extensionElements')}/{_q(ICT, 'step')}")
    if ext is not None and ext.text:
        try:
            payload = json.loads(ext.text)
        except json.JSONDecodeError:
            notes.append(_describe(element, _("its portal details could not be read")))
    name = (element.get("name") or "").strip() or node_id
    step: dict[str, Any] = {
        "name_th": name,
        "kind": element.get(_q(ICT, "kind")) or kind,
        "responsible": role_of.get(node_id, Responsible.STAFF),
    }
    step.update(payload)
    step["name_th"] = name if not payload.get("name_th") else payload["name_th"]
    if step["kind"] == StepKind.END and "responsible" not in payload:
        step.pop("responsible", None)
    documentation = element.find(_q(BPMN, "documentation"))
    if documentation is not None and documentation.text and not step.get("quality_th"):
        step["quality_th"] = documentation.text.strip()
    step["_key"] = element.get(_q(ICT, "key")) or ""
    step["_position"] = element.get(_q(ICT, "position")) or ""
    return step


def _walk_order(start: str, steps, transitions) -> list[str]:
    exits: dict[str, list[str]] = {}
    for source, _outcome, target in transitions:
        exits.setdefault(source, []).append(target)
    order, seen, stack = [], set(), [start]
    while stack:
        node = stack.pop(0)
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        stack.extend(t for t in exits.get(node, []) if t not in seen)
    rest = [n for n in steps if n not in seen]
    ends = [n for n in order if steps[n]["kind"] == StepKind.END]
    middle = [n for n in order if n not in ends]
    return (
        middle
        + [n for n in rest if steps[n]["kind"] != StepKind.END]
        + ends
        + [n for n in rest if steps[n]["kind"] == StepKind.END]
    )


def _unique_keys(order: list[str], steps) -> dict[str, str]:
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for number, node_id in enumerate(order, start=1):
        wanted = steps[node_id].pop("_key", "") or _slug(node_id) or f"step_{number}"
        key = wanted[:64]
        suffix = 2
        while key in taken:
            key = f"{wanted[:60]}-{suffix}"
            suffix += 1
        taken.add(key)
        keys[node_id] = key
    return keys


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", str(text).lower()).strip("-")
    return slug[:64] or "imported-process"
