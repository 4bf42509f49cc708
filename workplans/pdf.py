"""PDFs of this app, through the portal's shared Thai PDF layer (core.pdf); the templates
extend reports/pdf/base.html for the page, font and Thai page numbers.

What a person waits for (the plan, its year-end summary, its budget for a year, a spec draft)
is rendered in the background (core.render_jobs, registered below) for whoever may read the
plan or draft. The public PDF of an approved plan is rendered once per approved version and
kept (workplans.services.published_pdf_get), by a worker too (workplans.tasks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core import pdf
from core.render_jobs import digest, register_renderer, rows
from core.thaitext import baht_words
from workplans import charts
from workplans.budgets import budget_summary
from workplans.models import (
    KPI,
    Activity,
    ActivityProgress,
    BudgetLine,
    KPIResult,
    Plan,
    PlanAttachment,
    Project,
    SpecDraft,
    SpecDraftLine,
    SpecDraftMember,
    Spending,
    Strategy,
    SurveyResponse,
    WorkingGroupMember,
)
from workplans.selectors import (
    get_plan_for_user,
    get_spec_draft_for_user,
    plan_document,
    plan_follow_up,
    spec_draft_total,
)

SPEC_DRAFT_UNDECIDED = (
    SpecDraft.Status.DRAFTING,
    SpecDraft.Status.REVIEW,
    SpecDraft.Status.AWAITING_DIRECTOR,
)


def public_plan_pdf(plan: Plan) -> bytes:
    """The public PDF of an approved plan: its content without the working papers."""
    context = plan_document(plan)
    # Working papers and schools' free-text answers stay inside the office.
    context.update(attachments=[], public=True)
    charts.add_charts(context["survey_summaries"])
    return pdf.render_pdf("workplans/plan_pdf.html", context)


def plan_pdf(plan: Plan) -> bytes:
    context = plan_document(plan)
    context["is_draft"] = plan.approved_at is None  # ร่าง on every page until approved
    charts.add_charts(context["survey_summaries"])
    return pdf.render_pdf("workplans/plan_pdf.html", context)


def year_end_context(plan: Plan, year: int) -> dict[str, Any]:
    """The year-end summary of a plan, as the page shows it and the PDF prints it."""
    summary = plan_follow_up(plan, year)
    context = plan_document(plan)
    context.update(
        year=year,
        summary=summary,
        spending_chart=charts.spending_chart(summary),
        kpi_chart=charts.kpi_chart(summary) if summary.kpis else "",
        budget=budget_summary(plan, year),
        generated_at=timezone.now(),
        project_rows=[
            {
                "project": project,
                "budget": summary.budget.by_project.get(project.pk, 0),
                "spent": summary.spent_by_project.get(project.pk, 0),
            }
            for project in context["projects"]
        ],
        status_rows=[
            (label, summary.status_counts.get(value, 0)) for value, label in Activity.Status.choices
        ],
    )
    return context


def spec_draft_pdf(draft: SpecDraft) -> bytes:
    total = spec_draft_total(draft)
    context = {
        "draft": draft,
        "lines": draft.lines.all(),
        "members": draft.members.all(),
        "total": total,
        "total_words": baht_words(total),
        # Not yet approved by the director: every page says ร่าง.
        "is_draft": draft.status in SPEC_DRAFT_UNDECIDED,
    }
    return pdf.render_pdf("workplans/spec_draft_pdf.html", context)


# WHAT EACH DOCUMENT PRINTS, AS A FINGERPRINT (core.render_jobs reuses a job while it holds)
# ------------------------------------------------------------------------------


def plan_version(plan: Plan) -> str:
    """The plan's row and every row the plan document prints, a query per table."""
    return digest(
        rows(Plan.objects.filter(pk=plan.pk)),
        rows(Strategy.objects.filter(plan=plan)),
        rows(Project.objects.filter(plan=plan)),
        rows(Activity.objects.filter(project__plan=plan)),
        rows(Activity.target_schools.through.objects.filter(activity__project__plan=plan)),
        rows(KPI.objects.filter(plan=plan)),
        rows(WorkingGroupMember.objects.filter(plan=plan)),
        list(PlanAttachment.objects.filter(plan=plan).values_list("pk", "label")),
        list(plan.surveys.values_list("pk", "status", "title")),
        SurveyResponse.objects.filter(survey__plan=plan).aggregate(n=Count("pk"), last=Max("pk")),
    )


