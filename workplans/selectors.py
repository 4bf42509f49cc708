"""Reads for plans, surveys and spec drafts: who sees and who edits what, and the sums the
follow-up and the year-end report are made of."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import RoleCode, User
from accounts.selectors import authority_for
from processes.models import StepKind, Task
from workplans.models import (
    KPI,
    Activity,
    ActivityProgress,
    Answer,
    KPIResult,
    Plan,
    Question,
    SpecDraft,
    SpecItem,
    Survey,
    SurveyResponse,
)

GROUP_ROLES = (RoleCode.STAFF, RoleCode.GROUP_HEAD)


# ---------------------------------------------------------------------------
# Who may see and edit
# ---------------------------------------------------------------------------


def is_group_member(user: User, office_id: int | None) -> bool:
    """Staff or the group head of the office (own role or by delegation): the plan's drafters."""
    if not user.is_active or user.office_id != office_id or user.is_school_side:
        return False
    return any(authority_for(user, role) is not None for role in GROUP_ROLES)


def plans_visible_to(user: User) -> QuerySet[Plan]:
    """Office people read their office's plans; school people read none here (only public ones)."""
    plans = Plan.objects.select_related("case", "office")
    if user.is_superuser:
        return plans
    if user.is_school_side or not user.office_id:
        return plans.none()
    return plans.filter(office_id=user.office_id)


def get_plan_for_user(user: User, pk: int) -> Plan:
    return get_object_or_404(plans_visible_to(user), pk=pk)


def drafting_task(plan: Plan) -> Task | None:
    """The open task of the plan's case if it is a drafting step: a work step before the gate.

    Drafting and revision are the work steps that come before the director's approval step in
    the definition; once the plan is proposed, or approved and being carried out, its content
    is frozen.
    """
    if plan.case is None or not plan.case.is_open:
        return None
    task = (
        plan.case.tasks.filter(status=Task.Status.OPEN)
        .select_related("step")
        .order_by("started_at", "pk")
        .first()
    )
    if task is None or task.step.kind != StepKind.TASK:
        return None
    gate = task.step.version.steps.filter(kind=StepKind.APPROVAL).order_by("position").first()
    if gate is not None and task.step.position > gate.position:
        return None
    return task


def can_edit_plan(user: User, plan: Plan) -> bool:
    return is_group_member(user, plan.office_id) and drafting_task(plan) is not None


def get_editable_plan(user: User, pk: int) -> Plan:
    """The plan for editing: 404 if not visible, 403 if visible but not the user's to edit now."""
    plan = get_plan_for_user(user, pk)
    if not can_edit_plan(user, plan):
        raise PermissionDenied
    return plan


def can_follow_up(user: User, plan: Plan) -> bool:
    approved = plan.status in (Plan.Status.APPROVED, Plan.Status.PUBLISHED)
    return approved and is_group_member(user, plan.office_id)


def approval_task_for(user: User, plan: Plan) -> Task | None:
    """The open approval task of the plan that `user` may decide now, if any."""
    from processes.selectors import task_authority

    if plan.case is None or not plan.case.is_open:
        return None
    for task in plan.case.tasks.filter(status=Task.Status.OPEN, step__kind=StepKind.APPROVAL):
        if task_authority(task=task, user=user, case=plan.case) is not None:
            return task
    return None


def public_plan(slug: str) -> Plan:
    plan = Plan.objects.filter(public_slug=slug).select_related("office").first()
    if plan is None or not plan.is_public:
        raise Http404
    return plan


# ---------------------------------------------------------------------------
# The plan's content, as read by the reading view, its PDF and the public page
# ---------------------------------------------------------------------------


def people_names(office_id: int | None, typed: list[str]) -> dict[str, str]:
    """Owners typed as a login name (``staff1``) -> the person's full name and position, so
    public and printed pages name people, never their logins."""
    wanted = {text.strip() for text in typed if text and " " not in text.strip()}
    if not wanted:
        return {}
    # Django reads office_id=None as IS NULL; django-stubs only allows str | int in lookups.
    people = User.objects.filter(office_id=office_id, username__in=wanted)  # type: ignore[misc]
    return {
        person.username: (
            f"{person.display_name} ({person.position})" if person.position else person.display_name
        )
        for person in people
    }


def plan_document(plan: Plan, *, with_surveys: bool = True) -> dict:
    """Everything a reader sees, in a handful of queries (the survey results only if asked)."""
    strategies = list(plan.strategies.all())
    projects = list(
        plan.projects.select_related("strategy").prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.prefetch_related("target_schools").order_by(
                    "position", "pk"
                ),
            )
        )
    )
    budget = plan_budget(plan)
    names = people_names(
        plan.office_id,
        [p.owner for p in projects] + [a.owner for p in projects for a in p.activities.all()],
    )
    for project in projects:
        project.owner_label = names.get(project.owner, project.owner)
        for activity in project.activities.all():
            activity.owner_label = names.get(activity.owner, activity.owner)
    surveys = list(plan.surveys.exclude(status=Survey.Status.DRAFT)) if with_surveys else []
    return {
        "plan": plan,
        "strategies": strategies,
        "projects": projects,
        "kpis": list(plan.kpis.all()),
        "members": list(plan.members.all()),
        "attachments": list(plan.attachments.all()),
        "budget": budget,
        "survey_summaries": [survey_results(survey) for survey in surveys],
    }


