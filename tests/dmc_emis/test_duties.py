"""Data duties without an import (EMIS, B-OBEC, M-OBEC, จปฐ., กชช.๒ค, provincial statistics,
the school e-map) as rounds of the same machinery: four statuses, no invented deadline,
responsible staff, the school's part from its own page, the office's check, and reminders."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Office
from dmc_emis.models import (
    DUTY_STATUSES,
    IMPORT_STATUSES,
    STAGE_OF,
    Round,
    RoundKind,
    RoundSchool,
    RoundTemplate,
    SchoolStatus,
    has_import,
    statuses_of,
)
from dmc_emis.services import (
    import_upload,
    round_open,
    round_reminders,
    round_set_responsible,
    rounds_create_for_next_year,
)
from processes.definitions import definition_import
from processes.models import CaseEvent, Notification, Task
from processes.services import task_complete
from tests.factories import make_user

from .conftest import FIXTURES
from .helpers import COUNT_HEADER, csv_upload

pytestmark = pytest.mark.django_db

DUTY_KINDS = ["emis", "b_obec", "m_obec", "basic_needs", "village_2c", "prov_stats", "school_emap"]


def elsewhere_staff():
    """Staff of another office (an office of its own, whatever the factories' sequences)."""
    other = Office.objects.create(code="9990", name_th="สพป.อื่น", kind=Office.Kind.PRIMARY)
    return make_user("staff", office=other, username="elsewhere")


@pytest.fixture
def duty_process(round_processes):
    definition_import(json.loads((FIXTURES / "data-duty.json").read_text("utf-8")))


@pytest.fixture
def duty(office):
    """The school e-map duty of 2569: no manual date, so no deadline until the office sets one."""
    return Round.objects.create(
        office=office, kind="school_emap", academic_year=2569, title="แผนที่ตำแหน่งโรงเรียน 2569"
    )


@pytest.fixture
def open_duty(duty, duty_process, people, school, other_school, teacher_b):
    round_open(
        round_=duty,
        user=people["staff"],
        deadline_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    duty.refresh_from_db()
    return duty


def entry_of(round_, school):
    return RoundSchool.objects.select_related("case").get(round=round_, school=school)


def open_task(entry):
    return entry.case.tasks.select_related("step").get(status=Task.Status.OPEN)


# ---------------------------------------------------------------------------
# Kinds, statuses and the yearly calendar
# ---------------------------------------------------------------------------


def test_each_kind_declares_an_import_or_a_simple_duty():
    assert {k for k in RoundKind.values if has_import(k)} == {"dmc_term1", "dmc_term2", "year_end"}
    for kind in DUTY_KINDS:
        assert statuses_of(kind) == DUTY_STATUSES
        assert [s.label for s in DUTY_STATUSES] == [
            "ยังไม่เริ่ม",
            "กำลังดำเนินการ",
            "โรงเรียนส่งข้อมูลแล้ว",
            "ตรวจแล้ว",
        ]
    assert statuses_of("dmc_term1") == IMPORT_STATUSES and len(IMPORT_STATUSES) == 8
    # Every status, of either subset, falls on one of the four stages of the map and board.
    assert set(STAGE_OF) == set(SchoolStatus.values)


def test_dateless_duties_get_yearly_rounds_without_a_deadline_and_their_staff(office, people):
    other_office_staff = elsewhere_staff()
    template = RoundTemplate.objects.get(kind="basic_needs")
    template.responsible_staff.set([people["staff"], other_office_staff])
    rounds_create_for_next_year(today=datetime.date(2026, 11, 1))
    created = Round.objects.get(office=office, kind="basic_needs", academic_year=2569)
    assert created.deadline_on is None and created.opens_on is None
    assert created.milestone_dates() == []
    # Only the template's staff of this office follow this office's round.
    assert list(created.responsible_staff.all()) == [people["staff"]]
    for kind in DUTY_KINDS:
        assert Round.objects.filter(office=office, kind=kind, academic_year=2570).exists(), kind
    # The manuals' dates stay: DMC term 1 is as of 10 June.
    dmc = Round.objects.get(office=office, kind="dmc_term1", academic_year=2570)
    assert dmc.deadline_on == datetime.date(2027, 6, 10)


def test_a_dateless_round_opens_only_with_the_deadline_the_office_sets(
    duty, duty_process, people, school
):
    with pytest.raises(ValidationError):
        round_open(round_=duty, user=people["staff"])
    with pytest.raises(ValidationError):
        round_open(
            round_=duty,
            user=people["staff"],
            deadline_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert not RoundSchool.objects.filter(round=duty).exists()
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    added = round_open(round_=duty, user=people["staff"], deadline_on=deadline)
    duty.refresh_from_db()
    assert added == 1 and duty.deadline_on == deadline and duty.is_open
    entry = entry_of(duty, school)
    assert entry.status == SchoolStatus.NOT_STARTED
    assert entry.case.version.definition.code == "data-duty"
    # The school's step runs until the deadline the office set; no round acknowledgement.
    assert open_task(entry).due_on == deadline
    assert duty.ack_case_id is None


def test_the_open_form_asks_for_the_deadline_and_keeps_what_was_typed(
    client, duty, duty_process, people, school
):
    client.force_login(people["staff"])
    url = reverse("dmc_emis:open", args=[duty.pk])
    response = client.post(url, {"deadline_on": "31/02/2569"})
    assert response.status_code == 400
    assert "31/02/2569" in response.content.decode()
    response = client.post(url, {"deadline_on": "01/01/2560"})
    assert response.status_code == 400
    assert "ย้อนหลัง" in response.content.decode()
    assert not RoundSchool.objects.filter(round=duty).exists()
    response = client.post(url, {"deadline_on": "20/12/2569"})
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.deadline_on == datetime.date(2026, 12, 20)


def test_a_duty_has_no_import(open_duty, people):
    with pytest.raises(ValidationError):
        import_upload(
            round_=open_duty,
            user=people["staff"],
            upload=csv_upload([COUNT_HEADER, ["1090010001", "ป.1", 1, 1]]),
        )


# ---------------------------------------------------------------------------
# The school's part and the office's check, through the engine
# ---------------------------------------------------------------------------


def test_start_submit_check_and_send_back_move_the_four_statuses(open_duty, people, school):
    entry = entry_of(open_duty, school)
    task_complete(task=open_task(entry), user=people["school_user"], outcome="done")
    entry.refresh_from_db()
    assert entry.status == SchoolStatus.IN_PROGRESS
    evidence = SimpleUploadedFile("map.pdf", b"%PDF-1.4 evidence", "application/pdf")
    task_complete(
        task=open_task(entry),
        user=people["school_user"],
        outcome="done",
        data={"note": "ปรับพิกัดแล้ว"},
        files=[("evidence", evidence)],
    )
    entry.refresh_from_db()
    assert entry.status == SchoolStatus.SUBMITTED
    check = open_task(entry)
    assert check.step.key == "office_check"
    with pytest.raises(ValidationError):  # sending back needs a note
        task_complete(task=check, user=people["staff"], outcome="return")
    task_complete(task=check, user=people["staff"], outcome="return", comment="พิกัดยังไม่ตรง")
    entry.refresh_from_db()
    assert entry.status == SchoolStatus.IN_PROGRESS
    task_complete(task=open_task(entry), user=people["school_user"], outcome="done")
    task_complete(task=open_task(entry), user=people["staff"], outcome="checked")
    entry.refresh_from_db()
    assert entry.status == SchoolStatus.CHECKED
    assert not entry.case.is_open
    # Every move is an audit row: who, which step, which decision, the note.
    decided = CaseEvent.objects.filter(case=entry.case, kind=CaseEvent.Kind.DECIDED)
    assert list(decided.order_by("pk").values_list("outcome", flat=True)) == [
        "done",
        "done",
        "return",
        "done",
        "checked",
    ]
    assert decided.get(outcome="return").comment == "พิกัดยังไม่ตรง"
    assert entry.case.data["school_submit"]["note"] == "ปรับพิกัดแล้ว"
    assert entry.case.tasks.get(step__key="school_submit", outcome="done", files__isnull=False)
    # A status outside the kind's four is never written.
    assert set(RoundSchool.objects.values_list("status", flat=True)) <= set(DUTY_STATUSES)


def test_the_check_goes_to_the_one_responsible_staff_member(duty, duty_process, people, school):
    round_set_responsible(round_=duty, user=people["group_head"], staff=[people["staff2"]])
    round_open(
        round_=duty,
        user=people["staff"],
        deadline_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    entry = entry_of(duty, school)
    task_complete(task=open_task(entry), user=people["school_user"], outcome="done")
    task_complete(task=open_task(entry), user=people["school_user"], outcome="done")
    check = open_task(entry)
    assert check.assignee == people["staff2"]
    with pytest.raises(PermissionDenied):
        task_complete(task=check, user=people["staff"], outcome="checked")
    task_complete(task=check, user=people["staff2"], outcome="checked")


def test_responsible_staff_are_of_the_office_and_set_by_its_ict_staff(duty, people):
    elsewhere = elsewhere_staff()
    with pytest.raises(ValidationError):
        round_set_responsible(round_=duty, user=people["staff"], staff=[elsewhere])
    with pytest.raises(PermissionDenied):
        round_set_responsible(round_=duty, user=people["director"], staff=[people["staff"]])
    with pytest.raises(ValidationError):  # a school's teacher is not office staff
        round_set_responsible(round_=duty, user=people["staff"], staff=[people["school_user"]])
    round_set_responsible(round_=duty, user=people["staff"], staff=[people["staff2"]])
    assert list(duty.responsible_staff.all()) == [people["staff2"]]


ROLES = [
    "school_user",
    "school_director",
    "teacher_b",
    "staff",
    "group_head",
    "director",
    "admin",
    "outsider",
]


def actor(who, people, teacher_b, admin_user, outsider):
    extra = {"teacher_b": teacher_b, "admin": admin_user, "outsider": outsider}
    return extra.get(who) or people[who]


def decide(client, task, **data):
    return client.post(reverse("processes:decide", args=[task.pk]), data)


@pytest.mark.parametrize(
    "who, status",
    list(zip(ROLES, [302, 403, 404, 403, 403, 403, 403, 404], strict=True)),
)
def test_only_the_school_user_submits_its_part(
    client, people, teacher_b, admin_user, outsider, open_duty, school, who, status
):
    entry = entry_of(open_duty, school)
    task_complete(task=open_task(entry), user=people["school_user"], outcome="done")
    client.force_login(actor(who, people, teacher_b, admin_user, outsider))
    evidence = SimpleUploadedFile("e.pdf", b"%PDF-1.4 x", "application/pdf")
    response = decide(client, open_task(entry), outcome="done", note="ส่งแล้ว", evidence=evidence)
    assert response.status_code == status
    entry.refresh_from_db()
    expected = SchoolStatus.SUBMITTED if status == 302 else SchoolStatus.IN_PROGRESS
    assert entry.status == expected


@pytest.mark.parametrize(
    "who, status",
    list(zip(ROLES, [403, 403, 404, 302, 302, 403, 403, 404], strict=True)),
)
def test_the_office_staff_check_a_submission(
    client, people, teacher_b, admin_user, outsider, open_duty, school, who, status
):
    entry = entry_of(open_duty, school)
    for _step in range(2):
        task_complete(task=open_task(entry), user=people["school_user"], outcome="done")
    client.force_login(actor(who, people, teacher_b, admin_user, outsider))
    response = decide(client, open_task(entry), outcome="checked", comment="")
    assert response.status_code == status
    entry.refresh_from_db()
    expected = SchoolStatus.CHECKED if status == 302 else SchoolStatus.SUBMITTED
    assert entry.status == expected


def test_sending_back_without_a_note_is_refused_on_the_page(client, people, open_duty, school):
    entry = entry_of(open_duty, school)
    for _step in range(2):
        task_complete(task=open_task(entry), user=people["school_user"], outcome="done")
    client.force_login(people["staff"])
    response = decide(client, open_task(entry), outcome="return", comment="")
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.status == SchoolStatus.SUBMITTED


@pytest.mark.parametrize(
    "who, status",
    list(zip(ROLES, [403, 403, 403, 302, 302, 403, 302, 404], strict=True)),
)
def test_only_ict_staff_name_the_responsible_staff(
    client, people, teacher_b, admin_user, outsider, open_duty, who, status
):
    client.force_login(actor(who, people, teacher_b, admin_user, outsider))
    response = client.post(
        reverse("dmc_emis:responsible", args=[open_duty.pk]),
        {"responsible_staff": [people["staff2"].pk]},
    )
    assert response.status_code == status
    assert open_duty.responsible_staff.exists() is (status == 302)


def test_a_staff_member_of_another_office_cannot_be_named(client, people, open_duty):
    elsewhere = elsewhere_staff()
    client.force_login(people["staff"])
    response = client.post(
        reverse("dmc_emis:responsible", args=[open_duty.pk]),
        {"responsible_staff": [elsewhere.pk]},
    )
    assert response.status_code == 400
    assert not open_duty.responsible_staff.exists()


def test_the_board_shows_four_statuses_and_the_responsible_staff(client, people, open_duty):
    open_duty.responsible_staff.set([people["staff2"]])
    client.force_login(people["director"])
    body = client.get(open_duty.get_absolute_url()).content.decode()
    for status in DUTY_STATUSES:
        assert f'data-status="{status.value}"' in body
    assert 'data-status="certified"' not in body
    assert "staff2" in body.split("data-responsible", 1)[1].split("</ul>", 1)[0]
    assert reverse("dmc_emis:import_create", args=[open_duty.pk]) not in body


def test_the_school_page_shows_its_task_and_what_was_recorded(client, people, open_duty, school):
    entry = entry_of(open_duty, school)
    task_complete(task=open_task(entry), user=people["school_user"], outcome="done")
    client.force_login(people["school_user"])
    response = client.get(entry.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("processes:decide", args=[open_task(entry).pk]) in body
    assert 'data-entry-status="in_progress"' in body


# ---------------------------------------------------------------------------
# Reminders through the rounds' daily pass
# ---------------------------------------------------------------------------


def test_reminders_go_to_schools_not_submitted_and_to_the_responsible_staff(
    open_duty, people, school, teacher_b
):
    open_duty.responsible_staff.set([people["staff2"]])
    entry = entry_of(open_duty, school)
    for _step in range(2):
        task_complete(task=open_task(entry), user=people["school_user"], outcome="done")
    today = open_duty.deadline_on - datetime.timedelta(days=7)
    counts = round_reminders(today=today)
    assert counts["reminded"] == 1 and counts["staff"] == 1
    reminders = Notification.objects.filter(kind="dmc_reminder")
    # The school that submitted is not reminded; the other one is.
    assert list(reminders.values_list("recipient", flat=True)) == [teacher_b.pk]
    staff_note = Notification.objects.get(kind="duty_staff_reminder")
    assert staff_note.recipient == people["staff2"]
    assert "1" in staff_note.body
    # Idempotent: the same morning again sends nothing more.
    round_reminders(today=today)
    assert (
        Notification.objects.filter(kind__in=["dmc_reminder", "duty_staff_reminder"]).count() == 2
    )
    # Not a reminder day: nothing.
    round_reminders(today=today + datetime.timedelta(days=1))
    assert (
        Notification.objects.filter(kind__in=["dmc_reminder", "duty_staff_reminder"]).count() == 2
    )


def test_a_round_without_a_deadline_reminds_nobody(duty, people):
    duty.responsible_staff.set([people["staff"]])
    duty.opened_at = timezone.now()
    duty.save()
    assert round_reminders(today=timezone.localdate()) == {
        "reminded": 0,
        "staff": 0,
        "summaries": 0,
    }


def test_the_yearly_report_counts_a_checked_duty_school_as_done_on_time(open_duty, people, school):
    from dmc_emis.report_providers import _round_figures

    entry = entry_of(open_duty, school)
    for _step in range(2):
        task_complete(task=open_task(entry), user=people["school_user"], outcome="done")
    task_complete(task=open_task(entry), user=people["staff"], outcome="checked")
    figures = _round_figures([open_duty])[open_duty.pk]
    assert figures["schools"] == 2
    assert figures["certified"] == 1 and figures["on_time"] == 1 and figures["late"] == 0


def test_the_duty_boards_chart_draws_the_four_stages(open_duty):
    from dmc_emis.charts import bands_of

    assert [str(name) for name, _statuses in bands_of(open_duty)] == [
        "ยังไม่เริ่ม",
        "กำลังดำเนินการ",
        "ส่งแล้ว",
        "ตรวจแล้ว",
    ]
    assert [statuses for _name, statuses in bands_of(open_duty)] == [[s] for s in DUTY_STATUSES]


def test_the_rounds_list_shows_a_dateless_duty_without_inventing_a_date(client, duty, people):
    client.force_login(people["staff"])
    response = client.get(reverse("dmc_emis:index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert duty.title in body
    assert "ยังไม่กำหนดวันส่ง" in body
    board = client.get(duty.get_absolute_url()).content.decode()
    assert 'data-countdown="unset"' in board and 'name="deadline_on"' in board
