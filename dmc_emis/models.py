"""Data duties to national systems as rounds: the dates, each school's progress through a
round, the data the office imports from the national systems, and the issues its checks find.

Every duty (seed 002 duties 3-10: DMC, year-end data, EMIS, B-OBEC, M-OBEC, จปฐ., กชช.๒ค,
provincial statistics, the school e-map) is a kind of round. A kind either has a data import
(the student-data rounds: the 8 statuses of a `dmc-round` case) or is a simple duty (the
4 statuses of a `data-duty` case: not started, in progress, submitted, checked); one status
field holds both, each kind allowing its own subset (`statuses_of`).

A school's progress is a case on the engine (one per school per round); the `RoundSchool` row
keeps the status the board lists and filters by, following the case through a hook
(dmc_emis/hooks.py) in the same transaction. The round's own acknowledgement by the district
director is a `dmc-round-ack` case (rounds with an import only).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import thaitime
from core.choices import ColouredChoices


class RoundKind(models.TextChoices):
    DMC_TERM1 = "dmc_term1", _("DMC term 1 (as of 10 June)")
    DMC_TERM2 = "dmc_term2", _("DMC term 2 (as of 10 November)")
    YEAR_END = "year_end", _("Year-end student data (30 April)")
    EMIS = "emis", _("EMIS")
    B_OBEC = "b_obec", _("B-OBEC (buildings)")
    M_OBEC = "m_obec", _("M-OBEC (equipment)")
    BASIC_NEEDS = "basic_needs", _("Basic minimum needs data (BMN)")
    VILLAGE_2C = "village_2c", _("Village basic data (2C)")
    PROVINCIAL_STATS = "prov_stats", _("Provincial statistics")
    SCHOOL_EMAP = "school_emap", _("Electronic map of school locations")


# The kinds whose round imports student data (counts or rows) and runs the checks: the 8-status
# `dmc-round` flow. Every other kind is a simple duty (`data-duty`, 4 statuses): EMIS, B-OBEC
# and M-OBEC keep their data in OBEC's own systems (school information, buildings, equipment),
# which the portal's student-data import does not read.
IMPORT_KINDS = frozenset({RoundKind.DMC_TERM1, RoundKind.DMC_TERM2, RoundKind.YEAR_END})


def has_import(kind: str) -> bool:
    return kind in IMPORT_KINDS


DEFAULT_REMINDER_DAYS = [14, 7, 3, 1, 0]
DEFAULT_CUTOFF = datetime.time(16, 30)


def default_reminder_days() -> list[int]:
    return list(DEFAULT_REMINDER_DAYS)


def duty_milestones() -> list[dict]:
    """A simple duty's one milestone: the school has submitted by the deadline."""
    return [{"status": "submitted", "days_before": 0}]


def default_milestones() -> list[dict]:
    """Where a school should be, and how many days before the deadline (negative: after)."""
    return [
        {"status": "submitted", "days_before": 7},
        {"status": "confirmed", "days_before": 0},
        {"status": "certified", "days_before": 0},
        {"status": "acknowledged", "days_before": -1},
    ]


