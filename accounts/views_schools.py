"""The list of schools from a spreadsheet: the upload page and the import's progress page.

Only the office's administrators (and superusers) import schools (`can_import_schools`); the
admin's Import button on the schools list leads here (accounts.admin), so no request parses a
spreadsheet. Anyone else gets 403 for the upload page and 404 for an import's page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from accounts.resources import HEADERS, REQUIRED_COLUMNS
from accounts.selectors import can_import_schools, school_imports_visible_to
from accounts.services_schools import school_import_start
from core.import_jobs import SpreadsheetImportForm, import_job_page


@login_required
def school_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload: the file is kept and imported in the background; the person is sent to the
    import's progress page."""
    user = request.user
    if not can_import_schools(user) or (user.office is None and not user.is_superuser):
        raise PermissionDenied
    form = SpreadsheetImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = school_import_start(
            user=user, upload=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
        )
        return redirect(job)
    context = {
        "form": form,
        "office": None if user.is_superuser else user.office,
        "headers": list(HEADERS.values()),
        "required_headers": [HEADERS[name] for name in REQUIRED_COLUMNS],
        "recent": school_imports_visible_to(user)[:5],
        "can_export": user.has_perm("accounts.view_school"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/school_import.html", context, status=status)


@login_required
def school_import_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The import's progress (rows checked of all), then its counts or its errors by row."""
    job = get_object_or_404(school_imports_visible_to(request.user), pk=pk)
    back_url = ""
    if request.user.has_perm("accounts.view_school"):
        back_url = reverse("admin:accounts_school_changelist")
    return import_job_page(
        request,
        job,
        "accounts/school_import_status.html",
        again_url=reverse("accounts:school_import"),
        back_url=back_url,
        back_label=_("Schools"),
    )
