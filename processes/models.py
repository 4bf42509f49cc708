"""The workflow engine's models: process definitions with versioned steps, the cases that run
them, their tasks, the append-only audit trail and the notification outbox; plus the working
calendar's admin-edited days."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, Required, TypedDict

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.choices import ColouredChoices
from core.thaitime import format_thai_date, next_working_day, working_days_between

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def localized(thai: str, english: str) -> str:
    """The English text when the UI is in English and one exists; Thai otherwise."""
    if english and (get_language() or "").startswith("en"):
        return english
    return thai


class CalendarDay(models.Model):
    """An admin-edited exception to the working calendar computed by `core.thaitime`.

    The `holidays` package supplies the regular Thai public holidays; rows here add what it
    cannot know in advance (special days off announced by the cabinet, the Royal Ploughing
    Ceremony once its date is set) or turn a would-be day off into a working day.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Extra day off")  # th: วันหยุดเพิ่มเติม
        WORKING_DAY = "working_day", _("Working day")  # th: วันทำงาน

    date = models.DateField(_("date"), unique=True)  # th: วันที่
    kind = models.CharField(
        _("kind"),  # th: ประเภท
        max_length=20,
        choices=Kind.choices,
        default=Kind.HOLIDAY,
        # th: วันหยุดเพิ่มเติม: สำนักงานปิดทั้งที่ปกติเป็นวันทำงาน
        # วันทำงาน: สำนักงานเปิดทั้งที่ปกติเป็นวันหยุด
        help_text=_(
            "Extra day off: the office is closed although the day would be worked. "
            "Working day: the office is open although the day would be off."
        ),
    )
    name = models.CharField(_("name"), max_length=255)  # th: ชื่อวัน
    note = models.TextField(_("note"), blank=True)  # th: หมายเหตุ
    # Lets every process notice edits made in another process (see core.thaitime's cache).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)  # th: แก้ไขล่าสุด

    class Meta:
        verbose_name = _("calendar day")  # th: วันในปฏิทินราชการ
        verbose_name_plural = _("calendar days")  # th: วันในปฏิทินราชการ
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{format_thai_date(self.date)} {self.name}"

    @staticmethod
    def fingerprint() -> tuple[object, ...]:
        """Changes whenever a day is added, edited or removed (for Thai time's cache)."""
        result = CalendarDay.objects.aggregate(count=Count("pk"), last=Max("updated_at"))
        return result["count"], result["last"]

    @staticmethod
    def days_of_year(year: int) -> list[tuple[datetime.date, bool, str]]:
        """``(date, is working day, name)`` of the year's days, for Thai time's calendar."""
        rows = CalendarDay.objects.filter(date__year=year).values_list("date", "kind", "name")
        return [(day, kind == CalendarDay.Kind.WORKING_DAY, name) for day, kind, name in rows]


# ---------------------------------------------------------------------------
# Workflow engine: definitions (admin-edited, versioned) and their running cases
# ---------------------------------------------------------------------------


class Area(models.TextChoices):
    DISTANCE_EDUCATION = "distance_education", _("Distance education")
    ICT_SYSTEMS = "ict_systems", _("Computer systems and ICT")
    INFORMATION = "information", _("Information for administration")
    PLANS = "plans", _("Plans")
    STUDENT_DATA = "student_data", _("Student data (DMC/EMIS)")
    SERVICE = "service", _("Services to schools")


class StepKind(models.TextChoices):
    TASK = "task", _("Task")
    APPROVAL = "approval", _("Approval")
    # The director's "รับทราบ" that closes a report loop: one outcome, decided in the inbox.
    ACKNOWLEDGE = "acknowledge", _("Acknowledgement")
    NOTIFY = "notify", _("Notification")
    WAIT_UNTIL = "wait_until", _("Wait until a date")
    END = "end", _("End")


