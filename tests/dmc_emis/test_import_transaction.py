"""An import reads, checks and applies in one transaction: what others see meanwhile, what holds
the student rows' references in place of per-row foreign keys, and the per-spelling caches."""

from __future__ import annotations

import datetime

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

from dmc_emis import importing, services
from dmc_emis.models import DataImport, Finding, GradeCount, RoundSchool, StudentRecord

from .helpers import STUDENT_HEADER, born, csv_upload, nid, run_import

A, B = "1090010001", "1090010002"  # the `school` and `other_school` fixtures


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_while_a_file_is_read_others_see_its_progress_not_its_rows_and_cannot_drop_its_schools(
    open_round, people, monkeypatch
):
    seen: dict = {}
    read_file = services.stage_file

    def read_and_look_from_outside(data_import, **kwargs):
        result = read_file(data_import, **kwargs)
        outside = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with outside.cursor() as cursor:
                cursor.execute(
                    "SELECT progress, status FROM dmc_emis_dataimport WHERE id = %s",
                    [data_import.pk],
                )
                seen["progress"], seen["status"] = cursor.fetchone()
                cursor.execute(
                    "SELECT count(*) FROM dmc_emis_studentrecord WHERE data_import_id = %s",
                    [data_import.pk],
                )
                seen["rows"] = cursor.fetchone()[0]
                cursor.execute("SET lock_timeout = '300ms'")
                try:
                    cursor.execute(
                        "DELETE FROM dmc_emis_roundschool WHERE round_id = %s",
                        [data_import.round_id],
                    )
                    seen["schools_deleted"] = True
                except OperationalError:
                    seen["schools_deleted"] = False
        finally:
            outside.close()
        return result

    monkeypatch.setattr(services, "stage_file", read_and_look_from_outside)
    rows = [STUDENT_HEADER] + [
        [A if n % 2 else B, nid(n), "ก", "ข", "ป.1", "ช", born(6, open_round)] for n in range(2500)
    ]
    data_import = run_import(open_round, people["staff"], csv_upload(rows))

    assert data_import.status == DataImport.Status.DONE, data_import.errors
    assert seen["status"] == DataImport.Status.RUNNING and 0 < seen["progress"] <= 90
    assert seen["rows"] == 0  # written, but not the round's data until applied
    assert seen["schools_deleted"] is False
    assert StudentRecord.objects.filter(data_import=data_import, is_current=True).count() == 2500


@pytest.mark.django_db
def test_a_school_or_round_deleted_later_takes_its_student_rows(open_round, people):
    rows = [
        STUDENT_HEADER,
        [A, nid(1), "ก", "ข", "ป.1", "ช", born(6, open_round)],
        [B, nid(2), "ค", "ง", "ป.1", "ญ", born(6, open_round)],
    ]
    run_import(open_round, people["staff"], csv_upload(rows))
    entry = RoundSchool.objects.get(round=open_round, school__obec_code=A)
    StudentRecord.objects.filter(entry=entry).get()
    RoundSchool.objects.filter(pk=entry.pk).delete()
    assert list(StudentRecord.objects.values_list("entry__school__obec_code", flat=True)) == [B]
    DataImport.objects.filter(round=open_round).delete()
    assert not StudentRecord.objects.exists()


@pytest.mark.django_db
def test_the_spelling_caches_change_no_outcome(open_round, people, monkeypatch):
    """Each spelling of a grade, gender and birth date is read once; with the caches off (or a
    file with more spellings than they keep) every row comes out the same."""
    r = open_round
    day = r.deadline_on - datetime.timedelta(days=365 * 7 + 40)
    rows = [STUDENT_HEADER]
    for n in range(12):
        rows.append(
            [
                A if n % 3 else B,
                nid(100 + n),
                f"ชื่อ{n}",
                "" if n == 5 else "สกุล",
                ["ป.2", "ป2", " ป.2 ", "ประถมศึกษาปีที่ 2"][n % 4],
                ["ช", "ชาย", " ญ", "หญิง", "?"][n % 5],
                [
                    f"{day.day:02d}/{day.month:02d}/{day.year + 543}",
                    f"{day.year + 543}-{day.month:02d}-{day.day:02d}",
                    born(14, r),
                    "",
                ][n % 4],
            ]
        )

    def outcome():
        return sorted(
            StudentRecord.objects.filter(is_current=True).values_list(
                "row_number",
                "entry__school__obec_code",
                "grade",
                "gender",
                "birth_date",
                "has_problems",
                "first_name",
                "last_name",
            )
        ), sorted(Finding.objects.values_list("row_number", "rule", "detail"))

    monkeypatch.setattr(importing, "CACHE_LIMIT", 0)
    run_import(r, people["staff"], csv_upload(rows))
    uncached = outcome()
    monkeypatch.undo()
    Finding.objects.all().delete()
    run_import(r, people["staff"], csv_upload(rows))
    assert outcome() == uncached
    assert {rule for _row, rule, _detail in uncached[1]} == {"missing", "age"}
    assert GradeCount.objects.filter(is_current=True).count() == 2


