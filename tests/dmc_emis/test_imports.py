"""Imports: both file shapes, every check rule, all-or-nothing on broken files, re-imports."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dmc_emis.models import (
    DataImport,
    Finding,
    GradeCount,
    Round,
    RoundSchool,
    StudentRecord,
)
from dmc_emis.services import import_run, round_open
from processes.models import Notification

from .helpers import (
    COUNT_HEADER,
    STUDENT_HEADER,
    born,
    csv_upload,
    nid,
    run_import,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db

A, B = "1090010001", "1090010002"  # the `school` and `other_school` fixtures


def test_a_counts_file_sets_each_schools_grades_and_totals(open_round, people):
    data_import = run_import(
        open_round,
        people["staff"],
        csv_upload([COUNT_HEADER, [A, "ป.1", 10, 12], [A, "ป.2", 8, 9], [B, "อ.1", 5, 5]]),
    )
    assert data_import.status == DataImport.Status.DONE and data_import.progress == 100
    assert data_import.content == DataImport.Content.COUNTS and data_import.rows_read == 3
    entry = RoundSchool.objects.get(round=open_round, school__obec_code=A)
    assert (entry.male, entry.female, entry.student_total) == (18, 21, 39)
    assert GradeCount.objects.filter(entry=entry, is_current=True).count() == 2


def test_student_rows_are_checked_by_every_row_rule(open_round, people):
    r = open_round
    data_import = run_import(
        r,
        people["staff"],
        csv_upload(
            [
                STUDENT_HEADER,
                [A, nid(1), "สมชาย", "ใจดี", "ป.1", "ช", born(6, r)],  # clean
                [A, "1234567890122", "สมหญิง", "ใจงาม", "ป.1", "ญ", born(6, r)],  # checksum
                [A, nid(3), "", "รักเรียน", "ป.1", "ช", born(6, r)],  # missing first name
                [A, nid(4), "ด.ช.แก่", "เกินวัย", "ป.1", "ช", born(15, r)],  # age
                [A, "", "ไม่มี", "เลข", "ป.2", "ญ", born(7, r)],  # missing ID
            ]
        ),
    )
    assert data_import.status == DataImport.Status.DONE, data_import.errors
    rules = sorted(Finding.objects.values_list("rule", "row_number"))
    assert rules == [("age", 5), ("missing", 4), ("missing", 6), ("national_id", 3)]
    checksum = Finding.objects.get(rule="national_id")
    assert "1-2345-xxxxx-xx-2" in checksum.detail and "1234567890122" not in checksum.detail
    entry = RoundSchool.objects.get(round=r, school__obec_code=A)
    assert entry.open_findings == 4 and data_import.findings_count == 4
    assert (entry.male, entry.female) == (3, 2)
    # The school hears once that it has issues to answer.
    assert (
        Notification.objects.filter(recipient=people["school_user"], kind="dmc_findings").count()
        == 1
    )


def test_duplicates_within_a_school_and_across_schools(open_round, people):
    r = open_round
    run_import(
        r,
        people["staff"],
        csv_upload(
            [
                STUDENT_HEADER,
                [A, nid(10), "ก", "ข", "ป.3", "ช", born(8, r)],
                [A, nid(10), "ก", "ข", "ป.3", "ช", born(8, r)],
                [A, nid(11), "ค", "ง", "ป.4", "ญ", born(9, r)],
                [B, nid(11), "ค", "ง", "ป.4", "ญ", born(9, r)],
            ]
        ),
    )
    within = Finding.objects.get(rule="duplicate_school")
    assert within.entry.school.obec_code == A and "2, 3" in within.detail
    across = Finding.objects.filter(rule="duplicate_across").select_related("entry__school")
    assert sorted(f.entry.school.obec_code for f in across) == [A, B]
    assert all("1-0000-xxxxx-xx-" in f.detail for f in across)
    assert B in across.get(entry__school__obec_code=A).detail


def test_a_duplicate_across_two_imports_is_found_and_not_repeated(open_round, people):
    r = open_round
    run_import(
        r,
        people["staff"],
        csv_upload([STUDENT_HEADER, [A, nid(20), "ก", "ข", "ป.3", "ช", born(8, r)]]),
    )
    assert not Finding.objects.exists()
    run_import(
        r,
        people["staff"],
        csv_upload([STUDENT_HEADER, [B, nid(20), "ก", "ข", "ป.3", "ช", born(8, r)]]),
    )
    assert Finding.objects.filter(rule="duplicate_across").count() == 2
    # B's file again: A's open issue about the same student is not repeated.
    run_import(
        r,
        people["staff"],
        csv_upload([STUDENT_HEADER, [B, nid(20), "ก", "ข", "ป.3", "ช", born(8, r)]]),
    )
    assert Finding.objects.filter(rule="duplicate_across", entry__school__obec_code=A).count() == 1


def test_a_grade_that_jumps_more_than_the_threshold_from_the_previous_round(
    open_round, people, office
):
    earlier = Round.objects.create(
        office=office,
        kind="year_end",
        academic_year=2568,
        title="สิ้นปี 2568",
        opens_on=open_round.opens_on - datetime.timedelta(days=60),
        deadline_on=open_round.deadline_on - datetime.timedelta(days=40),
        opened_at=open_round.opened_at,
    )
    school_a = RoundSchool.objects.get(round=open_round, school__obec_code=A).school
    entry = RoundSchool.objects.create(round=earlier, school=school_a)
    GradeCount.objects.create(entry=entry, grade="p1", male=50, female=50, is_current=True)
    GradeCount.objects.create(entry=entry, grade="p2", male=50, female=50, is_current=True)
    open_round.jump_threshold_percent = 20
    open_round.save()
    run_import(
        open_round,
        people["staff"],
        csv_upload([COUNT_HEADER, [A, "ป.1", 70, 60], [A, "ป.2", 55, 55], [B, "ป.1", 1, 1]]),
    )
    jump = Finding.objects.get(rule="count_jump")
    assert jump.grade == "p1" and jump.row_number == 2
    assert "130" in jump.detail and "100" in jump.detail and "30%" in jump.detail


def test_an_xlsx_export_is_read_from_the_first_sheet(open_round, people):
    r = open_round
    deadline = r.deadline_on
    birth = datetime.datetime(deadline.year - 7, 1, 15)
    data_import = run_import(
        r,
        people["staff"],
        xlsx_upload(
            [
                ["รหัสโรงเรียน", "เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "ชั้น", "เพศ", "วันเกิด"],
                [int(A), int(nid(30)), "ก", "ข", "ป.1", "ชาย", birth],
            ]
        ),
    )
    assert data_import.status == DataImport.Status.DONE, data_import.errors
    student = StudentRecord.objects.get()
    assert student.national_id_in_full() == nid(30) and student.gender == "M" and student.is_current


def test_a_broken_file_stores_nothing_and_says_which_rows_in_thai(open_round, people):
    r = open_round
    data_import = run_import(
        r,
        people["staff"],
        csv_upload(
            [
                STUDENT_HEADER,
                [A, nid(40), "ก", "ข", "ป.1", "ช", born(6, r)],
                ["9999999999", nid(41), "ค", "ง", "ป.1", "ช", born(6, r)],
                [A, nid(42), "จ", "ฉ", "ป.9", "ช", born(6, r)],
                [A, nid(43), "ช", "ซ", "ป.1", "ช", "31/02/2562"],
            ]
        ),
    )
    assert data_import.status == DataImport.Status.FAILED
    rows = [error["row"] for error in data_import.errors]
    assert rows == [3, 4, 5]
    assert (
        "9999999999" in data_import.errors[0]["message"]
        and "ไม่อยู่ในรอบ" in data_import.errors[0]["message"]
    )
    assert "ชั้น" in data_import.errors[1]["message"]
    assert "วันเกิด" in data_import.errors[2]["message"]
    assert not StudentRecord.objects.exists() and not GradeCount.objects.exists()
    assert not Finding.objects.exists()


def test_a_broken_counts_file_keeps_the_previous_data(open_round, people):
    run_import(open_round, people["staff"], csv_upload([COUNT_HEADER, [A, "ป.1", 10, 10]]))
    failed = run_import(
        open_round,
        people["staff"],
        csv_upload([COUNT_HEADER, [A, "ป.1", 11, 11], [A, "ป.2", "สิบ", 3], [A, "ป.1", 1, 1]]),
    )
    assert failed.status == DataImport.Status.FAILED
    assert failed.errors[0]["row"] == 3
    entry = RoundSchool.objects.get(round=open_round, school__obec_code=A)
    assert entry.student_total == 20
    assert list(GradeCount.objects.filter(is_current=True).values_list("male", flat=True)) == [10]
    assert GradeCount.objects.count() == 1


def test_the_same_school_and_grade_twice_in_a_counts_file_is_an_error(open_round, people):
    failed = run_import(
        open_round, people["staff"], csv_upload([COUNT_HEADER, [A, "ป.1", 1, 1], [A, "ป1", 2, 2]])
    )
    assert failed.status == DataImport.Status.FAILED
    assert failed.errors == [{"row": 3, "message": "โรงเรียนและชั้นเดียวกันซ้ำกับแถวที่ 2"}]
    assert not GradeCount.objects.exists()


def test_missing_columns_are_named(open_round, people):
    failed = run_import(
        open_round, people["staff"], csv_upload([["รหัสโรงเรียน", "ชั้น", "ชาย"], [A, "ป.1", 1]])
    )
    assert failed.status == DataImport.Status.FAILED
    assert "หญิง" in failed.errors[0]["message"]


def test_a_reimport_replaces_the_schools_previous_rows(open_round, people):
    r = open_round
    run_import(
        r,
        people["staff"],
        csv_upload([STUDENT_HEADER, [A, "1234567890122", "ก", "ข", "ป.1", "ช", born(6, r)]]),
    )
    assert Finding.objects.filter(status="open").count() == 1
    run_import(
        r,
        people["staff"],
        csv_upload([STUDENT_HEADER, [A, nid(50), "ก", "ข", "ป.1", "ช", born(6, r)]]),
    )
    assert StudentRecord.objects.filter(is_current=True).count() == 1
    assert StudentRecord.objects.count() == 1
    assert not Finding.objects.filter(status="open").exists()
    assert RoundSchool.objects.get(round=r, school__obec_code=A).open_findings == 0


def test_running_an_import_twice_does_nothing_the_second_time(open_round, people):
    data_import = run_import(
        open_round, people["staff"], csv_upload([COUNT_HEADER, [A, "ป.1", 1, 1]])
    )
    assert import_run(import_id=data_import.pk) == "skipped"
    assert GradeCount.objects.count() == 1


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.pdf", b"%PDF-1.4 nothing", "application/pdf"),
        SimpleUploadedFile("x.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "text/csv"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused_at_upload(open_round, people, upload):
    with pytest.raises(ValidationError):
        from dmc_emis.services import import_upload

        import_upload(round_=open_round, user=people["staff"], upload=upload)
    assert not DataImport.objects.exists()


def test_a_round_not_yet_opened_takes_no_import(data_round, round_processes, people):
    from dmc_emis.services import import_upload

    with pytest.raises(ValidationError):
        import_upload(round_=data_round, user=people["staff"], upload=csv_upload([COUNT_HEADER]))
    round_open(round_=data_round, user=people["staff"])
