"""People and places: the office (สพท.), its schools, users, roles and acting delegations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.import_jobs import ImportJob


class RoleCode(models.TextChoices):
    """The roles the portal knows. `Role` rows carry these codes; code checks the code."""

    SCHOOL_USER = "school_user", _("School user")
    SCHOOL_DIRECTOR = "school_director", _("School director")
    STAFF = "staff", _("Staff")
    GROUP_HEAD = "group_head", _("Group head")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    DIRECTOR = "director", _("District director")
    ADMIN = "admin", _("Administrator")


# Roles that act for one school only; a user holding one of them must be tied to a school.
SCHOOL_ROLES = frozenset({RoleCode.SCHOOL_USER, RoleCode.SCHOOL_DIRECTOR})


class Office(models.Model):
    """An Educational Service Area Office (สำนักงานเขตพื้นที่การศึกษา): the tenant of every row."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Primary (สพป.)")
        SECONDARY = "secondary", _("Secondary (สพม.)")

    code = models.CharField(_("office code"), max_length=20, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    province = models.CharField(_("province"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    ict_group_name = models.CharField(
        _("ICT group name"),
        max_length=255,
        default="กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร",
    )
    # The office's chain of command for memos to the director (the manuals mostly name the
    # director alone): approval steps marked "through the chain" pass these levels first.
    chain_via_group_head = models.BooleanField(
        _("memos to the director go through the group head"), default=True
    )
    chain_via_deputy = models.BooleanField(
        _("memos to the director go through the deputy director"), default=False
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.short_name or self.name_th

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def chain_levels(self) -> list[str]:
        """The role codes a memo passes before the director, in order."""
        levels = []
        if self.chain_via_group_head:
            levels.append(RoleCode.GROUP_HEAD)
        if self.chain_via_deputy:
            levels.append(RoleCode.DEPUTY_DIRECTOR)
        return [str(level) for level in levels]


class SchoolQuerySet(models.QuerySet["School"]):
    def active(self) -> SchoolQuerySet:
        return self.filter(is_active=True)

    def get_by_natural_key(self, obec_code: str) -> School:
        return self.get(obec_code=obec_code)


class School(models.Model):
    """A school under an office, known by its 10-digit OBEC code and 8-digit SMIS code."""

    class Size(models.TextChoices):
        # OBEC's size bands by number of students.
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")
        EXTRA_LARGE = "extra_large", _("Extra large")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="schools"
    )
    obec_code = models.CharField(
        _("OBEC school code"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^\d{10}$", _("The OBEC school code has exactly 10 digits."))],
    )
    smis_code = models.CharField(
        _("SMIS code"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^\d{8}$", _("The SMIS code has exactly 8 digits."))],
    )
    name_th = models.CharField(_("Thai name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    district = models.CharField(_("district (amphoe)"), max_length=100)
    subdistrict = models.CharField(_("sub-district (tambon)"), max_length=100, blank=True)
    size = models.CharField(_("size"), max_length=12, choices=Size.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name_th"]
        indexes = [models.Index(fields=["office", "name_th"])]

    def __str__(self) -> str:
        return self.name_th

    def natural_key(self) -> tuple[str]:
        return (self.obec_code,)


class Role(models.Model):
    """A role as data, so admins assign it like any other record."""

    code = models.CharField(_("code"), max_length=32, unique=True, choices=RoleCode.choices)
    name_th = models.CharField(_("Thai name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name_th

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def is_school_role(self) -> bool:
        return self.code in SCHOOL_ROLES


class User(AbstractUser):
    """A person who logs in: in one office; a school-side user also in exactly one school."""

    title = models.CharField(_("title (prefix)"), max_length=50, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    # A foreign key, not a many-to-many: a school user can only ever be tied to one school.
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")

    objects: ClassVar[UserManager[Self]] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile")

    @property
    def display_name(self) -> str:
        full = f"{self.title}{self.first_name} {self.last_name}".strip()
        return full or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        """The user's own role codes, cached per instance (roles rarely change mid-request)."""
        if not hasattr(self, "_role_codes"):
            self.remember_role_codes(self.roles.values_list("code", flat=True))
        return self._role_codes

    def remember_role_codes(self, codes: Iterable[str]) -> None:
        """Keep the codes of the user's `roles` read by someone else (accounts.selectors reads
        them together with the user's delegations); a superuser is an administrator too."""
        held = set(codes)
        if self.is_superuser:
            held.add(RoleCode.ADMIN)
        self._role_codes = frozenset(held)

    def has_role(self, *codes: str) -> bool:
        return not self.role_codes.isdisjoint(codes)

    @property
    def is_school_side(self) -> bool:
        return self.has_role(*SCHOOL_ROLES)

    def clean(self) -> None:
        super().clean()
        school = self.school if self.school_id else None
        if school is not None and self.office_id and school.office_id != self.office_id:
            raise ValidationError({"school": _("The school must belong to the user's office.")})
        if school is not None and not self.office_id:
            self.office_id = school.office_id


class DelegationQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> DelegationQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day, revoked_at__isnull=True)


class Delegation(models.Model):
    """An acting order: `delegate` holds `principal`'s `role` from `starts_on` to `ends_on`.

    Decisions taken under it are recorded as "acting for" the principal.
    """

    class Kind(models.TextChoices):
        ACTING = "acting", _("Acting in the post (รักษาราชการแทน)")
        ON_BEHALF = "on_behalf", _("Performing duties on behalf (ปฏิบัติราชการแทน)")

    principal = models.ForeignKey(
        User,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        User,
        verbose_name=_("acting person"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ACTING)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    order_number = models.CharField(_("order number"), max_length=100)
    order_file = models.FileField(_("order document"), upload_to="delegations/%Y/", blank=True)
    note = models.TextField(_("note"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="delegation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(principal=models.F("delegate")),
                name="delegation_not_to_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegate} → {self.principal} ({self.role})"

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date is before the start date.")})
        if self.principal_id and self.principal_id == self.delegate_id:
            raise ValidationError({"delegate": _("A person cannot act for themselves.")})
        if (
            self.principal_id
            and self.role_id
            and not self.principal.roles.filter(pk=self.role_id).exists()
        ):
            raise ValidationError({"role": _("The person delegating does not hold this role.")})
        if self.principal_id and self.delegate_id and self.role_id:
            self._check_delegate_may_hold_role()

    def _check_delegate_may_hold_role(self) -> None:
        """Authority stays in its lane: an office role goes only to an office account of the
        same office, a school role only to an account of the same school."""
        delegate, principal = self.delegate, self.principal
        if not delegate.is_active:
            raise ValidationError({"delegate": _("This account is not active.")})
        if self.role.is_school_role:
            if not delegate.is_school_side or delegate.school_id != principal.school_id:
                raise ValidationError(
                    {"delegate": _("A school role can only be delegated within the same school.")}
                )
        elif delegate.is_school_side or delegate.school_id:
            raise ValidationError(
                {"delegate": _("An office role cannot be delegated to a school account.")}
            )
        elif delegate.office_id != principal.office_id:
            raise ValidationError(
                {"delegate": _("The acting person must belong to the same office.")}
            )


class AccountEvent(models.Model):
    """Append-only audit row for changes to who holds authority (delegations given and
    revoked), written in the same transaction by the service that makes the change."""

    class Kind(models.TextChoices):
        DELEGATION_CREATED = "delegation_created", _("Delegation created")
        DELEGATION_REVOKED = "delegation_revoked", _("Delegation revoked")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        User,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class FormSubmission(models.Model):
    """A one-time form token that was sent (accounts.idempotency): the first submission of a
    form claims its token; a repeat (double click, resent request) is answered with the first
    one's result instead of doing the work again."""

    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return self.token


class SchoolImport(ImportJob):
    """One uploaded list of schools and how its background import went (core.import_jobs).

    `office` is the office whose schools the file may hold: the importing office admin's; empty
    for a superuser's import, which may hold schools of any office.
    """

    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    file = models.FileField(_("file"), upload_to="school_imports/%Y/%m/", blank=True)
    created_count = models.PositiveIntegerField(_("new schools"), default=0)
    updated_count = models.PositiveIntegerField(_("updated schools"), default=0)

    done_text = _("Schools imported: %(created)s new, %(updated)s updated of %(total)s rows.")

    class Meta(ImportJob.Meta):
        verbose_name = _("school import")
        verbose_name_plural = _("school imports")

    def get_absolute_url(self) -> str:
        return reverse("accounts:school_import_status", args=[self.pk])