@pytest.mark.django_db
def test_rows_shorter_or_longer_than_the_header_are_read_by_their_columns(open_round, people):
    r = open_round
    rows = [
        STUDENT_HEADER,
        [A, nid(1), "ก", "ข", "ป.1", "ช", born(6, r), "หมายเหตุ", "เกิน"],
        [A, nid(2), "ค", "ง", "ป.1"],  # gender and birth date cut off: a finding, not an error
    ]
    data_import = run_import(r, people["staff"], csv_upload(rows))
    assert data_import.status == DataImport.Status.DONE, data_import.errors
    long_row, short_row = StudentRecord.objects.order_by("row_number")
    assert (long_row.gender, long_row.has_problems) == ("M", False)
    assert (short_row.gender, short_row.birth_date, short_row.has_problems) == ("", None, True)
    assert "เพศ, วันเกิด" in Finding.objects.get(row_number=3).detail


def _worker_connection(import_id: int):
    """A second connection holding an import's worker mark, as a live worker's does."""
    worker = connections.create_connection(DEFAULT_DB_ALIAS)
    with worker.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [services._IMPORT_LOCKS, import_id])
    return worker


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_died_ends_failed_and_a_live_one_is_left_running(open_round, people):
    from django.core.files.base import ContentFile

    def stuck(status: str) -> DataImport:
        data_import = DataImport(
            round=open_round,
            original_name="dmc.csv",
            file_format="csv",
            uploaded_by=people["staff"],
            status=status,
        )
        data_import.file.save("dmc.csv", ContentFile(b"plain national IDs"), save=False)
        data_import.save()
        return data_import

    dead, alive = stuck(DataImport.Status.RUNNING), stuck(DataImport.Status.APPLYING)
    upload = dead.file.name
    worker = _worker_connection(alive.pk)
    try:
        assert services.imports_settle_abandoned() == 1
        dead.refresh_from_db()
        alive.refresh_from_db()
        assert dead.status == DataImport.Status.FAILED and dead.finished_at is not None
        assert "หยุดกลางคัน" in dead.errors[0]["message"]
        assert not dead.file and not dead.file.storage.exists(upload)  # no plain IDs left
        assert alive.status == DataImport.Status.APPLYING and alive.file
    finally:
        worker.close()  # the live worker's connection goes, as a killed worker's does
    assert services.imports_settle_abandoned() == 1
    alive.refresh_from_db()
    assert alive.status == DataImport.Status.FAILED
    assert services.imports_settle_abandoned() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_finished_import_leaves_no_worker_mark(open_round, people):
    rows = [STUDENT_HEADER, [A, nid(1), "ก", "ข", "ป.1", "ช", born(6, open_round)]]
    data_import = run_import(open_round, people["staff"], csv_upload(rows))
    assert data_import.status == DataImport.Status.DONE
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", [services._IMPORT_LOCKS, data_import.pk]
            )
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


@pytest.mark.django_db
def test_settling_abandoned_imports_is_a_no_op_without_postgresql(open_round, people):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("the SQLite behaviour")
    DataImport.objects.create(
        round=open_round,
        original_name="dmc.csv",
        file_format="csv",
        uploaded_by=people["staff"],
        status=DataImport.Status.RUNNING,
    )
    assert services.imports_settle_abandoned() == 0