class TimeModel(models.TextChoices):
    """How a step's standard time is counted, exactly as its manual states it.

    `days_min`/`days_max` hold the numbers; their unit follows the model. The due date is the
    maximum (the minimum when only one is given); `processes.timing.due_on_for` computes it.
    """

    NONE = "none", _("No standard time")  # th: ไม่กำหนดเวลา
    WORKING_DAYS = "working_days", _("Working days")  # th: วันทำการ
    CALENDAR_DAYS = "calendar_days", _("Calendar days")  # th: วัน (ตามปฏิทิน)
    PER_ACTIVITY = "per_activity", _("Days per activity")  # th: วันต่อกิจกรรม
    UNTIL_CASE_DATE = "until_case_date", _("Until a date of the case")  # th: ถึงวันที่ของเรื่อง


class Responsible(models.TextChoices):
    """Who works a step: an office role, or someone defined by the case itself."""

    STAFF = "staff", _("Staff")
    GROUP_HEAD = "group_head", _("Group head")
    DEPUTY_DIRECTOR = "deputy_director", _("Deputy director")
    DIRECTOR = "director", _("District director")
    ADMIN = "admin", _("Administrator")
    REQUESTER = "requester", _("The requester")
    SCHOOL_USER = "school_user", _("The case's school")
    SCHOOL_DIRECTOR = "school_director", _("The case's school director")


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for revision")
    REJECT = "reject", _("Reject")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")  # th: รับทราบ


OUTCOMES_BY_KIND = {
    StepKind.TASK: {Outcome.DONE},
    StepKind.NOTIFY: {Outcome.DONE},
    StepKind.WAIT_UNTIL: {Outcome.DONE},
    StepKind.APPROVAL: {Outcome.APPROVE, Outcome.RETURN, Outcome.REJECT},
    StepKind.ACKNOWLEDGE: {Outcome.ACKNOWLEDGE},
    StepKind.END: set(),
}
APPROVAL_ORDER = [Outcome.APPROVE, Outcome.RETURN, Outcome.REJECT]


class OutcomeOption(TypedDict, total=False):
    """An outcome a task step names itself (`StepDefinition.options`)."""

    value: Required[str]
    label_th: str
    label_en: str


class ConditionalApprover(TypedDict, total=False):
    """An approval level that applies only when the amount submitted in `field` is over
    `if_over` (an entry of `StepDefinition.approvers`; the other entries are role codes)."""

    role: Required[str]
    field: str
    if_over: float


ApproverEntry = str | ConditionalApprover


def step_outcomes(
    kind: str, options: Sequence[OutcomeOption] | None = None
) -> list[tuple[str, str]]:
    """(value, label) of the decisions a step offers, in display order.

    A task step may name its own outcomes ("options"), e.g. repair on site / purchase needed;
    each then has its own transition. Otherwise the kind decides.
    """
    if kind == StepKind.TASK and options:
        return [
            (o["value"], localized(o.get("label_th") or o["value"], o.get("label_en", "")))
            for o in options
        ]
    if kind == StepKind.APPROVAL:
        return [(o.value, str(o.label)) for o in APPROVAL_ORDER]
    if kind == StepKind.ACKNOWLEDGE:
        return [(Outcome.ACKNOWLEDGE.value, str(Outcome.ACKNOWLEDGE.label))]
    if kind == StepKind.END:
        return []
    return [(Outcome.DONE.value, str(Outcome.DONE.label))]


def approver_role(entry: ApproverEntry) -> str:
    """An approval chain entry is a role code, or {"role", "field", "if_over"} for a level that
    only applies when a submitted amount exceeds a threshold (e.g. the director above 10,000)."""
    return entry["role"] if isinstance(entry, dict) else entry


