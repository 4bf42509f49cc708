"""The asset import runs in Celery with its progress: queued on commit, rows checked in batches
(the count committed after each batch), row-numbered Thai errors and nothing stored for a file
with any wrong row, a broken or crafted file ends as failed, and only a queued import runs."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.models import Office
from repairs import resources
from repairs.models import Asset, AssetImport
from repairs.services_assets import asset_import_run, asset_import_start
from tests.dmc_emis.test_hostile_files import crafted_xlsx
from tests.factories import make_user
from tests.repairs.test_assets import HEADER_ROW, a_row

pytestmark = pytest.mark.django_db


def xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER_ROW)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("assets.xlsx", buffer.getvalue())


def rows(count, school_code="1090010001"):
    return [a_row(school_code=school_code, number=f"7440-{n:04d}") for n in range(count)]


def test_the_upload_is_kept_and_queued_on_commit_only(
    people, school, monkeypatch, django_capture_on_commit_callbacks
):
    from repairs import tasks

    queued = []
    monkeypatch.setattr(tasks.run_asset_import_task, "delay", queued.append)
    with django_capture_on_commit_callbacks() as callbacks:
        asset_import = asset_import_start(user=people["staff"], upload=xlsx(rows(2)), dry_run=False)
        assert queued == []  # nothing is queued before the transaction commits
    assert asset_import.status == AssetImport.Status.QUEUED
    assert asset_import.file.storage.exists(asset_import.file.name)
    for callback in callbacks:
        callback()
    assert queued == [asset_import.pk]
    assert not Asset.objects.exists()  # the request parsed nothing


def test_progress_is_committed_batch_by_batch(people, school, monkeypatch):
    asset_import = asset_import_start(user=people["staff"], upload=xlsx(rows(5)), dry_run=False)
    seen = []
    original_check = resources.check_assets

    def check_in_pairs(dataset, *, office, progress):
        def progress_then_read(done):
            progress(done)
            # What the progress page (another request) reads at this moment.
            seen.append(AssetImport.objects.get(pk=asset_import.pk).rows_done)

        return original_check(dataset, office=office, progress=progress_then_read, batch_size=2)

    monkeypatch.setattr("repairs.services_assets.check_assets", check_in_pairs)
    assert asset_import_run(import_id=asset_import.pk) == "done"
    assert seen == [2, 4, 5]
    asset_import.refresh_from_db()
    assert (asset_import.rows_done, asset_import.rows_total) == (5, 5)
    assert asset_import.percent == 100
    assert Asset.objects.count() == 5


def test_row_numbers_and_duplicates_are_the_whole_files_across_batches(people, school):
    data = rows(5)
    data[4][4] = data[0][4]  # row 6 repeats the asset number of row 2, in another batch
    data[3][7] = "15/03/2026"  # row 5: a Gregorian year
    dataset = resources.load_asset_dataset(xlsx(data).read(), "xlsx")
    result = resources.check_assets(dataset, office=school.office, batch_size=2)
    assert [error.row for error in result.errors] == [5, 6]
    assert "ซ้ำกับแถวที่ 2" in str(result.errors[1])
    assert not Asset.objects.exists()


def test_a_file_with_a_wrong_row_stores_nothing_and_keeps_thai_errors(client, people, school):
    data = rows(3)
    data[2][5] = "1099999999"
    asset_import = asset_import_start(user=people["staff"], upload=xlsx(data), dry_run=False)
    assert asset_import_run(import_id=asset_import.pk) == "failed"
    asset_import.refresh_from_db()
    assert asset_import.errors == [
        {"row": 4, "message": asset_import.errors[0]["message"]},
    ]
    assert "ไม่พบโรงเรียนรหัส 1099999999" in asset_import.errors[0]["message"]
    assert not Asset.objects.exists()
    assert not asset_import.file  # the upload is removed
    client.force_login(people["staff"])
    page = client.get(asset_import.get_absolute_url())
    assert "แถวที่ 4:" in page.text and "ไม่ได้บันทึกข้อมูลใด" in page.text


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (crafted_xlsx(dimension="A1:B1048576"), "แถว"),  # a tiny file declaring 1M rows
        (crafted_xlsx(sheet_padding="<x/>" * 400_000), "บีบอัดผิดปกติ"),  # a zip bomb
        (b"PK\x03\x04 not really a zip", "อ่านไฟล์ Excel"),
    ],
)
def test_a_crafted_or_broken_file_fails_with_a_thai_message(people, school, data, words):
    upload = SimpleUploadedFile("assets.xlsx", data)
    asset_import = asset_import_start(user=people["staff"], upload=upload, dry_run=False)
    assert asset_import_run(import_id=asset_import.pk) == "failed"
    asset_import.refresh_from_db()
    assert asset_import.status == AssetImport.Status.FAILED
    assert words in asset_import.errors[0]["message"]
    assert asset_import.errors[0]["row"] is None
    assert not Asset.objects.exists()


def test_an_unexpected_crash_ends_the_import_as_failed(people, school, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("parser bug")

    monkeypatch.setattr("repairs.services_assets.store_assets", boom)
    asset_import = asset_import_start(user=people["staff"], upload=xlsx(rows(2)), dry_run=False)
    assert asset_import_run(import_id=asset_import.pk) == "failed"
    asset_import.refresh_from_db()
    assert asset_import.status == AssetImport.Status.FAILED
    assert "ไม่ได้บันทึกข้อมูลใด" in asset_import.errors[0]["message"]
    assert not Asset.objects.exists()


def test_only_a_queued_import_runs(people, school):
    asset_import = asset_import_start(user=people["staff"], upload=xlsx(rows(1)), dry_run=False)
    assert asset_import_run(import_id=asset_import.pk) == "done"
    assert asset_import_run(import_id=asset_import.pk) == "skipped"
    assert Asset.objects.count() == 1


def test_the_progress_part_polls_until_finished(client, people, school):
    asset_import = asset_import_start(user=people["staff"], upload=xlsx(rows(3)), dry_run=False)
    client.force_login(people["staff"])
    waiting = client.get(asset_import.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert waiting.status_code == 200
    assert "hx-get" in waiting.text and "<html" not in waiting.text
    asset_import_run(import_id=asset_import.pk)
    done = client.get(asset_import.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert "hx-get" not in done.text
    assert "3 จาก 3 แถว" in done.text


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("school_user", 404),
        ("school_director", 404),
        ("deputy_director", 404),
        ("director", 404),
        ("outsider", 404),  # staff of another office
        ("group_head", 200),
        ("admin", 200),
        ("staff", 200),
    ],
)
def test_who_sees_an_import(client, people, school, role, status):
    if role == "outsider":
        far = Office.objects.create(code="9009", name_th="สพม.อื่น", kind=Office.Kind.SECONDARY)
        user = make_user("staff", office=far, username="far")
    elif role == "admin":
        user = make_user("admin", office=school.office, username="portal_admin")
    else:
        user = people[role]
    asset_import = asset_import_start(user=people["staff"], upload=xlsx(rows(1)), dry_run=False)
    client.force_login(user)
    assert client.get(asset_import.get_absolute_url()).status_code == status
