"""A plan's budget by fiscal year: lines (source, item, planned), money spent with evidence,
and planned / spent / remaining per line; the printable summary has the amounts in words."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from core.render_views import pdf_in_background
from processes.forms import add_service_errors
from workplans.budgets import (
    budget_line_delete,
    budget_line_save,
    budget_summary,
    spending_record,
)
from workplans.forms_budgets import BudgetLineForm, SpendingForm
from workplans.models import BudgetLine, Spending
from workplans.selectors import get_plan_for_user, is_group_member
from workplans.views import _fiscal_year_of_plan


@login_required
def budget(request: AuthenticatedHttpRequest, pk: int, year: int | None = None) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    year = _fiscal_year_of_plan(plan, year)
    member = is_group_member(request.user, plan.office_id)
    summary = budget_summary(plan, year)
    posted = request.method == "POST"
    if posted and not member:
        raise PermissionDenied
    action = request.POST.get("action") if posted else ""
    line_form = BudgetLineForm(
        request.POST if action == "line" else None, plan=plan, initial={"fiscal_year": year}
    )
    spending_form = SpendingForm(
        request.POST if action == "spending" else None,
        request.FILES if action == "spending" else None,
        lines=plan.budget_lines.filter(fiscal_year=year),
    )
    forms_by_action: dict[str | None, BaseForm] = {"line": line_form, "spending": spending_form}
    form = forms_by_action.get(action)
    if form is not None and form.is_valid():
        try:
            if action == "line":
                budget_line_save(user=request.user, plan=plan, **form.cleaned_data)
                messages.success(request, _("The budget line is added."))
            else:
                spending_record(user=request.user, **form.cleaned_data)
                messages.success(request, _("The spending is recorded."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("workplans:budget", plan.pk, year)
    return render(
        request,
        "workplans/budget.html",
        {
            "plan": plan,
            "year": year,
            "summary": summary,
            "member": member,
            "line_form": line_form,
            "spending_form": spending_form,
            "spendings": Spending.objects.filter(line__plan=plan, line__fiscal_year=year)
            .select_related("line", "recorded_by")
            .order_by("-spent_on", "-pk"),
        },
        status=400 if posted else 200,
    )


@login_required
@require_POST
def budget_line_remove(request: AuthenticatedHttpRequest, pk: int, line_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    line = get_object_or_404(BudgetLine.objects.filter(plan=plan), pk=line_pk)
    try:
        budget_line_delete(user=request.user, line=line)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The budget line is removed."))
    return redirect("workplans:budget", plan.pk, line.fiscal_year)


@login_required
def spending_evidence(request: AuthenticatedHttpRequest, pk: int, spending_pk: int) -> FileResponse:
    plan = get_plan_for_user(request.user, pk)
    spending = get_object_or_404(Spending.objects.filter(line__plan=plan), pk=spending_pk)
    return FileResponse(
        spending.evidence.open("rb"), as_attachment=True, filename=spending.evidence_name
    )


@login_required
def budget_pdf(request: AuthenticatedHttpRequest, pk: int, year: int) -> HttpResponse:
    """The budget of a year as a PDF, rendered in the background (workplans.pdf)."""
    return pdf_in_background(request, "workplans.budget", pk=pk, year=year)
