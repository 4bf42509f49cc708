"""Equipment loans: the office's lendable equipment, and the requests to borrow or use it.

A request (แบบบันทึกขอยืม / ขอใช้วัสดุอุปกรณ์) is driven by a case of the `equipment-loan` or
`equipment-use` process; the loan keeps what the desk lists and the calendar counts, and its
status follows the case through a hook (equipment_loans/hooks.py) in the same transaction.

Stock is held by `LoanLine` rows: a line *holds* its units for its dates from the moment the
request is filed until it is rejected, not collected or returned. Every booking locks the item
rows first (equipment_loans.services), so two requests for the last unit are serialised and only
one can win, on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from processes.models import DueState


class ItemCategory(models.TextChoices):
    NOTEBOOK = "notebook", _("Notebook computer")
    PROJECTOR = "projector", _("Projector")
    CAMERA = "camera", _("Camera / video camera")
    DLTV = "dltv", _("DLTV set")
    TABLET = "tablet", _("Tablet")
    AUDIO = "audio", _("Sound system / microphone")
    SOFTWARE = "software", _("Software licence")
    MEDIA = "media", _("Learning media")
    DOCUMENT = "document", _("Document")
    OTHER = "other", _("Other")


# A repair ticket needs one of the repair categories; lent equipment maps onto them like this.
REPAIR_CATEGORY: dict[str, str] = {
    ItemCategory.NOTEBOOK: "computer",
    ItemCategory.PROJECTOR: "projector",
    ItemCategory.DLTV: "dltv",
    ItemCategory.TABLET: "computer",
    ItemCategory.SOFTWARE: "software",
}


class Condition(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Usable, signs of wear")
    DAMAGED = "damaged", _("Damaged")
    MISSING = "missing", _("Missing")


class LoanItem(models.Model):
    """One lendable thing, or a stock of interchangeable units (40 tablets of one model)."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        ON_LOAN = "on_loan", _("On loan")
        IN_REPAIR = "in_repair", _("In repair")
        RETIRED = "retired", _("Retired")

    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="loan_items",
    )
    # A single registered machine points at its asset; a stock of units usually does not.
    asset = models.OneToOneField(
        "repairs.Asset",
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loan_item",
    )
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("type"), max_length=12, choices=ItemCategory.choices)
    quantity = models.PositiveSmallIntegerField(_("units"), default=1)
    units_in_repair = models.PositiveSmallIntegerField(_("units in repair"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    location = models.CharField(_("kept at"), max_length=255, blank=True)
    accessories = models.CharField(_("standard accessories"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("loan item")
        verbose_name_plural = _("loan items")
        ordering = ["category", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="loan_item_has_units"),
            models.CheckConstraint(
                condition=Q(units_in_repair__lte=F("quantity")),
                name="loan_item_repair_within_units",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.quantity})" if self.quantity > 1 else self.name

    def get_absolute_url(self) -> str:
        return reverse("equipment_loans:item", args=[self.pk])

    @property
    def is_stock(self) -> bool:
        return self.quantity > 1

    @property
    def lendable_units(self) -> int:
        """Units that can be booked at all: none when retired or (a single item) in repair."""
        if self.status == self.Status.RETIRED:
            return 0
        if not self.is_stock and self.status == self.Status.IN_REPAIR:
            return 0
        return self.quantity - self.units_in_repair


class Loan(models.Model):
    """A request to borrow (ขอยืม) or use (ขอใช้) equipment for a span of days."""

    class Kind(models.TextChoices):
        BORROW = "borrow", _("Borrow")
        USE = "use", _("Use")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        REVISION = "revision", _("Returned for revision")
        APPROVED = "approved", _("Approved: being prepared")
        READY = "ready", _("Ready for pick-up")
        ON_LOAN = "on_loan", _("On loan")
        RETURNED = "returned", _("Returned")
        NOT_COLLECTED = "not_collected", _("Not collected")
        REJECTED = "rejected", _("Not approved")

    # Statuses in which the request still holds its units.
    HOLDING = (Status.PENDING, Status.REVISION, Status.APPROVED, Status.READY, Status.ON_LOAN)

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.OneToOneField("processes.Case", on_delete=models.PROTECT, related_name="loan")
    reference = models.CharField(_("loan number"), max_length=40, unique=True)
    kind = models.CharField(_("request type"), max_length=8, choices=Kind.choices)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("borrower"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    school = models.ForeignKey(
        "accounts.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loans",
    )
    purpose = models.TextField(_("purpose"))
    project = models.CharField(_("project / activity"), max_length=255, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    pickup_place = models.CharField(_("pick-up at"), max_length=255)
    return_place = models.CharField(_("return to"), max_length=255)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_out_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    accessories_out = models.CharField(_("accessories handed over"), max_length=255, blank=True)
    borrower_acknowledgement = models.CharField(
        _("borrower's typed name"), max_length=200, blank=True
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received back by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    missing_items = models.CharField(_("missing items"), max_length=255, blank=True)
    return_note = models.TextField(_("return note"), blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["office", "-created_at", "-id"], name="loan_office_newest"),
            models.Index(fields=["office", "status", "ends_on"], name="loan_office_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="loan_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("equipment_loans:loan", args=[self.reference])

    @property
    def due_state(self) -> DueState:
        if self.status != self.Status.ON_LOAN:
            return DueState.CLOSED if self.status not in self.HOLDING else DueState.ON_TIME
        return DueState.of_date(self.ends_on)

    @property
    def due_colour(self) -> str:
        return self.due_state.colour

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class LoanLine(models.Model):
    """Units of one item booked by a loan; `holds` is true while they count against stock.

    The dates are copied from the loan so that the availability query reads one indexed table.
    """

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(
        LoanItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="lines"
    )
    quantity = models.PositiveSmallIntegerField(_("units"), default=1)
    starts_on = models.DateField()
    ends_on = models.DateField()
    holds = models.BooleanField(default=True)
    condition_out = models.CharField(
        _("condition when handed over"), max_length=10, choices=Condition.choices, blank=True
    )
    condition_back = models.CharField(
        _("condition when returned"), max_length=10, choices=Condition.choices, blank=True
    )
    repair_ticket = models.ForeignKey(
        "repairs.RepairTicket",
        verbose_name=_("repair ticket"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loan_lines",
    )

    class Meta:
        verbose_name = _("loan line")
        verbose_name_plural = _("loan lines")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["item", "starts_on", "ends_on"], name="loan_line_booked"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="loan_line_has_units"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="loan_line_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} ({self.quantity})"