class RoundTemplate(models.Model):
    """How a kind of round recurs each academic year; admins adjust it, the yearly task copies it.

    The national date is the same every year (10 June, 10 November, 30 April); `year_offset`
    says whether it falls in the academic year's first calendar year (0) or the next one (1):
    the year-end data of academic year 2569 is as of 30 April 2570.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=RoundKind.choices, unique=True)
    title_th = models.CharField(_("Thai title"), max_length=255)
    # Empty where no manual gives a date: the office sets the deadline when it opens the round.
    deadline_month = models.PositiveSmallIntegerField(_("deadline month"), null=True, blank=True)
    deadline_day = models.PositiveSmallIntegerField(_("deadline day"), null=True, blank=True)
    year_offset = models.PositiveSmallIntegerField(
        _("calendar year after the academic year starts"), default=0
    )
    opens_days_before = models.PositiveSmallIntegerField(
        _("opens (days before the deadline)"), default=30
    )
    cutoff_time = models.TimeField(_("cut-off time on the deadline"), default=DEFAULT_CUTOFF)
    milestones = models.JSONField(_("milestones"), default=default_milestones, blank=True)
    reminder_days = models.JSONField(
        _("reminder days before the deadline"), default=default_reminder_days, blank=True
    )
    jump_threshold_percent = models.PositiveSmallIntegerField(
        _("largest plausible change of a grade's count from the previous round (%)"), default=20
    )
    is_active = models.BooleanField(_("create rounds automatically"), default=True)
    responsible_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff"),
        blank=True,
        related_name="+",
        help_text=_("Office staff who follow this duty; copied to each new round of their office."),
    )

    class Meta:
        verbose_name = _("round template")
        verbose_name_plural = _("round templates")
        ordering = ["deadline_month", "deadline_day"]

    def __str__(self) -> str:
        return self.title_th

    def deadline_for(self, academic_year: int) -> datetime.date | None:
        """The national date of this round in `academic_year` (Buddhist era); None where no
        manual gives one."""
        if not (self.deadline_month and self.deadline_day):
            return None
        year = academic_year - thaitime.BE_OFFSET + self.year_offset
        return datetime.date(year, self.deadline_month, self.deadline_day)


class Round(models.Model):
    """One data round of one office, e.g. DMC term 2 of academic year 2569 (as of 10 Nov 2026)."""

    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="data_rounds",
    )
    template = models.ForeignKey(
        RoundTemplate, verbose_name=_("template"), on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RoundKind.choices)
    academic_year = models.PositiveSmallIntegerField(_("academic year"))
    title = models.CharField(_("title"), max_length=255)
    # Both empty until a manual's date (through the template) or a person (at opening) sets one.
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    deadline_on = models.DateField(_("deadline"), null=True, blank=True)
    cutoff_time = models.TimeField(_("cut-off time"), default=DEFAULT_CUTOFF)
    milestones = models.JSONField(_("milestones"), default=default_milestones, blank=True)
    reminder_days = models.JSONField(_("reminder days"), default=default_reminder_days, blank=True)
    jump_threshold_percent = models.PositiveSmallIntegerField(
        _("largest plausible change of a grade's count (%)"), default=20
    )
    schools = models.ManyToManyField(
        "accounts.School", through="RoundSchool", related_name="data_rounds", blank=True
    )
    responsible_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff"),
        blank=True,
        related_name="duty_rounds",
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ack_case = models.OneToOneField(
        "processes.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("data round")
        verbose_name_plural = _("data rounds")
        ordering = [models.F("deadline_on").desc(nulls_last=True), "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "academic_year"], name="one_round_per_kind_and_year"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("dmc_emis:round", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    @property
    def has_import(self) -> bool:
        """A student-data round (imports, checks, certification) rather than a simple duty."""
        return has_import(self.kind)

    @property
    def statuses(self) -> list[SchoolStatus]:
        return statuses_of(self.kind)

    @property
    def done_statuses(self) -> list[SchoolStatus]:
        return done_statuses_of(self.kind)

    @property
    def deadline_at(self) -> datetime.datetime | None:
        from django.utils import timezone

        if self.deadline_on is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.deadline_on, self.cutoff_time))

    @property
    def deadline_is_working_day(self) -> bool:
        """False when the national date falls on a weekend or holiday (the date is not moved)."""
        return self.deadline_on is None or thaitime.is_working_day(self.deadline_on)

    def milestone_dates(self) -> list[tuple[str, datetime.date]]:
        if self.deadline_on is None:
            return []
        deadline = self.deadline_on
        return [
            (m["status"], deadline - datetime.timedelta(days=int(m.get("days_before", 0))))
            for m in self.milestones
            if m.get("status") in self.statuses
        ]


class SchoolStatus(ColouredChoices):
    """A school's place in a round, in the order a round moves through."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted by the school")
    ISSUES_FOUND = "issues_found", _("Checked: issues found")
    CORRECTED = "corrected", _("Corrected by the school")
    CHECKED_CLEAN = "checked_clean", _("Checked: clean")
    CONFIRMED = "confirmed", _("Confirmed by the school officer")
    CERTIFIED = "certified", _("Certified by the school director")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the office")
    CHECKED = "checked", _("Checked by the office")

    __colours__ = {
        "not_started": "secondary",
        "in_progress": "warning",
        "checked": "success",
        "submitted": "info",
        "issues_found": "danger",
        "corrected": "warning",
        "checked_clean": "primary",
        "confirmed": "primary",
        "certified": "success",
        "acknowledged": "success",
    }


