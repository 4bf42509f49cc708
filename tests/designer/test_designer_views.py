"""The designer's pages: who may use them, and a process built, checked and published in them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from processes.models import (
    Case,
    DefinitionChange,
    DefinitionVersion,
    ProcessDefinition,
)
from processes.services import case_start
from tests.designer.conftest import step_post

pytestmark = pytest.mark.django_db

DESIGNERS = {"group_head", "admin"}


def _urls(version: DefinitionVersion, step_key: str):
    code = version.definition.code
    gets = [
        reverse("processes:designer"),
        reverse("processes:designer_new"),
        reverse("processes:designer_import"),
        reverse("processes:designer_definition", args=[code]),
        reverse("processes:designer_compare", args=[code]),
        reverse("processes:designer_version", args=[version.pk]),
        reverse("processes:designer_flowchart", args=[version.pk]),
        reverse("processes:designer_step_new", args=[version.pk]),
        reverse("processes:designer_step", args=[version.pk, step_key]),
        reverse("processes:designer_export", args=[version.pk, "json"]),
        reverse("processes:designer_export", args=[version.pk, "bpmn"]),
    ]
    posts = [
        reverse("processes:designer_new"),
        reverse("processes:designer_import"),
        reverse("processes:designer_definition", args=[code]),
        reverse("processes:designer_draft", args=[code]),
        reverse("processes:designer_preview", args=[version.pk]),
        reverse("processes:designer_step_new", args=[version.pk]),
        reverse("processes:designer_step", args=[version.pk, step_key]),
        reverse("processes:designer_step_delete", args=[version.pk, step_key]),
        reverse("processes:designer_reorder", args=[version.pk]),
        reverse("processes:designer_publish", args=[version.pk]),
        reverse("processes:designer_republish", args=[version.pk]),
        reverse("processes:designer_discard", args=[version.pk]),
    ]
    return gets, posts


def test_every_role_but_the_designers_gets_403_and_nothing_changes(designer_users, plan_definition):
    from processes.designer import draft_open

    version = draft_open(definition=plan_definition, user=designer_users["admin"])
    gets, posts = _urls(version, "draft")
    changes = DefinitionChange.objects.count()
    for role, user in designer_users.items():
        client = Client()
        client.force_login(user)
        for url in gets:
            status = client.get(url).status_code
            assert status == (200 if role in DESIGNERS else 403), (role, url, status)
        if role in DESIGNERS:
            continue
        for url in posts:
            assert client.post(url, {}).status_code == 403, (role, url)
    assert DefinitionChange.objects.count() == changes
    assert plan_definition.versions.count() == 2
    anonymous = Client().get(reverse("processes:designer"))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_designer_roles_follow_the_setting(settings, designer_users, plan_definition):
    settings.PROCESS_DESIGNER_ROLES = ["director"]
    for role, expected in (("director", 200), ("group_head", 403)):
        client = Client()
        client.force_login(designer_users[role])
        assert client.get(reverse("processes:designer")).status_code == expected


def test_catalogue_links_to_the_designer_only_for_designers(designer_users, plan_definition):
    url = reverse("processes:designer")
    for role in ("group_head", "staff"):
        client = Client()
        client.force_login(designer_users[role])
        page = client.get(reverse("processes:catalogue")).content.decode()
        assert (url in page) is (role == "group_head")


def test_create_a_process_build_it_in_forms_and_publish_it(head_client, people):
    response = head_client.post(
        reverse("processes:designer_new"),
        {
            "title_th": "ขอใช้ห้องประชุม",
            "code": "meeting-room",
            "area": "service",
            "reference_prefix": "MR",
        },
    )
    draft = DefinitionVersion.objects.get(definition__code="meeting-room")
    assert response.status_code == 302
    assert response["Location"] == reverse("processes:designer_version", args=[draft.pk])
    assert [s.key for s in draft.steps.order_by("position")] == ["step_1", "end"]

    # The first step gets a form with a table and a date; an approval is added after it.
    add = reverse("processes:designer_step_new", args=[draft.pk])
    response = head_client.post(
        add,
        step_post(
            name_th="อนุมัติการใช้ห้อง",
            kind="approval",
            approvers=["group_head", "director"],
            approve_to="end",
            return_to="step_1",
        ),
    )
    assert response.status_code == 302
    approval = draft.steps.get(name_th="อนุมัติการใช้ห้อง")
    assert approval.approvers == ["group_head", "director"]
    # Reject has no target yet: the check says so in words, naming the step.
    page = head_client.get(reverse("processes:designer_version", args=[draft.pk])).content.decode()
    assert "อนุมัติการใช้ห้อง" in page
    head_client.post(reverse("processes:designer_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == DefinitionVersion.Status.DRAFT

    response = head_client.post(
        reverse("processes:designer_step", args=[draft.pk, "step_1"]),
        step_post(
            name_th="กรอกคำขอใช้ห้อง",
            next_step=approval.key,
            days_min=1,
            days_max=2,
            fields=[
                {"label_th": "วันที่ใช้", "type": "date", "required": "on"},
                {
                    "label_th": "รายชื่อผู้เข้าประชุม",
                    "type": "table",
                    "col1_label": "ชื่อ",
                    "col2_label": "จำนวน",
                    "col2_type": "number",
                },
                {"label_th": "งบประมาณ", "type": "money", "help_th": "บาท"},
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    first = draft.steps.get(key="step_1")
    assert [f["type"] for f in first.form_schema] == ["date", "table", "money"]
    assert first.form_schema[1]["columns"] == [
        {"name": "col_1", "label_th": "ชื่อ", "type": "text"},
        {"name": "col_2", "label_th": "จำนวน", "type": "number"},
    ]
    response = head_client.post(
        reverse("processes:designer_step", args=[draft.pk, approval.key]),
        step_post(
            name_th="อนุมัติการใช้ห้อง",
            kind="approval",
            approvers=["group_head", "director"],
            approve_to="end",
            return_to="step_1",
            reject_to="end",
        ),
    )
    # The approval sits after the end step; moving the end to the bottom keeps the picture tidy.
    head_client.post(
        reverse("processes:designer_reorder", args=[draft.pk]),
        {"move": "end", "direction": "down"},
    )
    assert list(draft.steps.order_by("position").values_list("key", flat=True)) == [
        "step_1",
        approval.key,
        "end",
    ]
    from processes.designer import version_problems

    assert version_problems(draft) == []
    response = head_client.post(reverse("processes:designer_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == DefinitionVersion.Status.PUBLISHED
    actions = list(
        DefinitionChange.objects.filter(definition=draft.definition)
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "created",
        "step_added",
        "step_edited",
        "step_edited",
        "reordered",
        "published",
    ]
    assert DefinitionChange.objects.filter(actor=people["group_head"]).count() == len(actions)

    case = case_start(definition=draft.definition, requester=people["staff"], title="ห้อง 1")
    assert case.tasks.get().step.key == "step_1"


def test_publishing_a_broken_draft_is_refused_with_the_steps_named(head_client, plan_definition):
    head_client.post(reverse("processes:designer_draft", args=[plan_definition.code]))
    draft = plan_definition.versions.get(status="draft")
    head_client.post(
        reverse("processes:designer_step_new", args=[draft.pk]),
        step_post(name_th="ขั้นตอนลอย", next_step="end"),
    )
    response = head_client.post(reverse("processes:designer_publish", args=[draft.pk]), follow=True)
    page = response.content.decode()
    assert "ขั้นตอนลอย" in page
    assert "ไม่มีขั้นตอนใดนำไปสู่" in page or "No step leads to" in page
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_step_form_keeps_what_was_typed_on_an_error(head_client, plan_definition):
    head_client.post(reverse("processes:designer_draft", args=[plan_definition.code]))
    draft = plan_definition.versions.get(status="draft")
    response = head_client.post(
        reverse("processes:designer_step", args=[draft.pk, "draft"]),
        step_post(
            name_th="ร่างแผนฉบับใหม่",
            next_step="propose",
            fields=[
                {"label_th": "ก", "name": "same"},
                {"label_th": "ข", "name": "same"},
                {"label_th": "ตัวเลือก", "type": "choice"},
            ],
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "ร่างแผนฉบับใหม่" in page
    assert draft.steps.get(key="draft").name_th == "จัดทำร่างแผน"


def test_preview_draws_the_unsaved_form(head_client, plan_definition):
    head_client.post(reverse("processes:designer_draft", args=[plan_definition.code]))
    draft = plan_definition.versions.get(status="draft")
    response = head_client.post(
        reverse("processes:designer_preview", args=[draft.pk]),
        {"step_key": "draft", **step_post(name_th="ร่างใหม่ที่ยังไม่บันทึก", next_step="propose")},
    )
    assert response.status_code == 200
    assert "ร่างใหม่ที่ยังไม่บันทึก" in response.content.decode()
    assert draft.steps.get(key="draft").name_th == "จัดทำร่างแผน"


def test_copy_a_definition(head_client, plan_definition):
    response = head_client.post(
        reverse("processes:designer_new"),
        {
            "title_th": "แผนทดสอบ (สำเนา)",
            "code": "test-plan-copy",
            "area": "plans",
            "reference_prefix": "TC",
            "copy_from": plan_definition.pk,
        },
    )
    assert response.status_code == 302
    copy = ProcessDefinition.objects.get(code="test-plan-copy")
    draft = copy.versions.get()
    assert [s.key for s in draft.steps.order_by("position")] == [
        "draft",
        "propose",
        "report",
        "end",
    ]
    assert draft.transitions.count() == 5
    assert copy.changes.get().action == "copied"


def test_other_roles_keep_running_cases_when_a_draft_is_published(
    head_client, plan_definition, people
):
    running = case_start(definition=plan_definition, requester=people["staff"], title="เดิม")
    head_client.post(reverse("processes:designer_draft", args=[plan_definition.code]))
    draft = plan_definition.versions.get(status="draft")
    head_client.post(
        reverse("processes:designer_step", args=[draft.pk, "draft"]),
        step_post(name_th="จัดทำร่างแผน (ปรับปรุง)", next_step="propose"),
    )
    head_client.post(reverse("processes:designer_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "published"
    running.refresh_from_db()
    assert running.version.number == 1
    assert running.tasks.get().step.name_th == "จัดทำร่างแผน"
    new_case = case_start(definition=plan_definition, requester=people["staff"], title="ใหม่")
    assert new_case.tasks.get().step.name_th == "จัดทำร่างแผน (ปรับปรุง)"
    assert Case.objects.count() == 2


def test_export_then_import_json_and_bpmn_through_the_pages(head_client, plan_definition):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from processes.definitions import _canonical_step, version_as_dict

    published = plan_definition.versions.get()
    original = version_as_dict(published)
    for fmt, name in (("json", "plan.json"), ("bpmn", "plan.bpmn")):
        exported = head_client.get(reverse("processes:designer_export", args=[published.pk, fmt]))
        assert exported.status_code == 200
        assert name.split(".")[1] in exported["Content-Disposition"]
        upload = SimpleUploadedFile(name, exported.content)
        response = head_client.post(reverse("processes:designer_import"), {"file": upload})
        assert response.status_code == 302
        draft = plan_definition.versions.get(status="draft")
        again = version_as_dict(draft)
        assert [_canonical_step(s) for s in again["steps"]] == [
            _canonical_step(s) for s in original["steps"]
        ]
        assert sorted(map(str, again["transitions"])) == sorted(map(str, original["transitions"]))
    # Both imports went into the same draft, each audited.
    assert plan_definition.versions.count() == 2
    assert plan_definition.changes.filter(action="imported").count() == 2
    # No change between the published version and the re-imported draft.
    page = head_client.get(reverse("processes:designer_compare", args=[plan_definition.code]))
    assert "ทั้งสองฉบับมีขั้นตอนเหมือนกัน" in page.content.decode()


def test_definition_details_are_edited_and_audited(head_client, plan_definition, people):
    url = reverse("processes:designer_definition", args=[plan_definition.code])
    response = head_client.post(
        url,
        {
            "title_th": "จัดทำแผนทดสอบ ฉบับปรับปรุง",
            "title_en": "Test plan",
            "area": "plans",
            "reference_prefix": "TP",
            "objective_th": "เพื่อทดสอบ",
            "forms_used": "แบบ ก\nแบบ ข\n",
            "reference_lines": "",
        },
    )
    assert response.status_code == 302
    plan_definition.refresh_from_db()
    assert plan_definition.title_th == "จัดทำแผนทดสอบ ฉบับปรับปรุง"
    assert plan_definition.forms == ["แบบ ก", "แบบ ข"]
    change = plan_definition.changes.get(action="edited")
    assert change.actor == people["group_head"]
    assert change.detail["title_th"] == ["จัดทำแผนทดสอบ", "จัดทำแผนทดสอบ ฉบับปรับปรุง"]
    bad = head_client.post(url, {"title_th": "", "area": "plans", "reference_prefix": "TP"})
    assert bad.status_code == 400
