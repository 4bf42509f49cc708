"""Core's one table: the documents people wait for, rendered by a worker (core.render_jobs).

Every other model lives in the app that owns it; a rendered file belongs to no app (a plan's
PDF, a loan slip and a dossier all go through the same job), so its row is core's. The user is
named by `settings.AUTH_USER_MODEL`, so core still imports no app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ColouredChoices


class RenderJob(models.Model):
    """One file a person asked for (a PDF), rendered in the background: which renderer and
    arguments, how far it is, and the file once it is complete (see core.render_jobs)."""

    class Status(ColouredChoices):
        QUEUED = "queued", _("Waiting for its turn")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Could not be prepared")

        __colours__ = {
            "queued": "secondary",
            "running": "primary",
            "done": "success",
            "failed": "danger",
        }

    class Phase(models.TextChoices):
        WAITING = "waiting", _("Waiting for a worker")
        GATHERING = "gathering", _("Gathering the data")
        LAYOUT = "layout", _("Laying out the pages")
        WRITING = "writing", _("Writing the PDF")
        STORING = "storing", _("Storing the file")
        FINISHED = "finished", _("Finished")

    renderer = models.CharField(_("document kind"), max_length=64)
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    # The arguments as sorted JSON: what "the same document" means when a job is reused.
    key = models.CharField(_("same-document key"), max_length=255)
    # What the object looked like when the job was asked for (the renderer's fingerprint).
    version = models.CharField(_("content fingerprint"), max_length=64, blank=True)
    title = models.CharField(_("document"), max_length=255)
    back_url = models.CharField(_("back to"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(
        _("phase"), max_length=10, choices=Phase.choices, default=Phase.WAITING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Set only once the storage holds the whole file.
    file = models.FileField(_("file"), upload_to="renders/", max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    error = models.CharField(_("why it failed"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    # When the job was last handed to the broker (the requeue pass looks at it).
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Touched at every phase: a running job whose heartbeat is old lost its worker.
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Reuse: this person's recent job for the same document.
            models.Index(
                fields=["requested_by", "renderer", "key", "-created_at"],
                name="render_job_reuse",
            ),
            # The requeue pass (queued or running) and the clean-up (finished long ago).
            models.Index(fields=["status", "queued_at"], name="render_job_status"),
            models.Index(fields=["finished_at"], name="render_job_finished"),
        ]

    def __str__(self) -> str:
        return self.title or self.renderer

    def get_absolute_url(self) -> str:
        return reverse("files:job", args=[self.pk])

    @property
    def status_colour(self) -> str:
        return self.Status.colour_of(self.status)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)
