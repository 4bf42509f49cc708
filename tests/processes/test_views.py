"""The engine's screens, for every role: who sees what, who may change what."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Office, Role, RoleCode
from accounts.services import user_create
from processes.models import Case, Task
from processes.services import case_start, task_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(db):
    """Staff of another office: must never see or touch this office's cases."""
    other = Office.objects.create(code="9002", name_th="สพป.อื่น", kind=Office.Kind.PRIMARY)
    return user_create(
        username="outsider", password="x", office=other, roles=[Role.objects.get(code="staff")]
    )


@pytest.fixture
def admin_user(office):
    return user_create(
        username="admin",
        password="x",
        office=office,
        is_superuser=True,
        roles=[Role.objects.get(code=RoleCode.ADMIN)],
    )


@pytest.fixture
def case(plan_definition, people):
    return case_start(definition=plan_definition, requester=people["staff"], title="แผนดิจิทัล 2570")


def at_approval(case, people):
    task_complete(
        task=case.tasks.get(), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )
    return case.tasks.get(status=Task.Status.OPEN)


def test_anonymous_users_are_sent_to_login(client, case):
    for url in (reverse("processes:my_tasks"), reverse("processes:inbox"), case.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_my_tasks_lists_the_roles_work(client, case, people):
    client.force_login(people["staff2"])
    response = client.get(reverse("processes:my_tasks"))
    assert response.status_code == 200
    assert case.reference in response.text
    client.force_login(people["director"])
    assert case.reference not in client.get(reverse("processes:my_tasks")).text


def test_my_tasks_filters_by_state(client, case, people):
    client.force_login(people["staff"])
    response = client.get(reverse("processes:my_tasks"), {"state": "overdue"})
    assert case.reference not in response.text
    response = client.get(reverse("processes:my_tasks"), {"state": "junk", "sort": "junk"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "role, status",
    [
        ("staff", 200),
        ("group_head", 200),
        ("director", 200),
        ("school_user", 404),  # not their school's case
        ("outsider", 404),
        ("admin", 200),
    ],
)
def test_case_page_visibility(client, case, people, outsider, admin_user, role, status):
    user = {"outsider": outsider, "admin": admin_user}.get(role) or people[role]
    client.force_login(user)
    assert client.get(case.get_absolute_url()).status_code == status


@pytest.mark.parametrize(
    "role, status",
    [
        ("school_user", 404),
        ("staff", 403),
        ("deputy_director", 403),
        ("director", 403),  # the group head decides first
        ("outsider", 404),
        ("admin", 403),
    ],
)
def test_only_the_current_approver_may_decide(
    client, case, people, outsider, admin_user, role, status
):
    task = at_approval(case, people)
    user = {"outsider": outsider, "admin": admin_user}.get(role) or people[role]
    client.force_login(user)
    response = client.post(reverse("processes:decide", args=[task.pk]), {"outcome": "approve"})
    assert response.status_code == status
    task.refresh_from_db()
    assert task.is_open


def test_group_head_approves_from_the_inbox(client, case, people):
    task = at_approval(case, people)
    client.force_login(people["group_head"])
    inbox = client.get(reverse("processes:inbox"))
    assert case.reference in inbox.text
    response = client.post(
        reverse("processes:decide", args=[task.pk]), {"outcome": "approve", "next": "inbox"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("processes:inbox")
    assert case.tasks.get(status=Task.Status.OPEN).role == "director"


def test_returning_without_a_comment_shows_a_thai_error_and_keeps_the_choice(client, case, people):
    task = at_approval(case, people)
    client.force_login(people["group_head"])
    response = client.post(
        reverse("processes:decide", args=[task.pk]), {"outcome": "return", "comment": ""}
    )
    assert response.status_code == 400
    form = response.context["panels"][0]["form"]
    assert form["outcome"].value() == "return"  # what was chosen is kept
    assert form.errors["comment"]
    task.refresh_from_db()
    assert task.is_open


def test_staff_form_errors_keep_what_was_typed(client, case, people):
    task = case.tasks.get()
    client.force_login(people["staff"])
    response = client.post(
        reverse("processes:decide", args=[task.pk]), {"outcome": "done", "summary": ""}
    )
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.is_open


def test_second_decision_gets_a_clear_message(client, case, people):
    task = at_approval(case, people)
    task_complete(task=task, user=people["group_head"], outcome="approve")
    client.force_login(people["group_head"])
    response = client.post(
        reverse("processes:decide", args=[task.pk]),
        {"outcome": "reject", "comment": "x"},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages and "head" in messages[0]


@pytest.mark.parametrize(
    "role, allowed",
    [("group_head", True), ("staff", True), ("director", False), ("school_user", False)],
)
def test_assigning_a_staff_task(client, case, people, role, allowed):
    task = case.tasks.get()
    client.force_login(people[role])
    response = client.post(
        reverse("processes:assign", args=[task.pk]), {"assignee": people["staff2"].pk}
    )
    task.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert task.assignee == people["staff2"]
    else:
        assert response.status_code in (403, 404)
        assert task.assignee is None


@pytest.mark.parametrize("role, status", [("staff", 302), ("director", 403), ("school_user", 404)])
def test_pausing_a_task(client, case, people, role, status):
    task = case.tasks.get()
    client.force_login(people[role])
    response = client.post(reverse("processes:pause", args=[task.pk]), {"reason": "รอผู้ขาย"})
    assert response.status_code == status
    task.refresh_from_db()
    assert task.is_paused == (status == 302)


@pytest.mark.parametrize(
    "role, status", [("staff", 302), ("group_head", 302), ("school_user", 403), ("outsider", 302)]
)
def test_starting_a_case(client, plan_definition, people, outsider, role, status):
    user = outsider if role == "outsider" else people[role]
    client.force_login(user)
    url = reverse("processes:start", args=[plan_definition.code])
    response = client.post(url, {"title": "แผนใหม่"})
    assert response.status_code == status
    if status == 302:
        case = Case.objects.get(title="แผนใหม่")
        # A case always belongs to the starter's own office.
        assert case.office_id == user.office_id


def test_starting_a_case_without_a_title_explains(client, plan_definition, people):
    client.force_login(people["staff"])
    response = client.post(reverse("processes:start", args=[plan_definition.code]), {"title": ""})
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_catalogue_and_flowchart(client, plan_definition, people):
    client.force_login(people["school_user"])
    response = client.get(reverse("processes:catalogue"))
    assert plan_definition.title_th in response.text
    detail = client.get(plan_definition.get_absolute_url())
    assert detail.status_code == 200
    assert "<svg" in detail.text and "เสนอ ผอ.สพท. พิจารณาอนุมัติ" in detail.text
    assert reverse("processes:start", args=[plan_definition.code]) not in detail.text


def test_page_queries_do_not_grow_with_the_number_of_cases(client, plan_definition, people):
    client.force_login(people["group_head"])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add_cases(n):
        for _ in range(n):
            case = case_start(definition=plan_definition, requester=people["staff"], title="แผน")
            at_approval(case, people)

    add_cases(2)
    first_case = Case.objects.order_by("pk").first().get_absolute_url()
    urls = (reverse("processes:my_tasks"), reverse("processes:inbox"), first_case)
    small = {url: count(url) for url in urls}
    add_cases(8)
    large = {url: count(url) for url in small}
    assert small == large


def test_my_tasks_pages_a_long_list_most_urgent_first(client, plan_definition, people):
    import datetime

    from django.utils import timezone

    cases = [
        case_start(definition=plan_definition, requester=people["staff"], title=f"แผน {n}")
        for n in range(60)
    ]
    overdue = cases[-1].tasks.get()
    Task.objects.filter(pk=overdue.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    client.force_login(people["staff"])
    first = client.get(reverse("processes:my_tasks")).text
    assert first.count("list-group-item") >= 50 and "60" in first
    assert overdue.case.reference in first  # overdue work on the first page
    second = client.get(reverse("processes:my_tasks"), {"page": 2}).text
    assert "2 / 2" in second
    assert overdue.case.reference not in second
    listed = sum(c.reference in first + second for c in cases)
    assert listed == 60
