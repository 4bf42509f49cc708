"""BPMN 2.0 interchange: every shipped definition exports to a document the OMG schema accepts,
and reading it back gives the same steps, outcomes and targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from processes.bpmn import BpmnError, bpmn_to_dict, schema_errors, version_to_bpmn
from processes.definitions import _canonical_step, definition_import, version_as_dict

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "processes"
SHIPPED = sorted(
    path for path in FIXTURES.glob("*.json") if "steps" in json.loads(path.read_text("utf-8"))
)

pytestmark = pytest.mark.django_db


def _edges(data):
    return {(t["from"], t["outcome"], t["to"]) for t in data["transitions"]}


def test_the_catalogue_ships_definitions():
    assert len(SHIPPED) >= 20


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_export_is_valid_bpmn_and_reimports_to_the_same_definition(path):
    version = definition_import(json.loads(path.read_text("utf-8")))
    xml = version_to_bpmn(version)
    assert schema_errors(xml) == []
    imported = bpmn_to_dict(xml)
    original = version_as_dict(version)
    assert imported.not_mapped == []
    assert imported.data["code"] == original["code"]
    assert imported.data["title_th"] == original["title_th"]
    assert [_canonical_step(s) for s in imported.data["steps"]] == [
        _canonical_step(s) for s in original["steps"]
    ]
    assert _edges(imported.data) == _edges(original)


# A file as bpmn.io draws it: lanes by role name, a user task, an exclusive gateway with named
# flows, a parallel gateway the engine cannot run, and a service task.
MODELER_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="Definitions_1"
  targetNamespace="http://bpmn.io/schema/bpmn" exporter="bpmn-js (https://demo.bpmn.io)">
  <bpmn:process id="Process_visit" name="ออกนิเทศโรงเรียน" isExecutable="false">
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_a" name="เจ้าหน้าที่">
        <bpmn:flowNodeRef>Start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Plan</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Choose</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Report</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="Lane_b" name="ผอ.สพท.">
        <bpmn:flowNodeRef>Approve</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Decide</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="Lane_c" name="ฝ่ายการเงิน">
        <bpmn:flowNodeRef>Pay</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Plan" name="วางแผนการนิเทศ"><bpmn:incoming>f1</bpmn:incoming>
      <bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="Approve" name="พิจารณาแผน"><bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:exclusiveGateway id="Decide"><bpmn:incoming>f3</bpmn:incoming>
      <bpmn:outgoing>f4</bpmn:outgoing><bpmn:outgoing>f5</bpmn:outgoing>
      <bpmn:outgoing>f6</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:userTask id="Choose" name="ออกนิเทศ"><bpmn:incoming>f5</bpmn:incoming>
      <bpmn:outgoing>f7</bpmn:outgoing></bpmn:userTask>
    <bpmn:parallelGateway id="Split"><bpmn:incoming>f7</bpmn:incoming>
      <bpmn:outgoing>f8</bpmn:outgoing><bpmn:outgoing>f9</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:serviceTask id="Pay" name="เบิกค่าเดินทาง"><bpmn:incoming>f8</bpmn:incoming>
      <bpmn:outgoing>f10</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:userTask id="Report" name="รายงานผล"><bpmn:incoming>f9</bpmn:incoming>
      <bpmn:outgoing>f11</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="End" name="จบ"><bpmn:incoming>f6</bpmn:incoming>
      <bpmn:incoming>f10</bpmn:incoming><bpmn:incoming>f11</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Plan"/>
    <bpmn:sequenceFlow id="f2" sourceRef="Plan" targetRef="Approve"/>
    <bpmn:sequenceFlow id="f3" sourceRef="Approve" targetRef="Decide"/>
    <bpmn:sequenceFlow id="f4" name="ส่งกลับแก้ไข" sourceRef="Decide" targetRef="Plan"/>
    <bpmn:sequenceFlow id="f5" name="อนุมัติ" sourceRef="Decide" targetRef="Choose"/>
    <bpmn:sequenceFlow id="f6" name="ไม่อนุมัติ" sourceRef="Decide" targetRef="End"/>
    <bpmn:sequenceFlow id="f7" sourceRef="Choose" targetRef="Split"/>
    <bpmn:sequenceFlow id="f8" sourceRef="Split" targetRef="Pay"/>
    <bpmn:sequenceFlow id="f9" sourceRef="Split" targetRef="Report"/>
    <bpmn:sequenceFlow id="f10" sourceRef="Pay" targetRef="End"/>
    <bpmn:sequenceFlow id="f11" sourceRef="Report" targetRef="End"/>
  </bpmn:process>
</bpmn:definitions>
""".encode()


def test_a_modeler_file_maps_roles_approvals_and_lists_what_it_cannot():
    assert schema_errors(MODELER_FILE) == []
    result = bpmn_to_dict(MODELER_FILE)
    steps = {s["name_th"]: s for s in result.data["steps"]}
    assert result.data["steps"][0]["name_th"] == "วางแผนการนิเทศ"
    assert steps["พิจารณาแผน"]["kind"] == "approval"
    assert steps["พิจารณาแผน"]["approvers"] == ["director"]
    assert steps["วางแผนการนิเทศ"]["responsible"] == "staff"
    assert result.data["steps"][-1]["kind"] == "end"
    keys = {s["name_th"]: s["key"] for s in result.data["steps"]}
    edges = _edges(result.data)
    assert (keys["พิจารณาแผน"], "return", keys["วางแผนการนิเทศ"]) in edges
    assert (keys["พิจารณาแผน"], "reject", keys["จบ"]) in edges
    text = " ".join(result.not_mapped)
    assert "parallelGateway" in text
    assert "ฝ่ายการเงิน" in text  # a lane that matches no role
    assert "serviceTask" in text
    assert "ออกนิเทศ" in text  # its only way out went into the parallel gateway


def test_a_file_that_is_not_bpmn_is_refused_in_words():
    for content in (
        b"<html></html>",
        b"not xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
    ):
        with pytest.raises(BpmnError):
            bpmn_to_dict(content)


def test_import_view_makes_a_draft_and_lists_what_was_not_mapped(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from processes.models import DefinitionVersion

    client.force_login(people["group_head"])
    upload = SimpleUploadedFile("visit.bpmn", MODELER_FILE, "application/xml")
    response = client.post(reverse("processes:designer_import"), {"file": upload}, follow=True)
    draft = DefinitionVersion.objects.get(definition__title_th="ออกนิเทศโรงเรียน")
    assert draft.status == "draft"
    page = response.content.decode()
    assert "parallelGateway" in page
    assert draft.definition.changes.get().detail["not_mapped"]