class ProcessDefinition(models.Model):
    """A work process from the manuals, e.g. "จัดทำแผนแม่บท ICT". Its steps live in versions."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    title_th = models.CharField(_("Thai title"), max_length=500)
    title_en = models.CharField(_("English title"), max_length=500, blank=True)
    area = models.CharField(_("work area"), max_length=32, choices=Area.choices)
    objective_th = models.TextField(_("objective"), blank=True)
    scope_th = models.TextField(_("scope"), blank=True)
    key_indicator_th = models.TextField(_("key indicator"), blank=True)
    forms = models.JSONField(_("forms used"), default=list, blank=True)
    references = models.JSONField(_("references"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    variant_note = models.TextField(_("variant note"), blank=True)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=8,
        default="WF",
        help_text=_("Case numbers read PREFIX-fiscal year-number, e.g. RP-2570-000123."),
    )
    position = models.PositiveIntegerField(_("position in the catalogue"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("process definition")
        verbose_name_plural = _("process definitions")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.title_th

    def get_absolute_url(self) -> str:
        return reverse("processes:definition", args=[self.code])

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def title(self) -> str:
        return localized(self.title_th, self.title_en)


class DefinitionVersion(models.Model):
    """A snapshot of a process's steps. Cases start on the published one and stay on it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    definition = models.ForeignKey(
        ProcessDefinition,
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    note = models.TextField(_("change note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("definition version")
        verbose_name_plural = _("definition versions")
        ordering = ["definition", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "number"], name="version_number_unique"),
            # Exactly one version is the one new cases start on.
            models.UniqueConstraint(
                fields=["definition"],
                condition=Q(status="published"),
                name="one_published_version_per_definition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.definition.code} v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def first_step(self) -> StepDefinition | None:
        return self.steps.order_by("position", "pk").first()


def _amount_in(case_data: Mapping[str, Any], entry: ConditionalApprover) -> float:
    """The latest value of `entry["field"]` submitted at any step of the case (0 if none)."""
    amount = 0.0
    for step_data in case_data.values():
        if isinstance(step_data, dict) and entry.get("field") in step_data:
            try:
                amount = float(step_data[entry["field"]])
            except (TypeError, ValueError):
                continue
    return amount


class StepDefinition(models.Model):
    """One step of a version: who does it, how long it may take, and what they fill in."""

    version = models.ForeignKey(
        DefinitionVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="steps"
    )
    key = models.SlugField(_("key"), max_length=64)
    position = models.PositiveIntegerField(_("order"), default=0)
    name_th = models.CharField(_("Thai name"), max_length=500)
    name_en = models.CharField(_("English name"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=StepKind.choices)
    responsible = models.CharField(
        _("responsible"), max_length=20, choices=Responsible.choices, default=Responsible.STAFF
    )
    approvers = models.JSONField(
        _("approval chain"),
        default=list,
        blank=True,
        help_text=_("For approval steps: role codes in order, e.g. group_head, director."),
    )
    through_chain = models.BooleanField(
        _("through the office's chain of command"),
        default=False,
        help_text=_(
            "For approval steps: the memo first passes the levels the office sets (group head,"
            " deputy director) before the approvers named here."
        ),
    )
    time_model = models.CharField(
        _("standard time"),
        max_length=16,
        choices=TimeModel.choices,
        default=TimeModel.NONE,
        help_text=_(
            "As the manual gives it: none (no due date, never overdue), working days, calendar"
            " days, days per activity (times the number of activities entered in the step's"
            " form), or until a date held by the case."
        ),
    )
    days_min = models.PositiveSmallIntegerField(
        _("standard time, minimum (days)"), null=True, blank=True
    )
    days_max = models.PositiveSmallIntegerField(
        _("standard time, maximum (days)"), null=True, blank=True
    )
    activity_field = models.CharField(
        _("activity count field"),
        max_length=64,
        blank=True,
        help_text=_(
            "For days per activity: the form field holding the activities (a number, or a table"
            " with one row per activity)."
        ),
    )
    quality_th = models.TextField(_("quality standard"), blank=True)
    form_schema = models.JSONField(_("form fields"), default=list, blank=True)
    attachments = models.JSONField(_("required attachments"), default=list, blank=True)
    options = models.JSONField(
        _("named outcomes"),
        default=list,
        blank=True,
        help_text=_(
            "For task steps that branch: a list of {value, label_th, label_en}; one transition"
            " per value."
        ),
    )
    auto_done_after_days = models.PositiveSmallIntegerField(
        _("completes by itself after (working days)"),
        null=True,
        blank=True,
        help_text=_("E.g. the requester's confirmation closes by itself after 5 working days."),
    )
    case_date_field = models.CharField(
        _("case date field"),
        max_length=64,
        blank=True,
        help_text=_(
            "For wait-until steps and the “until a date of the case” time: the key of the case"
            " data holding the date (e.g. deadline)."
        ),
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="step_key_unique_in_version"),
        ]

    def __str__(self) -> str:
        return self.name_th

    @property
    def name(self) -> str:
        return localized(self.name_th, self.name_en)

    @property
    def is_timed(self) -> bool:
        """Only timed steps have a due date, remind, breach and escalate."""
        return self.time_model != TimeModel.NONE

    @property
    def time_text(self) -> str:
        """The standard time as people read it: "1-5 วันทำการ" (en dash), "ไม่กำหนดเวลา"."""
        if self.time_model in (TimeModel.NONE, TimeModel.UNTIL_CASE_DATE):
            return str(TimeModel(self.time_model).label)
        low, high = self.days_min or self.days_max, self.days_max or self.days_min
        numbers = str(high) if low == high else f"{low}\N{EN DASH}{high}"
        units: dict[str, StrOrPromise] = {
            TimeModel.WORKING_DAYS: _("working days"),
            TimeModel.CALENDAR_DAYS: _("days"),
            TimeModel.PER_ACTIVITY: _("days per activity"),
        }
        return f"{numbers} {units[self.time_model]}".strip()

    @property
    def approver_labels(self) -> list[str]:
        labels = [str(_("the office's chain of command"))] if self.through_chain else []
        for entry in self.approvers:
            role = approver_role(entry)
            label = Responsible(role).label if role in Responsible.values else role
            if isinstance(entry, dict) and entry.get("if_over") is not None:
                label = f"{label} ({_('above')} {entry['if_over']:,})"
            labels.append(str(label))
        return labels

    @property
    def chain(self) -> list[str]:
        """Who acts, level by level, ignoring conditions and the office's own levels."""
        if self.kind == StepKind.APPROVAL and self.approvers:
            return [approver_role(entry) for entry in self.approvers]
        return [self.responsible]

    def chain_for(self, case: Case) -> list[str]:
        """The chain for one case: the office's levels first for a step going through the
        chain of command (a level named by the step too is not repeated), then the step's
        approvers, conditional ones only above their threshold."""
        if self.kind != StepKind.APPROVAL or not self.approvers:
            return [self.responsible]
        entries: list[ApproverEntry] = self.approvers
        named = [
            approver_role(entry)
            for entry in entries
            if not isinstance(entry, dict)
            or _amount_in(case.data, entry) > entry.get("if_over", -1)
        ]
        if not self.through_chain:
            return named
        office_levels = [level for level in case.office.chain_levels if level not in named]
        return office_levels + named

    @property
    def outcomes(self) -> list[tuple[str, str]]:
        return step_outcomes(self.kind, self.options)

    def outcome_label(self, value: str) -> str:
        return dict(self.outcomes).get(value, value)


class TransitionDefinition(models.Model):
    """From a step, on an outcome, to a step: "ไม่ผ่าน → back to study" is data, not code."""

    version = models.ForeignKey(
        DefinitionVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_step = models.ForeignKey(
        StepDefinition, verbose_name=_("from step"), on_delete=models.CASCADE, related_name="exits"
    )
    outcome = models.CharField(_("outcome"), max_length=32)
    to_step = models.ForeignKey(
        StepDefinition, verbose_name=_("to step"), on_delete=models.CASCADE, related_name="entries"
    )

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        constraints = [
            models.UniqueConstraint(
                fields=["from_step", "outcome"], name="one_transition_per_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_step.key} —{self.outcome}→ {self.to_step.key}"


class Case(models.Model):
    """One run of a process version, e.g. a repair ticket's workflow or a plan's approval."""

    class State(ColouredChoices):
        RUNNING = "running", _("In progress")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Not approved")
        CANCELLED = "cancelled", _("Cancelled")

        __colours__ = {
            "running": "primary",
            "completed": "success",
            "rejected": "secondary",
            "cancelled": "secondary",
        }

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="cases"
    )
    version = models.ForeignKey(
        DefinitionVersion,
        verbose_name=_("process version"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=500)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), db_index=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="cases_requested",
    )
    school = models.ForeignKey(
        "accounts.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    # The domain object this case drives (repair ticket, loan, plan, round), if any.
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RUNNING
    )
    data = models.JSONField(_("case data"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["office", "state", "fiscal_year"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("processes:case", args=[self.reference])

    @property
    def definition(self) -> ProcessDefinition:
        return self.version.definition

    @property
    def is_open(self) -> bool:
        return self.state == self.State.RUNNING

    @property
    def state_colour(self) -> str:
        return self.State.colour_of(self.state)


class DueState(ColouredChoices):
    """Where a task stands against its due date; each state has a colour wherever it is shown."""

    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")
    UNTIMED = "untimed", _("No standard time")  # th: ไม่กำหนดเวลา

    __colours__ = {
        "on_time": "success",
        "due_soon": "warning",
        "overdue": "danger",
        "paused": "secondary",
        "closed": "light",
        "untimed": "info",
    }

    @property
    def is_paused(self) -> bool:
        return self == DueState.PAUSED

    @property
    def is_untimed(self) -> bool:
        return self == DueState.UNTIMED

    @property
    def is_closed(self) -> bool:
        return self == DueState.CLOSED

    @classmethod
    def filter_choices(cls) -> list[tuple[str, str]]:
        """The states a list of open work can be narrowed to."""
        states = (cls.OVERDUE, cls.DUE_SOON, cls.PAUSED)
        return [(state.value, str(state.label)) for state in states]

    @classmethod
    def of_date(cls, due_on: datetime.date | None, today: datetime.date | None = None) -> DueState:
        """Running work due on `due_on`: due soon means today or the next working day; work
        without a due date (an untimed step) is never due soon nor overdue."""
        if due_on is None:
            return cls.UNTIMED
        today = today or timezone.localdate()
        if due_on < today:
            return cls.OVERDUE
        if due_on <= next_working_day(today):
            return cls.DUE_SOON
        return cls.ON_TIME


class TaskQuerySet(models.QuerySet["Task"]):
    def open(self) -> TaskQuerySet:
        return self.filter(status=Task.Status.OPEN)


class Task(models.Model):
    """One step run (one approval level of an approval step). Decided once, then frozen."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="tasks"
    )
    step = models.ForeignKey(
        StepDefinition, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("approval level"), default=0)
    role = models.CharField(_("responsible"), max_length=20, choices=Responsible.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks_assigned",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_reason = models.CharField(_("waiting for"), max_length=255, blank=True)
    paused_working_days = models.PositiveIntegerField(_("working days paused"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=32, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("form data"), default=dict, blank=True)
    # Stamps of the daily pass, so running it twice sends nothing twice.
    reminded_on = models.DateField(null=True, blank=True)
    breach_notified_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["started_at", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["status", "role"]),
            models.Index(fields=["assignee", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} · {self.step.name_th}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def due_state(self, today: datetime.date | None = None) -> DueState:
        """Due soon means due today or on the next working day."""
        if not self.is_open:
            return DueState.CLOSED
        if self.is_paused:
            return DueState.PAUSED
        return DueState.of_date(self.due_on, today)

    @property
    def outcome_label(self) -> str:
        return self.step.outcome_label(self.outcome) if self.outcome else ""

    @property
    def chain_size(self) -> int:
        """How many levels this task's approval has, for "level 2/3"."""
        return len(self.step.chain_for(self.case))

    @property
    def waiting_working_days(self) -> int:
        """Working days since the task opened (up to its end), less the days it was paused:
        what the case page shows for work that has no due date."""
        end = timezone.localdate(self.finished_at) if self.finished_at else timezone.localdate()
        waited = working_days_between(timezone.localdate(self.started_at), end)
        return max(0, waited - self.paused_working_days)

    @property
    def due_colour(self) -> str:
        return self.due_state().colour


class TaskAttachment(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="files"
    )
    label = models.CharField(_("document"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # How a case page names the file (a file field's upload shows the field's label); set on
    # the attachments `selectors.submissions_for` reads, not stored.
    display_label: str

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class AppendOnlyError(Exception):
    pass


class CaseEvent(models.Model):
    """The audit trail: one row per change, written with the change, never edited afterwards."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Started")
        DECIDED = "decided", _("Decided")
        ASSIGNED = "assigned", _("Assigned")
        DUE_SET = "due_set", _("Due date set")  # th: กำหนดวันครบกำหนด
        PAUSED = "paused", _("Paused")
        RESUMED = "resumed", _("Resumed")
        NOTIFIED = "notified", _("Notified")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acting for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_step = models.ForeignKey(
        StepDefinition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_step = models.ForeignKey(
        StepDefinition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=32, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Case events are append-only.")

    @property
    def outcome_label(self) -> str:
        step = self.from_step
        return step.outcome_label(self.outcome) if step else self.outcome


class Notification(models.Model):
    """The outbox: written in the same transaction as the change, delivered later by a task."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Makes every notification idempotent: the daily pass can run twice and send nothing twice.
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # After a failed delivery: not before this moment (exponential back-off with jitter).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # The channels (e-mail, LINE, …) that already delivered it: a retry never repeats them.
    channels_done = models.JSONField(_("delivered by"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # A daily digest: the last `TaskNotice` it lists; later notices wait for the next digest.
    digest_upto = models.BigIntegerField(
        _("last notice listed"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "created_at"],
                name="notification_pending_idx",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["recipient", "read_at"]),
        ]

    def __str__(self) -> str:
        return self.subject


class TaskNotice(models.Model):
    """A notice of the daily pass: on `day` the task came due soon, went overdue, or was
    escalated one level up. One per task and stage, claimed by the stage's stamp on the task.

    Nobody is named here: who hears of a notice is worked out when the digests are composed,
    from who holds the task then, so a task held by a group of sixteen costs one row, not
    sixteen. A digest records the last notice it lists (`Notification.digest_upto`); the
    notices after it go into the person's next digest."""

    class Stage(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        ESCALATED = "escalated", _("Overdue, for your attention")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notices")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "stage"], name="one_notice_per_stage"),
        ]
        indexes = [models.Index(fields=["day"], name="task_notice_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.stage} {self.task_id}"


class ReferenceCounter(models.Model):
    """The last number handed out per prefix and fiscal year (RP-2570-000123)."""

    prefix = models.CharField(max_length=8)
    fiscal_year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "fiscal_year"], name="one_counter_per_prefix_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.fiscal_year}: {self.last_number}"


class DefinitionChange(models.Model):
    """The designer's audit trail: who changed which definition or version, when, and what.

    Written by the designer's services in the same transaction as the change; append-only like
    the case events.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Definition created")
        COPIED = "copied", _("Definition copied")
        EDITED = "edited", _("Definition details edited")
        DRAFT_OPENED = "draft_opened", _("Draft opened")
        STEP_ADDED = "step_added", _("Step added")
        STEP_EDITED = "step_edited", _("Step edited")
        STEP_DELETED = "step_deleted", _("Step deleted")
        STEPS_REORDERED = "reordered", _("Steps reordered")
        PUBLISHED = "published", _("Published")
        REPUBLISHED = "republished", _("Earlier version published again")
        IMPORTED = "imported", _("Imported")
        DRAFT_DISCARDED = "discarded", _("Draft discarded")

    definition = models.ForeignKey(
        ProcessDefinition,
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    version_number = models.PositiveIntegerField(_("version"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    summary = models.TextField(_("what changed"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("definition change")
        verbose_name_plural = _("definition changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["definition", "-at"])]

    def __str__(self) -> str:
        return f"{self.definition.code} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Definition changes are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Definition changes are append-only.")
