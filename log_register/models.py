"""The traffic-log retention register (ทะเบียนการจัดเก็บข้อมูลจราจรทางคอมพิวเตอร์).

The Computer Crime Act (พ.ร.บ.ว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์ พ.ศ. ๒๕๕๐ มาตรา ๒๖)
has service providers keep traffic data for at least 90 days. The register lists each log
source, where it is kept, for how long and who answers for it; someone checks every month that
the logs are really there, with evidence.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.thaitime import format_thai_date

MIN_RETENTION_DAYS = 90


class LogSource(models.Model):
    class Kind(models.TextChoices):
        FIREWALL = "firewall", _("Firewall")
        PROXY = "proxy", _("Proxy / web filter")
        AUTHENTICATION = "authentication", _("Authentication (RADIUS, AD, Wi-Fi login)")
        WEB_SERVER = "web_server", _("Web server")
        DNS_DHCP = "dns_dhcp", _("DNS / DHCP")
        MAIL = "mail", _("E-mail server")
        APPLICATION = "application", _("Application")
        OTHER = "other", _("Other")

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("log source"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    kept_at = models.CharField(
        _("where it is kept"),
        max_length=500,
        help_text=_("The system, server or storage and its location, e.g. syslog NAS room 2."),
    )
    retention_days = models.PositiveIntegerField(
        _("kept for (days)"),
        validators=[
            MinValueValidator(
                MIN_RETENTION_DAYS,
                _("The Computer Crime Act requires at least 90 days of traffic data."),
            )
        ],
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    check_due_day = models.PositiveSmallIntegerField(
        _("monthly check due on day"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Each month's check is due on this day of the month (1-28)."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("log source")
        verbose_name_plural = _("traffic-log retention register")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_days__gte=MIN_RETENTION_DAYS),
                name="log_source_retention_at_least_90_days",
            ),
            models.CheckConstraint(
                condition=Q(check_due_day__gte=1, check_due_day__lte=28),
                name="log_source_due_day_1_28",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("log_register:source", args=[self.pk])

    def due_on(self, month: datetime.date) -> datetime.date:
        """The day the check of `month` (any day in it) is due."""
        return month.replace(day=self.check_due_day)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class LogCheck(models.Model):
    """One month's check that the source's logs are kept as the register says."""

    class Result(models.TextChoices):
        COMPLETE = "complete", _("Complete: kept for the whole period")
        GAPS = "gaps", _("Gaps found (explained in the note)")
        FAILED = "failed", _("Not kept: logs missing")

    source = models.ForeignKey(
        LogSource, verbose_name=_("log source"), on_delete=models.PROTECT, related_name="checks"
    )
    month = models.DateField(_("month checked"), help_text=_("The first day of the month."))
    checked_on = models.DateField(_("checked on"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    oldest_log_on = models.DateField(_("oldest log found"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="log-checks/%Y/")
    evidence_name = models.CharField(max_length=255)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monthly log check")
        verbose_name_plural = _("monthly log checks")
        ordering = ["-month", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "month"], name="log_check_once_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="log_check_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.month_label}"

    @property
    def month_label(self) -> str:
        """'ธ.ค. 2569' (the month, without its day)."""
        return format_thai_date(self.month, "short").split(" ", 1)[1]
