"""Repairs: schools' ICT assets, the repair tickets filed for them, and the work done on them.

A ticket is driven by a case of the `repair-ticket` process (processes app); the ticket keeps
the facts a service desk lists and filters by, and its status follows the case through a hook
(see repairs/hooks.py), inside the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import ColouredChoices
from core.import_jobs import ImportJob
from processes.models import DueState


class Category(models.TextChoices):
    COMPUTER = "computer", _("Computer")
    PRINTER = "printer", _("Printer")
    NETWORK = "network", _("Network / internet")
    PROJECTOR = "projector", _("Projector")
    DLTV = "dltv", _("DLTV satellite set")
    CCTV = "cctv", _("CCTV")
    TELEPHONE = "telephone", _("Telephone")
    SOFTWARE = "software", _("Software / account")
    OTHER = "other", _("Other")


class Asset(models.Model):
    """A piece of ICT equipment of a school, or of the office itself when `school` is empty."""

    class Status(ColouredChoices):
        IN_USE = "in_use", _("In use")
        IN_REPAIR = "in_repair", _("In repair")
        RETIRED = "retired", _("Retired")
        LOST = "lost", _("Lost")

        __colours__ = {
            "in_use": "success",
            "in_repair": "warning",
            "retired": "secondary",
            "lost": "secondary",
        }

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="assets"
    )
    school = models.ForeignKey(
        "accounts.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
    )
    category = models.CharField(_("type"), max_length=12, choices=Category.choices)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    model_name = models.CharField(_("model"), max_length=150, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    asset_number = models.CharField(_("asset number"), max_length=100, blank=True)
    location = models.CharField(_("location"), max_length=255, blank=True)
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.IN_USE
    )
    is_loanable = models.BooleanField(_("can be lent"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["school__name_th", "category", "asset_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "asset_number"],
                condition=~Q(asset_number=""),
                name="asset_number_unique_in_office",
            ),
        ]
        indexes = [models.Index(fields=["school", "category"])]

    def __str__(self) -> str:
        parts = [self.get_category_display(), self.brand, self.model_name]
        label = " ".join(p for p in parts if p)
        return f"{label} ({self.asset_number})" if self.asset_number else label

    def get_absolute_url(self) -> str:
        return reverse("repairs:asset", args=[self.pk])

    @property
    def status_colour(self) -> str:
        """The Bootstrap colour of the status, from the choices."""
        return self.Status.colour_of(self.status)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical: teaching stopped")


class SlaTarget(models.Model):
    """Service targets per priority, in working hours and working days; edited by admins."""

    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, unique=True)
    first_response_hours = models.PositiveSmallIntegerField(_("first response (working hours)"))
    resolve_days = models.PositiveSmallIntegerField(_("resolve (working days)"))

    class Meta:
        verbose_name = _("service target")
        verbose_name_plural = _("service targets")

    def __str__(self) -> str:
        return (
            f"{self.get_priority_display()}: {self.first_response_hours} h / {self.resolve_days} d"
        )


class RepairTicket(models.Model):
    """A repair request (แบบแจ้งซ่อม) from a school or the office, worked on the engine."""

    class Status(ColouredChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        AWAITING_APPROVAL = "awaiting_approval", _("Purchase awaiting approval")
        WAITING = "waiting", _("Waiting for parts or vendor")
        RESOLVED = "resolved", _("Resolved: awaiting confirmation")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Not carried out")

        __colours__ = {
            "new": "primary",
            "in_progress": "primary",
            "awaiting_approval": "warning",
            "waiting": "warning",
            "resolved": "info",
            "closed": "success",
            "cancelled": "secondary",
        }

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        "accounts.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repair_tickets",
    )
    case = models.OneToOneField(
        "processes.Case", on_delete=models.PROTECT, related_name="repair_ticket"
    )
    reference = models.CharField(_("ticket number"), max_length=40, unique=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="repair_tickets",
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repair_tickets",
    )
    # When the asset is not registered, what the requester typed.
    asset_number_text = models.CharField(_("asset number"), max_length=100, blank=True)
    serial_text = models.CharField(_("serial number"), max_length=100, blank=True)
    symptom = models.TextField(_("symptom"))
    location = models.CharField(_("location"), max_length=255)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technician"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repairs_assigned",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True, db_index=True)
    # Service targets, fixed when filed and re-set at triage; waiting for parts or a vendor
    # extends the resolve date by the working days spent waiting.
    response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolve_due_on = models.DateField(_("resolve due"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("working days waiting"), default=0)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1-5)"), null=True, blank=True)
    satisfaction_comment = models.TextField(_("satisfaction comment"), blank=True)

    class Meta:
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The desk list walks an office's tickets newest first and stops after a page.
            models.Index(fields=["office", "-created_at", "-id"], name="ticket_office_newest"),
            models.Index(fields=["school", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="satisfaction_between_1_and_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("repairs:ticket", args=[self.reference])

    @property
    def status_colour(self) -> str:
        """The Bootstrap colour of the status, from the choices."""
        return self.Status.colour_of(self.status)

    @property
    def resolve_due_state(self) -> DueState:
        """Where the repair stands against its target; waiting for parts stops the clock."""
        if self.status in (self.Status.RESOLVED, self.Status.CLOSED, self.Status.CANCELLED):
            return DueState.CLOSED
        if self.status == self.Status.WAITING or self.waiting_since is not None:
            return DueState.PAUSED
        return DueState.of_date(self.resolve_due_on)

    @property
    def resolve_due_colour(self) -> str:
        return self.resolve_due_state.colour


class TicketAttachment(models.Model):
    """A photo or file sent with a ticket; stored outside the web root, served after a check."""

    ticket = models.ForeignKey(RepairTicket, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="repairs/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class TicketComment(models.Model):
    ticket = models.ForeignKey(RepairTicket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class WorkLog(models.Model):
    """Work done on a ticket: time, actions, parts and their cost."""

    ticket = models.ForeignKey(RepairTicket, on_delete=models.CASCADE, related_name="work_logs")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    worked_on = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("time spent (minutes)"))
    action = models.TextField(_("what was done"))
    parts = models.CharField(_("parts used"), max_length=500, blank=True)
    parts_cost = models.DecimalField(
        _("parts cost (baht)"), max_digits=12, decimal_places=2, default=0
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("work log entry")
        verbose_name_plural = _("work log")
        ordering = ["worked_on", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket.reference} {self.worked_on} {self.minutes} min"


class AssetImport(ImportJob):
    """One uploaded asset register file and how its background import went.

    The worker first checks every row in batches (the count of rows checked is committed after
    each batch, so the progress page can show it), then, if nothing is wrong and the person did
    not ask for a check only, stores the whole file in one transaction: a file with any wrong
    row stores nothing and keeps its row-numbered Thai errors here (see core.import_jobs).
    """

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="asset_imports/%Y/%m/", blank=True)
    created_count = models.PositiveIntegerField(_("new assets"), default=0)
    updated_count = models.PositiveIntegerField(_("updated assets"), default=0)

    done_text = _("Assets imported: %(created)s new, %(updated)s updated of %(total)s rows.")

    class Meta(ImportJob.Meta):
        verbose_name = _("asset import")
        verbose_name_plural = _("asset imports")

    def get_absolute_url(self) -> str:
        return reverse("repairs:asset_import_status", args=[self.pk])