@dataclass
class Budget:
    total: Decimal = Decimal("0")
    by_project: dict[int, Decimal] = field(default_factory=dict)


def plan_budget(plan: Plan) -> Budget:
    """The plan's budget: the sum of its activities', and per project."""
    rows = (
        Activity.objects.filter(project__plan=plan)
        .values("project_id")
        .annotate(total=Sum("budget"))
        .order_by()
    )
    by_project = {row["project_id"]: row["total"] or Decimal("0") for row in rows}
    return Budget(total=sum(by_project.values(), Decimal("0")), by_project=by_project)


# ---------------------------------------------------------------------------
# Follow-up: quarters, budget spent, KPIs against targets
# ---------------------------------------------------------------------------


@dataclass
class KpiStatus:
    kpi: KPI
    latest: Decimal | None
    by_quarter: dict[int, Decimal]

    @property
    def achieved(self) -> bool:
        return self.latest is not None and self.latest >= self.kpi.target

    @property
    def percent_of_target(self) -> Decimal | None:
        if self.latest is None or not self.kpi.target:
            return None
        return (self.latest * 100 / self.kpi.target).quantize(Decimal("0.1"))


@dataclass
class FollowUp:
    fiscal_year: int
    budget: Budget
    spent_by_quarter: dict[int, Decimal]
    spent_by_project: dict[int, Decimal]
    spent_total: Decimal
    status_by_activity: dict[int, str]
    status_counts: Counter
    kpis: list[KpiStatus]

    @property
    def spent_percent(self) -> Decimal | None:
        if not self.budget.total:
            return None
        return (self.spent_total * 100 / self.budget.total).quantize(Decimal("0.1"))

    @property
    def kpis_achieved(self) -> int:
        return sum(1 for status in self.kpis if status.achieved)


def plan_follow_up(plan: Plan, fiscal_year: int) -> FollowUp:
    """Money spent per quarter and per project, each activity's latest status, and each KPI's
    latest result against its target, for one fiscal year."""
    progress = ActivityProgress.objects.filter(
        activity__project__plan=plan, fiscal_year=fiscal_year
    ).select_related("activity")
    spent_by_quarter: dict[int, Decimal] = {q: Decimal("0") for q in (1, 2, 3, 4)}
    spent_by_project: dict[int, Decimal] = defaultdict(lambda: Decimal("0"))
    status_by_activity: dict[int, tuple[int, str]] = {}
    for row in progress:
        spent_by_quarter[row.quarter] += row.spent
        spent_by_project[row.activity.project_id] += row.spent
        known = status_by_activity.get(row.activity_id)
        if known is None or known[0] < row.quarter:
            status_by_activity[row.activity_id] = (row.quarter, row.status)
    statuses = {pk: status for pk, (_q, status) in status_by_activity.items()}
    activity_ids = Activity.objects.filter(project__plan=plan).values_list("pk", flat=True)
    counts = Counter(statuses.get(pk, Activity.Status.NOT_STARTED) for pk in activity_ids)

    results: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for result in KPIResult.objects.filter(kpi__plan=plan, fiscal_year=fiscal_year):
        results[result.kpi_id][result.quarter] = result.value
    kpis = []
    for kpi in plan.kpis.all():
        by_quarter = results.get(kpi.pk, {})
        latest = by_quarter[max(by_quarter)] if by_quarter else None
        kpis.append(KpiStatus(kpi=kpi, latest=latest, by_quarter=by_quarter))
    return FollowUp(
        fiscal_year=fiscal_year,
        budget=plan_budget(plan),
        spent_by_quarter=spent_by_quarter,
        spent_by_project=dict(spent_by_project),
        spent_total=sum(spent_by_quarter.values(), Decimal("0")),
        status_by_activity=statuses,
        status_counts=counts,
        kpis=kpis,
    )


# ---------------------------------------------------------------------------
# Surveys
# ---------------------------------------------------------------------------


def surveys_for_school_user(user: User) -> QuerySet[Survey]:
    """Open surveys of the user's office that the user's school may answer."""
    if not user.school_id:
        return Survey.objects.none()
    assert user.school is not None
    return Survey.objects.filter(
        status=Survey.Status.OPEN, plan__office_id=user.school.office_id
    ).select_related("plan")


