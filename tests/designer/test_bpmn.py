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
