"""Writes for the asset register: the spreadsheet import, queued to Celery with its progress.

`asset_import_start` stores the upload through Django's storage API and queues the import on
commit; `asset_import_run` (the worker) checks every row in batches, committing the count of
rows checked after each, then stores the whole file in one transaction, or nothing when any
row is wrong. The uploaded file is removed once the import has finished, whatever the outcome.
"""

from __future__ import annotations

import datetime
import logging
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from repairs.models import AssetImport
from repairs.resources import ImportResult, check_assets, load_asset_dataset, store_assets
from repairs.selectors_assets import can_manage_assets

logger = logging.getLogger(__name__)

IMPORT_FORMATS = {".xlsx": "xlsx", ".csv": "csv"}
BROKEN_FILE = "อ่านไฟล์ไม่สำเร็จ ไฟล์อาจเสียหาย ระบบไม่ได้บันทึกข้อมูลใดจากไฟล์นี้"


def asset_import_start(*, user: User, upload: UploadedFile, dry_run: bool) -> AssetImport:
    """Keep the file and queue its import (after the transaction commits)."""
    if not can_manage_assets(user) or user.office is None:
        raise PermissionDenied(_("Only the office's staff import the asset register."))
    name = Path(upload.name or "assets").name
    with transaction.atomic():
        asset_import = AssetImport(
            office=user.office,
            original_name=name[:255],
            file_format=IMPORT_FORMATS.get(Path(name).suffix.lower(), "csv"),
            dry_run=dry_run,
            uploaded_by=user,
        )
        asset_import.file.save(name, upload, save=False)
        asset_import.save()
        transaction.on_commit(lambda: _queue(asset_import.pk))
    return asset_import


def _queue(import_id: int) -> None:
    from repairs.tasks import run_asset_import_task

    try:
        run_asset_import_task.delay(import_id)
    except Exception:  # a broker outage: the daily pass picks queued imports up
        logger.warning("Broker unavailable; asset import %s waits for the next pass.", import_id)


def _error_rows(result: ImportResult) -> list[dict]:
    return [{"row": error.row, "message": "; ".join(error.messages)} for error in result.errors]


def _finish(asset_import: AssetImport, status: str, **values) -> str:
    AssetImport.objects.filter(pk=asset_import.pk).update(
        status=status, finished_at=timezone.now(), **values
    )
    if asset_import.file:
        asset_import.file.delete(save=False)
        AssetImport.objects.filter(pk=asset_import.pk).update(file="")
    return str(status)


def asset_import_run(*, import_id: int) -> str:
    """Check, then store, one queued import. Idempotent: only a queued import is claimed."""
    claimed = AssetImport.objects.filter(pk=import_id, status=AssetImport.Status.QUEUED).update(
        status=AssetImport.Status.CHECKING
    )
    if not claimed:
        return "skipped"
    asset_import = AssetImport.objects.select_related("office").get(pk=import_id)
    try:
        with asset_import.file.open("rb") as handle:
            data = handle.read()
        dataset = load_asset_dataset(data, asset_import.file_format)
        if isinstance(dataset, ImportResult):
            return _finish(asset_import, AssetImport.Status.FAILED, errors=_error_rows(dataset))
        total = len(dataset)
        AssetImport.objects.filter(pk=import_id).update(rows_total=total)

        def progress(done: int) -> None:
            AssetImport.objects.filter(pk=import_id).update(rows_done=done)

        checked = check_assets(dataset, office=asset_import.office, progress=progress)
        counts = {"created_count": checked.created, "updated_count": checked.updated}
        if checked.has_errors:
            return _finish(asset_import, AssetImport.Status.FAILED, errors=_error_rows(checked))
        if asset_import.dry_run:
            return _finish(asset_import, AssetImport.Status.CHECKED, **counts)
        AssetImport.objects.filter(pk=import_id).update(status=AssetImport.Status.STORING)
        stored = store_assets(dataset, office=asset_import.office)
    except Exception:
        # Whatever broke, the import must not stay "checking" (store_assets rolled back).
        logger.exception("Asset import %s failed", import_id)
        return _finish(
            asset_import, AssetImport.Status.FAILED, errors=[{"row": None, "message": BROKEN_FILE}]
        )
    if stored.has_errors:  # the register changed between the check and the store
        return _finish(asset_import, AssetImport.Status.FAILED, errors=_error_rows(stored))
    return _finish(
        asset_import,
        AssetImport.Status.DONE,
        created_count=stored.created,
        updated_count=stored.updated,
    )


def requeue_stalled_asset_imports() -> int:
    """Imports still queued an hour after upload (the broker was down): queue them again."""
    stale = timezone.now() - datetime.timedelta(hours=1)
    ids = list(
        AssetImport.objects.filter(
            status=AssetImport.Status.QUEUED, created_at__lt=stale
        ).values_list("pk", flat=True)
    )
    for import_id in ids:
        _queue(import_id)
    return len(ids)
