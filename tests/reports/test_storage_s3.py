"""The yearly files with the S3 settings: built by a worker, stored in the bucket, served to the
person from the bucket through the access-checked view, and nothing on the node's disk."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleCode
from core import thaitime
from reports.models import ReportJob
from reports.services import report_job_run
from tests.factories import make_user
from tests.s3_storage import BUCKET, bucket_bytes, bucket_keys

pytestmark = pytest.mark.django_db

CURRENT = thaitime.fiscal_year_of(timezone.localdate())


@pytest.fixture
def admin_user(office):
    return make_user(RoleCode.ADMIN, office=office, username="officeadmin")


def pack_job(user) -> ReportJob:
    return ReportJob.objects.create(
        office=user.office, kind=ReportJob.Kind.EXPORT_PACK, fiscal_year=CURRENT, requested_by=user
    )


def test_the_export_pack_goes_to_the_bucket_and_is_served_from_it(
    s3_bucket, client, people, admin_user
):
    job = report_job_run(job_id=pack_job(admin_user).pk)
    assert job.status == ReportJob.Status.DONE
    assert bucket_keys(s3_bucket) == [job.file]
    assert job.file == f"reports/{job.office.code}/{CURRENT}/{job.download_name}"
    stored = bucket_bytes(s3_bucket, job.file)
    assert job.size == len(stored)
    assert "processes/cases.xlsx" in zipfile.ZipFile(io.BytesIO(stored)).namelist()
    assert not Path(settings.MEDIA_ROOT).exists()  # the node's disk holds nothing

    client.force_login(admin_user)
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]

    # The group head may have the yearly report but not the pack, wherever the file is kept.
    client.force_login(people["group_head"])
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 403

    # A file gone from the bucket is a 404, not an error page.
    s3_bucket.delete_object(Bucket=BUCKET, Key=job.file)
    client.force_login(admin_user)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_a_rerun_replaces_a_file_left_by_a_worker_that_died_after_storing_it(s3_bucket, admin_user):
    job = pack_job(admin_user)
    name = f"reports/{admin_user.office.code}/{CURRENT}/{job.download_name}"
    s3_bucket.put_object(Bucket=BUCKET, Key=name, Body=b"left by a dead worker")
    job = report_job_run(job_id=job.pk)
    assert job.file == name and bucket_keys(s3_bucket) == [name]
    assert zipfile.is_zipfile(io.BytesIO(bucket_bytes(s3_bucket, name)))


def test_a_failed_build_stores_nothing_in_the_bucket(s3_bucket, admin_user, monkeypatch):
    from reports import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "xlsx_bytes", broken)
    job = pack_job(admin_user)
    with pytest.raises(RuntimeError):
        report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and not job.file
    assert bucket_keys(s3_bucket) == []
