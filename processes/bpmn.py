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
from collections.abc import Mapping, Sequence
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
        role: str = last["role"] if isinstance(last, Mapping) else last
        return role
    responsible: str = step.get("responsible") or Responsible.STAFF
    return responsible


def _role_name(role: str) -> str:
    return _ROLE_LABELS.get(role, (role, role))[0]


def version_to_bpmn(version: DefinitionVersion) -> bytes:
    """The version as a BPMN 2.0 document with its diagram, UTF-8 bytes."""
    with translation.override("th"):
        return _export(version_as_dict(version))


def _export(data: Mapping[str, Any]) -> bytes:
    exporter = _Exporter(data)
    return exporter.document()


def _node_id(key: str) -> str:
    return f"Step_{_ncname(key)}"


_TAGS = {
    StepKind.END: ("endEvent", "event"),
    StepKind.NOTIFY: ("sendTask", "task"),
    StepKind.WAIT_UNTIL: ("intermediateCatchEvent", "event"),
}


class _Exporter:
    """Builds the document piece by piece: nodes (element id, lane, shape), flows (id, source,
    target) with their outcome, then lanes, references and the diagram."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.steps: list[Mapping[str, Any]] = list(data["steps"])
        self.exits: dict[str, list[tuple[str, str]]] = {s["key"]: [] for s in self.steps}
        for t in data["transitions"]:
            self.exits[t["from"]].append((t["outcome"], t["to"]))
        self.nodes: list[tuple[str, str, str]] = []
        self.flows: list[tuple[str, str, str]] = []
        self.flow_meta: dict[str, tuple[str, str]] = {}  # flow id -> (name, outcome)
        self.elements: dict[str, etree._Element] = {}
        self.lanes = self._lanes()

    def _lanes(self) -> list[str]:
        """One lane per role, in the order the roles first appear."""
        lanes: list[str] = []
        for step in self.steps:
            lane = _lane_of(step)
            if step["kind"] != StepKind.END and lane not in lanes:
                lanes.append(lane)
        return lanes or [Responsible.STAFF]

    def document(self) -> bytes:
        code = self.data["code"]
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
            name=self.data["title_th"],
            processRef=process_id,
        )
        process = etree.SubElement(
            root,
            _q(BPMN, "process"),
            id=process_id,
            name=self.data["title_th"],
            isExecutable="false",
        )
        about = {f: self.data.get(f) for f in ("code", *DEFINITION_FIELDS, "reference_prefix")}
        extension = etree.SubElement(process, _q(BPMN, "extensionElements"))
        etree.SubElement(extension, _q(ICT, "definition")).text = json.dumps(
            about, ensure_ascii=False
        )
        lane_set = etree.SubElement(process, _q(BPMN, "laneSet"), id="LaneSet_1")
        self._add_start()
        previous_lane = self.nodes[0][1]
        for position, step in enumerate(self.steps, start=1):
            previous_lane = self._add_step(position, step, previous_lane)
        self._add_references()
        self._write_lanes(lane_set)
        for element_id, _lane, _shape in self.nodes:
            process.append(self.elements[element_id])
        self._write_flows(process)
        _diagram(root, self.nodes, self.flows, self.lanes)
        xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return xml

    def _add_start(self) -> None:
        first = self.steps[0] if self.steps else None
        lane = _lane_of(first) if first and first["kind"] != StepKind.END else self.lanes[0]
        self.elements["StartEvent_1"] = etree.Element(
            _q(BPMN, "startEvent"), id="StartEvent_1", name="เริ่มต้น"
        )
        self.nodes.append(("StartEvent_1", lane, "event"))
        if first:
            self.flows.append(("Flow_start", "StartEvent_1", _node_id(first["key"])))

    def _add_step(self, position: int, step: Mapping[str, Any], previous_lane: str) -> str:
        """The step's element (and its gateway); returns its lane."""
        key, kind = step["key"], step["kind"]
        tag, shape = _TAGS.get(kind, ("userTask", "task"))
        lane = previous_lane if kind == StepKind.END else _lane_of(step)
        element = etree.Element(_q(BPMN, tag), id=_node_id(key), name=step.get("name_th") or key)
        element.set(_q(ICT, "key"), key)
        element.set(_q(ICT, "kind"), kind)
        element.set(_q(ICT, "position"), str(position))
        if step.get("quality_th"):
            etree.SubElement(element, _q(BPMN, "documentation")).text = step["quality_th"]
        ext = etree.SubElement(element, _q(BPMN, "extensionElements"))
        payload = {k: v for k, v in step.items() if k != "key"}
        etree.SubElement(ext, _q(ICT, "step")).text = json.dumps(payload, ensure_ascii=False)
        self.elements[element.get("id")] = element
        self.nodes.append((element.get("id"), lane, shape))
        self._add_exits(step, element.get("id"), lane)
        if kind == StepKind.WAIT_UNTIL:
            etree.SubElement(element, _q(BPMN, "timerEventDefinition"), id=f"Timer_{_ncname(key)}")
        return lane

    def _add_exits(self, step: Mapping[str, Any], element_id: str, lane: str) -> None:
        """A step with several outcomes flows into an exclusive gateway, one flow per outcome."""
        key, kind = step["key"], step["kind"]
        offered = step_outcomes(kind, step.get("options") or [])
        labels = {value: str(label) for value, label in offered}
        order = {value: index for index, (value, _label) in enumerate(offered)}
        outgoing = sorted(self.exits[key], key=lambda pair: order.get(pair[0], 99))
        source = element_id
        if len(offered) > 1:
            source = f"Gateway_{_ncname(key)}"
            self.elements[source] = etree.Element(
                _q(BPMN, "exclusiveGateway"), id=source, name=_gateway_name(kind)
            )
            self.nodes.append((source, lane, "gateway"))
            self.flows.append((f"Flow_{_ncname(key)}_decide", element_id, source))
        for outcome, target in outgoing:
            flow_id = f"Flow_{_ncname(key)}_{_ncname(outcome)}"
            self.flows.append((flow_id, source, _node_id(target)))
            name = labels.get(outcome, outcome) if source != element_id else ""
            self.flow_meta[flow_id] = (name, outcome)

    def _add_references(self) -> None:
        """incoming/outgoing, after documentation and extensionElements as the schema orders."""
        refs: dict[str, list[tuple[str, str]]] = {}
        for flow_id, _source, target in self.flows:
            refs.setdefault(target, []).append(("incoming", flow_id))
        for flow_id, source, _target in self.flows:
            refs.setdefault(source, []).append(("outgoing", flow_id))
        for element_id, _lane, _shape in self.nodes:
            element = self.elements[element_id]
            position = _children_before_refs(element)
            for tag, flow_id in refs.get(element_id, []):
                ref = etree.Element(_q(BPMN, tag))
                ref.text = flow_id
                element.insert(position, ref)
                position += 1

    def _write_lanes(self, lane_set: etree._Element) -> None:
        members: dict[str, list[str]] = {}
        for element_id, lane, _shape in self.nodes:
            members.setdefault(lane, []).append(element_id)
        for lane in self.lanes:
            lane_element = etree.SubElement(
                lane_set, _q(BPMN, "lane"), id=f"Lane_{_ncname(lane)}", name=_role_name(lane)
            )
            lane_element.set(_q(ICT, "role"), lane)
            for member in members.get(lane, []):
                etree.SubElement(lane_element, _q(BPMN, "flowNodeRef")).text = member

    def _write_flows(self, process: etree._Element) -> None:
        for flow_id, source, target in self.flows:
            flow = etree.SubElement(
                process, _q(BPMN, "sequenceFlow"), id=flow_id, sourceRef=source, targetRef=target
            )
            if flow_id in self.flow_meta:
                name, outcome = self.flow_meta[flow_id]
                if name:
                    flow.set("name", name)
                flow.set(_q(ICT, "outcome"), outcome)


