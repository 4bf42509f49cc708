"""Plans and projects (each driven by a case of its process), stakeholder surveys, quarterly
follow-up, and the specification library with its spec drafts."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class _MoneyDigits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: _MoneyDigits = {"max_digits": 14, "decimal_places": 2}


class PlanKind(models.TextChoices):
    DIGITAL_QUALITY = "digital_quality", _("Digital technology for education quality plan")
    DISTANCE_EDUCATION = "distance_education", _("Distance education promotion plan")
    ICT_MASTER = "ict_master", _("ICT master plan")
    DLTV = "dltv", _("DLTV project plan")
    DLIT = "dlit", _("DLIT project plan")


# Each kind of plan runs the catalogue's process of the same subject.
DEFINITION_BY_KIND: dict[str, str] = {
    PlanKind.DIGITAL_QUALITY: "digital-tech-plan",
    PlanKind.DISTANCE_EDUCATION: "distance-ed-plan",
    PlanKind.ICT_MASTER: "ict-master-plan",
    PlanKind.DLTV: "dltv",
    PlanKind.DLIT: "dlit",
}


class Section(models.TextChoices):
    """The parts of a plan a returning comment can point at."""

    GENERAL = "general", _("The plan as a whole")
    VISION = "vision", _("Vision and goals")
    STRATEGIES = "strategies", _("Strategies")
    PROJECTS = "projects", _("Projects and activities")
    KPIS = "kpis", _("Indicators and targets")
    WORKING_GROUP = "working_group", _("Working group")
    SURVEY = "survey", _("Stakeholder survey")
    ATTACHMENTS = "attachments", _("Attachments")


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        PROPOSED = "proposed", _("Proposed to the director")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="plans"
    )
    kind = models.CharField(_("kind of plan"), max_length=24, choices=PlanKind.choices)
    title = models.CharField(_("title"), max_length=500)
    fiscal_year_start = models.PositiveSmallIntegerField(
        _("first fiscal year (B.E.)"),
        validators=[MinValueValidator(2500), MaxValueValidator(2700)],
    )
    fiscal_year_end = models.PositiveSmallIntegerField(
        _("last fiscal year (B.E.)"),
        validators=[MinValueValidator(2500), MaxValueValidator(2700)],
    )
    vision = models.TextField(_("vision"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    appointing_order_no = models.CharField(_("appointing order number"), max_length=100, blank=True)
    appointing_order_date = models.DateField(_("appointing order date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFTING
    )
    case = models.OneToOneField(
        "processes.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approval_signature = models.CharField(_("signed as"), max_length=255, blank=True)
    public_slug = models.SlugField(_("public address"), max_length=40, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    year_end_sent_at = models.DateTimeField(_("year-end report sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-fiscal_year_start", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fiscal_year_end__gte=models.F("fiscal_year_start")),
                name="plan_years_in_order",
            ),
            models.UniqueConstraint(
                fields=["public_slug"],
                condition=~models.Q(public_slug=""),
                name="plan_public_slug_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workplans:plan", args=[self.pk])

    @property
    def definition_code(self) -> str:
        return DEFINITION_BY_KIND[PlanKind(self.kind)]

    @property
    def is_public(self) -> bool:
        return bool(self.public_slug) and self.status in (
            self.Status.APPROVED,
            self.Status.PUBLISHED,
        )

    @property
    def fiscal_years(self) -> list[int]:
        return list(range(self.fiscal_year_start, self.fiscal_year_end + 1))

    @property
    def years_label(self) -> str:
        if self.fiscal_year_start == self.fiscal_year_end:
            return str(self.fiscal_year_start)
        return f"{self.fiscal_year_start}-{self.fiscal_year_end}"


class PublishedPlanPdf(models.Model):
    """The public PDF of an approved plan, rendered once per approved version and stored
    through Django's storage API; the public page serves these bytes with caching headers
    instead of rendering for every anonymous request. A plan approved again after a revision
    is a new version (its `approved_at` changes) and gets its own file."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="published_pdfs"
    )
    version = models.CharField(_("version"), max_length=64)
    file = models.FileField(_("file"), upload_to="workplans/published/%Y/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("published plan PDF")
        verbose_name_plural = _("published plan PDFs")
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="published_pdf_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.version})"


class Strategy(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strategies")
    position = models.PositiveSmallIntegerField(_("no."), default=1)
    title = models.CharField(_("strategy"), max_length=500)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Project(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="projects")
    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("strategy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    position = models.PositiveSmallIntegerField(_("no."), default=1)
    name = models.CharField(_("project"), max_length=500)
    objective = models.TextField(_("objective"), blank=True)
    owner = models.CharField(_("responsible person"), max_length=255, blank=True)
    # Set by selectors.plan_document for the pages that print the plan; not a column.
    owner_label: str

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField(_("no."), default=1)
    name = models.CharField(_("activity"), max_length=500)
    owner = models.CharField(_("responsible person"), max_length=255)
    budget = models.DecimalField(
        _("budget (baht)"), **MONEY, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    target_schools = models.ManyToManyField(
        "accounts.School", verbose_name=_("target schools"), blank=True, related_name="+"
    )
    # Set by selectors.plan_document for the pages that print the plan; not a column.
    owner_label: str

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class KPI(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="kpis")
    position = models.PositiveSmallIntegerField(_("no."), default=1)
    name = models.CharField(_("indicator"), max_length=500)
    unit = models.CharField(_("unit"), max_length=50)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class WorkingGroupMember(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="members")
    position = models.PositiveSmallIntegerField(_("no."), default=1)
    name = models.CharField(_("name"), max_length=255)
    job_title = models.CharField(_("position"), max_length=255, blank=True)
    duty = models.CharField(_("role in the group"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("working-group member")
        verbose_name_plural = _("working-group members")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class PlanAttachment(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="attachments")
    label = models.CharField(_("document"), max_length=255)
    file = models.FileField(_("file"), upload_to="plans/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan attachment")
        verbose_name_plural = _("plan attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def content_type(self) -> str:
        return "application/pdf" if self.original_name.lower().endswith(".pdf") else "image/*"


class PlanComment(models.Model):
    """A returning approver's remark about one section, shown to the drafters at that section."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    task = models.ForeignKey(
        "processes.Task", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    body = models.TextField(_("comment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {self.body[:40]}"


class Quarter(models.IntegerChoices):
    Q1 = 1, _("Quarter 1 (Oct-Dec)")
    Q2 = 2, _("Quarter 2 (Jan-Mar)")
    Q3 = 3, _("Quarter 3 (Apr-Jun)")
    Q4 = 4, _("Quarter 4 (Jul-Sep)")


class ActivityProgress(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="progress")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=Quarter.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Activity.Status.choices, default="not_started"
    )
    spent = models.DecimalField(
        _("spent this quarter (baht)"),
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("activity progress")
        verbose_name_plural = _("activity progress")
        ordering = ["fiscal_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "fiscal_year", "quarter"], name="one_progress_per_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.fiscal_year}/Q{self.quarter}"


class KPIResult(models.Model):
    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="results")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=Quarter.choices)
    value = models.DecimalField(_("result"), max_digits=12, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("indicator result")
        verbose_name_plural = _("indicator results")
        ordering = ["fiscal_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "fiscal_year", "quarter"], name="one_kpi_result_per_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.fiscal_year}/Q{self.quarter}: {self.value}"


# ---------------------------------------------------------------------------
# Stakeholder surveys
# ---------------------------------------------------------------------------


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(_("title"), max_length=255)
    intro = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stakeholder survey")
        verbose_name_plural = _("stakeholder surveys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workplans:survey", args=[self.pk])


class Question(models.Model):
    class Kind(models.TextChoices):
        RATING = "rating", _("Rating 1-5")
        CHOICE = "choice", _("One choice")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("no."), default=1)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    school = models.ForeignKey("accounts.School", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["submitted_at"]
        constraints = [
            # One voice per school: a second answer from the same school is refused by the DB.
            models.UniqueConstraint(fields=["survey", "school"], name="one_response_per_school"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.school}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    choice = models.CharField(max_length=255, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.rating or self.choice or self.text[:30]}"


# ---------------------------------------------------------------------------
# Specification library and spec drafts
# ---------------------------------------------------------------------------


class ItemType(models.TextChoices):
    DESKTOP = "desktop", _("Desktop computer")
    NOTEBOOK = "notebook", _("Notebook computer")
    TABLET = "tablet", _("Tablet")
    PRINTER = "printer", _("Printer")
    PROJECTOR = "projector", _("Projector")
    NETWORK = "network", _("Network equipment")
    SERVER = "server", _("Server")
    SOFTWARE = "software", _("Software")
    OTHER = "other", _("Other")


class SpecItem(models.Model):
    """One entry of the office's library of minimal characteristics and price ceilings."""

    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="spec_items"
    )
    item_type = models.CharField(_("item type"), max_length=12, choices=ItemType.choices)
    name = models.CharField(_("item"), max_length=255)
    characteristics = models.TextField(_("minimal characteristics"))
    unit = models.CharField(_("unit"), max_length=30, default="เครื่อง")
    price_ceiling = models.DecimalField(
        _("reference price ceiling (baht)"), **MONEY, validators=[MinValueValidator(0)]
    )
    source_standard = models.CharField(_("source standard"), max_length=500)
    year = models.PositiveSmallIntegerField(
        _("year (B.E.)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("item specification")
        verbose_name_plural = _("item specifications")
        ordering = ["item_type", "name", "-year"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class SpecDraft(models.Model):
    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Drafting")
        REVIEW = "review", _("Under review")
        AWAITING_DIRECTOR = "awaiting_director", _("Awaiting the director")
        APPROVED = "approved", _("Approved")
        HANDED_OFF = "handed_off", _("Handed to procurement")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Not approved")

    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="spec_drafts"
    )
    title = models.CharField(_("title"), max_length=500)
    requested_by_unit = models.CharField(_("requested by (unit or school)"), max_length=255)
    purpose = models.TextField(_("purpose"), blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    status = models.CharField(
        _("status"), max_length=18, choices=Status.choices, default=Status.DRAFTING
    )
    case = models.OneToOneField(
        "processes.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="spec_draft"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    handed_off_at = models.DateTimeField(_("handed to procurement at"), null=True, blank=True)
    handoff_letter_no = models.CharField(_("hand-off letter number"), max_length=100, blank=True)
    inspection_advice = models.TextField(_("acceptance-inspection advice"), blank=True)

    class Meta:
        verbose_name = _("specification draft")
        verbose_name_plural = _("specification drafts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workplans:spec_draft", args=[self.pk])


class SpecDraftLine(models.Model):
    """An item picked from the library (or written fresh) and adjusted for this purchase."""

    draft = models.ForeignKey(SpecDraft, on_delete=models.CASCADE, related_name="lines")
    source = models.ForeignKey(
        SpecItem,
        verbose_name=_("from the library"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("no."), default=1)
    item_type = models.CharField(_("item type"), max_length=12, choices=ItemType.choices)
    name = models.CharField(_("item"), max_length=255)
    characteristics = models.TextField(_("characteristics"))
    unit = models.CharField(_("unit"), max_length=30)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("unit price (baht)"), **MONEY, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("specification line")
        verbose_name_plural = _("specification lines")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


class SpecDraftMember(models.Model):
    draft = models.ForeignKey(SpecDraft, on_delete=models.CASCADE, related_name="members")
    position = models.PositiveSmallIntegerField(_("no."), default=1)
    name = models.CharField(_("name"), max_length=255)
    job_title = models.CharField(_("position"), max_length=255, blank=True)
    duty = models.CharField(_("role in the group"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("working-group member")
        verbose_name_plural = _("working-group members")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------
# Budget lines and spending (งบประมาณตามแผน/โครงการ และการเบิกจ่าย)
# ---------------------------------------------------------------------------


class BudgetSource(models.TextChoices):
    OBEC = "obec", _("OBEC budget (งบประมาณ สพฐ.)")
    OFFICE = "office", _("Office budget (งบ สพท.)")
    EXTRA = "extra", _("Off-budget funds (เงินนอกงบประมาณ)")
    DONATION = "donation", _("Donations and support")
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    """A planned amount of a plan (or one of its projects) for one fiscal year."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines")
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    source = models.CharField(_("source of funds"), max_length=10, choices=BudgetSource.choices)
    item = models.CharField(_("item"), max_length=500)
    planned = models.DecimalField(
        _("planned (baht)"), validators=[MinValueValidator(Decimal("0"))], **MONEY
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["fiscal_year", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned__gte=0), name="budget_line_planned_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.item


class Spending(models.Model):
    """Money spent against a budget line, with its evidence (ใบสำคัญ/หลักฐานการเบิกจ่าย)."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="spendings")
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount (baht)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    note = models.CharField(_("what for"), max_length=500)
    evidence = models.FileField(_("evidence"), upload_to="plan-spending/%Y/")
    evidence_name = models.CharField(max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spending")
        ordering = ["spent_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="spending_positive")
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.amount}"
