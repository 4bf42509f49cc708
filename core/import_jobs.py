"""Spreadsheet imports that run in Celery with their progress (assets, schools, participant lists).

An import is a row of a concrete `ImportJob` (an app's model on this abstract base): the upload
kept through Django's storage API, its status, the rows checked of all, the counts and the
row-numbered Thai errors. The web request only keeps the file and queues the job once its
transaction commits (`import_job_start`), so a request never parses a spreadsheet. The worker
(`import_job_run`) claims a queued job, reads the file, checks every row in batches
(`check_in_batches`, committing the count of rows checked after each, which the progress page
polls), then stores the whole file in one transaction, or nothing when any row is wrong. It
always ends DONE, CHECKED (a check only) or FAILED, and the upload is removed.

What differs between imports is an `ImportSteps` object (read the file, check, store); the
rules of each import stay in its app. Each app registers its job model and its queue function
(`register`) so `requeue_stalled` can queue again the imports a broker outage left waiting.
Imports no app of the project.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

import tablib
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import ColouredChoices

logger = logging.getLogger(__name__)

CHECK_BATCH_SIZE = 500
MAX_IMPORT_ERRORS = 500
# Rows of errors shown on the progress page; the rest are counted.
MAX_ERRORS_SHOWN = 200
STALLED_AFTER = datetime.timedelta(hours=1)
IMPORT_FORMATS = {".xlsx": "xlsx", ".csv": "csv"}
MAX_IMPORT_BYTES = 5 * 1024 * 1024
BROKEN_FILE = "อ่านไฟล์ไม่สำเร็จ ไฟล์อาจเสียหาย ระบบไม่ได้บันทึกข้อมูลใดจากไฟล์นี้"


# WHAT A CHECK FINDS
# ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row. `row` is the spreadsheet row (header = 1); None: whole file."""

    row: int | None
    messages: tuple[str, ...]

    def __str__(self) -> str:
        text = "; ".join(self.messages)
        return f"แถวที่ {self.row}: {text}" if self.row is not None else text

    def as_json(self) -> dict[str, Any]:
        """As the job row keeps it (and the progress page shows it)."""
        return {"row": self.row, "message": "; ".join(self.messages)}


class Outcome(Protocol):
    """What checking or storing some rows found (an app's own result type will do)."""

    created: int
    updated: int
    errors: list[RowError]


@dataclass
class Checked:
    """Counts and errors of a whole file; `fields` are more of the job's fields to set."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)


class ImportFileError(ValueError):
    """The file cannot be imported at all; `str(error)` says why, in Thai."""


class ImportSteps(Protocol):
    """One import's own rules, given to `import_job_run` for one job."""

    def read(self, data: bytes) -> int:
        """Parse the file (after `core.xlsx_guard.check_xlsx` for an XLSX) and keep its rows;
        answer how many there are. Raise `ImportFileError` for a file that cannot be read."""
        ...

    def check(self, progress: Callable[[int], None]) -> Outcome:
        """Check every row without storing anything, calling `progress(rows checked)`."""
        ...

    def store(self) -> Outcome:
        """Store every row in one transaction, or nothing (then the errors say why)."""
        ...


class OfficeDatasetSteps:
    """The steps of an import read into a tablib `Dataset` and checked and stored for the job's
    office by the app's own functions (the schools and the asset register share this shape).
    `load(data, file_format)` answers the dataset, or a result whose first error says why the
    file cannot be read; `check_rows(dataset, office=, progress=)` and
    `store_rows(dataset, office=)` are the app's rules."""

    def __init__(
        self,
        job: Any,
        *,
        load: Callable[[bytes, str], Any],
        check_rows: Callable[..., Outcome],
        store_rows: Callable[..., Outcome],
    ) -> None:
        self.job = job
        self.load, self.check_rows, self.store_rows = load, check_rows, store_rows
        self.dataset = tablib.Dataset()

    def read(self, data: bytes) -> int:
        dataset = self.load(data, self.job.file_format)
        if not isinstance(dataset, tablib.Dataset):
            raise ImportFileError(str(dataset.errors[0]))
        self.dataset = dataset
        return len(dataset)

    def check(self, progress: Callable[[int], None]) -> Outcome:
        return self.check_rows(self.dataset, office=self.job.office, progress=progress)

    def store(self) -> Outcome:
        return self.store_rows(self.dataset, office=self.job.office)