def surveys_waiting_for(user: User) -> QuerySet[Survey]:
    """Open surveys the user's school has not answered yet."""
    # Django reads school_id=None as IS NULL; django-stubs only allows str | int in lookups.
    return surveys_for_school_user(user).exclude(responses__school_id=user.school_id)  # type: ignore[misc]


def get_survey_for_office(user: User, pk: int) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("plan"), pk=pk)
    get_plan_for_user(user, survey.plan_id)
    return survey


def get_survey_to_answer(user: User, pk: int) -> Survey:
    return get_object_or_404(surveys_for_school_user(user), pk=pk)


def school_has_answered(survey: Survey, school_id: int | None) -> bool:
    # Django reads school_id=None as IS NULL; django-stubs only allows str | int in lookups.
    return SurveyResponse.objects.filter(survey=survey, school_id=school_id).exists()  # type: ignore[misc]


@dataclass
class QuestionSummary:
    question: Question
    answered: int = 0
    average: float | None = None
    counts: list[tuple[str, int]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    chart: str = ""  # filled by workplans.charts.add_charts where a page shows charts


@dataclass
class SurveySummary:
    survey: Survey
    responses: int
    schools: list[str]
    questions: list[QuestionSummary]


def survey_results(survey: Survey) -> SurveySummary:
    """Per question: how many answered, rating distribution and mean, choice counts, texts.

    Ratings and choices are counted by the database (one grouped query), so the cost does not
    grow with the number of schools; only free-text answers are read row by row.
    """
    questions = list(survey.questions.all())
    tallies: dict[int, Counter] = defaultdict(Counter)
    grouped = (
        Answer.objects.filter(response__survey=survey)
        .exclude(question__kind=Question.Kind.TEXT)
        .values("question_id", "rating", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        tallies[row["question_id"]][row["rating"] or row["choice"]] += row["n"]
    texts: dict[int, list[tuple[str, str]]] = defaultdict(list)
    written = (
        Answer.objects.filter(response__survey=survey, question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .values_list("question_id", "response__school__name_th", "text")
        .order_by("response__school__name_th")
    )
    for question_id, school_name, text in written:
        texts[question_id].append((school_name, text))
    summaries = []
    for question in questions:
        tally = tallies.get(question.pk, Counter())
        summary = QuestionSummary(question=question)
        if question.kind == Question.Kind.RATING:
            summary.counts = [(str(score), tally.get(score, 0)) for score in (1, 2, 3, 4, 5)]
            summary.answered = sum(count for _score, count in summary.counts)
            total = sum(score * tally.get(score, 0) for score in (1, 2, 3, 4, 5))
            summary.average = round(total / summary.answered, 2) if summary.answered else None
        elif question.kind == Question.Kind.CHOICE:
            summary.counts = [(str(c), tally.get(str(c), 0)) for c in question.choices]
            summary.answered = sum(count for _choice, count in summary.counts)
        else:
            summary.texts = texts.get(question.pk, [])
            summary.answered = len(summary.texts)
        summaries.append(summary)
    schools = list(
        survey.responses.order_by("school__name_th").values_list("school__name_th", flat=True)
    )
    return SurveySummary(
        survey=survey, responses=len(schools), schools=schools, questions=summaries
    )


# ---------------------------------------------------------------------------
# Specification library and drafts
# ---------------------------------------------------------------------------


def spec_items_for(user: User) -> QuerySet[SpecItem]:
    if user.is_superuser:
        return SpecItem.objects.all()
    if user.is_school_side or not user.office_id:
        return SpecItem.objects.none()
    return SpecItem.objects.filter(office_id=user.office_id)


def spec_drafts_visible_to(user: User) -> QuerySet[SpecDraft]:
    drafts = SpecDraft.objects.select_related("case", "created_by")
    if user.is_superuser:
        return drafts
    if user.is_school_side or not user.office_id:
        return drafts.none()
    return drafts.filter(office_id=user.office_id)


def get_spec_draft_for_user(user: User, pk: int) -> SpecDraft:
    return get_object_or_404(spec_drafts_visible_to(user), pk=pk)


def spec_draft_is_drafting(draft: SpecDraft) -> bool:
    if draft.case is None or not draft.case.is_open:
        return False
    return draft.case.tasks.filter(status=Task.Status.OPEN, step__key="draft").exists()


def can_edit_spec_draft(user: User, draft: SpecDraft) -> bool:
    return is_group_member(user, draft.office_id) and spec_draft_is_drafting(draft)


def get_editable_spec_draft(user: User, pk: int) -> SpecDraft:
    draft = get_spec_draft_for_user(user, pk)
    if not can_edit_spec_draft(user, draft):
        raise PermissionDenied
    return draft


def spec_draft_total(draft: SpecDraft) -> Decimal:
    return sum((line.total for line in draft.lines.all()), Decimal("0"))