IMPORT_STATUSES = [
    SchoolStatus.NOT_STARTED,
    SchoolStatus.SUBMITTED,
    SchoolStatus.ISSUES_FOUND,
    SchoolStatus.CORRECTED,
    SchoolStatus.CHECKED_CLEAN,
    SchoolStatus.CONFIRMED,
    SchoolStatus.CERTIFIED,
    SchoolStatus.ACKNOWLEDGED,
]
DUTY_STATUSES = [
    SchoolStatus.NOT_STARTED,
    SchoolStatus.IN_PROGRESS,
    SchoolStatus.SUBMITTED,
    SchoolStatus.CHECKED,
]


def statuses_of(kind: str) -> list[SchoolStatus]:
    """The statuses a school can hold in a round of `kind`, in the order a round moves."""
    return IMPORT_STATUSES if has_import(kind) else DUTY_STATUSES


def done_statuses_of(kind: str) -> list[SchoolStatus]:
    """A school whose status is one of these has done its part of the round."""
    if has_import(kind):
        return [SchoolStatus.CERTIFIED, SchoolStatus.ACKNOWLEDGED]
    return [SchoolStatus.CHECKED]


# Statuses the office, not the school, brings about: never a school's milestone to remind of.
OFFICE_STATUSES = frozenset({SchoolStatus.ACKNOWLEDGED, SchoolStatus.CHECKED})


class DutyStage(models.TextChoices):
    """The four stages of the issue's per-duty board, shared by every kind (the map's colours)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    CHECKED = "checked", _("Checked")


# Each status on the four-stage board: a DMC school with issues to fix is still in progress.
STAGE_OF: dict[str, DutyStage] = {
    SchoolStatus.NOT_STARTED: DutyStage.NOT_STARTED,
    SchoolStatus.IN_PROGRESS: DutyStage.IN_PROGRESS,
    SchoolStatus.SUBMITTED: DutyStage.SUBMITTED,
    SchoolStatus.ISSUES_FOUND: DutyStage.IN_PROGRESS,
    SchoolStatus.CORRECTED: DutyStage.IN_PROGRESS,
    SchoolStatus.CHECKED_CLEAN: DutyStage.CHECKED,
    SchoolStatus.CONFIRMED: DutyStage.CHECKED,
    SchoolStatus.CERTIFIED: DutyStage.CHECKED,
    SchoolStatus.ACKNOWLEDGED: DutyStage.CHECKED,
    SchoolStatus.CHECKED: DutyStage.CHECKED,
}


# How far along each status is: a milestone is reached when the rank is at least the milestone's.
STATUS_RANK: dict[str, int] = {
    SchoolStatus.NOT_STARTED: 0,
    SchoolStatus.IN_PROGRESS: 0,
    SchoolStatus.SUBMITTED: 1,
    SchoolStatus.ISSUES_FOUND: 1,
    SchoolStatus.CORRECTED: 1,
    SchoolStatus.CHECKED_CLEAN: 2,
    SchoolStatus.CONFIRMED: 3,
    SchoolStatus.CERTIFIED: 4,
    SchoolStatus.ACKNOWLEDGED: 5,
    SchoolStatus.CHECKED: 5,
}


class RoundSchool(models.Model):
    """One school in one round: its case, its status and the totals the board shows."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="entries"
    )
    school = models.ForeignKey(
        "accounts.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="round_entries",
    )
    case = models.OneToOneField(
        "processes.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="round_entry",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SchoolStatus.choices, default=SchoolStatus.NOT_STARTED
    )
    male = models.PositiveIntegerField(_("male students"), null=True, blank=True)
    female = models.PositiveIntegerField(_("female students"), null=True, blank=True)
    open_findings = models.PositiveIntegerField(_("open issues"), default=0)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    class Meta:
        verbose_name = _("school in a round")
        verbose_name_plural = _("schools in a round")
        ordering = ["school__obec_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "school"], name="one_entry_per_school_per_round"
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.round} · {self.school}"

    def get_absolute_url(self) -> str:
        return reverse("dmc_emis:entry", args=[self.pk])

    @property
    def student_total(self) -> int | None:
        if self.male is None and self.female is None:
            return None
        return (self.male or 0) + (self.female or 0)

    @property
    def status_colour(self) -> str:
        return SchoolStatus.colour_of(self.status)