def check_in_batches(
    total: int,
    check_batch: Callable[[int, int], Outcome],
    *,
    progress: Callable[[int], None] | None = None,
    batch_size: int = CHECK_BATCH_SIZE,
    max_errors: int = MAX_IMPORT_ERRORS,
) -> Checked:
    """Check rows `[start, stop)` of `total` one batch at a time with `check_batch(start,
    stop)` (whose errors carry the file's own row numbers), calling `progress(rows checked)`
    after each batch. Stops at a whole-file problem (every batch would say it again) and after
    `max_errors` rows in error."""
    result = Checked()
    for start in range(0, total, batch_size):
        stop = min(start + batch_size, total)
        part = check_batch(start, stop)
        result.created += part.created
        result.updated += part.updated
        result.errors += part.errors
        if progress is not None:
            progress(stop)
        if any(error.row is None for error in part.errors):
            break
        if len(result.errors) >= max_errors:
            result.errors.append(
                RowError(None, (f"พบข้อผิดพลาดมากกว่า {max_errors:,} แถว หยุดตรวจแถวที่เหลือ",))
            )
            break
    return result


# THE JOB
# ------------------------------------------------------------------------------


class ImportJob(models.Model):
    """One uploaded file and how its background import went (abstract: each app's import is
    a model on this base, with what it imports into: an office, a training…)."""

    class Status(ColouredChoices):
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking the rows")
        STORING = "storing", _("Storing")
        DONE = "done", _("Imported")
        CHECKED = "checked", _("Checked, nothing stored")
        FAILED = "failed", _("Not imported")

        __colours__ = {
            "queued": "secondary",
            "checking": "primary",
            "storing": "primary",
            "done": "success",
            "checked": "info",
            "failed": "danger",
        }

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4)
    dry_run = models.BooleanField(_("check only"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("new records"), default=0)
    updated_count = models.PositiveIntegerField(_("updated records"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # The sentence the progress page shows once the file is stored, or checked only; filled
    # with `outcome_values()`.
    done_text: ClassVar[str | Promise] = _(
        "Imported: %(created)s new, %(updated)s updated of %(total)s rows."
    )
    checked_text: ClassVar[str | Promise] = _(
        "The file is correct (nothing stored yet): %(created)s new, %(updated)s "
        "updated of %(total)s rows."
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        """The job's progress page (each app's own URL)."""
        raise NotImplementedError

    @property
    def status_colour(self) -> str:
        return self.Status.colour_of(self.status)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.CHECKED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    def outcome_values(self) -> dict[str, Any]:
        return {
            "created": self.created_count,
            "updated": self.updated_count,
            "total": self.rows_total,
        }

    def outcome_text(self) -> str:
        """What the finished import did, in the reader's language ("" while it runs)."""
        if self.status == self.Status.DONE:
            return str(self.done_text) % self.outcome_values()
        if self.status == self.Status.CHECKED:
            return str(self.checked_text) % self.outcome_values()
        return ""


Job = TypeVar("Job", bound=ImportJob)

# Each app's job model and the function that queues one of its jobs (see `register`).
_QUEUES: dict[type[ImportJob], Callable[[int], None]] = {}


def register(model: type[ImportJob], queue: Callable[[int], None]) -> None:
    """Called from an app's `ready()`: `queue(job_id)` sends a job of `model` to the worker."""
    _QUEUES[model] = queue


def queue_safely(send: Callable[[int], object], job_id: int) -> None:
    """`send(job_id)` (a task's `delay`); a broker outage leaves the job for `requeue_stalled`."""
    try:
        send(job_id)
    except Exception:
        logger.warning("Broker unavailable; import %s waits for the next pass.", job_id)


def file_format_of(name: str) -> str:
    return IMPORT_FORMATS.get(Path(name).suffix.lower(), "csv")


def import_job_start(job: Job, upload: UploadedFile[bytes], queue: Callable[[int], None]) -> Job:
    """Keep the upload with the (unsaved) job and queue it once the transaction commits."""
    name = Path(upload.name or "import").name
    with transaction.atomic():
        job.original_name = name[:255]
        job.file.save(name, upload, save=False)
        job.save()
        transaction.on_commit(lambda: queue(job.pk))
    return job


def _finish(job: ImportJob, status: str, **values: Any) -> str:
    rows = type(job)._default_manager.filter(pk=job.pk)
    rows.update(status=status, finished_at=timezone.now(), **values)
    if job.file:
        job.file.delete(save=False)
        rows.update(file="")
    return str(status)


def _finish_failed(job: ImportJob, errors: list[RowError]) -> str:
    return _finish(job, ImportJob.Status.FAILED, errors=[error.as_json() for error in errors])


def _finish_with(job: ImportJob, status: str, outcome: Outcome) -> str:
    fields = outcome.fields if isinstance(outcome, Checked) else {}
    return _finish(
        job, status, created_count=outcome.created, updated_count=outcome.updated, **fields
    )


def import_job_run(model: type[Job], job_id: int, steps_for: Callable[[Job], ImportSteps]) -> str:
    """Check, then store, one queued job. Idempotent: only a queued job is claimed, so a task
    delivered twice (or queued again by `requeue_stalled`) runs it once."""
    jobs = model._default_manager.filter(pk=job_id)
    if not jobs.filter(status=ImportJob.Status.QUEUED).update(status=ImportJob.Status.CHECKING):
        return "skipped"
    job = jobs.get()

    def progress(done: int) -> None:
        jobs.update(rows_done=done)

    # Import messages are Thai whatever language the worker (or a test) runs in.
    with translation.override("th"):
        try:
            steps = steps_for(job)
            with job.file.open("rb") as handle:
                data = handle.read()
            jobs.update(rows_total=steps.read(data))
            checked = steps.check(progress)
            if checked.errors:
                return _finish_failed(job, checked.errors)
            if job.dry_run:
                return _finish_with(job, ImportJob.Status.CHECKED, checked)
            jobs.update(status=ImportJob.Status.STORING)
            stored = steps.store()
        except ImportFileError as error:
            return _finish_failed(job, [RowError(None, (str(error),))])
        except Exception:
            # Whatever broke, the job must not stay "checking" (the store rolled back).
            logger.exception("Import %s %s failed", model.__name__, job_id)
            return _finish_failed(job, [RowError(None, (BROKEN_FILE,))])
    if stored.errors:  # the data changed between the check and the store
        return _finish_failed(job, stored.errors)
    return _finish_with(job, ImportJob.Status.DONE, stored)


def requeue_stalled(*, now: datetime.datetime | None = None) -> int:
    """Jobs still queued an hour after upload (the broker was down): queue them again."""
    stale = (now or timezone.now()) - STALLED_AFTER
    count = 0
    for model, queue in _QUEUES.items():
        waiting = model._default_manager.filter(
            status=ImportJob.Status.QUEUED, created_at__lt=stale
        ).values_list("pk", flat=True)
        for job_id in list(waiting):
            queue(job_id)
            count += 1
    return count


# THE PAGES
# ------------------------------------------------------------------------------


class SpreadsheetImportForm(forms.Form):
    """An .xlsx or .csv file of at most 5 MB, and whether to check it only."""

    file = forms.FileField(
        label=_("Spreadsheet file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label=_("Check only, do not store"), required=False)

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in IMPORT_FORMATS:
            raise forms.ValidationError(gettext("Only .xlsx or .csv files can be imported."))
        if (upload.size or 0) > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than 5 MB; split it into several files.")
            )
        return upload


def import_job_page(
    request: HttpRequest, job: ImportJob, template: str, **context: Any
) -> HttpResponse:
    """The job's page (`template`, which includes "includes/import_progress.html"), or only
    that progress part when htmx asks for it again. `context` gives the part its links:
    `again_url` (import another file), `back_url` and `back_label`."""
    errors = job.errors if isinstance(job.errors, list) else []
    context = {
        **context,
        "job": job,
        "errors": errors[:MAX_ERRORS_SHOWN],
        "errors_hidden": max(0, len(errors) - MAX_ERRORS_SHOWN),
    }
    if request.headers.get("HX-Request"):
        return render(request, "includes/import_progress.html", context)
    return render(request, template, context)
