"""Repair tickets: filing from a school, the desk's work on the engine, school isolation."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Office, Role, School
from accounts.services import user_create
from core.thaitime import add_working_days
from processes.definitions import definition_import
from processes.models import Case, Task
from processes.services import due_date_pass, task_complete
from repairs.models import Asset, RepairTicket
from repairs.services import ticket_file, ticket_triage

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "processes" / "repair-ticket.json"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def photo(name="jam.jpg", content=JPEG):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.fixture(autouse=True)
def repair_definition(db):
    return definition_import(json.loads(FIXTURE.read_text("utf-8"))).definition


@pytest.fixture
def other_school(office):
    return School.objects.create(
        office=office,
        obec_code="1090010002",
        smis_code="90010002",
        name_th="โรงเรียนบ้านอื่น",
        district="เมือง",
    )


@pytest.fixture
def teacher_b(other_school):
    return user_create(
        username="teacher_b",
        password="x",
        office=other_school.office,
        school=other_school,
        roles=[Role.objects.get(code="school_user")],
    )


@pytest.fixture
def outsider(db):
    office = Office.objects.create(code="9009", name_th="สพม.อื่น", kind=Office.Kind.SECONDARY)
    return user_create(
        username="far", password="x", office=office, roles=[Role.objects.get(code="staff")]
    )


def file_one(people, school, **extra):
    values = {
        "requester": people["school_user"],
        "school": school,
        "category": "projector",
        "symptom": "โปรเจกเตอร์เปิดไม่ติด",
        "location": "ห้อง ป.6/1",
        "urgency": "high",
        "contact_phone": "081-234-5678",
        "asset_number_text": "7440-001-0001/65",
    }
    values.update(extra)
    return ticket_file(**values)


def current(ticket):
    return ticket.case.tasks.select_related("step").get(status=Task.Status.OPEN)


def test_a_school_files_a_request_with_a_photo(people, school):
    ticket = file_one(people, school, uploads=[photo()])
    assert ticket.reference.startswith("RP-25")
    assert ticket.status == RepairTicket.Status.NEW
    assert ticket.attachments.get().content_type == "image/jpeg"
    assert ticket.response_due_at and ticket.resolve_due_on
    assert current(ticket).step.key == "triage"


def test_a_school_cannot_file_for_another_school(people, other_school):
    with pytest.raises(PermissionDenied):
        file_one(people, other_school)


def test_an_asset_of_another_school_is_refused_and_nothing_is_kept(people, school, other_school):
    foreign = Asset.objects.create(office=school.office, school=other_school, category="projector")
    with pytest.raises(ValidationError) as error:
        file_one(people, school, asset=foreign)
    assert "asset" in error.value.message_dict
    assert not Case.objects.exists() and not RepairTicket.objects.exists()


def test_the_service_asks_which_machine_unless_the_trouble_has_none(people, school):
    """The rule is the service's, so every way of filing a ticket keeps it, not only the form."""
    with pytest.raises(ValidationError) as error:
        file_one(people, school, asset_number_text="", serial_text="  ")
    assert "asset_number_text" in error.value.message_dict
    assert not RepairTicket.objects.exists()
    assert file_one(people, school, asset_number_text="", serial_text="SN-1").serial_text == "SN-1"
    assert file_one(people, school, category="network", asset_number_text="").pk


@pytest.mark.parametrize(
    "uploads",
    [
        [photo("virus.jpg", b"MZ\x90\x00" + b"\x00" * 60)],  # an .exe renamed
        [photo("big.jpg", JPEG + b"\x00" * (5 * 1024 * 1024))],
        [photo(f"{i}.jpg") for i in range(6)],
        [photo("notes.docx", b"PK\x03\x04")],
    ],
    ids=["disguised", "oversized", "too-many", "wrong-type"],
)
def test_bad_uploads_are_refused_and_nothing_is_kept(people, school, uploads):
    with pytest.raises(ValidationError) as error:
        file_one(people, school, uploads=uploads)
    assert "files" in error.value.message_dict
    assert not RepairTicket.objects.exists() and not Case.objects.exists()


