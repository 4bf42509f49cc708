"""The designer's less travelled paths: every problem the check words, odd requests, bad files."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from processes import designer
from processes.models import DefinitionVersion
from processes.services import case_start
from tests.designer.conftest import step_post

pytestmark = pytest.mark.django_db


def _problems(steps, transitions=()):
    return [str(p) for p in designer.check_process(steps, list(transitions))]


def test_every_kind_of_problem_is_worded():
    assert "ยังไม่มีขั้นตอน" in _problems([])[0]
    task = {"key": "a", "name_th": "ก", "kind": "task", "responsible": "staff"}
    end = {"key": "e", "name_th": "จบ", "kind": "end"}
    assert any("ไม่มีขั้นตอนสิ้นสุด" in p for p in _problems([task]))
    assert any("เริ่มด้วยขั้นตอนสิ้นสุด" in p for p in _problems([end, task]))
    assert any("ประเภท" in p for p in _problems([{**task, "kind": "odd"}, end]))
    done = [{"from": "a", "outcome": "done", "to": "e"}]
    cases = {
        "ชื่อซ้ำกัน": {"options": [{"value": "x", "label_th": "ก"}, {"value": "x", "label_th": "ข"}]},
        "ไม่มีชื่อ": {"options": [{"value": "x", "label_th": ""}]},
        "ยังไม่มีผู้รับผิดชอบ": {"responsible": "nobody"},
        "น้อยที่สุดมากกว่า": {"time_model": "working_days", "days_min": 5, "days_max": 1},
        "ไม่ได้ระบุจำนวนวัน": {"time_model": "calendar_days"},
        "ไม่ได้นับเวลาเป็นวัน": {"time_model": "none", "days_max": 3},
        "จำนวนกิจกรรม": {"time_model": "per_activity", "days_max": 2},
        "ไม่ได้ระบุว่าวันที่ใด": {"time_model": "until_case_date"},
        "ไม่รู้จัก": {"time_model": "fortnights"},
        "ต้องมีชื่อในระบบ": {"form": [{"name": "ชื่อ", "type": "text"}]},
        "ยังไม่มีประเภท": {"form": [{"name": "a", "type": "blob"}]},
        "ยังไม่มีตัวเลือก": {"form": [{"name": "a", "type": "choice"}]},
        "ยังไม่มีคอลัมน์": {"form": [{"name": "a", "type": "table", "columns": []}]},
    }
    for words, change in cases.items():
        found = _problems([{**task, **change}, end], done)
        assert any(words in p for p in found), (words, found)
    approval = {"key": "a", "name_th": "อนุมัติ", "kind": "approval"}
    exits = [{"from": "a", "outcome": o, "to": "e"} for o in ("approve", "return", "reject")]
    assert any("ยังไม่มีผู้อนุมัติ" in p for p in _problems([approval, end], exits))
    wrong = {**approval, "approvers": ["staff"]}
    assert any("ไม่มีอำนาจอนุมัติ" in p for p in _problems([wrong, end], exits))
    half = {**approval, "approvers": [{"role": "director", "field": "", "if_over": None}]}
    assert any("ไม่ครบ" in p for p in _problems([half, end], exits))
    wait = {
        "key": "a",
        "name_th": "รอ",
        "kind": "wait_until",
        "responsible": "staff",
        "time_model": "working_days",
        "days_max": 1,
        "case_date_field": "x",
    }
    assert any("ต้องรอจนถึงวันที่" in p for p in _problems([wait, end], done))


def test_service_refusals(plan_definition, people):
    head = people["group_head"]
    with pytest.raises(ValidationError):
        designer.definition_create(
            user=head, code=plan_definition.code, title_th="ซ้ำ", area="plans"
        )
    draft = designer.draft_open(definition=plan_definition, user=head)
    with pytest.raises(ValidationError):
        designer.steps_reorder(version=draft, user=head, keys=["draft"])
    with pytest.raises(ValidationError):
        designer.step_save(
            version=draft,
            user=head,
            fields={"name_th": "x", "kind": "task", "responsible": "staff"},
            exits={"done": "no-such-step"},
        )
    other = plan_definition.versions.get(number=1).steps.first()
    with pytest.raises(ValidationError):
        designer.step_save(version=draft, user=head, step=other, fields={}, exits={})
    for bad in (
        {},
        {"code": "x", "title_th": "x", "steps": [{"key": "a"}]},
        {
            "code": "x",
            "title_th": "x",
            "steps": [{"key": "a", "kind": "task"}, {"key": "a", "kind": "end"}],
        },
        ["not", "a", "mapping"],
    ):
        with pytest.raises(ValidationError):
            designer.import_as_draft(data=bad, user=head, source="JSON")
    published = plan_definition.versions.get(number=1)
    with pytest.raises(ValidationError):
        designer.draft_discard(version=published, user=head)


def test_views_answer_odd_requests_in_words(head_client, plan_definition, people):
    head_client.post(reverse("processes:designer_draft", args=[plan_definition.code]))
    draft = plan_definition.versions.get(status="draft")
    published = plan_definition.versions.get(number=1)
    reorder = reverse("processes:designer_reorder", args=[draft.pk])
    assert head_client.post(reorder, {}).status_code == 400
    picture = head_client.post(
        reorder, {"order": ["propose", "draft", "report", "end"]}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert picture.status_code == 200 and b"<svg" in picture.content
    assert (
        head_client.post(reorder, {"order": ["draft"]}, HTTP_X_REQUESTED_WITH="fetch").status_code
        == 400
    )
    head_client.post(reorder, {"order": ["draft", "propose", "report", "end"]})
    assert (
        head_client.get(reverse("processes:designer_export", args=[draft.pk, "exe"])).status_code
        == 404
    )
    assert (
        head_client.get(reverse("processes:designer_flowchart", args=[draft.pk])).status_code == 200
    )
    # A published version's step page sends the person back; its publish and discard explain.
    assert (
        head_client.get(
            reverse("processes:designer_step", args=[published.pk, "draft"])
        ).status_code
        == 302
    )
    for name in ("designer_publish", "designer_discard"):
        response = head_client.post(reverse(f"processes:{name}", args=[published.pk]), follow=True)
        assert response.status_code == 200
    # Republishing the published version is refused with a message.
    response = head_client.post(
        reverse("processes:designer_republish", args=[published.pk]), follow=True
    )
    assert response.status_code == 200
    # The preview of a new step, and of a form with errors.
    preview = reverse("processes:designer_preview", args=[draft.pk])
    assert (
        "ขั้นตอนใหม่ในผัง".encode()
        in head_client.post(preview, step_post(name_th="ขั้นตอนใหม่ในผัง", next_step="end")).content
    )
    broken = head_client.post(preview, step_post(name_th=""))
    assert broken.status_code == 200 and "ผังแสดงฉบับร่างที่บันทึกไว้".encode() in broken.content
    # Deleting a step, then discarding the draft.
    head_client.post(reverse("processes:designer_step_delete", args=[draft.pk, "report"]))
    assert not draft.steps.filter(key="report").exists()
    assert "ขั้นตอนที่เคยส่งต่อมา" in plan_definition.changes.get(action="step_deleted").summary
    head_client.post(reverse("processes:designer_discard", args=[draft.pk]))
    assert not DefinitionVersion.objects.filter(pk=draft.pk).exists()
    # Compare with a single version says so.
    head_client.post(
        reverse("processes:designer_new"),
        {"title_th": "เดี่ยว", "code": "single", "area": "service", "reference_prefix": "SG"},
    )
    page = head_client.get(reverse("processes:designer_compare", args=["single"]))
    assert "ขณะนี้มีเพียงฉบับเดียว" in page.content.decode()
    # New-process form: a code in use, and the copy pre-filled from ?copy=.
    taken = head_client.post(
        reverse("processes:designer_new"),
        {"title_th": "x", "code": "single", "area": "service", "reference_prefix": "SG"},
    )
    assert taken.status_code == 200 and "มีกระบวนงานที่ใช้รหัสนี้แล้ว" in taken.content.decode()
    prefilled = head_client.get(reverse("processes:designer_new") + "?copy=test-plan")
    assert "(สำเนา)" in prefilled.content.decode()


def test_import_view_refuses_bad_files(head_client):
    url = reverse("processes:designer_import")
    for name, content in (
        ("x.json", b"{not json"),
        ("x.json", json.dumps({"code": "x"}).encode()),
        ("x.bpmn", b"<x/>"),
    ):
        response = head_client.post(url, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 400, name
    assert not DefinitionVersion.objects.exists()


def test_step_form_kinds_and_conditions(head_client, plan_definition):
    head_client.post(reverse("processes:designer_draft", args=[plan_definition.code]))
    draft = plan_definition.versions.get(status="draft")
    url = reverse("processes:designer_step", args=[draft.pk, "propose"])
    data = step_post(
        name_th="เสนอ ผอ.สพท. พิจารณาอนุมัติ",
        kind="approval",
        approvers=["group_head", "director"],
        approve_to="report",
        return_to="draft",
        reject_to="end",
        fields=[
            {"label_th": "งบประมาณ", "type": "money", "name": "budget"},
            {"label_th": "ประเภท", "type": "choice", "choices": "ก\nข\n"},
            {"label_th": "กิจกรรม", "type": "table", "col1_label": "ชื่อ"},
            {"label_th": "ลบทิ้ง", "DELETE": "on"},
        ],
        time_model="per_activity",
        days_max=2,
        activity_field="field_3",
    )
    data["approver-1-amount_field"] = "budget"
    data["approver-1-if_over"] = "10000"
    response = head_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    step = draft.steps.get(key="propose")
    assert step.approvers == [
        "group_head",
        {"role": "director", "field": "budget", "if_over": 10000},
    ]
    assert [f["name"] for f in step.form_schema] == ["budget", "field_1", "field_2"]
    assert step.form_schema[1]["choices"] == ["ก", "ข"]
    assert step.time_model == "per_activity"
    # The form shows the saved step again, condition included.
    page = head_client.get(url).content.decode()
    assert 'value="budget"' in page and "10000" in page
    # A condition without its amount, a branch without a name, a wait without its date.
    data["approver-1-if_over"] = ""
    assert head_client.post(url, data).status_code == 400
    task_url = reverse("processes:designer_step", args=[draft.pk, "draft"])
    branchless = step_post(name_th="จัดทำร่างแผน", branches=[{"label_th": "", "to_step": "propose"}])
    assert head_client.post(task_url, branchless).status_code == 400
    wait = step_post(name_th="รอ", kind="wait_until")
    response = head_client.post(task_url, wait)
    assert response.status_code == 400
    wait["case_date_field"] = "deadline"
    wait["next_step"] = "propose"
    assert head_client.post(task_url, wait).status_code == 302
    assert draft.steps.get(key="draft").time_model == "until_case_date"
    end_url = reverse("processes:designer_step", args=[draft.pk, "end"])
    assert head_client.post(end_url, step_post(name_th="สิ้นสุด", kind="end")).status_code == 302


def test_a_running_case_keeps_a_draft_from_being_replaced_by_import(plan_definition, people):
    head = people["group_head"]
    draft = designer.draft_open(definition=plan_definition, user=head)
    case_start(definition=plan_definition, requester=people["staff"], title="x")
    data = {"code": plan_definition.code, "title_th": "x", "steps": [{"key": "e", "kind": "end"}]}
    replaced = designer.import_as_draft(data=data, user=head, source="JSON")
    assert replaced == draft
    assert list(draft.steps.values_list("key", flat=True)) == ["e"]
