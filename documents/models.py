"""Official documents: the office's document settings, its registers and the issued files.

A number after ``ที่`` always comes from a register row (`RegisterEntry`), taken under a lock on
the register's counter (`RegisterCounter`) in the same transaction as whatever needs it, so the
numbers of one register and year run 1, 2, 3 … without a gap or a repeat. A document the
portal issues (`IssuedDocument`) keeps the content it was decided with (`content`, written at the
decision), its rendered file (written once) and that file's SHA-256.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Office


def new_token() -> str:
    """The verification token: short enough to type from paper, too many to guess."""
    return secrets.token_urlsafe(9)  # 12 characters, 72 bits


def _default_thai_digits() -> bool:
    return settings.THAI_DIGITS_IN_DOCUMENTS


class OfficeDocumentSettings(models.Model):
    """What an office prints on its documents, edited by its administrator in the portal."""

    office = models.OneToOneField(
        Office,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="document_settings",
    )
    office_name = models.CharField(
        _("office name on documents"),
        max_length=255,
        help_text=_("e.g. สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต ๑"),
    )
    group_name = models.CharField(_("group (unit) name"), max_length=255)
    letter_code = models.CharField(
        _("letter code"),
        max_length=30,
        validators=[
            RegexValidator(
                r"^ศธ ?[0-9\u0e50-\u0e59]{4,6}$",
                _("The letter code looks like ศธ 04123 (ศธ, then the office's digits)."),
            )
        ],
    )
    group_suffix = models.CharField(
        _("group suffix"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^[0-9\u0e50-\u0e59]{1,4}$", _("Digits only, e.g. 17."))],
        help_text=_("Printed after a dot: ศธ 04123.17/…"),
    )
    telephone = models.CharField(_("telephone"), max_length=60, blank=True)
    garuda = models.FileField(
        _("Garuda image (PNG)"),
        upload_to="documents/garuda/",
        blank=True,
        help_text=_("Leave empty to print the standard emblem."),
    )
    addressee_title = models.CharField(
        _("memos are addressed to"),
        max_length=255,
        blank=True,
        help_text=_("Position title after เรียน; empty: ผู้อำนวยการ + the office name."),
    )
    order_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("orders are signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    order_signer_position = models.CharField(
        _("position of the order signer"), max_length=255, blank=True
    )
    thai_digits = models.BooleanField(
        _("Thai digits (๑๒๓)"),
        default=_default_thai_digits,
        help_text=_("The yearly report prints every number and date in Thai digits."),
    )
    signing_certificate = models.FileField(
        _("office certificate (PKCS#12)"),
        upload_to="documents/certificates/",
        blank=True,
        help_text=_("Its passphrase is read from DOCUMENT_SIGNING_PASSPHRASE, never stored."),
    )

    class Meta:
        verbose_name = _("office document settings")
        verbose_name_plural = _("office document settings")

    def __str__(self) -> str:
        return self.office_name

    @property
    def letter_prefix(self) -> str:
        code = self.letter_code.strip()
        return f"{code}.{self.group_suffix}" if self.group_suffix else code

    @property
    def memo_addressee(self) -> str:
        return self.addressee_title or f"ผู้อำนวยการ{self.office_name}"


class RegisterKind(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing register (ทะเบียนหนังสือส่ง)")
    ORDER = "order", _("Order register (ทะเบียนคำสั่ง)")
    CERTIFICATE = "certificate", _("Certificate register (ทะเบียนเกียรติบัตร)")


class RegisterCounter(models.Model):
    """The last number taken in one register of one office in one (Buddhist-era) year."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=RegisterKind.choices)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "year"], name="documents_one_counter_per_register_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last_number}"


class RegisterEntry(models.Model):
    """One number of a register: never deleted, never renumbered; cancelled with a reason."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In use")
        CANCELLED = "cancelled", _("Cancelled")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("register"), max_length=20, choices=RegisterKind.choices)
    year = models.PositiveIntegerField(_("year (B.E.)"))
    number = models.PositiveIntegerField(_("number"))
    prefix = models.CharField(_("letter code"), max_length=40, blank=True)
    date = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=500)
    sender = models.CharField(_("from"), max_length=255)
    recipient = models.CharField(_("to"), max_length=255)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("number taken by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    file = models.FileField(_("document file"), upload_to="documents/outside/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "year", "number"], name="documents_number_once"
            )
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        """As printed after ที่: ศธ 04123.17/45 (outgoing), 12/2569 (order, certificate)."""
        if self.kind in (RegisterKind.ORDER, RegisterKind.CERTIFICATE):
            return f"{self.number}/{self.year}"
        return f"{self.prefix}/{self.number}" if self.prefix else str(self.number)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class IssuedDocument(models.Model):
    """A document the portal issued: its content as decided, its file, fixed once written."""

    class Kind(models.TextChoices):
        MEMO = "memo", _("Memo (บันทึกข้อความ)")
        ORDER = "order", _("Order (คำสั่ง)")
        CERTIFICATE = "certificate", _("Certificate (เกียรติบัตร)")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        ISSUED = "issued", _("Issued")

    entry = models.OneToOneField(
        RegisterEntry,
        verbose_name=_("register entry"),
        on_delete=models.PROTECT,
        related_name="document",
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    case = models.ForeignKey(
        "processes.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    task = models.ForeignKey(
        "processes.Task",
        verbose_name=_("deciding step"),
        on_delete=models.PROTECT,
        related_name="issued_documents",
        null=True,
        blank=True,
        help_text=_("Empty for documents issued outside an approval (certificates)."),
    )
    subject = models.CharField(_("subject"), max_length=500)
    decision = models.CharField(_("decision"), max_length=100, blank=True)
    decided_at = models.DateTimeField(_("decided at"))
    content = models.JSONField(_("content as decided"))
    token = models.CharField(_("verification token"), max_length=32, unique=True, default=new_token)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREPARING
    )
    file = models.FileField(_("file"), upload_to="documents/issued/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    signed = models.BooleanField(_("signed (PAdES)"), default=False)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_later = models.BooleanField(
        _("frozen after the decision"),
        default=False,
        help_text=_("Decided before documents were frozen; rendered by freeze_decided_memos."),
    )
    attempts = models.PositiveSmallIntegerField(_("rendering attempts"), default=0)
    last_error = models.TextField(_("last rendering error"), blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind"], name="documents_one_per_decision")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.entry.display_number}"

    def get_absolute_url(self) -> str:
        return reverse("documents:download", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def verify_path(self) -> str:
        return reverse("documents:verify", args=[self.token])