def test_from_triage_to_confirmation_with_a_purchase_over_the_director_threshold(people, school):
    asset = Asset.objects.create(office=school.office, school=school, category="projector")
    ticket = file_one(people, school, asset=asset)
    ticket = ticket_triage(
        ticket=ticket, user=people["group_head"], priority="high", technician=people["staff2"]
    )
    assert ticket.first_response_at is not None
    diagnose = current(ticket)
    assert (diagnose.step.key, diagnose.assignee) == ("diagnose", people["staff2"])
    asset.refresh_from_db()
    assert asset.status == Asset.Status.IN_REPAIR

    task_complete(
        task=diagnose, user=people["staff2"], outcome="purchase", data={"finding": "หลอดขาด"}
    )
    task_complete(
        task=current(ticket),
        user=people["staff2"],
        outcome="done",
        data={"items": "หลอดภาพ", "cost": "15000"},
    )
    ticket.refresh_from_db()
    assert ticket.status == RepairTicket.Status.AWAITING_APPROVAL
    task_complete(task=current(ticket), user=people["group_head"], outcome="approve")
    task_complete(task=current(ticket), user=people["director"], outcome="approve")  # > 10,000
    ticket.refresh_from_db()
    assert ticket.status == RepairTicket.Status.WAITING
    task_complete(task=current(ticket), user=people["staff2"], outcome="done")
    task_complete(
        task=current(ticket),
        user=people["staff2"],
        outcome="done",
        data={"resolution": "เปลี่ยนหลอดแล้ว"},
    )
    ticket.refresh_from_db()
    assert ticket.status == RepairTicket.Status.RESOLVED

    confirm = current(ticket)
    assert confirm.role == "requester"
    task_complete(
        task=confirm,
        user=people["school_user"],
        outcome="accepted",
        data={"rating": "4", "feedback": "รวดเร็ว"},
    )
    ticket.refresh_from_db()
    asset.refresh_from_db()
    assert (ticket.status, ticket.satisfaction) == (RepairTicket.Status.CLOSED, 4)
    assert asset.status == Asset.Status.IN_USE


def test_an_unconfirmed_repair_closes_after_five_working_days(people, school, monkeypatch):
    monkeypatch.setattr(
        timezone, "now", lambda: timezone.make_aware(datetime.datetime(2026, 11, 23, 9))
    )
    ticket = file_one(people, school)
    ticket_triage(
        ticket=ticket, user=people["staff"], priority="normal", technician=people["staff"]
    )
    task_complete(
        task=current(ticket), user=people["staff"], outcome="repair", data={"finding": "สายหลวม"}
    )
    task_complete(
        task=current(ticket),
        user=people["staff"],
        outcome="done",
        data={"resolution": "เสียบสายใหม่"},
    )
    due_date_pass(today=datetime.date(2026, 11, 27))
    assert current(ticket).step.key == "confirm"
    due_date_pass(today=datetime.date(2026, 11, 30))  # five working days after Monday 23rd
    ticket.refresh_from_db()
    assert ticket.status == RepairTicket.Status.CLOSED


def test_the_triage_form_needs_office_staff_as_technician(people, school):
    ticket = file_one(people, school)
    with pytest.raises(ValidationError):
        ticket_triage(
            ticket=ticket,
            user=people["group_head"],
            priority="high",
            technician=people["school_user"],
        )


@pytest.mark.parametrize(
    "who, status",
    [
        ("school_user", 200),
        ("teacher_b", 404),
        ("staff", 200),
        ("director", 200),
        ("outsider", 404),
    ],
)
def test_ticket_pages_and_files_are_kept_within_the_school(
    client, people, school, teacher_b, outsider, who, status
):
    ticket = file_one(people, school, uploads=[photo()])
    user = {"teacher_b": teacher_b, "outsider": outsider}.get(who) or people[who]
    client.force_login(user)
    assert client.get(ticket.get_absolute_url()).status_code == status
    attachment = reverse("repairs:attachment", args=[ticket.attachments.get().pk])
    assert client.get(attachment).status_code == status
    comment = client.post(reverse("repairs:comment", args=[ticket.reference]), {"body": "สอบถาม"})
    assert comment.status_code == (302 if status == 200 else 404)


