"""A DMC import with the S3 settings: the upload lands in the bucket, the worker reads it from
there (an XLSX too, which has no local path to open), and the file leaves the bucket once its
rows are in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from dmc_emis.models import DataImport, GradeCount, RoundSchool
from dmc_emis.services import import_run, import_upload
from tests.s3_storage import bucket_keys

from .helpers import COUNT_HEADER, csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db

A, B = "1090010001", "1090010002"  # the `school` and `other_school` fixtures
ROWS = [COUNT_HEADER, [A, "ป.1", 10, 12], [A, "ป.2", 8, 9], [B, "อ.1", 5, 5]]


@pytest.mark.parametrize("upload", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])
def test_an_import_is_read_from_the_bucket_and_removed_from_it(
    s3_bucket, open_round, people, upload
):
    data_import = import_upload(round_=open_round, user=people["staff"], upload=upload(ROWS))
    assert bucket_keys(s3_bucket) == [data_import.file.name]
    assert data_import.file.name.startswith("dmc_imports/")
    assert not Path(settings.MEDIA_ROOT).exists()

    assert import_run(import_id=data_import.pk) == "done"
    data_import.refresh_from_db()
    assert data_import.status == DataImport.Status.DONE, data_import.errors
    assert data_import.rows_read == 3
    entry = RoundSchool.objects.get(round=open_round, school__obec_code=A)
    assert (entry.male, entry.female, entry.student_total) == (18, 21, 39)
    assert GradeCount.objects.filter(entry=entry, is_current=True).count() == 2
    # No plain copy of the file stays anywhere once its rows are in.
    assert bucket_keys(s3_bucket) == [] and not data_import.file
    assert not Path(settings.MEDIA_ROOT).exists()


def test_a_damaged_xlsx_in_the_bucket_fails_with_a_thai_message(s3_bucket, open_round, people):
    good = xlsx_upload(ROWS).read()
    damaged = SimpleUploadedFile("dmc.xlsx", good[: len(good) // 2])  # a cut-off zip
    data_import = import_upload(round_=open_round, user=people["staff"], upload=damaged)
    import_run(import_id=data_import.pk)
    data_import.refresh_from_db()
    assert data_import.status == DataImport.Status.FAILED
    assert "XLSX" in data_import.errors[0]["message"]
    assert bucket_keys(s3_bucket) == []
