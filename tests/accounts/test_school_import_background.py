"""The schools import runs in Celery with its progress page: only office admins (and
superusers) upload; the request keeps the file and queues it on commit; the worker checks the
rows in batches, then stores the whole file or nothing; a crafted XLSX is refused by the guard
before openpyxl; an office admin's file holds only their office's schools; and the admin's
Import button leads here instead of parsing the file itself."""

from __future__ import annotations

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import resources
from accounts.models import Office, RoleCode, School, SchoolImport
from accounts.services_schools import school_import_run, school_import_start
from tests.accounts.test_import_schools import GOOD_ROWS, csv_bytes, xlsx_bytes
from tests.dmc_emis.test_hostile_files import crafted_xlsx
from tests.factories import make_user

pytestmark = pytest.mark.django_db

BAD_ROW = ["123", "05010009", "x", "", "y", "", "", "1057", ""]
GOOD_CODES = [row[0] for row in GOOD_ROWS]


def assert_good_rows_stored():
    stored = School.objects.filter(obec_code__in=GOOD_CODES)
    assert stored.count() == 4
    first = stored.get(obec_code="1050100001")
    assert (first.smis_code, first.office.code, first.size) == ("05010001", "1057", "small")
    assert not stored.get(obec_code="1050100004").is_active


@pytest.fixture
def office_admin(office):
    return make_user(RoleCode.ADMIN, office=office, username="office-admin")


@pytest.fixture
def worker(monkeypatch, django_capture_on_commit_callbacks):
    """Posts the upload form and runs what it queued on commit, as the Celery worker would."""
    from accounts import tasks

    queued: list[int] = []

    def delay(import_id):
        queued.append(import_id)
        return school_import_run(import_id=import_id)

    monkeypatch.setattr(tasks.run_school_import_task, "delay", delay)

    def post(client, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("accounts:school_import"), data)

    post.queued = queued
    return post


def upload(data: bytes, name: str = "schools.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def no_openpyxl(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read a file the guard should refuse")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


# Who may import ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("school_user", 403),
        ("school_director", 403),
        ("staff", 403),
        ("group_head", 403),
        ("deputy_director", 403),
        ("director", 403),
        ("office_admin", "done"),
        ("superuser", "done"),
    ],
)
def test_who_may_import_schools(
    client, people, office_admin, superuser, worker, no_openpyxl, role, status
):
    users = {**people, "office_admin": office_admin, "superuser": superuser}
    if role != "anonymous":
        client.force_login(users[role])
    assert client.get(reverse("accounts:school_import")).status_code == (
        200 if status == "done" else status
    )
    response = worker(client, {"file": upload(csv_bytes(GOOD_ROWS), "schools.csv")})
    if isinstance(status, int):
        assert response.status_code == status
        if status == 302:
            assert response["Location"].startswith(reverse("accounts:login"))
        assert not SchoolImport.objects.exists()
        assert not School.objects.filter(obec_code="1050100001").exists()
        return
    job = SchoolImport.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert worker.queued == [job.pk]
    job.refresh_from_db()
    assert job.status == SchoolImport.Status.DONE, job.errors
    assert (job.created_count, job.updated_count, job.rows_total) == (4, 0, 4)
    assert job.uploaded_by == users[role]
    assert job.office == (None if role == "superuser" else office_admin.office)
    assert_good_rows_stored()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "นำเข้าโรงเรียนแล้ว" in page.text


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("school_user", 404),
        ("staff", 404),
        ("group_head", 404),
        ("director", 404),
        ("outsider", 404),  # the admin of another office
        ("office_admin", 200),
        ("superuser", 200),
    ],
)
def test_who_sees_a_school_import(client, people, office_admin, superuser, role, status):
    far = Office.objects.create(code="9009", name_th="สพม.อื่น", kind=Office.Kind.SECONDARY)
    users = {
        **people,
        "office_admin": office_admin,
        "superuser": superuser,
        "outsider": make_user(RoleCode.ADMIN, office=far, username="far-admin"),
    }
    job = school_import_start(
        user=office_admin, upload=upload(csv_bytes(GOOD_ROWS), "a.csv"), dry_run=False
    )
    if role != "anonymous":
        client.force_login(users[role])
    assert client.get(job.get_absolute_url()).status_code == status