@pytest.mark.parametrize(
    "who, status",
    [
        ("school_user", 403),
        ("teacher_b", 404),
        ("staff", 302),
        ("group_head", 302),
        ("outsider", 404),
    ],
)
def test_only_the_office_triages(client, people, school, teacher_b, outsider, who, status):
    ticket = file_one(people, school)
    user = {"teacher_b": teacher_b, "outsider": outsider}.get(who) or people[who]
    client.force_login(user)
    response = client.post(
        reverse("repairs:triage", args=[ticket.reference]),
        {"priority": "high", "technician": people["staff"].pk},
    )
    assert response.status_code == status


def test_lists_show_each_school_only_its_own(client, people, school, teacher_b, other_school):
    mine = file_one(people, school)
    theirs = file_one(people, other_school, requester=teacher_b)
    client.force_login(people["school_user"])
    page = client.get(reverse("repairs:index")).text
    assert mine.reference in page and theirs.reference not in page
    client.force_login(people["staff"])
    page = client.get(reverse("repairs:index"), {"q": "โปรเจกเตอร์", "status": "open"}).text
    assert mine.reference in page and theirs.reference in page


def test_filing_through_the_page_keeps_what_was_typed_on_error(client, people, school):
    client.force_login(people["school_user"])
    response = client.post(
        reverse("repairs:new"),
        {
            "category": "computer",
            "symptom": "เปิดไม่ติด",
            "location": "",
            "urgency": "normal",
            "contact_phone": "0812345678",
        },
    )
    assert response.status_code == 200
    assert "เปิดไม่ติด" in response.text
    assert not RepairTicket.objects.exists()
    response = client.post(
        reverse("repairs:new"),
        {
            "category": "computer",
            "symptom": "เปิดไม่ติด",
            "location": "ห้องคอม",
            "urgency": "normal",
            "contact_phone": "0812345678",
            "asset_number_text": "7440-1",
            "school": school.pk,
            "files": [photo()],
        },
    )
    ticket = RepairTicket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    assert ticket.school == school and ticket.attachments.count() == 1


@pytest.mark.parametrize("who, status", [("group_head", 302), ("staff", 403), ("school_user", 403)])
def test_bulk_assign_is_the_group_heads(client, people, school, who, status):
    new = file_one(people, school)
    started = file_one(people, school)
    ticket_triage(
        ticket=started, user=people["group_head"], priority="normal", technician=people["staff"]
    )
    client.force_login(people[who])
    response = client.post(
        reverse("repairs:bulk_assign"),
        {
            "tickets": [new.pk, started.pk],
            "technician": people["staff2"].pk,
            "back": "https://evil.example/",
        },
    )
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == reverse("repairs:index")  # no open redirect
        new.refresh_from_db()
        assert new.technician == people["staff2"] and new.first_response_at
        assert current(started).assignee == people["staff2"]
    else:
        assert current(new).step.key == "triage"


def test_the_hourly_target_check_tells_the_group_head_once(people, school):
    from processes.models import Notification
    from repairs.services import service_target_pass

    ticket = file_one(people, school)
    later = ticket.response_due_at + datetime.timedelta(minutes=1)
    assert service_target_pass(now=ticket.response_due_at)["response"] == 0
    assert service_target_pass(now=later)["response"] == 1
    service_target_pass(now=later)
    late = Notification.objects.filter(kind="ticket_response_late")
    assert list(late.values_list("recipient", flat=True)) == [people["group_head"].pk]
    ticket_triage(
        ticket=ticket, user=people["group_head"], priority="high", technician=people["staff"]
    )
    assert service_target_pass(now=later)["response"] == 0


