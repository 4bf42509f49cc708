"""core.import_jobs: the batch loop, the end of a job whatever happens, and the periodic pass
that queues again the imports a broker outage left waiting (every app's job model)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import SchoolImport
from core import import_jobs
from core.import_jobs import Checked, ImportFileError, RowError, check_in_batches, import_job_run
from repairs.models import AssetImport
from trainings.models import ParticipantImport


def test_batches_report_progress_and_keep_the_files_row_numbers():
    seen: list[tuple[int, int]] = []
    progress: list[int] = []

    def check_batch(start, stop):
        seen.append((start, stop))
        return Checked(created=stop - start, errors=[RowError(stop + 1, ("ผิด",))])

    result = check_in_batches(5, check_batch, progress=progress.append, batch_size=2)
    assert seen == [(0, 2), (2, 4), (4, 5)]
    assert progress == [2, 4, 5]
    assert result.created == 5
    assert [error.row for error in result.errors] == [3, 5, 6]


def test_a_whole_file_problem_stops_at_the_first_batch():
    def check_batch(start, stop):
        return Checked(errors=[RowError(None, ("ไม่พบคอลัมน์",))])

    result = check_in_batches(10, check_batch, batch_size=2)
    assert [str(error) for error in result.errors] == ["ไม่พบคอลัมน์"]


def test_checking_stops_after_too_many_wrong_rows():
    def check_batch(start, stop):
        return Checked(errors=[RowError(row + 2, ("ผิด",)) for row in range(start, stop)])

    result = check_in_batches(100, check_batch, batch_size=10, max_errors=15)
    assert len(result.errors) == 21  # two batches, then the note
    assert result.errors[-1].row is None and "หยุดตรวจ" in result.errors[-1].messages[0]
    assert str(result.errors[0]) == "แถวที่ 2: ผิด"


class _Steps:
    """Steps that fail as told, to see how the job ends."""

    fail_at = ""

    def __init__(self, job):
        self.job = job

    def read(self, data):
        if self.fail_at == "read":
            raise ImportFileError("อ่านไฟล์ไม่ได้")
        return len(data.splitlines())

    def check(self, progress):
        progress(2)
        return Checked(created=2)

    def store(self):
        if self.fail_at == "store":
            raise RuntimeError("disk full")
        return Checked(created=2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fail_at", "outcome", "message"),
    [
        ("", "done", None),
        ("read", "failed", "อ่านไฟล์ไม่ได้"),
        ("store", "failed", "ไม่ได้บันทึกข้อมูลใด"),
    ],
)
def test_a_job_always_ends_and_its_upload_is_removed(
    people, monkeypatch, fail_at, outcome, message
):
    monkeypatch.setattr(_Steps, "fail_at", fail_at)
    job = SchoolImport(office=people["staff"].office, uploaded_by=people["staff"])
    job = import_jobs.import_job_start(
        job, SimpleUploadedFile("a.csv", b"h\n1\n"), queue=lambda pk: None
    )
    stored_name = job.file.name
    assert import_job_run(SchoolImport, job.pk, _Steps) == outcome
    job.refresh_from_db()
    assert job.finished_at is not None and not job.file
    assert not job.file.storage.exists(stored_name)
    assert job.rows_total == 2 or fail_at == "read"
    if message:
        assert message in job.errors[0]["message"]
    else:
        assert (job.created_count, job.percent) == (2, 100)


@pytest.mark.django_db
def test_stalled_imports_of_every_app_are_queued_again(people, plan_definition, monkeypatch):
    from accounts import tasks as account_tasks
    from processes.services import case_start
    from repairs import tasks as repair_tasks
    from trainings import tasks as training_tasks
    from trainings.models import Training

    sent: list[tuple[str, int]] = []
    for name, module, task in [
        ("schools", account_tasks, "run_school_import_task"),
        ("assets", repair_tasks, "run_asset_import_task"),
        ("lists", training_tasks, "run_participant_list_task"),
    ]:
        monkeypatch.setattr(
            getattr(module, task), "delay", lambda pk, name=name: sent.append((name, pk))
        )
    staff, office = people["staff"], people["staff"].office
    old = timezone.now() - datetime.timedelta(hours=2)
    school_job = SchoolImport.objects.create(office=office, uploaded_by=staff)
    asset_job = AssetImport.objects.create(office=office, uploaded_by=staff)
    AssetImport.objects.create(office=office, uploaded_by=staff)  # just uploaded: waits
    case = case_start(definition=plan_definition, requester=staff, title="แผน")
    training = Training.objects.create(office=office, case=case, title="อบรม", created_by=staff)
    list_job = ParticipantImport.objects.create(training=training, uploaded_by=staff)
    jobs = [("schools", school_job.pk), ("assets", asset_job.pk), ("lists", list_job.pk)]
    ParticipantImport.objects.filter(pk=list_job.pk).update(created_at=old)
    SchoolImport.objects.filter(pk=school_job.pk).update(created_at=old)
    AssetImport.objects.filter(pk=asset_job.pk).update(created_at=old)
    AssetImport.objects.create(office=office, uploaded_by=staff, status="done")
    assert import_jobs.requeue_stalled() == len(jobs)
    assert sorted(sent) == sorted(jobs)


@pytest.mark.django_db
def test_the_periodic_task_runs_the_pass(monkeypatch):
    from core.tasks import requeue_stalled_imports_task

    monkeypatch.setattr(import_jobs, "requeue_stalled", lambda: 3)
    assert requeue_stalled_imports_task() == 3