def _gateway_name(kind: str) -> str:
    return "ผลการพิจารณา" if kind == StepKind.APPROVAL else "เลือกทาง"


def _children_before_refs(element: etree._Element) -> int:
    """Index after documentation/extensionElements, where incoming/outgoing go."""
    index = 0
    for child in element:
        if child.tag in (_q(BPMN, "documentation"), _q(BPMN, "extensionElements")):
            index += 1
    return index


def _ncname(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", str(text)) or "x"


def _diagram(
    root: etree._Element,
    nodes: Sequence[tuple[str, str, str]],
    flows: Sequence[tuple[str, str, str]],
    lanes: Sequence[str],
) -> None:
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


def _shape(
    plane: etree._Element,
    element_id: str,
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    horizontal: bool = False,
    marker: bool = False,
) -> None:
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


def _describe(element: etree._Element, why: str) -> str:
    tag = etree.QName(element).localname
    name = element.get("name") or element.get("id") or ""
    return f"{tag} “{name}”: {why}"


def _local(element: etree._Element) -> str:
    local: str = etree.QName(element).localname
    return local


def _read_process(process: etree._Element, notes: list[str]) -> BpmnImport:
    return _Reader(process, notes).read()


_CODE_TASKS = ("serviceTask", "scriptTask", "businessRuleTask")


class _Reader:
    """Reads one bpmn:process: nodes and flows, lanes as roles, steps, their outcomes, order."""

    def __init__(self, process: etree._Element, notes: list[str]) -> None:
        self.process, self.notes = process, notes
        self.about = self._about()
        self.role_of = self._roles()
        self.flows: list[dict[str, Any]] = []
        self.nodes: dict[str, etree._Element] = {}
        for element in process:
            if isinstance(element.tag, str):
                self._take(element)
        self.out: dict[str, list[dict[str, Any]]] = {node_id: [] for node_id in self.nodes}
        for flow in self.flows:
            if flow["source"] in self.out:
                self.out[flow["source"]].append(flow)
        self.steps: dict[str, dict[str, Any]] = {}
        self.starts: list[str] = []
        self.gateways: set[str] = set()
        self.transitions: list[tuple[str, str, str]] = []

    def _about(self) -> dict[str, Any]:
        ext = self.process.find(f"{_q(BPMN, 'extensionElements')}/{_q(ICT, 'definition')}")
        if ext is None or not ext.text:
            return {}
        try:
            return dict(json.loads(ext.text))
        except (json.JSONDecodeError, TypeError, ValueError):
            self.notes.append(_("The portal's definition details in the file could not be read."))
            return {}

    def _roles(self) -> dict[str, str]:
        role_of: dict[str, str] = {}
        for lane in self.process.iter(_q(BPMN, "lane")):
            role = lane.get(_q(ICT, "role")) or _role_from_name(lane.get("name") or "")
            if role is None:
                self.notes.append(
                    _("Lane “%(lane)s” matches no role; its steps were given to staff.")
                    % {"lane": lane.get("name") or lane.get("id")}
                )
                role = Responsible.STAFF
            for ref in lane.findall(_q(BPMN, "flowNodeRef")):
                role_of[(ref.text or "").strip()] = role
        return role_of

    def _take(self, element: etree._Element) -> None:
        local = _local(element)
        if local == "sequenceFlow":
            self.flows.append(
                {
                    "source": element.get("sourceRef"),
                    "target": element.get("targetRef"),
                    "name": (element.get("name") or "").strip(),
                    "outcome": element.get(_q(ICT, "outcome")) or "",
                }
            )
        elif local not in ("extensionElements", "laneSet", "documentation"):
            self.nodes[element.get("id") or ""] = element

    # --- nodes to steps ---------------------------------------------------------------

    def _classify(self, node_id: str, element: etree._Element) -> None:
        local = _local(element)
        if local == "startEvent":
            self.starts.append(node_id)
        elif local in _TASK_TAGS:
            self._step(node_id, element, _TASK_TAGS[local])
            if local in _CODE_TASKS:
                self.notes.append(
                    _describe(
                        element, _("became a task done by a person (the engine runs no code)")
                    )
                )
        elif local == "endEvent":
            self._step(node_id, element, StepKind.END)
        elif (
            local == "intermediateCatchEvent"
            and element.find(_q(BPMN, "timerEventDefinition")) is not None
        ):
            step = self._step(node_id, element, StepKind.WAIT_UNTIL)
            if not step.get("case_date_field"):
                self.notes.append(
                    _describe(
                        element, _("a timer: say in the designer which case date to wait for")
                    )
                )
        elif local == "exclusiveGateway":
            self.gateways.add(node_id)
        elif local in _PASS_THROUGH or local == "intermediateCatchEvent":
            self.notes.append(_describe(element, _("left out; the flow passes straight through")))
            self.gateways.add(node_id)  # followed like a gateway with one way out
        else:
            self.notes.append(_describe(element, _("not supported by the engine; left out")))

    def _step(self, node_id: str, element: etree._Element, kind: str) -> dict[str, Any]:
        step = _step_from_element(element, kind, self.role_of, self.notes)
        self.steps[node_id] = step
        return step

    def resolve(self, target: str, seen: frozenset[str] = frozenset()) -> str | None:
        """The step a flow leads to, through pass-through nodes with one way out."""
        if target in self.steps:
            return target
        if target in self.gateways and target not in seen and len(self.out.get(target, [])) == 1:
            return self.resolve(self.out[target][0]["target"], seen | {target})
        return None

    # --- outcomes ---------------------------------------------------------------------

    def _branches(self, node_id: str) -> list[dict[str, Any]]:
        branches: list[dict[str, Any]] = []
        for flow in self.out.get(node_id, []):
            if flow["target"] in self.gateways and len(self.out.get(flow["target"], [])) > 1:
                branches += self.out[flow["target"]]
            else:
                branches.append(flow)
        return branches

    def _link(
        self, node_id: str, step: Mapping[str, Any], flow: Mapping[str, Any], outcome: str
    ) -> None:
        target = self.resolve(flow["target"])
        if target and outcome:
            self.transitions.append((node_id, outcome, target))
        else:
            self.notes.append(_unresolved(step, flow))

    def _outcomes(self, node_id: str, step: dict[str, Any]) -> None:
        branches = self._branches(node_id)
        if not branches:
            self.notes.append(
                _("Step “%(step)s” has no outgoing flow; choose its next step in the designer.")
                % {"step": step["name_th"]}
            )
        elif len(branches) == 1:
            self._link(node_id, step, branches[0], branches[0]["outcome"] or Outcome.DONE)
        else:
            outcomes = [flow["outcome"] or _approval_word(flow["name"]) for flow in branches]
            if step["kind"] == StepKind.APPROVAL or sorted(outcomes) == sorted(APPROVALS):
                self._approval(node_id, step, branches, outcomes)
            else:
                self._named_branches(node_id, step, branches)

    def _approval(
        self,
        node_id: str,
        step: dict[str, Any],
        branches: list[dict[str, Any]],
        outcomes: list[str],
    ) -> None:
        step["kind"] = StepKind.APPROVAL
        if not step.get("approvers"):
            role = step.get("responsible")
            step["approvers"] = [role if role in APPROVER_ROLE_VALUES else "director"]
            if role not in APPROVER_ROLE_VALUES:
                self.notes.append(
                    _(
                        "Approval “%(step)s”: its lane is not an approver's; the director "
                        "was put in its approval chain."
                    )
                    % {"step": step["name_th"]}
                )
        for flow, outcome in zip(branches, outcomes, strict=True):
            self._link(node_id, step, flow, outcome)

    def _named_branches(
        self, node_id: str, step: dict[str, Any], branches: list[dict[str, Any]]
    ) -> None:
        options = step.get("options") or []
        known = {o["value"] for o in options}
        for number, flow in enumerate(branches, start=1):
            value = flow["outcome"] or f"option_{number}"
            if value not in known:
                options.append({"value": value, "label_th": flow["name"] or value, "label_en": ""})
                known.add(value)
                if not flow["name"]:
                    self.notes.append(
                        _("A branch of “%(step)s” has no name; name it in the designer.")
                        % {"step": step["name_th"]}
                    )
            self._link(node_id, step, flow, value)
        step["options"] = options

    # --- the result -------------------------------------------------------------------

    def read(self) -> BpmnImport:
        for node_id, element in self.nodes.items():
            self._classify(node_id, element)
        if not self.starts:
            raise BpmnError(_("The process has no start event."))
        if len(self.starts) > 1:
            self.notes.append(_("The process has several start events; the first one was used."))
        for node_id, step in self.steps.items():
            if step["kind"] != StepKind.END:
                self._outcomes(node_id, step)
        start = next(
            (t for t in (self.resolve(f["target"]) for f in self.out.get(self.starts[0], [])) if t),
            None,
        )
        if start is None:
            raise BpmnError(_("The start event leads to no step."))
        return BpmnImport(data=self._data(self._order(start)), not_mapped=self.notes)

    def _order(self, start: str) -> list[str]:
        """The portal's own positions when present, else the order of the flows from start."""
        if all(self.steps[n].get("_position") for n in self.steps):
            order = sorted(self.steps, key=lambda n: int(self.steps[n]["_position"]))
            order.remove(start)
            return [start, *order]
        return _walk_order(start, self.steps, self.transitions)

    def _data(self, order: list[str]) -> dict[str, Any]:
        keys = _unique_keys(order, self.steps)
        result_steps = []
        for node_id in order:
            step = dict(self.steps[node_id])
            step.pop("_position", None)
            step["key"] = keys[node_id]
            result_steps.append(step)
        seen: set[tuple[str, str]] = set()
        transitions = []
        for source, outcome, target in self.transitions:
            if (source, outcome) not in seen:
                seen.add((source, outcome))
                transitions.append({"from": keys[source], "outcome": outcome, "to": keys[target]})
        about = self.about
        name = self.process.get("name") or about.get("title_th") or self.process.get("id") or ""
        return {
            "code": about.get("code") or _slug(name),
            "title_th": about.get("title_th") or name,
            "title_en": about.get("title_en") or "",
            **{f: about[f] for f in DEFINITION_FIELDS if f in about and f != "title_th"},
            "area": about.get("area") if about.get("area") in Area.values else Area.SERVICE,
            "reference_prefix": about.get("reference_prefix") or "WF",
            "steps": result_steps,
            "transitions": transitions,
        }


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


def _step_from_element(
    element: etree._Element, kind: str, role_of: Mapping[str, str], notes: list[str]
) -> dict[str, Any]:
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


def _walk_order(
    start: str,
    steps: Mapping[str, Mapping[str, Any]],
    transitions: Sequence[tuple[str, str, str]],
) -> list[str]:
    exits: dict[str, list[str]] = {}
    for source, _outcome, target in transitions:
        exits.setdefault(source, []).append(target)
    order: list[str] = []
    seen: set[str] = set()
    stack = [start]
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


def _unique_keys(order: list[str], steps: Mapping[str, dict[str, Any]]) -> dict[str, str]:
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
