"""Reports screens: the office's yearly reports and packs with their progress, the official
case dossier PDF (the memo is documents'), and the spreadsheet exports of the engine's lists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import RoleCode, User
from accounts.selectors import authority_for
from core import thaitime
from core.params import int_param
from core.render_views import pdf_in_background
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
from reports.forms import (
    ReportRequestForm,
    YearlyReportTextForm,
    fiscal_year_choices,
    labelled_year_choices,
    preferred_fiscal_year,
)
from reports.models import ReportJob
from reports.selectors import (
    can_edit_report_text,
    can_request_kind,
    case_counts_by_year,
    evaluation_remarks,
    get_job_for_user,
    jobs_visible_to,
)
from reports.services import (
    default_foreword,
    report_job_request,
    report_text_for,
    report_text_save,
)


def _office_side(user: User) -> None:
    if user.is_school_side or not (user.office_id or user.is_superuser):
        raise PermissionDenied


def _allowed_kinds(user: User) -> list[str]:
    return [kind for kind in ReportJob.Kind.values if can_request_kind(user, kind)]


def _index_context(user: User, form: ReportRequestForm | None, counts: dict[int, int]) -> dict:
    return {
        "jobs": jobs_visible_to(user)[:50],
        "form": form,
        "years": labelled_year_choices(counts),
        "preferred_year": preferred_fiscal_year(counts),
        "can_export_users": authority_for(user, RoleCode.ADMIN) is not None,
        "can_edit_texts": can_edit_report_text(user),
    }


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    _office_side(request.user)
    kinds = _allowed_kinds(request.user)
    counts = case_counts_by_year(request.user.office_id)
    form = ReportRequestForm(kinds=kinds, case_counts=counts) if kinds else None
    return render(request, "reports/index.html", _index_context(request.user, form, counts))


@login_required
@require_POST
def job_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    _office_side(request.user)
    kinds = _allowed_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    counts = case_counts_by_year(request.user.office_id)
    form = ReportRequestForm(request.POST, kinds=kinds, case_counts=counts)
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
    context = _index_context(request.user, form, counts)
    return render(request, "reports/index.html", context, status=400)


@login_required
def report_texts(request: AuthenticatedHttpRequest, fiscal_year: int) -> HttpResponse:
    """The group head writes the yearly report's foreword, summary paragraph and problems
    (prefilled from the cases' evaluation steps) before the final run."""
    user = request.user
    _office_side(user)
    if not can_edit_report_text(user):
        raise PermissionDenied
    assert user.office is not None  # can_edit_report_text requires an office
    if fiscal_year not in dict(fiscal_year_choices()):
        raise Http404
    text = report_text_for(user.office, fiscal_year)
    if not text.pk:
        text.foreword = default_foreword(user.office, fiscal_year)
        text.problems = "\n".join(
            f"{remark} ({title})" for title, remark in evaluation_remarks(user.office, fiscal_year)
        )
    form = YearlyReportTextForm(request.POST or None, instance=text)
    if request.method == "POST" and form.is_valid():
        try:
            report_text_save(
                user=user, office=user.office, fiscal_year=fiscal_year, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved; the next yearly report prints these texts."))
            return redirect("reports:index")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reports/report_texts.html",
        {"form": form, "fiscal_year": fiscal_year, "saved": text.pk is not None},
        status=status,
    )


@login_required
def job_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    return render(request, "reports/job_detail.html", {"job": job})


@login_required
def job_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress card alone, polled by htmx until the job is finished."""
    job = get_job_for_user(request.user, pk)
    return render(request, "reports/includes/job_progress.html", {"job": job})


@login_required
def job_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    job = get_job_for_user(request.user, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    try:
        # Through the storage (this disk or the shared S3 store), streamed by Django, so the
        # access check above and the portal's headers hold for every file.
        stored = default_storage.open(job.file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(stored, as_attachment=True, filename=job.download_name)


@login_required
def dossier_pdf(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The case dossier, rendered in the background (reports.pdf registers it)."""
    return pdf_in_background(request, "reports.dossier", reference=reference)


# ---------------------------------------------------------------------------------------------
# Spreadsheet exports of lists: the same querysets the pages show, filters applied
# ---------------------------------------------------------------------------------------------


@login_required
def export_my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    tasks = tasks_for_export(my_tasks_filtered(request.user, request.GET))
    dataset = export_in_thai(OpenTaskResource(), tasks)
    return spreadsheet_response(
        dataset, "my-tasks", request.GET.get("format", "xlsx"), title="งานของฉัน"
    )


@login_required
def export_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    tasks = tasks_for_export(approvals_for(request.user))
    dataset = export_in_thai(OpenTaskResource(), tasks)
    return spreadsheet_response(
        dataset, "approvals", request.GET.get("format", "xlsx"), title="รายการรออนุมัติ"
    )


def filter_cases(cases, params):
    """Cases by fiscal year (?fy=), process code (?process=) and state (?state=)."""
    year = thaitime.to_arabic_digits(str(params.get("fy", ""))).strip()
    if (fiscal_year := int_param(year, maximum=9999)) is not None:
        cases = cases.filter(fiscal_year=fiscal_year)
    if params.get("process"):
        cases = cases.filter(version__definition__code=params["process"])
    if params.get("state") in dict(cases.model.State.choices):
        cases = cases.filter(state=params["state"])
    return cases


@login_required
def export_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    cases = filter_cases(cases_visible_to(request.user), request.GET).order_by("-started_at")
    dataset = export_in_thai(CaseResource(), cases_for_export(cases))
    return spreadsheet_response(
        dataset, "cases", request.GET.get("format", "xlsx"), title="เรื่องตามกระบวนงาน"
    )


@login_required
def export_users(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's people, for its administrators."""
    user = request.user
    if authority_for(user, RoleCode.ADMIN) is None or not (user.office_id or user.is_superuser):
        raise PermissionDenied
    people = User.objects.all() if user.is_superuser else User.objects.filter(office=user.office)
    dataset = export_in_thai(UserResource(), users_for_export(people))
    return spreadsheet_response(dataset, "users", request.GET.get("format", "xlsx"), title="ผู้ใช้งาน")