def test_a_bad_form_keeps_the_page_and_queues_nothing(client, office_admin, worker):
    client.force_login(office_admin)
    response = worker(client, {"file": upload(b"name\n", "schools.txt")})
    assert response.status_code == 400
    assert "ใช้ได้เฉพาะไฟล์ .xlsx หรือ .csv" in response.text
    assert not SchoolImport.objects.exists()


# What the worker does ----------------------------------------------------------------------


def test_the_upload_is_kept_and_queued_on_commit_only(
    office_admin, monkeypatch, django_capture_on_commit_callbacks
):
    from accounts import tasks

    queued = []
    monkeypatch.setattr(tasks.run_school_import_task, "delay", queued.append)
    with django_capture_on_commit_callbacks() as callbacks:
        job = school_import_start(
            user=office_admin, upload=upload(xlsx_bytes(GOOD_ROWS)), dry_run=False
        )
        assert queued == []
    assert job.status == SchoolImport.Status.QUEUED
    assert job.file.storage.exists(job.file.name)
    for callback in callbacks:
        callback()
    assert queued == [job.pk]
    assert not School.objects.filter(obec_code="1050100001").exists()  # nothing parsed yet


def test_progress_is_committed_batch_by_batch(office_admin, monkeypatch):
    job = school_import_start(
        user=office_admin, upload=upload(xlsx_bytes(GOOD_ROWS)), dry_run=False
    )
    seen = []
    original = resources.check_schools

    def in_pairs(dataset, *, office, progress):
        def progress_then_read(done):
            progress(done)
            seen.append(SchoolImport.objects.get(pk=job.pk).rows_done)  # what the page reads

        return original(dataset, office=office, progress=progress_then_read, batch_size=2)

    monkeypatch.setattr("accounts.services_schools.check_schools", in_pairs)
    assert school_import_run(import_id=job.pk) == "done"
    assert seen == [2, 4]
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total, job.percent) == (4, 4, 100)
    assert not job.file  # the upload is removed
    assert_good_rows_stored()


def test_duplicates_are_found_across_batches(office):
    rows = [*GOOD_ROWS, [*GOOD_ROWS[0][:1], "05010005", "ซ้ำ", "", "ก", "", "", "1057", ""]]
    dataset = resources.read_school_file(csv_bytes(rows), "csv")
    checked = resources.check_schools(dataset, batch_size=2)
    assert [error.row for error in checked.errors] == [6]
    assert "ซ้ำกับแถวที่ 2" in str(checked.errors[0])


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_one_bad_row_stores_nothing_and_keeps_row_numbered_thai_errors(
    client, office_admin, file_format
):
    rows = [*GOOD_ROWS[:2], BAD_ROW]
    data = csv_bytes(rows) if file_format == "csv" else xlsx_bytes(rows)
    job = school_import_start(
        user=office_admin, upload=upload(data, f"schools.{file_format}"), dry_run=False
    )
    assert school_import_run(import_id=job.pk) == "failed"
    job.refresh_from_db()
    assert [error["row"] for error in job.errors] == [4]
    assert "รหัสโรงเรียนต้องเป็นตัวเลข 10 หลัก" in job.errors[0]["message"]
    assert not School.objects.filter(obec_code__in=["1050100001", "1050100002"]).exists()
    client.force_login(office_admin)
    page = client.get(job.get_absolute_url())
    assert "แถวที่ 4:" in page.text and "ไม่ได้บันทึกข้อมูลใด" in page.text


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (crafted_xlsx(dimension="A1:B1048576"), "แถว"),  # a tiny file declaring 1M rows
        (crafted_xlsx(sheet_padding="<x/>" * 400_000), "บีบอัดผิดปกติ"),  # a zip bomb
        (b"PK\x03\x04 not really a zip", "ไม่ใช่ไฟล์ XLSX"),
    ],
)
def test_a_crafted_xlsx_is_refused_by_the_guard_and_ends_failed(
    office_admin, no_openpyxl, data, words
):
    job = school_import_start(user=office_admin, upload=upload(data), dry_run=False)
    assert school_import_run(import_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.errors[0]["row"] is None
    assert words in job.errors[0]["message"]
    assert not School.objects.filter(obec_code="1050100001").exists()


def test_a_check_only_import_stores_nothing(office_admin):
    job = school_import_start(user=office_admin, upload=upload(xlsx_bytes(GOOD_ROWS)), dry_run=True)
    assert school_import_run(import_id=job.pk) == "checked"
    job.refresh_from_db()
    assert (job.status, job.created_count) == (SchoolImport.Status.CHECKED, 4)
    assert not School.objects.filter(obec_code="1050100001").exists()


def test_an_office_admin_imports_only_their_offices_schools(office_admin, other_office):
    taken = School.objects.create(
        office=other_office,
        obec_code="1050100002",
        smis_code="05010002",
        name_th="เดิม",
        district="ก",
    )
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], [*GOOD_ROWS[2][:7], other_office.code, ""]]
    job = school_import_start(user=office_admin, upload=upload(xlsx_bytes(rows)), dry_run=False)
    assert school_import_run(import_id=job.pk) == "failed"
    job.refresh_from_db()
    assert [error["row"] for error in job.errors] == [3, 4]
    assert "สังกัดอื่น" in job.errors[0]["message"]  # a school of another office is not taken
    assert "นำเข้าได้เฉพาะโรงเรียนในสังกัด" in job.errors[1]["message"]
    taken.refresh_from_db()
    assert taken.office == other_office and taken.name_th == "เดิม"
    assert not School.objects.filter(obec_code="1050100001").exists()


