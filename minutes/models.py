"""Minutes (รายงานการประชุม) of the meetings a case's steps hold: working groups, committees.

A meeting belongs to a case (and, where known, to the step that held it), never to another
domain app. Agenda items carry the resolutions (มติที่ประชุม); a resolution that asks someone
to act becomes a follow-up with an assignee and a due date, told through the engine's outbox.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "processes.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="meetings"
    )
    step = models.ForeignKey(
        "processes.StepDefinition",
        verbose_name=_("step that held the meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("meeting of"), max_length=500)
    number = models.CharField(_("meeting number"), max_length=50, help_text=_("e.g. 1/2570"))
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("started at"), null=True, blank=True)
    ends_at = models.TimeField(_("ended at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=500)
    recorder = models.CharField(_("minutes taken by"), max_length=255, blank=True)
    checker = models.CharField(_("minutes checked by"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("minutes:meeting", args=[self.pk])


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=255)
    post = models.CharField(_("position"), max_length=255, blank=True)
    role = models.CharField(
        _("in the meeting"), max_length=100, blank=True, help_text=_("ประธาน, กรรมการ, เลขานุการ…")
    )
    present = models.BooleanField(_("present"), default=True)
    absence_reason = models.CharField(_("reason for absence"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("agenda item"))
    title = models.CharField(_("subject"), max_length=500)
    details = models.TextField(_("what was presented"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["number", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class FollowUp(models.Model):
    """A resolution turned into work for someone: who, by when, and when it was done."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="follow_ups")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="meeting_follow_ups",
    )
    action = models.CharField(_("what to do"), max_length=500)
    due_on = models.DateField(_("due on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.CharField(_("result"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("follow-up of a resolution")
        verbose_name_plural = _("follow-ups of resolutions")
        ordering = ["done_at", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | ~Q(done_note=""),
                name="minutes_follow_up_done_has_result",
            )
        ]

    def __str__(self) -> str:
        return self.action
