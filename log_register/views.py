"""The log register's pages: the register with this month's check status, a source with its
checks, adding and editing sources, recording a check, the evidence files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from log_register.forms import CheckForm, SourceForm
from log_register.models import LogCheck
from log_register.selectors import (
    can_keep,
    get_source_for_user,
    register_status,
    sources_visible_to,
)
from log_register.services import check_record, source_save
from processes.forms import add_service_errors


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    sources = sources_visible_to(request.user)
    show_all = request.GET.get("all") == "1"
    if not show_all:
        sources = sources.filter(is_active=True)
    return render(
        request,
        "log_register/index.html",
        {
            "rows": register_status(sources, timezone.localdate()),
            "can_keep": can_keep(request.user, request.user.office_id),
            "show_all": show_all,
        },
    )


@login_required
def source_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    source = get_source_for_user(user, pk) if pk else None
    office_id = source.office_id if source else user.office_id
    if not can_keep(user, office_id):
        raise PermissionDenied
    assert office_id is not None  # a keeper belongs to the office
    form = SourceForm(request.POST or None, instance=source, office_id=office_id)
    if request.method == "POST" and form.is_valid():
        try:
            source = source_save(user=user, source=source, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The register is saved."))
            return redirect(source)
    return render(
        request,
        "log_register/source_form.html",
        {"form": form, "source": source},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def source_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    source = get_source_for_user(request.user, pk)
    keeper = can_keep(request.user, source.office_id)
    today = timezone.localdate()
    form = None
    if keeper:
        form = CheckForm(
            request.POST or None,
            request.FILES or None,
            initial={"month": today.replace(day=1), "checked_on": today},
        )
        if request.method == "POST" and form.is_valid():
            try:
                check_record(user=request.user, source=source, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The check is recorded."))
                return redirect(source)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "log_register/source_detail.html",
        {
            "source": source,
            "status": register_status([source], today)[0],
            "checks": source.checks.select_related("checked_by")[:36],
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def evidence(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    check = get_object_or_404(LogCheck.objects.select_related("source"), pk=pk)
    get_source_for_user(request.user, check.source_id)
    return FileResponse(check.evidence.open("rb"), as_attachment=True, filename=check.evidence_name)