def test_exports_follow_the_filters_and_the_school_and_defuse_formulas(
    client, people, school, teacher_b, other_school
):
    mine = file_one(people, school, symptom='=HYPERLINK("http://x")')
    theirs = file_one(people, other_school, requester=teacher_b, symptom="จอดับ")
    client.force_login(people["school_user"])
    body = client.get(reverse("repairs:export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert mine.reference in body and theirs.reference not in body
    assert "'=HYPERLINK" in body  # the cell is text, not a formula
    assert body.splitlines()[0].startswith("เลขที่ใบแจ้งซ่อม")
    client.force_login(people["staff"])
    body = client.get(reverse("repairs:export"), {"format": "csv", "q": "จอดับ"}).content.decode(
        "utf-8-sig"
    )
    assert theirs.reference in body and mine.reference not in body
    xlsx = client.get(reverse("repairs:export"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_ticket_list_and_page_queries_do_not_grow(client, people, school):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    first = file_one(people, school, uploads=[photo()])
    file_one(people, school)
    client.force_login(people["staff"])
    urls = [reverse("repairs:index"), first.get_absolute_url()]
    small = [count(url) for url in urls]
    for _ in range(8):
        ticket = file_one(people, school)
        ticket_triage(
            ticket=ticket, user=people["group_head"], priority="high", technician=people["staff"]
        )
    assert [count(url) for url in urls] == small


def test_the_school_hears_of_every_status_change_and_sees_the_target_state(
    people, school, monkeypatch
):
    from processes.models import DueState, Notification

    ticket = file_one(people, school)
    assert ticket.resolve_due_state == DueState.ON_TIME
    ticket_triage(
        ticket=ticket, user=people["group_head"], priority="high", technician=people["staff"]
    )
    task_complete(
        task=current(ticket), user=people["staff"], outcome="repair", data={"finding": "x"}
    )
    task_complete(
        task=current(ticket), user=people["staff"], outcome="done", data={"resolution": "y"}
    )
    told = Notification.objects.filter(recipient=people["school_user"], kind="ticket_status")
    assert told.count() == 2  # in progress, then resolved awaiting confirmation
    ticket.refresh_from_db()
    assert ticket.resolve_due_state == DueState.CLOSED  # resolved: no longer counted
    later = ticket.resolve_due_on + datetime.timedelta(days=30)
    RepairTicket.objects.filter(pk=ticket.pk).update(status=RepairTicket.Status.IN_PROGRESS)
    ticket.refresh_from_db()
    monkeypatch.setattr(timezone, "localdate", lambda *a: later)
    assert ticket.resolve_due_state == DueState.OVERDUE


def test_waiting_on_the_school_stops_the_repair_clock(people, school, monkeypatch):
    from processes.models import DueState
    from processes.services import task_pause, task_resume

    moment = {"now": timezone.make_aware(datetime.datetime(2026, 11, 23, 9))}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    ticket = file_one(people, school)
    ticket_triage(
        ticket=ticket, user=people["group_head"], priority="high", technician=people["staff"]
    )
    ticket.refresh_from_db()
    due = ticket.resolve_due_on
    task_pause(task=current(ticket), user=people["staff"], reason="รอโรงเรียนเปิดห้อง")
    ticket.refresh_from_db()
    assert ticket.resolve_due_state == DueState.PAUSED
    moment["now"] = timezone.make_aware(datetime.datetime(2026, 11, 25, 9))  # two working days
    task_resume(task=current(ticket), user=people["staff"])
    ticket.refresh_from_db()
    assert ticket.paused_working_days == 2
    assert ticket.resolve_due_on == add_working_days(due, 2)


def test_demo_repairs_are_created_once(db):
    from django.core.management import call_command

    call_command("load_catalogue", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_repairs", verbosity=0)
    call_command("seed_demo_repairs", verbosity=0)
    assert RepairTicket.objects.count() == 3
    assert RepairTicket.objects.filter(technician__username="staff1").count() == 1