class Grade(models.TextChoices):
    K1 = "k1", _("Kindergarten 1")
    K2 = "k2", _("Kindergarten 2")
    K3 = "k3", _("Kindergarten 3")
    P1 = "p1", _("Primary 1")
    P2 = "p2", _("Primary 2")
    P3 = "p3", _("Primary 3")
    P4 = "p4", _("Primary 4")
    P5 = "p5", _("Primary 5")
    P6 = "p6", _("Primary 6")
    M1 = "m1", _("Secondary 1")
    M2 = "m2", _("Secondary 2")
    M3 = "m3", _("Secondary 3")
    M4 = "m4", _("Secondary 4")
    M5 = "m5", _("Secondary 5")
    M6 = "m6", _("Secondary 6")


class GradeCount(models.Model):
    """Students of one grade of one school in one round, as imported."""

    entry = models.ForeignKey(RoundSchool, on_delete=models.CASCADE, related_name="grade_counts")
    data_import = models.ForeignKey(
        "DataImport", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    row_number = models.PositiveIntegerField(_("row"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices)
    male = models.PositiveIntegerField(_("male"), default=0)
    female = models.PositiveIntegerField(_("female"), default=0)
    # An import writes its rows as current inside its own transaction (others see them only once
    # it is applied); rows are never stored otherwise, and the board reads current ones only.
    is_current = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("students by grade")
        verbose_name_plural = _("students by grade")
        ordering = ["entry", "grade"]
        indexes = [models.Index(fields=["entry", "is_current"], name="grade_count_current")]

    def __str__(self) -> str:
        return f"{self.entry} {self.grade}: {self.male}/{self.female}"

    @property
    def total(self) -> int:
        return self.male + self.female


class DataImport(models.Model):
    """One uploaded export (CSV/XLSX) and how its background import went.

    The worker streams the file, writes its rows tied to this import, and only at the end, in
    one transaction, makes them the round's data and records the findings; a broken file leaves
    nothing behind but this row and its row-numbered errors.
    """

    class Status(ColouredChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Reading the file")
        APPLYING = "applying", _("Checking the data")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

        __colours__ = {
            "queued": "secondary",
            "running": "primary",
            "applying": "primary",
            "done": "success",
            "failed": "danger",
        }

    class Content(models.TextChoices):
        COUNTS = "counts", _("Students by grade")
        STUDENTS = "students", _("Student rows")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="imports"
    )
    file = models.FileField(_("file"), upload_to="dmc_imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    content = models.CharField(_("content"), max_length=8, choices=Content.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    findings_count = models.PositiveIntegerField(_("issues found"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data import")
        verbose_name_plural = _("data imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.round} · {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("dmc_emis:import", args=[self.pk])

    @property
    def status_colour(self) -> str:
        """The Bootstrap colour of the status, from the choices."""
        return self.Status.colour_of(self.status)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


NATIONAL_ID_PURPOSE = "dmc_emis.StudentRecord.national_id"


def national_id_cipher():
    """The cipher of students' national IDs (AES-GCM and HMAC keys from PORTAL_FIELD_KEY)."""
    from core.fieldcrypt import cipher_for

    return cipher_for(NATIONAL_ID_PURPOSE)


class StudentRecord(models.Model):
    """One student row of an imported export.

    The national ID is stored encrypted (`national_id_encrypted`, AES-GCM under
    PORTAL_FIELD_KEY) with a keyed hash beside it (`national_id_hash`, HMAC-SHA256): duplicates
    within and across schools are found on the hash, never on the number. Pages decrypt only to
    mask (`masked_national_id`, `checks.mask_national_id`); the number leaves the portal in full
    only through the admin's audited export (`services.national_ids_export`,
    `NationalIdDisclosure`).
    """

    # Up to a million rows arrive in one import. A database-level foreign key checks each row on
    # its own (three checks a row cost more than reading, sealing and storing it), so the three
    # references are kept by the import instead: it writes only its own import, round and the
    # round's schools, which it holds with FOR KEY SHARE until it commits
    # (services._begin_import); deleting any of them still cascades, through Django.
    data_import = models.ForeignKey(
        DataImport,
        on_delete=models.CASCADE,
        related_name="students",
        db_constraint=False,
        db_index=False,  # student_import_entry leads with it
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        related_name="students",
        db_constraint=False,
        db_index=False,  # student_round_nid_hash leads with it
    )
    entry = models.ForeignKey(
        RoundSchool, on_delete=models.CASCADE, related_name="students", db_constraint=False
    )
    row_number = models.PositiveIntegerField(_("row"))
    national_id_encrypted = models.CharField(
        _("national ID (encrypted)"), max_length=120, blank=True, editable=False
    )
    national_id_hash = models.CharField(
        _("national ID look-up hash"), max_length=64, blank=True, editable=False
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices)
    gender = models.CharField(_("gender"), max_length=1, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # What the row-by-row checks found, read when the import is applied and findings written.
    problems = models.JSONField(default=list, blank=True)
    has_problems = models.BooleanField(default=False)
    # Written as current inside the import's transaction, like GradeCount.is_current.
    is_current = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("student row")
        verbose_name_plural = _("student rows")
        indexes = [
            models.Index(fields=["round", "national_id_hash"], name="student_round_nid_hash"),
            models.Index(fields=["data_import", "entry"], name="student_import_entry"),
            # The few rows with problems, found without reading the import's million rows.
            models.Index(
                fields=["data_import"],
                condition=models.Q(has_problems=True),
                name="student_import_problems",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.masked_national_id} {self.first_name} {self.last_name}"

    def set_national_id(self, value: str) -> None:
        """Seal a (cleaned) national ID into the two columns."""
        cipher = national_id_cipher()
        self.national_id_encrypted = cipher.encrypt(value)
        self.national_id_hash = cipher.lookup_hash(value)

    def national_id_in_full(self) -> str:
        """The number itself: for masking and the audited export only, never for a page."""
        return national_id_cipher().decrypt(self.national_id_encrypted)

    @staticmethod
    def hash_of(national_id: str) -> str:
        """The look-up hash of a (cleaned) national ID, to filter `national_id_hash` by."""
        return national_id_cipher().lookup_hash(national_id)

    @property
    def masked_national_id(self) -> str:
        from core.fieldcrypt import DecryptionError
        from dmc_emis.checks import mask_national_id

        try:
            return mask_national_id(self.national_id_in_full())
        except DecryptionError:
            return "?"  # sealed under another key: show that something is there, nothing more


class FindingRule(models.TextChoices):
    NATIONAL_ID = "national_id", _("National ID fails the checksum")
    DUPLICATE_IN_SCHOOL = "duplicate_school", _("Same student twice in the school")
    DUPLICATE_ACROSS = "duplicate_across", _("Same student in another school")
    COUNT_JUMP = "count_jump", _("Grade count jumped from the previous round")
    AGE = "age", _("Age implausible for the grade")
    MISSING = "missing", _("Missing field")


class Finding(models.Model):
    """An issue a check found in a school's data: the school sees it and answers it, the office
    resolves it."""

    class Status(ColouredChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered by the school")
        RESOLVED = "resolved", _("Resolved")

        __colours__ = {"open": "danger", "answered": "warning", "resolved": "success"}

    entry = models.ForeignKey(
        RoundSchool, verbose_name=_("school"), on_delete=models.CASCADE, related_name="findings"
    )
    data_import = models.ForeignKey(
        DataImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings"
    )
    rule = models.CharField(_("check"), max_length=16, choices=FindingRule.choices)
    row_number = models.PositiveIntegerField(_("row"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices, blank=True)
    # What the finding is about (a grade, a hashed national ID), so a re-check adds no twin.
    subject_key = models.CharField(max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=500)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("school's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["entry", "row_number", "pk"]
        indexes = [models.Index(fields=["entry", "status"])]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.detail}"

    @property
    def status_colour(self) -> str:
        """The Bootstrap colour of the status, from the choices."""
        return self.Status.colour_of(self.status)

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.RESOLVED


class RoundStatusSnapshot(models.Model):
    """How many schools stood at each status on a day: the board's "over time" chart."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="snapshots")
    day = models.DateField()
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["round", "day"], name="one_snapshot_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.day}"


class AppendOnlyError(Exception):
    pass


class NationalIdDisclosure(models.Model):
    """Audit of every export of national IDs in full: who, when, which round, why, how many."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=500)
    rows = models.PositiveIntegerField(_("rows exported"), default=0)

    class Meta:
        verbose_name = _("national ID disclosure")
        verbose_name_plural = _("national ID disclosures")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.round}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Disclosure records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Disclosure records are append-only.")
