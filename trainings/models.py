"""Trainings held by any process of the catalogue (DLTV, DLIT, media, ICT staff development…).

A training belongs to a case of the engine (processes.Case), never to another domain app: the
case is the work, the training is the record that work produces. Sessions, participants from
schools and the office, attendance per session, one evaluation per participant on the Thai
5-level satisfaction scale, and certificates numbered from the office's certificate register.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.import_jobs import ImportJob


def name_key(name: str) -> str:
    """The form of a name that two registrations of one person share (spacing and case aside)."""
    return " ".join(name.split()).casefold()


class Training(models.Model):
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "processes.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="trainings",
    )
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("objectives and content"), blank=True)
    registration_open = models.BooleanField(_("open for registration"), default=True)
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate (percent of hours)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    evaluation_required = models.BooleanField(
        _("evaluation needed before the certificate"), default=True
    )
    signer_name = models.CharField(
        _("certificate signed by (name)"),
        max_length=255,
        blank=True,
        help_text=_("Empty: the district director of the office."),
    )
    signer_position = models.CharField(_("signer's position"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["office", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:training", args=[self.pk])

    @property
    def total_hours(self) -> Decimal:
        if hasattr(self, "_total_hours"):
            return self._total_hours
        total = self.sessions.aggregate(total=Sum("hours"))["total"]
        return total or Decimal("0")


class Session(models.Model):
    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("to"), null=True, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    topic = models.CharField(_("topic"), max_length=500, blank=True)
    place = models.CharField(_("place"), max_length=500, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    speakers = models.TextField(_("speakers"), blank=True, help_text=_("One per line."))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""), name="training_session_has_venue"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_session_hours_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.training} · {self.date}"

    def clean(self) -> None:
        super().clean()
        if not self.place.strip() and not self.online_link.strip():
            raise ValidationError({"place": _("Give the place or the online link.")})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end time is not after the start time.")})

    @property
    def speaker_list(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]


class Participant(models.Model):
    """One registered person; `user` is empty for people added from a list without an account."""

    class Source(models.TextChoices):
        SELF = "self", _("Registered themselves")
        LIST = "list", _("Added from a list")

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_registrations",
    )
    full_name = models.CharField(_("full name"), max_length=255)
    name_key = models.CharField(max_length=255, editable=False)
    position = models.CharField(_("position"), max_length=255, blank=True)
    school = models.ForeignKey(
        "accounts.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "user"],
                condition=Q(user__isnull=False),
                name="training_participant_user_once",
            ),
            models.UniqueConstraint(
                fields=["training", "name_key"], name="training_participant_name_once"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.name_key = name_key(self.full_name)
        super().save(*args, **kwargs)

    @property
    def affiliation(self) -> str:
        return self.school.name_th if self.school is not None else self.position


class ParticipantImport(ImportJob):
    """One uploaded participant list and how its background import went (core.import_jobs).

    `created_count` is the people added; `already` names the people skipped because they were
    registered already (by name, or by account through their e-mail).
    """

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="list_imports"
    )
    file = models.FileField(_("file"), upload_to="participant_imports/%Y/%m/", blank=True)
    created_count = models.PositiveIntegerField(_("people added"), default=0)
    already = models.JSONField(_("already registered"), default=list, blank=True)

    done_text = _("%(created)s people added; %(already)s were already registered.")
    checked_text = _("The list is correct (nothing stored yet): %(created)s people to add.")

    class Meta(ImportJob.Meta):
        verbose_name = _("participant list import")
        verbose_name_plural = _("participant list imports")

    def get_absolute_url(self) -> str:
        return reverse("trainings:import_status", args=[self.training_id, self.pk])

    def outcome_values(self) -> dict[str, object]:
        return {**super().outcome_values(), "already": len(self.already or [])}


class Attendance(models.Model):
    """A participant was present at a session (a row per presence; absence is no row)."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance"
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="training_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.session}"

    def clean(self) -> None:
        super().clean()
        if self.session.training_id != self.participant.training_id:
            raise ValidationError(_("Only participants registered for this training attend it."))


# The usual Thai 5-level satisfaction scale, highest first as the forms print it.
SCALE = [
    (5, _("Very high satisfaction")),
    (4, _("High satisfaction")),
    (3, _("Moderate satisfaction")),
    (2, _("Low satisfaction")),
    (1, _("Very low satisfaction")),
]

# The questions every new training's evaluation starts with (staff may change them until the
# first answer arrives).
DEFAULT_QUESTIONS = [
    ("rating", _("The content met your needs")),
    ("rating", _("The speakers explained clearly")),
    ("rating", _("The place, materials or online system")),
    ("rating", _("The length of the training")),
    ("rating", _("You can use what you learned in your work")),
    ("rating", _("Overall satisfaction")),
    ("text", _("What did you find most useful?")),
    ("text", _("Suggestions for improvement")),
]


class Question(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("Satisfaction (5 levels)")
        TEXT = "text", _("Open question")

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class EvaluationResponse(models.Model):
    """A participant's one evaluation (a second is refused by the database)."""

    participant = models.OneToOneField(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return str(self.participant)


class Answer(models.Model):
    response = models.ForeignKey(
        EvaluationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="training_answer_once"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="training_answer_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.rating or self.text[:30]}"


class Certificate(models.Model):
    """A certificate of a training. Its number comes from the office's certificate register
    (ทะเบียนเกียรติบัตร) in the documents app, numbered without gaps per office and Buddhist
    year; it is issued like every official document (`document`: content frozen at issue,
    the PDF rendered once with its SHA-256, printed verification address and QR code). What it
    certifies is also copied here for the training's pages."""

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.PROTECT, related_name="certificates"
    )
    participant = models.OneToOneField(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year (B.E.)"))
    sequence = models.PositiveIntegerField(_("number"))
    number = models.CharField(_("certificate number"), max_length=60)
    recipient_name = models.CharField(_("awarded to"), max_length=255)
    recipient_affiliation = models.CharField(_("of"), max_length=255, blank=True)
    training_title = models.CharField(_("training"), max_length=500)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    training_date_text = models.CharField(_("training dates"), max_length=255)
    signer_name = models.CharField(_("signed by"), max_length=255)
    signer_position = models.CharField(_("position"), max_length=255)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    document = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("issued document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificate",
        help_text=_("Empty for certificates issued before they were registered documents."),
    )
    file = models.FileField(upload_to="certificates/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificate register")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "sequence"], name="certificate_number_once"
            ),
            models.UniqueConstraint(fields=["office", "number"], name="certificate_text_once"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.cancelled_at is None