def test_only_a_queued_import_runs(office_admin):
    job = school_import_start(
        user=office_admin, upload=upload(xlsx_bytes(GOOD_ROWS)), dry_run=False
    )
    assert school_import_run(import_id=job.pk) == "done"
    assert school_import_run(import_id=job.pk) == "skipped"
    assert School.objects.filter(obec_code__in=GOOD_CODES).count() == 4


def test_an_unexpected_crash_ends_the_import_as_failed(office_admin, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("parser bug")

    monkeypatch.setattr("accounts.services_schools.store_schools", boom)
    job = school_import_start(
        user=office_admin, upload=upload(xlsx_bytes(GOOD_ROWS)), dry_run=False
    )
    assert school_import_run(import_id=job.pk) == "failed"
    job.refresh_from_db()
    assert "ไม่ได้บันทึกข้อมูลใด" in job.errors[0]["message"]
    assert not job.file
    assert not School.objects.filter(obec_code="1050100001").exists()


def test_the_progress_part_polls_until_finished(office_admin):
    job = school_import_start(
        user=office_admin, upload=upload(xlsx_bytes(GOOD_ROWS)), dry_run=False
    )
    client = Client()
    client.force_login(office_admin)
    waiting = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert waiting.status_code == 200
    assert "hx-get" in waiting.text and "<html" not in waiting.text
    school_import_run(import_id=job.pk)
    done = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert "hx-get" not in done.text
    assert "4 จาก 4 แถว" in done.text
    full = client.get(job.get_absolute_url())
    assert 'name="viewport"' in full.text  # the portal's responsive page, for phones


# The admin's Import button -----------------------------------------------------------------


@pytest.mark.parametrize("step", ["import", "process_import"])
def test_the_admins_import_leads_here_and_parses_nothing(admin_client, office, no_openpyxl, step):
    url = reverse(f"admin:accounts_school_{step}")
    assert admin_client.get(url)["Location"] == reverse("accounts:school_import")
    response = admin_client.post(
        url,
        {"resource": "0", "format": "1", "import_file": upload(xlsx_bytes(GOOD_ROWS))},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:school_import")
    assert not School.objects.exists() and not SchoolImport.objects.exists()


def test_the_portal_decides_who_imports_from_the_admin(client, office):
    """An account let into the admin (is_staff) without the admin role reaches the import
    page only to be refused there."""
    staff_only = make_user(RoleCode.STAFF, office=office, username="staff-admin")
    staff_only.is_staff = True
    staff_only.save()
    client.force_login(staff_only)
    response = client.get(reverse("admin:accounts_school_import"), follow=True)
    assert response.redirect_chain == [(reverse("accounts:school_import"), 302)]
    assert response.status_code == 403


def test_the_import_pages_speak_thai(client, office_admin):
    from tests.ui.english import english_words

    bad = csv_bytes([BAD_ROW], bom=True)
    job = school_import_start(user=office_admin, upload=upload(bad, "a.csv"), dry_run=False)
    school_import_run(import_id=job.pk)
    client.force_login(office_admin)
    for url in (reverse("accounts:school_import"), job.get_absolute_url()):
        page = client.get(url)
        assert page.status_code == 200
        words = english_words(page.content.decode())
        assert [word for word in words if word != office_admin.username] == [], url  # not its name