def budget_version(plan: Plan, year: int) -> str:
    lines = BudgetLine.objects.filter(plan=plan, fiscal_year=year)
    return digest(
        rows(lines),
        rows(Spending.objects.filter(line__in=lines)),
    )


def year_end_version(plan: Plan, year: int) -> str:
    return digest(
        plan_version(plan),
        budget_version(plan, year),
        rows(ActivityProgress.objects.filter(activity__project__plan=plan)),
        rows(KPIResult.objects.filter(kpi__plan=plan)),
    )


def spec_draft_version(draft: SpecDraft) -> str:
    return digest(
        rows(SpecDraft.objects.filter(pk=draft.pk)),
        rows(SpecDraftLine.objects.filter(draft=draft)),
        rows(SpecDraftMember.objects.filter(draft=draft)),
    )


# THE RENDERERS
# ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanYear:
    """A plan and one of its fiscal years (the year-end summary, the budget of a year)."""

    plan: Plan
    year: int


def _plan_year_for_user(user: Any, arguments: dict[str, Any]) -> PlanYear:
    plan = get_plan_for_user(user, arguments["pk"])
    if arguments["year"] not in plan.fiscal_years:
        raise Http404
    return PlanYear(plan, arguments["year"])


def _plan(plan: Plan, arguments: dict[str, Any]) -> tuple[bytes, str]:
    return plan_pdf(plan), f"plan-{plan.pk}.pdf"


def _year_end(target: PlanYear, arguments: dict[str, Any]) -> tuple[bytes, str]:
    plan, year = target.plan, target.year
    data = pdf.render_pdf("workplans/year_end_pdf.html", year_end_context(plan, year))
    return data, f"plan-{plan.pk}-year-end-{year}.pdf"


def _budget(target: PlanYear, arguments: dict[str, Any]) -> tuple[bytes, str]:
    plan, year = target.plan, target.year
    data = pdf.render_pdf(
        "workplans/budget_pdf.html",
        {"plan": plan, "year": year, "summary": budget_summary(plan, year), "now": timezone.now()},
    )
    return data, f"plan-{plan.pk}-budget-{year}.pdf"


def _spec_draft(draft: SpecDraft, arguments: dict[str, Any]) -> tuple[bytes, str]:
    return spec_draft_pdf(draft), f"spec-{draft.pk}.pdf"


register_renderer(
    "workplans.plan",
    access=lambda user, arguments: get_plan_for_user(user, arguments["pk"]),
    render=_plan,
    title=lambda plan: f"แผน {plan.title}",
    version=plan_version,
    back_url=lambda plan: reverse("workplans:read", args=[plan.pk]),
)
register_renderer(
    "workplans.year_end",
    access=_plan_year_for_user,
    render=_year_end,
    title=lambda t: f"สรุปผลการดำเนินงานสิ้นปีงบประมาณ {t.year} {t.plan.title}",
    version=lambda t: year_end_version(t.plan, t.year),
    back_url=lambda t: reverse("workplans:year_end", args=[t.plan.pk, t.year]),
)
register_renderer(
    "workplans.budget",
    access=_plan_year_for_user,
    render=_budget,
    title=lambda t: f"งบประมาณปี {t.year} {t.plan.title}",
    version=lambda t: budget_version(t.plan, t.year),
    back_url=lambda t: reverse("workplans:budget", args=[t.plan.pk, t.year]),
)
register_renderer(
    "workplans.spec_draft",
    access=lambda user, arguments: get_spec_draft_for_user(user, arguments["pk"]),
    render=_spec_draft,
    title=lambda draft: f"ร่างขอบเขตงานและคุณลักษณะเฉพาะ {draft.title}",
    version=spec_draft_version,
)
