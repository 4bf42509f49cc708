"""Editing definitions without code: admin pages, import, export, publish."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from accounts.services import user_create
from processes.definitions import version_as_dict, version_to_xlsx, xlsx_to_dict
from processes.models import DefinitionVersion, ProcessDefinition
from tests.engine_fixtures import PLAN_PROCESS

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, office):
    admin = user_create(
        username="root",
        password="x",
        office=office,
        is_superuser=True,
        roles=[Role.objects.get(code="admin")],
    )
    client.force_login(admin)
    return client


def test_admin_pages_open(admin_client, plan_definition):
    version = plan_definition.versions.get()
    for url in (
        reverse("admin:processes_processdefinition_changelist"),
        reverse("admin:processes_processdefinition_change", args=[plan_definition.pk]),
        reverse("admin:processes_definitionversion_change", args=[version.pk]),
        reverse("admin:processes_processdefinition_import"),
        reverse("admin:processes_case_changelist"),
        reverse("admin:processes_notification_changelist"),
        reverse("admin:processes_calendarday_changelist"),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_import_a_json_file_as_a_draft_then_publish(admin_client):
    upload = SimpleUploadedFile(
        "plan.json", json.dumps(PLAN_PROCESS, ensure_ascii=False).encode(), "application/json"
    )
    response = admin_client.post(
        reverse("admin:processes_processdefinition_import"), {"file": upload}
    )
    assert response.status_code == 302
    version = DefinitionVersion.objects.get()
    assert version.status == DefinitionVersion.Status.DRAFT
    admin_client.post(
        reverse("admin:processes_definitionversion_changelist"),
        {"action": "publish", "_selected_action": [version.pk]},
    )
    version.refresh_from_db()
    assert version.status == DefinitionVersion.Status.PUBLISHED


def test_a_broken_import_explains_and_stores_nothing(admin_client):
    upload = SimpleUploadedFile("plan.json", b"{not json", "application/json")
    response = admin_client.post(
        reverse("admin:processes_processdefinition_import"), {"file": upload}
    )
    assert response.status_code == 200
    assert not ProcessDefinition.objects.exists()
    bad = dict(PLAN_PROCESS, transitions=[])
    upload = SimpleUploadedFile("plan.json", json.dumps(bad).encode(), "application/json")
    response = admin_client.post(
        reverse("admin:processes_processdefinition_import"), {"file": upload}
    )
    assert response.status_code == 200
    assert not ProcessDefinition.objects.exists()


def test_export_json_and_xlsx(admin_client, plan_definition):
    version = plan_definition.versions.get()
    url = reverse("admin:processes_definitionversion_changelist")
    response = admin_client.post(url, {"action": "export_json", "_selected_action": [version.pk]})
    assert json.loads(response.content)["code"] == "test-plan"
    response = admin_client.post(url, {"action": "export_xlsx", "_selected_action": [version.pk]})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_xlsx_round_trip_keeps_every_step(plan_definition):
    version = plan_definition.versions.get()
    data = xlsx_to_dict(version_to_xlsx(version))
    original = version_as_dict(version)
    assert data["steps"][0]["form"] == original["steps"][0]["form"]
    assert [s["key"] for s in data["steps"]] == [s["key"] for s in original["steps"]]
    assert data["steps"][1]["approvers"] == ["group_head", "director"]
    assert {tuple(t.values()) for t in data["transitions"]} == {
        tuple(t.values()) for t in original["transitions"]
    }


def test_published_versions_are_read_only(admin_client, plan_definition):
    version = plan_definition.versions.get()
    url = reverse("admin:processes_definitionversion_change", args=[version.pk])
    response = admin_client.post(url, {"note": "changed"})
    assert response.status_code == 403


def test_non_admins_cannot_reach_the_admin(client, people):
    client.force_login(people["director"])
    response = client.get(reverse("admin:processes_processdefinition_changelist"))
    assert response.status_code == 302
