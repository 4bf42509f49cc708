"""The designer's services: drafts, the check in words, publish, compare, roll back, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from processes import designer
from processes.models import AppendOnlyError, DefinitionChange, DefinitionVersion
from processes.services import case_start, task_complete

pytestmark = pytest.mark.django_db


def _fields(step, **changes):
    return {**{name: getattr(step, name) for name in designer.STEP_FIELDS}, **changes}


def _exits(step):
    return {t.outcome: t.to_step.key for t in step.exits.select_related("to_step")}


def _edit(draft, user, key, **changes):
    step = draft.steps.get(key=key)
    return designer.step_save(
        version=draft, user=user, step=step, fields=_fields(step, **changes), exits=_exits(step)
    )


def test_copy_edit_publish_keeps_running_cases_pinned(plan_definition, people):
    head, staff = people["group_head"], people["staff"]
    v1 = plan_definition.versions.get()
    running = case_start(definition=plan_definition, requester=staff, title="เรื่องเดิม")
    draft = designer.draft_open(definition=plan_definition, user=head)
    assert draft.number == 2 and draft.status == "draft"
    assert designer.draft_open(definition=plan_definition, user=head) == draft
    _edit(draft, head, "draft", name_th="ร่างแผนแบบใหม่", days_min=2, days_max=4)
    designer.draft_publish(version=draft, user=head)
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert (v1.status, draft.status) == ("retired", "published")
    # The running case finishes on version 1 ...
    task = running.tasks.get()
    task_complete(task=task, user=staff, outcome="done", data={"summary": "สรุป"})
    running.refresh_from_db()
    assert running.version == v1
    assert running.tasks.filter(status="open").get().step.version == v1
    # ... and a new one starts on version 2.
    fresh = case_start(definition=plan_definition, requester=staff, title="เรื่องใหม่")
    assert fresh.version == draft
    assert fresh.tasks.get().step.name_th == "ร่างแผนแบบใหม่"


def test_comparison_names_the_changed_added_and_removed_steps(plan_definition, people):
    head = people["group_head"]
    v1 = plan_definition.versions.get()
    draft = designer.draft_open(definition=plan_definition, user=head)
    _edit(draft, head, "draft", name_th="จัดทำร่างแผน", quality_th="ครบทุกหัวข้อ")
    added = designer.step_save(
        version=draft,
        user=head,
        fields={"name_th": "ประชุมคณะทำงาน", "kind": "task", "responsible": "staff"},
        exits={"done": "propose"},
    )
    draft_step = draft.steps.get(key="draft")
    designer.step_save(
        version=draft,
        user=head,
        step=draft_step,
        fields=_fields(draft_step),
        exits={"done": added.key},
    )
    designer.step_delete(version=draft, user=head, step=draft.steps.get(key="report"))
    lines = designer.versions_compare(v1, draft)
    text = "\n".join(lines)
    assert "ประชุมคณะทำงาน" in text
    changed = next(line for line in lines if "จัดทำร่างแผน" in line)
    assert "ประชุมคณะทำงาน" in changed  # its next step changed
    assert any("รายงานผลให้ผู้บริหารทราบ" in line for line in lines)  # removed
    assert len(lines) >= 3


def test_roll_back_publishes_the_earlier_version_again(plan_definition, people):
    head, staff = people["group_head"], people["staff"]
    v1 = plan_definition.versions.get()
    draft = designer.draft_open(definition=plan_definition, user=head)
    _edit(draft, head, "draft", name_th="ร่างใหม่")
    designer.draft_publish(version=draft, user=head)
    on_v2 = case_start(definition=plan_definition, requester=staff, title="บน v2")
    v1.refresh_from_db()
    designer.version_republish(version=v1, user=head)
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert (v1.status, draft.status) == ("published", "retired")
    assert case_start(definition=plan_definition, requester=staff, title="x").version == v1
    on_v2.refresh_from_db()
    assert on_v2.version == draft
    with pytest.raises(ValidationError):
        designer.version_republish(version=v1, user=head)  # already the published one
    change = DefinitionChange.objects.filter(action="republished").get()
    assert change.actor == head and change.version_number == 1


def test_every_edit_and_publication_is_audited_and_append_only(plan_definition, people):
    head = people["group_head"]
    draft = designer.draft_open(definition=plan_definition, user=head)
    _edit(draft, head, "draft", name_th="ก")
    _edit(draft, head, "draft", name_th="ก")  # no change, no row
    keys = list(draft.steps.order_by("position").values_list("key", flat=True))
    designer.steps_reorder(version=draft, user=head, keys=[keys[1], keys[0], *keys[2:]])
    designer.steps_reorder(version=draft, user=head, keys=keys)
    rows = list(DefinitionChange.objects.order_by("at", "pk"))
    assert [r.action for r in rows] == ["draft_opened", "step_edited", "reordered", "reordered"]
    assert all(r.actor == head and r.version_number == draft.number for r in rows)
    assert rows[1].detail["before"]["name_th"] == "จัดทำร่างแผน"
    assert rows[1].detail["after"]["name_th"] == "ก"
    with pytest.raises(AppendOnlyError):
        rows[0].save()
    with pytest.raises(AppendOnlyError):
        rows[0].delete()


def test_the_check_names_the_step_and_says_how_to_fix_it():
    steps = [
        {"key": "a", "name_th": "รับเรื่อง", "kind": "task", "responsible": "staff"},
        {"key": "b", "name_th": "ขั้นตอนที่ไม่มีใครส่งมา", "kind": "task", "responsible": "staff"},
        {
            "key": "c",
            "name_th": "ผอ.พิจารณา",
            "kind": "approval",
            "approvers": ["director"],
        },
        {
            "key": "d",
            "name_th": "เลือกทาง",
            "kind": "task",
            "responsible": "staff",
            "options": [{"value": "x", "label_th": "ซ่อมเอง"}, {"value": "y", "label_th": "จ้าง"}],
            "form": [
                {"name": "n", "label_th": "หนึ่ง", "type": "text"},
                {"name": "n", "label_th": "สอง", "type": "text"},
            ],
        },
        {"key": "loop", "name_th": "วนไม่จบ", "kind": "task", "responsible": "staff"},
        {"key": "end", "name_th": "สิ้นสุด", "kind": "end"},
    ]
    transitions = [
        {"from": "a", "outcome": "done", "to": "c"},
        {"from": "b", "outcome": "done", "to": "end"},
        {"from": "c", "outcome": "approve", "to": "d"},
        {"from": "d", "outcome": "x", "to": "end"},
        {"from": "d", "outcome": "y", "to": "loop"},
        {"from": "loop", "outcome": "done", "to": "loop"},
    ]
    problems = designer.check_process(steps, transitions)
    by_step = {}
    for problem in problems:
        by_step.setdefault(problem.step_key, []).append(problem)
        assert problem.fix
    assert "ขั้นตอนที่ไม่มีใครส่งมา" in by_step["b"][0].message  # unreachable
    assert len(by_step["c"]) == 2  # return and reject lead nowhere
    assert any("“n”" in p.message for p in by_step["d"])  # field name used twice
    assert any("วนไม่จบ" in p.message for p in by_step["loop"])  # never reaches the end
    branchless = [
        {**steps[3], "form": []},
        {"key": "end", "name_th": "สิ้นสุด", "kind": "end"},
    ]
    problems = designer.check_process(branchless, [{"from": "d", "outcome": "x", "to": "end"}])
    assert [p.step_key for p in problems] == ["d"]
    assert "จ้าง" in problems[0].message  # the branch without a target, by its name


def test_publishing_is_refused_while_problems_remain(plan_definition, people):
    head = people["group_head"]
    draft = designer.draft_open(definition=plan_definition, user=head)
    designer.step_save(
        version=draft,
        user=head,
        fields={"name_th": "ลอยอยู่", "kind": "task", "responsible": "staff"},
        exits={"done": "end"},
    )
    with pytest.raises(ValidationError) as error:
        designer.draft_publish(version=draft, user=head)
    assert any("ลอยอยู่" in message for message in error.value.messages)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not DefinitionChange.objects.filter(action="published").exists()


def test_published_versions_cannot_be_edited(plan_definition, people):
    version = plan_definition.versions.get()
    step = version.steps.get(key="draft")
    with pytest.raises(ValidationError):
        designer.step_save(
            version=version, user=people["group_head"], step=step, fields={}, exits={}
        )
    with pytest.raises(ValidationError):
        designer.step_delete(version=version, user=people["group_head"], step=step)


def test_discard_a_draft(plan_definition, people):
    draft = designer.draft_open(definition=plan_definition, user=people["group_head"])
    designer.draft_discard(version=draft, user=people["group_head"])
    assert not DefinitionVersion.objects.filter(pk=draft.pk).exists()
    assert DefinitionChange.objects.filter(action="discarded").exists()


def test_admin_never_answers_500_on_definitions_versions_and_steps(client, people, office):
    from accounts.models import Role
    from accounts.services import user_create
    from processes.models import ProcessDefinition

    admin = user_create(
        username="root2",
        password="x",
        office=office,
        is_superuser=True,
        roles=[Role.objects.get(code="admin")],
    )
    client.force_login(admin)
    add = client.post(
        reverse("admin:processes_processdefinition_add"),
        {
            "code": "admin-made",
            "title_th": "สร้างจากหน้าผู้ดูแล",
            "area": "service",
            "reference_prefix": "AM",
            "position": 0,
            "is_active": "on",
            "forms": "[]",
            "references": "[]",
            "versions-TOTAL_FORMS": 0,
            "versions-INITIAL_FORMS": 0,
        },
    )
    assert add.status_code == 302, add.content.decode()[:3000]
    definition = ProcessDefinition.objects.get(code="admin-made")
    change_url = reverse("admin:processes_processdefinition_change", args=[definition.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert reverse("processes:designer_definition", args=["admin-made"]) in page.content.decode()
    # The inline offers no empty version row any more (that row used to give the 500).
    assert "versions-__prefix__" not in page.content.decode()
    draft = designer.draft_open(definition=definition, user=admin)
    version_url = reverse("admin:processes_definitionversion_change", args=[draft.pk])
    page = client.get(version_url)
    assert page.status_code == 200
    assert reverse("processes:designer_version", args=[draft.pk]) in page.content.decode()
    import re

    management = dict(
        re.findall(
            r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d+)"',
            page.content.decode(),
        )
    )
    saved = client.post(version_url, {"note": "ทดลอง", "_save": "1", **management})
    assert saved.status_code == 302
    assert client.get(reverse("admin:processes_definitionversion_changelist")).status_code == 200
    assert client.get(reverse("admin:processes_processdefinition_changelist")).status_code == 200
    # Versions are made in the designer (numbered there), never by the admin's add form.
    assert client.get(reverse("admin:processes_definitionversion_add")).status_code == 403
