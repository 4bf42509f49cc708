"""Participant lists from a spreadsheet, added in Celery with their progress.

`participant_list_start` keeps the upload through Django's storage API and queues the import on
commit; `participant_list_run` (the worker) reads the list behind the XLSX guard, checks every
row in batches (committing the count of rows checked after each), then adds the whole list in
one transaction (`services.participants_import`), or nobody when any row is wrong
(core.import_jobs).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.models import User
from core.import_jobs import (
    Checked,
    ImportFileError,
    Outcome,
    RowError,
    check_in_batches,
    import_job_run,
    import_job_start,
    queue_safely,
)
from trainings.models import ParticipantImport, Training
from trainings.resources import ListFileError, read_participant_rows
from trainings.selectors import can_manage
from trainings.services import ParticipantList, participants_import


def participant_list_start(
    *, user: User, training: Training, upload: UploadedFile
) -> ParticipantImport:
    """Keep the list and queue its import (after the transaction commits)."""
    if not can_manage(user, training.office_id):
        raise PermissionDenied(_("Only the office's staff and group head run trainings."))
    job = ParticipantImport(training=training, file_format="xlsx", uploaded_by=user)
    return import_job_start(job, upload, queue_participant_list)


def queue_participant_list(import_id: int) -> None:
    from trainings.tasks import run_participant_list_task

    queue_safely(run_participant_list_task.delay, import_id)


class ParticipantListSteps:
    """The participant list's own rules for `core.import_jobs.import_job_run`."""

    def __init__(self, job: ParticipantImport) -> None:
        self.job = job
        self.rows: list[dict[str, str]] = []

    def read(self, data: bytes) -> int:
        try:
            self.rows = read_participant_rows(data)
        except ListFileError as error:
            raise ImportFileError(str(error)) from error
        return len(self.rows)

    def check(self, progress: Callable[[int], None]) -> Outcome:
        training, user = self.job.training, self.job.uploaded_by
        if not can_manage(user, training.office_id):
            raise ImportFileError(_("Only the office's staff and group head run trainings."))
        people = ParticipantList(user=user, training=training)

        def check_batch(start: int, stop: int) -> Checked:
            before = len(people.new)
            errors = people.read(self.rows[start:stop], first_row=start + 2)
            return Checked(created=len(people.new) - before, errors=errors)

        checked = check_in_batches(len(self.rows), check_batch, progress=progress)
        if not checked.errors and (seats := people.seats_problem()):
            checked.errors.append(RowError(None, (seats,)))
        checked.fields = {"already": people.already}
        return checked

    def store(self) -> Outcome:
        try:
            result = participants_import(
                user=self.job.uploaded_by, training=self.job.training, rows=self.rows
            )
        except ValidationError as error:
            return Checked(errors=[RowError(None, (message,)) for message in error.messages])
        return Checked(created=len(result.added), fields={"already": result.already})


def participant_list_run(*, import_id: int) -> str:
    """Check, then store, one queued list. Idempotent: only a queued import is claimed."""
    return import_job_run(ParticipantImport, import_id, ParticipantListSteps)
