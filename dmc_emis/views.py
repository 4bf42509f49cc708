"""Data-round screens: the list of rounds, the status board, a school's entry with its issues,
the import with its progress bar, and the exports."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from core.pagination import ListPage
from core.render_views import pdf_in_background
from core.spreadsheets import neutralise_formula
from core.urls import url_for_pk
from dmc_emis import checks
from dmc_emis.charts import status_over_time_svg
from dmc_emis.forms import (
    AnswerForm,
    DisclosureForm,
    ImportForm,
    OpenRoundForm,
    ResponsibleStaffForm,
)
from dmc_emis.models import Finding, GradeCount, RoundSchool, SchoolStatus
from dmc_emis.resources import export_board, export_findings
from dmc_emis.selectors import (
    LATEST_FIRST,
    board_entries,
    board_status_choices,
    entries_visible_to,
    filter_board,
    get_entry_for_user,
    get_finding_for_user,
    get_import_for_user,
    get_round_for_user,
    rounds_visible_to,
    sees_whole_round,
)
from dmc_emis.services import (
    can_manage_round,
    finding_answer,
    finding_resolve,
    import_upload,
    national_ids_export,
    responsible_staff_choices,
    round_open,
    round_set_responsible,
    status_counts,
)
from processes.forms import add_service_errors
from processes.views import case_context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if sees_whole_round(user):
        rounds = list(rounds_visible_to(user).order_by(LATEST_FIRST, "kind")[:30])
        return render(
            request, "dmc_emis/index.html", {"rounds": rounds, "today": timezone.localdate()}
        )
    entries = (
        entries_visible_to(user)
        .filter(round__opened_at__isnull=False)
        .order_by("-round__deadline_on", "round__kind")
    )
    return render(request, "dmc_emis/school_index.html", {"entries": entries[:30]})


def countdown(deadline_at: datetime.datetime | None) -> dict:
    """Days, hours and minutes to the cut-off; `passed` once it is over; `unset` when no manual
    and no one has given the round a deadline yet."""
    if deadline_at is None:
        return {"unset": True}
    left = deadline_at - timezone.now()
    if left.total_seconds() <= 0:
        return {"passed": True}
    minutes = int(left.total_seconds() // 60)
    return {
        "passed": False,
        "days": minutes // 1440,
        "hours": minutes % 1440 // 60,
        "minutes": minutes % 60,
    }


@dataclass(frozen=True)
class BoardRow:
    """A school of the board with what its row shows."""

    entry: RoundSchool
    status: str | Promise
    url: str


def _board_context(request: AuthenticatedHttpRequest, round_, **forms) -> dict:
    entries = filter_board(board_entries(round_), request.GET, round_)
    counts = status_counts(round_)
    # No exact count past the cap; every round's total is in `counts` anyway.
    page: ListPage[RoundSchool] = ListPage(entries, request.GET.get("page"), per_page=100)
    # Labels and links worked out once for the page, not through the model per row.
    labels = dict(SchoolStatus.choices)
    entry_url = url_for_pk("dmc_emis:entry")
    rows = [
        BoardRow(
            entry=entry,
            status=labels.get(entry.status, entry.status),
            url=entry_url(entry.pk),
        )
        for entry in page
    ]
    can_manage = can_manage_round(request.user, round_)
    context = {
        "round": round_,
        "page": page,
        "rows": rows,
        "filters": request.GET,
        "statuses": board_status_choices(round_),
        "counts": [(SchoolStatus(s), n) for s, n in counts.items()],
        "total": sum(counts.values()),
        "certified": sum(counts[s] for s in round_.done_statuses),
        "countdown": countdown(round_.deadline_at),
        "chart": status_over_time_svg(round_, counts),
        "can_manage": can_manage,
        "responsible": list(round_.responsible_staff.order_by("first_name", "username")),
        "open_form": forms.get("open_form")
        or (OpenRoundForm() if round_.deadline_on is None else None),
        "staff_form": forms.get("staff_form")
        or (
            ResponsibleStaffForm(
                initial={"responsible_staff": round_.responsible_staff.all()},
                choices=responsible_staff_choices(round_),
            )
            if can_manage
            else None
        ),
        "can_disclose": checks.can_see_full_national_id(request.user),
        "import_form": forms.get("import_form") or ImportForm(),
        "disclosure_form": forms.get("disclosure_form") or DisclosureForm(),
        "imports": round_.imports.select_related("uploaded_by")[:5],
        # Distinct in the database: a round of thousands of schools has a few dozen districts.
        "districts": sorted(
            d
            for d in board_entries(round_)
            .select_related(None)
            .order_by()
            .values_list("school__district", flat=True)
            .distinct()
            if d
        ),
        "next_url": round_.get_absolute_url(),
        "panels": [],
    }
    if round_.ack_case_id:
        ack = case_context(request, round_.ack_case)
        context["panels"] = ack["panels"]
        context["ack_case"] = round_.ack_case
    return context


@login_required
def round_board(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    return render(request, "dmc_emis/board.html", _board_context(request, round_))


@login_required
@require_POST
def round_open_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    if not can_manage_round(request.user, round_):
        raise PermissionDenied
    deadline_on = None
    if round_.deadline_on is None:
        form = OpenRoundForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "dmc_emis/board.html",
                _board_context(request, round_, open_form=form),
                status=400,
            )
        deadline_on = form.cleaned_data["deadline_on"]
    try:
        added = round_open(round_=round_, user=request.user, deadline_on=deadline_on)
    except ValidationError as error:
        if deadline_on is not None:
            add_service_errors(form, error)
            return render(
                request,
                "dmc_emis/board.html",
                _board_context(request, round_, open_form=form),
                status=400,
            )
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The round is open for %(count)s schools.") % {"count": added})
    return redirect(round_)


@login_required
@require_POST
def responsible_staff_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    if not can_manage_round(request.user, round_):
        raise PermissionDenied
    form = ResponsibleStaffForm(request.POST, choices=responsible_staff_choices(round_))
    if form.is_valid():
        try:
            round_set_responsible(
                round_=round_, user=request.user, staff=list(form.cleaned_data["responsible_staff"])
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The responsible staff are saved."))
            return redirect(round_)
    return render(
        request,
        "dmc_emis/board.html",
        _board_context(request, round_, staff_form=form),
        status=400,
    )


@login_required
@require_POST
def import_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    if not can_manage_round(request.user, round_):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            data_import = import_upload(
                round_=round_, user=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(data_import)
    return render(
        request,
        "dmc_emis/board.html",
        _board_context(request, round_, import_form=form),
        status=400,
    )


@login_required
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    data_import = get_import_for_user(request.user, pk)
    template = (
        "dmc_emis/import_progress.html"
        if request.headers.get("HX-Request")
        else "dmc_emis/import_detail.html"
    )
    return render(request, template, {"data_import": data_import, "round": data_import.round})


@login_required
def entry_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = get_entry_for_user(request.user, pk)
    return render(request, "dmc_emis/entry.html", _entry_context(request, entry))


def _entry_context(request: AuthenticatedHttpRequest, entry, forms_by_finding=None) -> dict:
    forms_by_finding = forms_by_finding or {}
    context = case_context(request, entry.case) if entry.case else {"panels": [], "events": []}
    user = request.user
    school_can_answer = user.is_school_side and user.school_id == entry.school_id
    findings = []
    for finding in entry.findings.select_related("answered_by").order_by(
        "status", "row_number", "pk"
    ):
        form = None
        if school_can_answer and finding.status != Finding.Status.RESOLVED:
            form = forms_by_finding.get(finding.pk) or AnswerForm(prefix=f"f{finding.pk}")
        findings.append({"finding": finding, "form": form})
    students = entry.students.filter(is_current=True).order_by("row_number")
    context.update(
        entry=entry,
        round=entry.round,
        findings=findings,
        grade_counts=GradeCount.objects.filter(entry=entry, is_current=True).order_by("grade"),
        students=students[:200],
        student_count=students.count(),
        can_manage=can_manage_round(user, entry.round),
        next_url=entry.get_absolute_url(),
        countdown=countdown(entry.round.deadline_at),
    )
    return context


@login_required
@require_POST
def finding_answer_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    finding = get_finding_for_user(request.user, pk)
    entry = get_entry_for_user(request.user, finding.entry_id)
    form = AnswerForm(request.POST, prefix=f"f{finding.pk}")
    if form.is_valid():
        try:
            finding_answer(finding=finding, user=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect(entry)
    context = _entry_context(request, entry, forms_by_finding={finding.pk: form})
    return render(request, "dmc_emis/entry.html", context, status=400)


@login_required
@require_POST
def finding_resolve_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    finding = get_finding_for_user(request.user, pk)
    finding_resolve(finding=finding, user=request.user)
    messages.success(request, _("Issue resolved."))
    return redirect(finding.entry)


def _file_response(content: bytes, name: str, as_csv: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8" if as_csv else XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{"csv" if as_csv else "xlsx"}"'
    return response


@login_required
def board_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    as_csv = request.GET.get("format") == "csv"
    entries = filter_board(board_entries(round_), request.GET, round_)
    return _file_response(
        export_board(entries, "csv" if as_csv else "xlsx"), f"dmc-round-{round_.pk}", as_csv
    )


@login_required
def findings_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_user(request.user, pk)
    as_csv = request.GET.get("format") == "csv"
    findings = Finding.objects.filter(entry__round=round_).order_by(
        "entry__school__obec_code", "row_number"
    )
    return _file_response(
        export_findings(findings, "csv" if as_csv else "xlsx"), f"dmc-findings-{round_.pk}", as_csv
    )


@login_required
def summary_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The round's summary PDF, rendered in the background (dmc_emis.pdf registers it)."""
    return pdf_in_background(request, "dmc_emis.round_summary", pk=pk)


class _Echo:
    def write(self, value):
        return value


@login_required
@require_POST
def national_ids_export_view(
    request: AuthenticatedHttpRequest, pk: int
) -> HttpResponse | StreamingHttpResponse:
    round_ = get_round_for_user(request.user, pk)
    form = DisclosureForm(request.POST)
    if form.is_valid():
        try:
            disclosure, rows = national_ids_export(
                round_=round_, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            writer = csv.writer(_Echo())
            header = ["รหัสโรงเรียน", "เลขประจำตัวประชาชน", "ชื่อ", "นามสกุล", "ชั้น", "เพศ", "วันเกิด"]

            def lines():
                yield "\ufeff" + writer.writerow(header)
                for row in rows:
                    yield writer.writerow(
                        [neutralise_formula(v) if isinstance(v, str) else v for v in row]
                    )

            response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="national-ids-{round_.pk}-{disclosure.pk}.csv"'
            )
            return response
    return render(
        request,
        "dmc_emis/board.html",
        _board_context(request, round_, disclosure_form=form),
        status=400,
    )
