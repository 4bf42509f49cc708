"""Reports: the long-running documents the portal produces in the background.

A ReportJob is one yearly report (PDF) or one yearly export pack (ZIP of XLSX) of an office
for a fiscal year: who asked (nobody, when Celery beat did), its parameters, its progress
while a worker builds it, and the finished file in the default storage (local disk or the
shared S3-compatible store; served only through an access-checked view). The file is built in a
temporary file and stored only when complete, so a worker killed mid-way leaves no half file;
the job is simply run again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ColouredChoices


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        YEARLY_REPORT = "yearly_report", _("Yearly report (PDF)")
        EXPORT_PACK = "export_pack", _("Yearly export pack (ZIP)")

    class Status(ColouredChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

        __colours__ = {
            "queued": "secondary",
            "running": "secondary",
            "done": "success",
            "failed": "danger",
        }

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("Requested")
        SCHEDULED = "scheduled", _("Scheduled")

    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="report_jobs",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    trigger = models.CharField(
        _("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.MANUAL
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("stage"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The file's name in the default storage; set only once the storage holds all of it.
    file = models.CharField(_("file"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Touched by every progress step: a running job whose heartbeat is old lost its worker.
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Beat produces one report and one pack per office and fiscal year, however often
            # it runs; people may ask for more (after late corrections, for instance).
            models.UniqueConstraint(
                fields=["office", "kind", "fiscal_year"],
                condition=Q(trigger="scheduled"),
                name="one_scheduled_report_per_office_year",
            ),
        ]
        indexes = [models.Index(fields=["office", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.fiscal_year} ({self.office})"

    def get_absolute_url(self) -> str:
        return reverse("reports:job", args=[self.pk])

    @property
    def status_colour(self) -> str:
        """The Bootstrap colour of the status, from the choices."""
        return self.Status.colour_of(self.status)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def extension(self) -> str:
        return "pdf" if self.kind == self.Kind.YEARLY_REPORT else "zip"

    @property
    def download_name(self) -> str:
        stem = "yearly-report" if self.kind == self.Kind.YEARLY_REPORT else "export-pack"
        return f"{stem}-{self.office.code}-{self.fiscal_year}-{self.pk}.{self.extension}"


def _default_thai_digits() -> bool:
    """Kept for migration 0003, which referred to it (the choice is now the office's)."""
    return settings.THAI_DIGITS_IN_DOCUMENTS


class YearlyReportText(models.Model):
    """What people write into an office's yearly report, kept per fiscal year.

    The group head edits these before the final run: the foreword (คำนำ, signed by the group),
    a paragraph for the executive summary, and the problems and suggestions (prefilled from
    what the cases' evaluation steps recorded). Empty texts fall back to generated ones.
    Whether the report prints Thai digits is the office's choice for all its years
    (`documents.OfficeDocumentSettings.thai_digits`).
    """

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    foreword = models.TextField(
        _("foreword"),
        blank=True,
        help_text=_("Paragraphs separated by a blank line; empty: the standard foreword."),
    )
    summary = models.TextField(
        _("executive summary paragraph"),
        blank=True,
        help_text=_("Printed after the year in numbers; empty: none."),
    )
    problems = models.TextField(
        _("problems and suggestions"),
        blank=True,
        help_text=_("One item per line; empty: what the cases' evaluation steps recorded."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("yearly report text")
        verbose_name_plural = _("yearly report texts")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "fiscal_year"], name="one_report_text_per_office_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.fiscal_year}"
