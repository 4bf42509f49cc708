"""Training pages: the list, a training's page (sessions, registration, participants, results,
certificate lookup), session and attendance forms, the evaluation, certificates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from core.import_jobs import import_job_page
from core.params import int_param
from core.pdf import pdf_response
from core.render_views import pdf_in_background
from core.spreadsheets import spreadsheet_response
from processes.forms import add_service_errors
from processes.models import Case
from processes.selectors import cases_visible_to
from trainings import charts
from trainings.forms import (
    EvaluationForm,
    LookupForm,
    ParticipantListForm,
    SessionForm,
    TrainingCreateForm,
    TrainingForm,
)
from trainings.models import Certificate, Session
from trainings.pdf import certificate_filename
from trainings.resources import participants_dataset, template_dataset
from trainings.selectors import (
    can_manage,
    eligibility,
    evaluation_results,
    get_certificate_for_user,
    get_training_for_user,
    get_training_to_manage,
    lookup_certificate,
    my_trainings,
    participant_of,
    participant_rows,
    trainings_visible_to,
)
from trainings.services import (
    attendance_set,
    certificate_is_stored,
    certificate_issue,
    certificate_pdf,
    certificates_issue_all,
    evaluation_submit,
    participant_remove,
    register_self,
    session_delete,
    session_save,
    training_create,
    training_update,
)
from trainings.services_lists import participant_list_start


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    trainings = trainings_visible_to(user).prefetch_related("sessions")
    return render(
        request,
        "trainings/index.html",
        {
            "trainings": trainings[:100],
            "mine": my_trainings(user),
            "can_create": can_manage(user, user.office_id),
        },
    )


@login_required
def training_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A training on a case: the case page's link preselects it; otherwise one of the office's
    running cases (the 300 newest) is chosen."""
    user = request.user
    if not can_manage(user, user.office_id):
        raise PermissionDenied
    visible = cases_visible_to(user).filter(office_id=user.office_id)  # type: ignore[misc]  # Django reads =None as IS NULL
    pks = list(
        visible.filter(state=Case.State.RUNNING)
        .order_by("-started_at")
        .values_list("pk", flat=True)[:300]
    )
    initial = {}
    reference = request.GET.get("case", "")
    if reference:
        case = get_object_or_404(visible.exclude(state=Case.State.CANCELLED), reference=reference)
        initial = {"case": case.pk, "title": case.title}
        pks.append(case.pk)
    cases = Case.objects.filter(pk__in=pks).order_by("-started_at")
    form = TrainingCreateForm(request.POST or None, cases=cases, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "case"}
        try:
            training = training_create(user=user, case=form.cleaned_data["case"], **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The training is created. Add its sessions."))
            return redirect("trainings:session_new", pk=training.pk)
    return render(request, "trainings/training_form.html", {"form": form}, status=_status(request))


@login_required
def training_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    training = get_training_for_user(user, pk)
    managing = can_manage(user, training.office_id)
    office_side = not user.is_school_side
    participant = participant_of(training, user)
    lookup_form = LookupForm(request.GET or None)
    looked_up = None
    if "number" in request.GET and lookup_form.is_valid():
        looked_up = lookup_certificate(training.office_id, lookup_form.cleaned_data["number"])
    context = {
        "training": training,
        "sessions": list(training.sessions.all()),
        "managing": managing,
        "office_side": office_side,
        "participant": participant,
        "status": eligibility(participant) if participant else None,
        "certificate": getattr(participant, "certificate", None) if participant else None,
        "lookup_form": lookup_form,
        "looked_up": looked_up,
        "searched": "number" in request.GET,
    }
    if office_side:
        context["participants"] = participant_rows(training)
    return render(request, "trainings/training_detail.html", context)


@login_required
def training_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = get_training_to_manage(request.user, pk)
    form = TrainingForm(request.POST or None, instance=training)
    if request.method == "POST" and form.is_valid():
        try:
            training_update(user=request.user, training=training, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(training)
    return render(
        request,
        "trainings/training_form.html",
        {"form": form, "training": training},
        status=_status(request),
    )


@login_required
def session_edit(
    request: AuthenticatedHttpRequest, pk: int, session_pk: int | None = None
) -> HttpResponse:
    training = get_training_to_manage(request.user, pk)
    session = get_object_or_404(training.sessions, pk=session_pk) if session_pk else None
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            session_save(user=request.user, training=training, session=session, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session is saved."))
            return redirect(training)
    return render(
        request,
        "trainings/session_form.html",
        {"form": form, "training": training, "session": session},
        status=_status(request),
    )


@login_required
@require_POST
def session_remove(request: AuthenticatedHttpRequest, pk: int, session_pk: int) -> HttpResponse:
    training = get_training_to_manage(request.user, pk)
    session = get_object_or_404(training.sessions, pk=session_pk)
    try:
        session_delete(user=request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The session is removed."))
    return redirect(training)


@login_required
@require_POST
def register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = get_training_for_user(request.user, pk)
    try:
        register_self(user=request.user, training=training)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are registered for this training."))
    return redirect(training)


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = get_training_for_user(request.user, pk)
    participant = participant_of(training, request.user)
    if participant is None:
        raise PermissionDenied
    try:
        participant_remove(user=request.user, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is withdrawn."))
    return redirect(training)


@login_required
@require_POST
def participant_delete(
    request: AuthenticatedHttpRequest, pk: int, participant_pk: int
) -> HttpResponse:
    training = get_training_to_manage(request.user, pk)
    participant = get_object_or_404(training.participants, pk=participant_pk)
    try:
        participant_remove(user=request.user, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is taken off the list.") % {"name": participant})
    return redirect(training)


@login_required
def participant_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Upload: the list is kept and added in the background; the person is sent to the
    import's progress page."""
    training = get_training_to_manage(request.user, pk)
    form = ParticipantListForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = participant_list_start(
            user=request.user, training=training, upload=form.cleaned_data["file"]
        )
        return redirect(job)
    return render(
        request,
        "trainings/participant_import.html",
        {"form": form, "training": training, "recent": training.list_imports.all()[:5]},
        status=_status(request),
    )


@login_required
def participant_import_status(
    request: AuthenticatedHttpRequest, pk: int, job_pk: int
) -> HttpResponse:
    """The list's progress (rows checked of all), then who was added or its errors by row."""
    training = get_training_to_manage(request.user, pk)
    job = get_object_or_404(training.list_imports, pk=job_pk)
    return import_job_page(
        request,
        job,
        "trainings/participant_import_status.html",
        training=training,
        again_url=reverse("trainings:import", args=[training.pk]),
        back_url=training.get_absolute_url(),
        back_label=_("Back to the training"),
        details_template="trainings/_import_already.html",
    )


@login_required
def participant_template(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    get_training_to_manage(request.user, pk)
    return spreadsheet_response(template_dataset(), "participants-template", "xlsx")


@login_required
def participant_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = get_training_for_user(request.user, pk)
    if request.user.is_school_side:
        raise PermissionDenied
    dataset = participants_dataset(participant_rows(training))
    return spreadsheet_response(
        dataset, f"training-{training.pk}-participants", request.GET.get("format", "xlsx")
    )


@login_required
def attendance(request: AuthenticatedHttpRequest, pk: int, session_pk: int) -> HttpResponse:
    training = get_training_to_manage(request.user, pk)
    session = get_object_or_404(Session.objects.filter(training=training), pk=session_pk)
    participants = list(training.participants.select_related("school"))
    if request.method == "POST":
        try:
            added, removed = attendance_set(
                user=request.user,
                session=session,
                present=[v for v in request.POST.getlist("present") if int_param(v) is not None],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Attendance saved: %(added)s marked present, %(removed)s unmarked.")
                % {"added": added, "removed": removed},
            )
            return redirect(training)
    present = set(session.attendance.values_list("participant_id", flat=True))
    return render(
        request,
        "trainings/attendance.html",
        {
            "training": training,
            "session": session,
            "participants": participants,
            "present": present,
        },
    )


@login_required
def evaluation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = get_training_for_user(request.user, pk)
    participant = participant_of(training, request.user)
    if participant is None:
        raise PermissionDenied
    if getattr(participant, "evaluation", None) is not None:
        messages.info(request, _("You have already answered this evaluation. Thank you."))
        return redirect(training)
    form = EvaluationForm(request.POST or None, training=training)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_submit(user=request.user, training=training, answers=form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your evaluation is recorded."))
            return redirect(training)
    return render(
        request,
        "trainings/evaluation.html",
        {"training": training, "form": form},
        status=_status(request),
    )


@login_required
def results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = get_training_for_user(request.user, pk)
    if request.user.is_school_side:
        raise PermissionDenied
    summary = evaluation_results(training)
    return render(
        request,
        "trainings/results.html",
        {"training": training, "summary": summary, "charts": charts.result_charts(summary)},
    )


@login_required
@require_POST
def certificates_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = get_training_to_manage(request.user, pk)
    issued, skipped = certificates_issue_all(user=request.user, training=training)
    messages.success(
        request,
        _("%(issued)s certificates issued; %(skipped)s participants are not eligible yet.")
        % {"issued": issued, "skipped": skipped},
    )
    return redirect(training)


@login_required
@require_POST
def certificate_claim(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The participant takes their own certificate (numbered on first request)."""
    training = get_training_for_user(request.user, pk)
    participant = participant_of(training, request.user)
    if participant is None:
        raise PermissionDenied
    try:
        certificate = certificate_issue(user=request.user, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your certificate number %(number)s is ready to download.")
            % {"number": certificate.number},
        )
    return redirect(training)


@login_required
def certificate_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The kept file at once; a certificate not rendered yet is rendered (and kept) in the
    background (trainings.pdf registers it), its progress page offering the download."""
    certificate = get_certificate_for_user(request.user, pk)
    if not certificate_is_stored(certificate):
        return pdf_in_background(request, "trainings.certificate", pk=pk)
    data = certificate_pdf(certificate)
    return pdf_response(data, certificate_filename(certificate))


@login_required
def register_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The office's certificate register, newest number first."""
    user = request.user
    if user.is_school_side or not (user.office_id or user.is_superuser):
        raise PermissionDenied
    certificates = Certificate.objects.select_related("training", "issued_by").order_by(
        "-year", "-sequence"
    )
    if not user.is_superuser:
        assert user.office_id is not None  # refused above otherwise
        certificates = certificates.filter(office_id=user.office_id)
    return render(request, "trainings/register.html", {"certificates": certificates[:500]})
