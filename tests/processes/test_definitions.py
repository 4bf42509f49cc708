"""Definitions as data: what publishing refuses, and the JSON round trip."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError

from processes.definitions import (
    definition_import,
    graph_errors,
    version_as_dict,
    version_create_draft,
    version_publish,
)
from processes.models import DefinitionVersion
from tests.engine_fixtures import PLAN_PROCESS

pytestmark = pytest.mark.django_db


def errors_for(mutate):
    data = copy.deepcopy(PLAN_PROCESS)
    mutate(data)
    return graph_errors(data["steps"], data["transitions"])


def test_the_example_is_valid():
    assert errors_for(lambda d: None) == []


def test_an_approval_needs_all_three_outcomes():
    def drop_reject(d):
        d["transitions"] = [t for t in d["transitions"] if t["outcome"] != "reject"]

    assert any("reject" in e.lower() or "ไม่อนุมัติ" in e for e in errors_for(drop_reject))


def test_an_approval_needs_a_chain_of_approvers():
    def no_chain(d):
        d["steps"][1]["approvers"] = []

    assert errors_for(no_chain)

    def bad_role(d):
        d["steps"][1]["approvers"] = ["staff"]

    assert errors_for(bad_role)


def test_unreachable_steps_are_reported():
    def orphan(d):
        d["steps"].insert(
            2, {"key": "orphan", "name_th": "ลอย", "kind": "task", "responsible": "staff"}
        )
        d["transitions"].append({"from": "orphan", "outcome": "done", "to": "end"})

    assert any("orphan" in e or "ลอย" in e for e in errors_for(orphan))


def test_a_loop_with_no_way_out_is_reported():
    def trap(d):
        d["steps"].insert(2, {"key": "a", "name_th": "ก", "kind": "task", "responsible": "staff"})
        d["steps"].insert(3, {"key": "b", "name_th": "ข", "kind": "task", "responsible": "staff"})
        for t in d["transitions"]:
            if t["from"] == "propose" and t["outcome"] == "approve":
                t["to"] = "a"
        d["transitions"] += [
            {"from": "a", "outcome": "done", "to": "b"},
            {"from": "b", "outcome": "done", "to": "a"},
        ]
        d["transitions"] = [t for t in d["transitions"] if t["from"] != "report"]
        d["steps"] = [s for s in d["steps"] if s["key"] != "report"]

    assert any("end" in e.lower() or "สิ้นสุด" in e for e in errors_for(trap))


def test_a_bad_form_schema_is_reported():
    def bad_form(d):
        d["steps"][0]["form"] = [{"name": "x", "type": "choice"}]

    assert errors_for(bad_form)


def test_import_refuses_an_invalid_file_and_stores_nothing():
    data = copy.deepcopy(PLAN_PROCESS)
    data["transitions"] = []
    with pytest.raises(ValidationError):
        definition_import(data)
    assert not DefinitionVersion.objects.exists()


def test_export_then_import_is_the_same_definition(plan_definition):
    published = plan_definition.versions.get()
    exported = version_as_dict(published)
    assert exported["steps"][1]["approvers"] == ["group_head", "director"]
    assert definition_import(exported) == published


def test_publishing_retires_the_previous_version(plan_definition):
    draft = version_create_draft(definition=plan_definition)
    assert draft.number == 2 and draft.status == DefinitionVersion.Status.DRAFT
    assert draft.steps.count() == 4
    version_publish(version=draft, user=None)
    statuses = dict(plan_definition.versions.values_list("number", "status"))
    assert statuses == {1: "retired", 2: "published"}


def test_a_draft_with_errors_cannot_be_published(plan_definition):
    draft = version_create_draft(definition=plan_definition)
    draft.transitions.filter(outcome="reject").delete()
    with pytest.raises(ValidationError):
        version_publish(version=draft, user=None)
    draft.refresh_from_db()
    assert draft.status == DefinitionVersion.Status.DRAFT
