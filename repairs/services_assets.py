"""Writes for the asset register: the spreadsheet import, queued to Celery with its progress.

`asset_import_start` stores the upload through Django's storage API and queues the import on
commit; `asset_import_run` (the worker) checks every row in batches, committing the count of
rows checked after each, then stores the whole file in one transaction, or nothing when any
row is wrong (core.import_jobs). The uploaded file is removed once the import has finished,
whatever the outcome.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.models import User
from core.import_jobs import (
    OfficeDatasetSteps,
    file_format_of,
    import_job_run,
    import_job_start,
    queue_safely,
)
from repairs.models import AssetImport
from repairs.resources import check_assets, load_asset_dataset, store_assets
from repairs.selectors_assets import can_manage_assets


def asset_import_start(*, user: User, upload: UploadedFile, dry_run: bool) -> AssetImport:
    """Keep the file and queue its import (after the transaction commits)."""
    if not can_manage_assets(user) or user.office is None:
        raise PermissionDenied(_("Only the office's staff import the asset register."))
    job = AssetImport(
        office=user.office,
        file_format=file_format_of(upload.name or ""),
        dry_run=dry_run,
        uploaded_by=user,
    )
    return import_job_start(job, upload, queue_asset_import)


def queue_asset_import(import_id: int) -> None:
    from repairs.tasks import run_asset_import_task

    queue_safely(run_asset_import_task.delay, import_id)


def asset_import_run(*, import_id: int) -> str:
    """Check, then store, one queued import. Idempotent: only a queued import is claimed."""
    return import_job_run(
        AssetImport,
        import_id,
        lambda job: OfficeDatasetSteps(
            job, load=load_asset_dataset, check_rows=check_assets, store_rows=store_assets
        ),
    )
