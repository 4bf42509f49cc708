"""Registers: numbers 1..N exactly once per office, register and year, even when many are taken
at once (PostgreSQL, threads); cancelled numbers stay; register pages for every role."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse

from accounts.models import Office
from documents.models import RegisterEntry, RegisterKind
from documents.services import entry_cancel, number_take
from tests.documents.helpers import office_settings
from tests.reports.helpers import check_workbook

DAY = datetime.date(2026, 12, 3)


def take(office, user=None, day=DAY, kind=RegisterKind.OUTGOING, subject="เรื่องทดสอบ"):
    return number_take(
        office=office,
        kind=kind,
        date=day,
        subject=subject,
        sender="กลุ่ม",
        recipient="ผู้อำนวยการ",
        user=user,
    )


@pytest.mark.django_db
def test_numbers_start_at_one_per_register_and_year(office):
    office_settings(office)
    other = Office.objects.create(code="9002", name_th="สพม.อื่น", kind=Office.Kind.SECONDARY)
    assert [take(office).number for _ in range(3)] == [1, 2, 3]
    assert take(office, kind=RegisterKind.ORDER).display_number == "1/2569"
    assert take(other).number == 1  # another office has its own register
    next_year = take(office, day=datetime.date(2027, 1, 2))
    assert (next_year.year, next_year.number) == (2570, 1)  # 1 January starts again
    assert take(office).display_number == "ศธ 04123.17/4"


@pytest.mark.django_db
def test_a_rolled_back_number_is_taken_again(office):
    take(office)
    with pytest.raises(RuntimeError), transaction.atomic():
        take(office)
        raise RuntimeError("the document failed")
    assert take(office).number == 2  # no gap


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_numbers_taken_at_once_are_one_to_n_exactly_once(office):
    threads_count, per_thread = 12, 5
    barrier = threading.Barrier(threads_count)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            for _ in range(per_thread):
                with transaction.atomic():
                    take(office)
        except Exception as error:  # recorded, asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(RegisterEntry.objects.filter(office=office).values_list("number", flat=True))
    assert numbers == list(range(1, threads_count * per_thread + 1))


@pytest.mark.django_db
def test_a_cancelled_number_stays_with_its_reason(office, people):
    entry = take(office, user=people["staff"])
    with pytest.raises(ValidationError):
        entry_cancel(entry=entry, user=people["staff"], reason="  ")
    with pytest.raises(PermissionDenied):
        entry_cancel(entry=entry, user=people["school_user"], reason="x")
    entry_cancel(entry=entry, user=people["staff"], reason="พิมพ์ผิด ออกเลขใหม่")
    entry.refresh_from_db()
    assert entry.is_cancelled and entry.cancel_reason == "พิมพ์ผิด ออกเลขใหม่"
    assert take(office).number == 2  # never given again


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("school_user", 403),
        ("school_director", 403),
        ("staff", 200),
        ("group_head", 200),
        ("deputy_director", 200),
        ("director", 200),
    ],
)
def test_register_page_by_role(client, office, people, role, status):
    take(office, subject="จัดซื้อคอมพิวเตอร์")
    client.force_login(people[role])
    response = client.get(reverse("documents:register", args=["outgoing"]))
    assert response.status_code == status
    if status == 200:
        assert "จัดซื้อคอมพิวเตอร์" in response.content.decode()


@pytest.mark.django_db
def test_register_search_year_filter_and_xlsx(client, office, people):
    office_settings(office)
    take(office, subject="จัดซื้อคอมพิวเตอร์")
    take(office, subject="ซ่อมเครื่องพิมพ์")
    take(office, subject="ปีหน้า", day=datetime.date(2027, 2, 1))
    client.force_login(people["staff"])
    url = reverse("documents:register", args=["outgoing"])
    page = client.get(url, {"q": "เครื่องพิมพ์"}).content.decode()
    assert "ซ่อมเครื่องพิมพ์" in page and "จัดซื้อคอมพิวเตอร์" not in page
    page = client.get(url, {"year": "2570"}).content.decode()
    assert "ปีหน้า" in page and "ซ่อมเครื่องพิมพ์" not in page
    page = client.get(url, {"q": "ศธ 04123.17/๒"}).content.decode()
    assert "ซ่อมเครื่องพิมพ์" in page and "จัดซื้อคอมพิวเตอร์" not in page
    for junk in ("1²", "99999999999"):  # not a number a register holds: searched as text only
        assert client.get(url, {"q": junk}).status_code == 200
    response = client.get(url, {"format": "xlsx", "year": "2569"})
    columns = check_workbook(response.content)  # title, headers, widths, real date cells
    assert list(columns)[:3] == ["เลขที่", "ปี พ.ศ.", "ลงวันที่"]
    assert columns["เลขที่"] == ["ศธ 04123.17/2", "ศธ 04123.17/1"]
    assert columns["ลงวันที่"][0].date() == DAY


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("school_user", 403), ("director", 403), ("staff", 302), ("group_head", 302)],
)
def test_clerk_takes_a_number_for_an_outside_document(client, office, people, role, status):
    client.force_login(people[role])
    upload = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 outside letter", "application/pdf")
    response = client.post(
        reverse("documents:entry_new", args=["outgoing"]),
        {"date": "3/12/2569", "subject": "ขอเชิญประชุม", "recipient": "โรงเรียนทุกแห่ง", "file": upload},
    )
    assert response.status_code == status
    if status == 302:
        entry = RegisterEntry.objects.get()
        assert (entry.number, entry.subject, entry.date) == (1, "ขอเชิญประชุม", DAY)
        assert entry.file_sha256 and entry.taken_by == people[role]
        file_response = client.get(reverse("documents:entry_file", args=[entry.pk]))
        assert b"".join(file_response.streaming_content) == b"%PDF-1.4 outside letter"
    else:
        assert not RegisterEntry.objects.exists()


@pytest.mark.django_db
def test_outside_number_keeps_what_was_typed_on_bad_input(client, office, people):
    client.force_login(people["staff"])
    response = client.post(
        reverse("documents:entry_new", args=["outgoing"]),
        {
            "date": "3/12/2026",
            "subject": "ขอเชิญประชุม",
            "recipient": "โรงเรียน",
            "file": SimpleUploadedFile("x.pdf", b"not a pdf"),
        },
    )
    assert response.status_code == 200
    assert "ขอเชิญประชุม" in response.content.decode()
    assert not RegisterEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"), [("school_user", 404), ("director", 403), ("staff", 302)]
)
def test_cancel_page_by_role(client, office, people, role, status):
    entry = take(office)
    client.force_login(people[role])
    response = client.post(reverse("documents:entry_cancel", args=[entry.pk]), {"reason": "ซ้ำ"})
    entry.refresh_from_db()
    assert response.status_code == status
    assert entry.is_cancelled == (status == 302)


@pytest.mark.django_db
def test_outsider_of_another_office_sees_nothing(client, office, people):
    entry = take(office)
    other = Office.objects.create(code="9003", name_th="สพป.อื่น", kind=Office.Kind.PRIMARY)
    from accounts.models import Role, RoleCode
    from accounts.services import user_create

    outsider = user_create(
        username="outsider",
        password="x",
        office=other,
        roles=[Role.objects.get(code=RoleCode.STAFF)],
    )
    client.force_login(outsider)
    assert client.get(reverse("documents:entry", args=[entry.pk])).status_code == 404
    page = client.get(reverse("documents:register", args=["outgoing"])).content.decode()
    assert entry.subject not in page
