"""A training's participant list is added in Celery with its progress page: the request keeps
the file and queues it on commit (staff and the group head of the office only); the worker
reads the list behind the XLSX guard, checks the rows in batches, then adds everyone in one
transaction or nobody, keeping row-numbered Thai errors."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.dmc_emis.test_hostile_files import crafted_xlsx
from tests.trainings.test_views import ROLES, client_for
from trainings.models import ParticipantImport
from trainings.services_lists import participant_list_run, participant_list_start

pytestmark = pytest.mark.django_db

HEADER = ["ชื่อ-สกุล", "ตำแหน่ง", "รหัสโรงเรียน", "อีเมล"]


def xlsx(rows, name="list.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def good_rows(school):
    return [
        ["นางสาวสมใจ ตั้งใจ", "ครู", school.obec_code, ""],
        ["นาย  ศึกษา   ดี", "ครูผู้ช่วย", "", ""],
        ["นาย ศึกษา ดี", "ซ้ำในไฟล์", "", ""],
        [None, None, None, None],
    ]


@pytest.fixture
def worker(monkeypatch, django_capture_on_commit_callbacks):
    """Posts the upload form and runs what it queued on commit, as the Celery worker would."""
    from trainings import tasks

    queued: list[int] = []

    def delay(import_id):
        queued.append(import_id)
        return participant_list_run(import_id=import_id)

    monkeypatch.setattr(tasks.run_participant_list_task, "delay", delay)

    def post(client, training, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("trainings:import", args=[training.pk]), data)

    post.queued = queued
    return post


@pytest.fixture
def no_openpyxl(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl read a file the guard should refuse")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_who_may_upload_a_list(users, training, school, worker):
    # In ROLES order: anonymous, school A, school B, school director, staff, group head,
    # deputy, director, admin, outsider. 3 = redirect (to login, or to the import's page).
    codes = ""
    for role in ROLES:
        response = worker(
            client_for(users, role), training, {"file": xlsx([[f"คน {role}", "", "", ""]])}
        )
        codes += {302: "3", 403: "4", 404: "N"}.get(response.status_code, "?")
    assert codes == "344433444N"
    jobs = list(ParticipantImport.objects.order_by("pk"))
    assert [job.uploaded_by for job in jobs] == [users["staff"], users["group_head"]]
    assert worker.queued == [job.pk for job in jobs]
    assert all(job.status == ParticipantImport.Status.DONE for job in jobs)
    assert set(training.participants.values_list("full_name", flat=True)) == {
        "คน staff",
        "คน group_head",
    }


def test_who_sees_a_lists_progress(users, training, school):
    job = participant_list_start(
        user=users["staff"], training=training, upload=xlsx(good_rows(school))
    )
    codes = ""
    for role in ROLES:
        response = client_for(users, role).get(job.get_absolute_url())
        codes += {200: "2", 302: "3", 403: "4", 404: "N"}.get(response.status_code, "?")
    # As the upload page: schools see an open training (403), another office nothing (404).
    assert codes == "344422444N"


def test_a_good_list_is_added_with_duplicates_skipped(
    users,
    training,
    school,
    teacher_participant,
    worker,
):
    client = client_for(users, "staff")
    rows = [*good_rows(school), [teacher_participant.full_name, "ครู", school.obec_code, ""]]
    response = worker(client, training, {"file": xlsx(rows)})
    job = ParticipantImport.objects.get()
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == ParticipantImport.Status.DONE
    assert (job.created_count, job.rows_total) == (2, 5)
    assert job.already == ["นาย ศึกษา ดี", teacher_participant.full_name]
    added = training.participants.get(full_name="นางสาวสมใจ ตั้งใจ")
    assert added.school == school and added.registered_by == users["staff"]
    page = client.get(job.get_absolute_url()).text
    assert "เพิ่มผู้เข้าอบรม 2 คน มีผู้ลงทะเบียนไว้แล้ว 2 คน" in page
    assert teacher_participant.full_name in page


def test_one_bad_row_adds_nobody_and_keeps_row_numbered_thai_errors(
    users,
    training,
    school,
    worker,
):
    client = client_for(users, "staff")
    rows = [*good_rows(school), ["", "ครู", school.obec_code, ""], ["ครูสอง", "", "1111111111", ""]]
    worker(client, training, {"file": xlsx(rows)})
    job = ParticipantImport.objects.get()
    assert job.status == ParticipantImport.Status.FAILED
    assert job.errors == [
        {"row": 6, "message": "ไม่มีชื่อ-สกุล"},
        {"row": 7, "message": "ไม่พบโรงเรียนรหัส 1111111111 ในสังกัดสำนักงานเขตพื้นที่นี้"},
    ]
    assert not training.participants.exists()
    assert not job.file  # the upload is removed
    page = client.get(job.get_absolute_url()).text
    assert "แถวที่ 6:" in page and "ไม่ได้บันทึกข้อมูลใด" in page


def test_rows_are_checked_in_batches_with_the_files_row_numbers(
    users,
    training,
    monkeypatch,
):
    from core import import_jobs

    job = participant_list_start(
        user=users["staff"],
        training=training,
        upload=xlsx([[f"คนที่ {n}", "", "", ""] for n in range(4)] + [["", "", "9", ""]]),
    )
    seen = []
    original = import_jobs.check_in_batches

    def in_pairs(total, check_batch, *, progress):
        def progress_then_read(done):
            progress(done)
            seen.append(ParticipantImport.objects.get(pk=job.pk).rows_done)

        return original(total, check_batch, progress=progress_then_read, batch_size=2)

    monkeypatch.setattr("trainings.services_lists.check_in_batches", in_pairs)
    assert participant_list_run(import_id=job.pk) == "failed"
    assert seen == [2, 4, 5]
    job.refresh_from_db()
    assert [error["row"] for error in job.errors] == [6]


def test_a_full_training_adds_nobody(users, training, worker):
    training.capacity = 1
    training.save()
    worker(
        client_for(users, "staff"), training, {"file": xlsx([["ก", "", "", ""], ["ข", "", "", ""]])}
    )
    job = ParticipantImport.objects.get()
    assert job.status == ParticipantImport.Status.FAILED
    assert "เต็ม" in job.errors[0]["message"] and job.errors[0]["row"] is None
    assert not training.participants.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (crafted_xlsx(dimension="A1:B1048576"), "แถว"),  # a tiny file declaring 1M rows
        (crafted_xlsx(sheet_padding="<x/>" * 400_000), "บีบอัดผิดปกติ"),  # a zip bomb
        (b"PK\x03\x04 not really a zip", "ไม่ใช่ไฟล์ XLSX"),
    ],
)
def test_a_crafted_list_is_refused_by_the_guard_in_the_worker(
    users,
    training,
    worker,
    no_openpyxl,
    data,
    words,
):
    client = client_for(users, "staff")
    response = worker(client, training, {"file": SimpleUploadedFile("list.xlsx", data)})
    assert response.status_code == 302  # the request only kept the file
    job = ParticipantImport.objects.get()
    assert job.status == ParticipantImport.Status.FAILED
    assert words in job.errors[0]["message"] and job.errors[0]["row"] is None
    assert not training.participants.exists()


def test_a_file_that_is_not_xlsx_is_refused_on_the_form(users, training, worker):
    client = client_for(users, "staff")
    fake = SimpleUploadedFile("list.xlsx", b"name,school\n")
    response = worker(client, training, {"file": fake})
    assert response.status_code == 400
    assert "ไม่ใช่ไฟล์" in response.content.decode()
    assert not ParticipantImport.objects.exists()


def test_the_progress_part_polls_until_finished(users, training, school):
    job = participant_list_start(
        user=users["staff"], training=training, upload=xlsx(good_rows(school))
    )
    client = client_for(users, "staff")
    waiting = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert waiting.status_code == 200
    assert "hx-get" in waiting.text and "<html" not in waiting.text
    assert participant_list_run(import_id=job.pk) == "done"
    assert participant_list_run(import_id=job.pk) == "skipped"  # only a queued list runs
    done = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert "hx-get" not in done.text
    assert "4 จาก 4 แถว" in done.text
    recent = client.get(reverse("trainings:import", args=[training.pk])).text
    assert job.get_absolute_url() in recent


def test_the_list_pages_speak_thai(users, training, school):
    from tests.ui.english import english_words

    job = participant_list_start(
        user=users["staff"], training=training, upload=xlsx([["", "ครู", "1111111111", ""]])
    )
    participant_list_run(import_id=job.pk)
    client = client_for(users, "staff")
    for url in (reverse("trainings:import", args=[training.pk]), job.get_absolute_url()):
        page = client.get(url)
        assert page.status_code == 200
        words = english_words(page.content.decode())
        assert [word for word in words if word != users["staff"].username] == [], (
            url
        )  # not its name
