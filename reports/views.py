"""Reports screens: the office's yearly reports and packs with their progress, the official
memo and case dossier PDFs, and the spreadsheet exports of the engine's lists."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import RoleCode, User
from accounts.selectors import authority_for
from core import thaitime
from core.pdf import pdf_response, render_pdf
from core.spreadsheets import export_in_thai, spreadsheet_response
from processes.forms import add_service_errors
from processes.selectors import approvals_for, cases_visible_to
from processes.views import my_tasks_filtered
from reports.exports import (
    CaseResource,
    OpenTaskResource,
    UserResource,
    cases_for_export,
    tasks_for_export,
    users_for_export,
)
from reports.forms import ReportRequestForm, fiscal_year_choices
from reports.models import ReportJob
from reports.selectors import (
    can_request_kind,
    dossier_for_user,
    get_job_for_user,
    jobs_visible_to,
    memo_for_user,
)
from reports.services import report_job_request


def _office_side(user: User) -> None:
    if user.is_school_side or not (user.office_id or user.is_superuser):
        raise PermissionDenied


def _allowed_kinds(user: User) -> list[str]:
    return [kind for kind in ReportJob.Kind.values if can_request_kind(user, kind)]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _office_side(request.user)
    kinds = _allowed_kinds(request.user)
    return render(
        request,
        "reports/index.html",
        {
            "jobs": jobs_visible_to(request.user)[:50],
            "form": ReportRequestForm(kinds=kinds) if kinds else None,
            "years": [year for year, _label in fiscal_year_choices()],
            "can_export_users": authority_for(request.user, RoleCode.ADMIN) is not None,
        },
    )


@login_required
@require_POST
def job_request(request: HttpRequest) -> HttpResponse:
    _office_side(request.user)
    kinds = _allowed_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    form = ReportRequestForm(request.POST, kinds=kinds)
    if form.is_valid():
        try:
            job = report_job_request(
                user=request.user,
                kind=form.cleaned_data["kind"],
                fiscal_year=form.cleaned_data["fiscal_year"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your request is queued; this page shows its progress."))
            return redirect(job)
    context = {
        "jobs": jobs_visible_to(request.user)[:50],
        "form": form,
        "years": [year for year, _label in fiscal_year_choices()],
        "can_export_users": authority_for(request.user, RoleCode.ADMIN) is not None,
    }
    return render(request, "reports/index.html", context, status=400)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    return render(request, "reports/job_detail.html", {"job": job})


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress card alone, polled by htmx until the job is finished."""
    job = get_job_for_user(request.user, pk)
    return render(request, "reports/includes/job_progress.html", {"job": job})


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_job_for_user(request.user, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    path = Path(settings.MEDIA_ROOT) / job.file
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.download_name)


@login_required
def memo_pdf(request: HttpRequest, task_pk: int) -> HttpResponse:
    with translation.override("th"):  # an official document, whatever the screen's language
        memo = memo_for_user(request.user, task_pk)
        data = render_pdf("reports/pdf/memo.html", {"memo": memo}, request=request)
    return pdf_response(data, f"memo-{memo.case.reference}-{memo.task.pk}.pdf")


@login_required
def dossier_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    with translation.override("th"):
        dossier = dossier_for_user(request.user, reference)
        data = render_pdf(
            "reports/pdf/dossier.html",
            {"dossier": dossier, "printed_at": timezone.now()},
            request=request,
        )
    return pdf_response(data, f"dossier-{dossier.case.reference}.pdf")


# ---------------------------------------------------------------------------------------------
# Spreadsheet exports of lists: the same querysets the pages show, filters applied
# ---------------------------------------------------------------------------------------------


@login_required
def export_my_tasks(request: HttpRequest) -> HttpResponse:
    tasks = tasks_for_export(my_tasks_filtered(request.user, request.GET))
    dataset = export_in_thai(OpenTaskResource(), tasks)
    return spreadsheet_response(dataset, "my-tasks", request.GET.get("format", "xlsx"))


@login_required
def export_inbox(request: HttpRequest) -> HttpResponse:
    tasks = tasks_for_export(approvals_for(request.user))
    dataset = export_in_thai(OpenTaskResource(), tasks)
    return spreadsheet_response(dataset, "approvals", request.GET.get("format", "xlsx"))


def filter_cases(cases, params):
    """Cases by fiscal year (?fy=), process code (?process=) and state (?state=)."""
    year = thaitime.to_arabic_digits(str(params.get("fy", ""))).strip()
    if year.isdigit():
        cases = cases.filter(fiscal_year=int(year))
    if params.get("process"):
        cases = cases.filter(version__definition__code=params["process"])
    if params.get("state") in dict(cases.model.State.choices):
        cases = cases.filter(state=params["state"])
    return cases


@login_required
def export_cases(request: HttpRequest) -> HttpResponse:
    cases = filter_cases(cases_visible_to(request.user), request.GET).order_by("-started_at")
    dataset = export_in_thai(CaseResource(), cases_for_export(cases))
    return spreadsheet_response(dataset, "cases", request.GET.get("format", "xlsx"))


@login_required
def export_users(request: HttpRequest) -> HttpResponse:
    """The office's people, for its administrators."""
    user = request.user
    if authority_for(user, RoleCode.ADMIN) is None or not (user.office_id or user.is_superuser):
        raise PermissionDenied
    people = User.objects.all() if user.is_superuser else User.objects.filter(office=user.office)
    dataset = export_in_thai(UserResource(), users_for_export(people))
    return spreadsheet_response(dataset, "users", request.GET.get("format", "xlsx"))
