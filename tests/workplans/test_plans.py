"""Plans on the engine: creation, who edits and when, the director's gate, publication, PDFs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from processes.models import Case, Notification, Task
from processes.services import task_complete
from tests.render_jobs import eager_worker, fetch_pdf
from tests.workplans.factories import fill_plan, make_plan, open_task, work_until
from workplans.models import Plan, PlanComment, PlanKind, Section
from workplans.selectors import can_edit_plan, plan_budget
from workplans.services import plan_create, plan_decide

pytestmark = pytest.mark.django_db


def approve_to_director(plan, people):
    """Propose the plan and let the group head and the deputy approve; returns the director's
    task."""
    task = work_until(plan, "propose", people["staff"])
    task_complete(task=task, user=people["group_head"], outcome="approve")
    task_complete(task=open_task(plan), user=people["deputy_director"], outcome="approve")
    task = open_task(plan)
    assert task.role == "director"
    return task


def test_a_plan_starts_its_kinds_process_with_itself_as_subject(definitions, people):
    plan = make_plan(people["staff"])
    assert plan.case.definition.code == "digital-tech-plan"
    assert plan.case.subject == plan
    assert plan.status == Plan.Status.DRAFTING
    assert open_task(plan).step.key == "appoint"


@pytest.mark.parametrize("kind", PlanKind.values)
def test_every_kind_of_plan_runs_its_own_definition(definitions, people, kind):
    plan = make_plan(people["staff"], kind=kind)
    assert plan.case.definition.code == plan.definition_code


def test_years_must_be_in_order(definitions, people):
    with pytest.raises(ValidationError):
        plan_create(
            user=people["staff"],
            kind=PlanKind.DLTV,
            title="x",
            fiscal_year_start=2571,
            fiscal_year_end=2570,
        )


ROLE_CAN_CREATE = {
    "staff": True,
    "group_head": True,
    "director": False,
    "deputy_director": False,
    "school_user": False,
    "other_school_user": False,
    "admin": False,
    "outsider": True,  # staff of another office: creates a plan of *their* office
}


@pytest.mark.parametrize("role, allowed", ROLE_CAN_CREATE.items())
def test_who_may_create_a_plan(client, definitions, everyone, role, allowed):
    user = everyone[role]
    client.force_login(user)
    response = client.post(
        reverse("workplans:new"),
        {
            "kind": PlanKind.DIGITAL_QUALITY,
            "title": "แผนใหม่",
            "fiscal_year_start": 2570,
            "fiscal_year_end": 2570,
        },
    )
    if allowed:
        plan = Plan.objects.get()
        assert response.status_code == 302
        assert plan.office_id == user.office_id
    else:
        assert response.status_code == 403
        assert not Plan.objects.exists()


# Who may edit a plan of the office while it is drafted (404: cannot even see it).
EDIT_STATUS = {
    "staff": 302,
    "staff2": 302,
    "group_head": 302,
    "deputy_director": 403,
    "director": 403,
    "school_user": 404,
    "school_director": 404,
    "other_school_user": 404,
    "admin": 403,
    "outsider": 404,
    "outsider_school_user": 404,
}


@pytest.mark.parametrize("role, expected", EDIT_STATUS.items())
def test_only_the_plans_own_group_edits_it(client, definitions, everyone, role, expected):
    plan = make_plan(everyone["staff"])
    client.force_login(everyone[role])
    url = reverse("workplans:edit_section", args=[plan.pk, "vision"])
    response = client.post(
        url,
        {
            "title": "แผนแก้ไข",
            "fiscal_year_start": 2570,
            "fiscal_year_end": 2572,
            "vision": "วิสัยทัศน์ใหม่",
            "goals": "",
            "appointing_order_no": "",
            "appointing_order_date": "",
        },
    )
    assert response.status_code == expected
    plan.refresh_from_db()
    assert (plan.vision == "วิสัยทัศน์ใหม่") == (expected == 302)


@pytest.mark.parametrize(
    "role, expected",
    [("staff", 200), ("director", 200), ("school_user", 404), ("outsider", 404), ("admin", 200)],
)
def test_who_reads_the_plan(client, definitions, everyone, role, expected):
    plan = make_plan(everyone["staff"])
    client.force_login(everyone[role])
    assert client.get(plan.get_absolute_url()).status_code == expected
    assert client.get(reverse("workplans:read", args=[plan.pk])).status_code == expected


def test_the_plan_is_frozen_once_proposed_and_open_again_when_returned(definitions, people):
    plan = make_plan(people["staff"])
    work_until(plan, "propose", people["staff"])
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PROPOSED
    assert not can_edit_plan(people["staff"], plan)
    task_complete(
        task=open_task(plan), user=people["group_head"], outcome="return", comment="แก้ตัวชี้วัด"
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.RETURNED
    # Seed 004 process 1's flowchart: "ปรับปรุง" goes back to the study step.
    assert open_task(plan).step.key == "study"
    assert can_edit_plan(people["staff"], plan)


def test_editing_a_proposed_plan_is_refused_with_403(client, definitions, people):
    plan = make_plan(people["staff"])
    work_until(plan, "propose", people["staff"])
    client.force_login(people["staff"])
    url = reverse("workplans:edit_section", args=[plan.pk, "strategies"])
    assert client.get(url).status_code == 403


def test_sections_save_rows_and_the_budget_adds_up(client, definitions, people):
    plan = make_plan(people["staff"])
    client.force_login(people["staff"])
    url = reverse("workplans:edit_section", args=[plan.pk, "strategies"])
    response = client.post(
        url,
        {
            "strategies-TOTAL_FORMS": "2",
            "strategies-INITIAL_FORMS": "0",
            "strategies-0-position": "1",
            "strategies-0-title": "ยกระดับโครงสร้างพื้นฐาน",
            "strategies-1-position": "1",  # the untouched default: an empty row
            "strategies-1-title": "",
        },
    )
    assert response.status_code == 302
    assert list(plan.strategies.values_list("title", flat=True)) == ["ยกระดับโครงสร้างพื้นฐาน"]

    rows = fill_plan(plan)
    budget = plan_budget(plan)
    assert budget.total == Decimal("175500.50")
    assert budget.by_project == {
        rows["projects"][0].pk: Decimal("150000"),
        rows["projects"][1].pk: Decimal("25500.50"),
    }
    page = client.get(plan.get_absolute_url()).text
    assert "175,500.50" in page


def test_activity_dates_are_typed_in_buddhist_era_and_bad_ones_are_explained(
    client, definitions, people, school
):
    plan = make_plan(people["staff"])
    project = fill_plan(plan)["projects"][1]
    client.force_login(people["staff"])
    url = reverse("workplans:edit_activities", args=[plan.pk, project.pk])
    activity = project.activities.get()
    form = {
        "activities-TOTAL_FORMS": "1",
        "activities-INITIAL_FORMS": "1",
        "activities-0-id": str(activity.pk),
        "activities-0-position": "1",
        "activities-0-name": "อบรม DLIT",
        "activities-0-owner": "ค",
        "activities-0-budget": "30000",
        "activities-0-starts_on": "1/12/2569",
        "activities-0-ends_on": "31/13/2569",
        "activities-0-target_schools": [str(school.pk)],
    }
    response = client.post(url, form)
    assert response.status_code == 400
    assert "31/13/2569" in response.text  # what was typed stays
    form["activities-0-ends_on"] = "15/12/2569"
    assert client.post(url, form).status_code == 302
    activity.refresh_from_db()
    assert activity.starts_on.isoformat() == "2026-12-01"
    assert list(activity.target_schools.all()) == [school]


def test_director_approves_with_their_typed_name(definitions, people):
    plan = make_plan(people["staff"])
    task = approve_to_director(plan, people)
    director = people["director"]
    with pytest.raises(ValidationError) as error:
        plan_decide(plan=plan, task=task, user=director, outcome="approve", signed_name="คนอื่น")
    assert "signed_name" in error.value.message_dict
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN  # nothing recorded

    plan_decide(
        plan=plan, task=task, user=director, outcome="approve", signed_name=director.display_name
    )
    plan.refresh_from_db()
    task.refresh_from_db()
    assert task.outcome == "approve"
    assert task.data["signed_name"] == director.display_name
    assert plan.status == Plan.Status.APPROVED
    assert plan.approval_signature == director.display_name
    assert plan.public_slug
    assert open_task(plan).step.key == "publish"


def test_the_generic_case_page_cannot_skip_the_signature(client, definitions, people):
    plan = make_plan(people["staff"])
    task = approve_to_director(plan, people)
    client.force_login(people["director"])
    response = client.post(
        reverse("processes:decide", args=[task.pk]), {"outcome": "approve", "signed_name": ""}
    )
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.is_open


def test_return_comments_are_anchored_to_their_sections(client, definitions, people):
    plan = make_plan(people["staff"])
    approve_to_director(plan, people)
    client.force_login(people["director"])
    url = reverse("workplans:decide", args=[plan.pk])
    empty = client.post(url, {"decision": "return", "outcome": "return"})
    assert empty.status_code == 400
    response = client.post(
        url,
        {
            "decision": "return",
            "outcome": "return",
            "comment_kpis": "ตัวชี้วัดที่ 2 ควรวัดได้",
            "comment_projects": "งบประมาณโครงการ 1 สูงเกินไป",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.RETURNED
    sections = dict(PlanComment.objects.values_list("section", "body"))
    assert sections == {
        Section.KPIS: "ตัวชี้วัดที่ 2 ควรวัดได้",
        Section.PROJECTS: "งบประมาณโครงการ 1 สูงเกินไป",
    }
    # The drafters see each comment inside its section of the workspace.
    client.force_login(people["staff"])
    page = client.get(plan.get_absolute_url()).text
    kpi_section = page.split('id="section-kpis"')[1].split("</section>")[0]
    assert "ตัวชี้วัดที่ 2 ควรวัดได้" in kpi_section
    assert "งบประมาณโครงการ 1" not in kpi_section
    assert Notification.objects.filter(recipient=people["staff"], kind="task_return").exists()


def test_not_passed_goes_back_to_study(definitions, people):
    plan = make_plan(people["staff"])
    task = approve_to_director(plan, people)
    plan_decide(
        plan=plan,
        task=task,
        user=people["director"],
        outcome="reject",
        comments={Section.GENERAL: "ไม่สอดคล้องนโยบาย"},
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFTING
    assert open_task(plan).step.key == "study"
    assert plan.case.state == Case.State.RUNNING


@pytest.mark.parametrize("role", ["staff", "group_head", "school_user", "outsider"])
def test_only_the_holder_of_the_open_approval_may_decide(client, definitions, everyone, role):
    plan = make_plan(everyone["staff"])
    approve_to_director(plan, everyone)
    client.force_login(everyone[role])
    response = client.post(
        reverse("workplans:decide", args=[plan.pk]),
        {"decision": "approve", "signed_name": everyone[role].display_name},
    )
    assert response.status_code in (403, 404)
    assert open_task(plan).is_open


def test_public_page_only_after_approval_and_without_login(client, definitions, people):
    plan = make_plan(people["staff"])
    fill_plan(plan)
    task = approve_to_director(plan, people)
    plan.refresh_from_db()
    assert not plan.public_slug
    director = people["director"]
    plan_decide(
        plan=plan, task=task, user=director, outcome="approve", signed_name=director.display_name
    )
    plan.refresh_from_db()
    response = client.get(reverse("workplans:public", args=[plan.public_slug]))
    assert response.status_code == 200
    assert plan.title in response.text
    assert "175,500.50" in response.text
    assert director.display_name in response.text
    # People by full name and position, never by login (an owner typed as a login name too).
    staff = people["staff"]
    type(staff).objects.filter(pk=staff.pk).update(
        title="นาย", first_name="สมชาย", last_name="ใจดี", position="นักวิชาการคอมพิวเตอร์"
    )
    plan.projects.update(owner=staff.username)
    response = client.get(reverse("workplans:public", args=[plan.public_slug]))
    assert "นายสมชาย ใจดี (นักวิชาการคอมพิวเตอร์)" in response.text
    assert f": {staff.username}" not in response.text
    # The public PDF is rendered by a worker (here at once) the first time it is asked for.
    with eager_worker():
        preparing = client.get(reverse("workplans:public_pdf", args=[plan.public_slug]))
    assert preparing.status_code == 202
    pdf = client.get(reverse("workplans:public_pdf", args=[plan.public_slug]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("workplans:public", args=["no-such-plan"])).status_code == 404
    # Publishing the plan keeps the page up.
    task = work_until(plan, "publish", people["staff"])
    task_complete(task=task, user=people["staff"], outcome="done", data={"channels": "เว็บไซต์"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PUBLISHED
    assert client.get(reverse("workplans:public", args=[plan.public_slug])).status_code == 200


def test_plan_pdf_is_a_pdf_for_readers_only(client, definitions, people):
    plan = make_plan(people["staff"])
    client.force_login(people["director"])
    response = fetch_pdf(client, reverse("workplans:pdf", args=[plan.pk]))
    assert response.content.startswith(b"%PDF")
    client.force_login(people["school_user"])
    assert client.get(reverse("workplans:pdf", args=[plan.pk])).status_code == 404
    # Nor the director's file, by its own address.
    assert client.get(reverse("files:download", args=[response.job.pk])).status_code == 404


def test_attachments_are_checked_by_content(client, definitions, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = make_plan(people["staff"])
    client.force_login(people["staff"])
    url = reverse("workplans:attachment_add", args=[plan.pk])
    fake = SimpleUploadedFile("คำสั่ง.pdf", b"MZ not a pdf", "application/pdf")
    client.post(url, {"label": "คำสั่ง", "files": fake})
    assert not plan.attachments.exists()
    real = SimpleUploadedFile("คำสั่ง.pdf", b"%PDF-1.4 real", "application/pdf")
    client.post(url, {"label": "คำสั่ง", "files": real})
    attachment = plan.attachments.get()
    assert (
        client.get(reverse("workplans:attachment", args=[plan.pk, attachment.pk])).status_code
        == 200
    )
    client.force_login(people["director"])
    response = client.post(reverse("workplans:attachment_delete", args=[plan.pk, attachment.pk]))
    assert response.status_code == 403


def test_plan_create_refuses_people_outside_the_group(definitions, people):
    with pytest.raises(PermissionDenied):
        make_plan(people["director"])


def test_reading_view_queries_do_not_grow_with_the_plan(
    client, definitions, people, school, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = make_plan(people["staff"])
    fill_plan(plan)
    client.force_login(people["director"])
    url = reverse("workplans:read", args=[plan.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for project in plan.projects.all():
        for n in range(5):
            activity = project.activities.create(name=f"เพิ่ม {n}", owner="ง", budget=1000)
            activity.target_schools.add(school)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
