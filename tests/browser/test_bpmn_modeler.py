"""Every shipped definition, exported as BPMN 2.0, opens in bpmn.io's own viewer (bpmn-js, the
library behind the bpmn.io modeler and Camunda Modeler) without a warning, with a shape for each
node and lane and a connection for each sequence flow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from processes.bpmn import BPMN, version_to_bpmn
from processes.definitions import definition_import

VIEWER = Path(__file__).resolve().parent / "vendor" / "bpmn-js" / "bpmn-viewer.production.min.js"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "processes"

pytestmark = pytest.mark.django_db

OPEN = """async (xml) => {
  const viewer = new BpmnJS({ container: '#canvas' });
  const result = await viewer.importXML(xml);
  const registry = viewer.get('elementRegistry');
  return {
    warnings: result.warnings.map((w) => String(w.message || w)),
    shapes: registry.filter((e) => !e.waypoints && e.type !== 'label' && e.parent).length,
    connections: registry.filter((e) => !!e.waypoints).length,
  };
}"""


def test_every_exported_definition_opens_in_the_bpmn_io_viewer(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_content('<div id="canvas" style="width:1200px;height:800px"></div>')
    page.add_script_tag(path=str(VIEWER))
    opened = 0
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        if "steps" not in data:
            continue
        xml = version_to_bpmn(definition_import(data))
        root = etree.fromstring(xml)
        process = root.find(f"{{{BPMN}}}process")
        flows = len(process.findall(f"{{{BPMN}}}sequenceFlow"))
        nodes = [
            child
            for child in process
            if etree.QName(child).localname
            not in ("sequenceFlow", "laneSet", "extensionElements", "documentation")
        ]
        lanes = len(process.findall(f".//{{{BPMN}}}lane"))
        result = page.evaluate(OPEN, xml.decode("utf-8"))
        assert result["warnings"] == [], (path.name, result["warnings"][:3])
        assert result["shapes"] == len(nodes) + lanes + 1, path.name  # + the pool
        assert result["connections"] == flows, path.name
        opened += 1
    context.close()
    assert opened >= 20
