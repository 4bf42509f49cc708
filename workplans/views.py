"""Plan screens: the list, the drafting workspace by section, the reading view where approvers
decide, the public page, the PDFs and the quarterly follow-up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseInlineFormSet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from core.ratelimits import public_rate_limit
from core.render_views import pdf_in_background
from processes.forms import add_service_errors
from processes.models import Outcome, Responsible, StepKind
from processes.services import TaskAlreadyDecided
from processes.views import case_context
from workplans import charts
from workplans.forms import (
    ActivityFormSet,
    ApproveForm,
    AttachmentForm,
    KpiFormSet,
    MemberFormSet,
    PlanBasicsForm,
    PlanCreateForm,
    ProjectFormSet,
    QuarterForm,
    ReturnForm,
    StrategyFormSet,
)
from workplans.models import (
    ActivityProgress,
    KPIResult,
    Plan,
    PlanAttachment,
    Project,
    Quarter,
    Section,
)
from workplans.pdf import year_end_context
from workplans.selectors import (
    approval_task_for,
    can_edit_plan,
    can_follow_up,
    drafting_task,
    get_editable_plan,
    get_plan_for_user,
    is_group_member,
    plan_document,
    plan_follow_up,
    plans_visible_to,
    public_plan,
    surveys_for_school_user,
)
from workplans.services import (
    plan_attach,
    plan_create,
    plan_decide,
    plan_detach,
    plan_save_rows,
    plan_update,
    progress_record,
    published_pdf_queue,
    published_pdf_stored,
    year_end_send,
)


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.is_school_side:
        return render(
            request, "workplans/school_surveys.html", {"surveys": surveys_for_school_user(user)}
        )
    plans = plans_visible_to(user).select_related("case__version__definition")
    status = request.GET.get("status", "")
    if status in Plan.Status.values:
        plans = plans.filter(status=status)
    return render(
        request,
        "workplans/plan_list.html",
        {
            "plans": plans,
            "status": status,
            "statuses": Plan.Status.choices,
            "can_create": is_group_member(user, user.office_id),
        },
    )


@login_required
def plan_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_group_member(request.user, request.user.office_id):
        raise PermissionDenied
    form = PlanCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The plan is created and its process has started."))
            return redirect(plan)
    return render(request, "workplans/plan_new.html", {"form": form})


def _comments_by_section(plan: Plan) -> dict[str, list]:
    grouped: dict[str, list] = {value: [] for value in Section.values}
    for comment in plan.comments.select_related("author"):
        grouped[comment.section].append(comment)
    return grouped


@login_required
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    assert plan.case is not None  # plan_create starts the plan's case with the plan
    context = case_context(request, plan.case)
    # Approvals are decided on the reading view, where the signature and section comments are.
    context["panels"] = [p for p in context["panels"] if p["task"].step.kind != StepKind.APPROVAL]
    context.update(plan_document(plan, with_surveys=False))
    context.update(
        next_url=plan.get_absolute_url(),
        can_edit=can_edit_plan(request.user, plan),
        drafting=drafting_task(plan) is not None,
        can_follow_up=can_follow_up(request.user, plan),
        approval_task=approval_task_for(request.user, plan),
        comments=_comments_by_section(plan),
        sections=Section,
        surveys=plan.surveys.all(),
        attachment_form=AttachmentForm(),
    )
    return render(request, "workplans/plan_detail.html", context)


SECTION_FORMSETS: dict[str, type[BaseInlineFormSet[Any, Plan, Any]]] = {
    Section.STRATEGIES: StrategyFormSet,
    Section.PROJECTS: ProjectFormSet,
    Section.KPIS: KpiFormSet,
    Section.WORKING_GROUP: MemberFormSet,
}


@login_required
def plan_edit_section(request: AuthenticatedHttpRequest, pk: int, section: str) -> HttpResponse:
    """One section of the plan on its own page: the basics form or a section's row formset."""
    plan = get_editable_plan(request.user, pk)
    if section not in (Section.VISION, *SECTION_FORMSETS):
        raise Http404
    data = request.POST if request.method == "POST" else None
    form: PlanBasicsForm | BaseInlineFormSet[Any, Plan, Any]
    if section == Section.VISION:
        form = PlanBasicsForm(data, instance=plan)
    else:
        form = SECTION_FORMSETS[section](data, instance=plan, prefix=section)
    if request.method == "POST" and form.is_valid():
        try:
            if section == Section.VISION:
                plan_update(plan=plan, user=request.user, form=form)
            else:
                plan_save_rows(plan=plan, user=request.user, formset=form)
        except ValidationError as error:
            if section == Section.VISION:
                assert isinstance(form, PlanBasicsForm)
                add_service_errors(form, error)
            else:
                messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{plan.get_absolute_url()}#section-{section}")
    return render(
        request,
        "workplans/plan_edit_section.html",
        {
            "plan": plan,
            "form": form,
            "section": Section(section),
            "is_formset": section != Section.VISION,
            "comments": _comments_by_section(plan)[section],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def plan_edit_activities(
    request: AuthenticatedHttpRequest, pk: int, project_pk: int
) -> HttpResponse:
    plan = get_editable_plan(request.user, pk)
    project = get_object_or_404(Project, pk=project_pk, plan=plan)
    formset = ActivityFormSet(
        request.POST if request.method == "POST" else None,
        instance=project,
        prefix="activities",
        office_id=plan.office_id,
    )
    if request.method == "POST" and formset.is_valid():
        plan_save_rows(plan=plan, user=request.user, formset=formset)
        messages.success(request, _("Saved."))
        return redirect(f"{plan.get_absolute_url()}#section-projects")
    return render(
        request,
        "workplans/plan_edit_activities.html",
        {"plan": plan, "project": project, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def plan_attachment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_editable_plan(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            plan_attach(
                plan=plan,
                user=request.user,
                label=form.cleaned_data["label"],
                uploads=request.FILES.getlist("files"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attached."))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect(f"{plan.get_absolute_url()}#section-attachments")


@login_required
@require_POST
def plan_attachment_delete(
    request: AuthenticatedHttpRequest, pk: int, attachment_pk: int
) -> HttpResponse:
    plan = get_editable_plan(request.user, pk)
    attachment = get_object_or_404(PlanAttachment, pk=attachment_pk, plan=plan)
    plan_detach(attachment=attachment, user=request.user)
    messages.success(request, _("Removed."))
    return redirect(f"{plan.get_absolute_url()}#section-attachments")


@login_required
def plan_attachment(request: AuthenticatedHttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    plan = get_plan_for_user(request.user, pk)
    attachment = get_object_or_404(PlanAttachment, pk=attachment_pk, plan=plan)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )


# ---------------------------------------------------------------------------
# Reading view, decision, PDFs, public page
# ---------------------------------------------------------------------------


def _reading_context(request: AuthenticatedHttpRequest, plan: Plan, **forms) -> dict:
    context = plan_document(plan)
    charts.add_charts(context["survey_summaries"])
    task = approval_task_for(request.user, plan)
    context.update(
        approval_task=task,
        needs_signature=bool(task and task.role == Responsible.DIRECTOR),
        approve_form=forms.get("approve_form") or ApproveForm(),
        return_form=forms.get("return_form") or ReturnForm(),
        comments=_comments_by_section(plan),
    )
    return context


@login_required
def plan_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return render(request, "workplans/plan_read.html", _reading_context(request, plan))


@login_required
@require_POST
def plan_decide_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    task = approval_task_for(request.user, plan)
    if task is None:
        raise PermissionDenied
    approving = request.POST.get("decision") == Outcome.APPROVE
    form = ApproveForm(request.POST) if approving else ReturnForm(request.POST)
    if form.is_valid():
        try:
            plan_decide(
                plan=plan,
                task=task,
                user=request.user,
                outcome=Outcome.APPROVE if approving else form.cleaned_data["outcome"],
                signed_name=form.cleaned_data.get("signed_name", "") if approving else "",
                comments=None if isinstance(form, ApproveForm) else form.comments(),
            )
        except TaskAlreadyDecided as error:
            messages.warning(request, str(error))
            return redirect("workplans:read", plan.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Approved.") if approving else _("Returned to the drafters.")
            )
            return redirect("workplans:read", plan.pk)
    key = "approve_form" if approving else "return_form"
    context = _reading_context(request, plan, **{key: form})
    return render(request, "workplans/plan_read.html", context, status=400)


@login_required
def plan_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The plan as a PDF (ร่าง until approved), rendered in the background (workplans.pdf)."""
    return pdf_in_background(request, "workplans.plan", pk=pk)


@public_rate_limit("workplans.public", "PUBLIC_PLAN_PAGE_RATE")
def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    """No login: an approved plan is public (the office publishes it on its website too)."""
    plan = public_plan(slug)
    context = plan_document(plan)
    # Working papers and schools' free-text answers stay inside the office.
    context.update(attachments=[], public=True)
    charts.add_charts(context["survey_summaries"])
    return render(request, "workplans/public_plan.html", context)


# How soon the "being prepared" page of a public PDF looks again.
PREPARING_RETRY_SECONDS = 5


@public_rate_limit("workplans.public_pdf", "PUBLIC_PLAN_PDF_RATE")
def public_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The stored PDF of the approved version (rendered once, by a worker), with caching
    headers: a browser or proxy that has it gets 304 Not Modified."""
    plan = public_plan(slug)
    stored = published_pdf_stored(plan)
    if stored is None:
        # Not rendered yet (approved a moment ago): a worker renders it; this page looks again.
        published_pdf_queue(plan)
        template = "workplans/public_pdf_preparing.html"
        preparing = render(request, template, {"plan": plan}, status=202)
        preparing["Retry-After"] = str(PREPARING_RETRY_SECONDS)
        patch_cache_control(preparing, no_cache=True, max_age=0)
        return preparing
    etag = f'"{stored.sha256}"'
    last_modified = int(stored.created_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        with stored.file.open("rb") as handle:
            data = handle.read()
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="plan-{plan.public_slug}.pdf"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_PLAN_PDF_MAX_AGE)
    return response


# ---------------------------------------------------------------------------
# Follow-up and the year-end summary
# ---------------------------------------------------------------------------


def _fiscal_year_of_plan(plan: Plan, year: int | None) -> int:
    if year is None:
        from workplans.forms import current_fiscal_year

        current = current_fiscal_year()
        return min(max(current, plan.fiscal_year_start), plan.fiscal_year_end)
    if year not in plan.fiscal_years:
        raise Http404
    return year


@login_required
def follow_up(
    request: AuthenticatedHttpRequest, pk: int, year: int | None = None, quarter: int = 1
):
    plan = get_plan_for_user(request.user, pk)
    if plan.status not in (Plan.Status.APPROVED, Plan.Status.PUBLISHED):
        raise PermissionDenied
    year = _fiscal_year_of_plan(plan, year)
    if quarter not in Quarter.values:
        raise Http404
    editable = can_follow_up(request.user, plan)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    activities = [
        a for project in plan_document(plan)["projects"] for a in project.activities.all()
    ]
    known = {
        "activities": {
            row.activity_id: {"status": row.status, "spent": row.spent, "note": row.note}
            for row in ActivityProgress.objects.filter(
                activity__project__plan=plan, fiscal_year=year, quarter=quarter
            )
        },
        "kpis": {
            row.kpi_id: row.value
            for row in KPIResult.objects.filter(kpi__plan=plan, fiscal_year=year, quarter=quarter)
        },
    }
    form = QuarterForm(
        request.POST if request.method == "POST" else None,
        activities=activities,
        kpis=plan.kpis.all(),
        initial_rows=known,
    )
    if request.method == "POST" and form.is_valid():
        try:
            progress_record(
                plan=plan,
                user=request.user,
                fiscal_year=year,
                quarter=quarter,
                activities=form.activity_values(),
                kpis=form.kpi_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The quarter's follow-up is saved."))
            return redirect("workplans:follow_up", plan.pk, year, quarter)
    summary = plan_follow_up(plan, year)
    return render(
        request,
        "workplans/follow_up.html",
        {
            "plan": plan,
            "year": year,
            "quarter": quarter,
            "quarters": Quarter.choices,
            "form": form,
            "editable": editable,
            "summary": summary,
            "spending_chart": charts.spending_chart(summary),
            "kpi_chart": charts.kpi_chart(summary) if summary.kpis else "",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def year_end(request: AuthenticatedHttpRequest, pk: int, year: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    year = _fiscal_year_of_plan(plan, year)
    context = year_end_context(plan, year)
    context["can_send"] = can_follow_up(request.user, plan)
    return render(request, "workplans/year_end.html", context)


@login_required
def year_end_pdf(request: AuthenticatedHttpRequest, pk: int, year: int) -> HttpResponse:
    """The year-end summary as a PDF, rendered in the background (workplans.pdf)."""
    return pdf_in_background(request, "workplans.year_end", pk=pk, year=year)


@login_required
@require_POST
def year_end_send_view(request: AuthenticatedHttpRequest, pk: int, year: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    year = _fiscal_year_of_plan(plan, year)
    count = year_end_send(plan=plan, user=request.user, fiscal_year=year)
    messages.success(request, _("Sent to the director (%(count)s people).") % {"count": count})
    return redirect("workplans:year_end", plan.pk, year)
