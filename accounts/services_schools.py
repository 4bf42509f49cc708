"""The list of schools from a spreadsheet, imported in Celery with its progress.

`school_import_start` keeps the upload through Django's storage API and queues the import on
commit; `school_import_run` (the worker) checks every row in batches, committing the count of
rows checked after each, then stores the whole file in one transaction, or nothing when any row
is wrong (core.import_jobs). An office admin's file may hold only the schools of their office;
a superuser's, schools of any office.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.models import SchoolImport, User
from accounts.resources import (
    check_schools,
    load_school_dataset,
    store_schools,
)
from accounts.selectors import can_import_schools
from core.import_jobs import (
    OfficeDatasetSteps,
    file_format_of,
    import_job_run,
    import_job_start,
    queue_safely,
)


def school_import_start(*, user: User, upload: UploadedFile, dry_run: bool) -> SchoolImport:
    """Keep the file and queue its import (after the transaction commits)."""
    if not can_import_schools(user) or (user.office is None and not user.is_superuser):
        raise PermissionDenied(_("Only the office's administrators import the list of schools."))
    job = SchoolImport(
        office=None if user.is_superuser else user.office,
        file_format=file_format_of(upload.name or ""),
        dry_run=dry_run,
        uploaded_by=user,
    )
    return import_job_start(job, upload, queue_school_import)


def queue_school_import(import_id: int) -> None:
    from accounts.tasks import run_school_import_task

    queue_safely(run_school_import_task.delay, import_id)


def school_import_run(*, import_id: int) -> str:
    """Check, then store, one queued import. Idempotent: only a queued import is claimed."""
    return import_job_run(
        SchoolImport,
        import_id,
        lambda job: OfficeDatasetSteps(
            job, load=load_school_dataset, check_rows=check_schools, store_rows=store_schools
        ),
    )
