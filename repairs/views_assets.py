"""The asset register's pages: list, asset with its repair history, spreadsheet import, export.

Everyone logged in reads the assets `assets_visible_to` them (a school only its own); office
staff, group heads and admins import (see `can_manage_assets`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import chosen_school
from core.import_jobs import SpreadsheetImportForm, import_job_page
from core.thaitime import BE_OFFSET
from repairs.models import Asset, AssetImport, Category
from repairs.resources import HEADERS, REQUIRED_COLUMNS, export_assets
from repairs.selectors import tickets_visible_to
from repairs.selectors_assets import (
    OFFICE_OWN,
    assets_visible_to,
    can_manage_assets,
    filter_assets,
    status_counts,
)
from repairs.services_assets import asset_import_start

PER_PAGE = 50

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _query_without(request: AuthenticatedHttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@login_required
def asset_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    assets = filter_assets(assets_visible_to(user), request.GET)
    page = Paginator(assets, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "repairs/assets/asset_list.html",
        {
            "page": page,
            "filters": request.GET,
            "categories": Category.choices,
            "statuses": Asset.Status.choices,
            "school_filter": chosen_school(user, request.GET),
            "office_own": OFFICE_OWN,
            "counts": status_counts(assets),
            "can_manage": can_manage_assets(user),
            "export_query": _query_without(request, "page", "format"),
        },
    )


@login_required
def asset_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    asset = get_object_or_404(assets_visible_to(request.user), pk=pk)
    tickets = (
        tickets_visible_to(request.user)
        .filter(asset=asset)
        .select_related(None)
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "repairs/assets/asset_detail.html",
        {"asset": asset, "tickets": tickets, "can_manage": can_manage_assets(request.user)},
    )


@login_required
def asset_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload: the file is kept and imported in the background; the person is sent to the
    import's progress page."""
    user = request.user
    if not can_manage_assets(user):
        raise PermissionDenied
    form = SpreadsheetImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "form": form,
        "office": user.office,
        "headers": [HEADERS[name] for name in HEADERS],
        "required_headers": [HEADERS[name] for name in REQUIRED_COLUMNS],
        "recent": AssetImport.objects.filter(office=user.office)[:5] if user.office else [],
    }
    if request.method == "POST" and user.office is None:
        # An admin account without an office: there is no register to import into.
        raise PermissionDenied
    if request.method == "POST":
        if form.is_valid():
            asset_import = asset_import_start(
                user=user,
                upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
            )
            return redirect(asset_import)
        return render(request, "repairs/assets/asset_import.html", context, status=400)
    return render(request, "repairs/assets/asset_import.html", context)


@login_required
def asset_import_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The import's progress (rows checked of all), then its counts or its errors by row.
    htmx asks for the progress part again until the import has finished."""
    user = request.user
    if not can_manage_assets(user) or user.office is None:
        raise Http404
    asset_import = get_object_or_404(AssetImport, pk=pk, office=user.office)
    return import_job_page(
        request,
        asset_import,
        "repairs/assets/asset_import_status.html",
        again_url=reverse("repairs:asset_import"),
        back_url=reverse("repairs:assets"),
        back_label=_("Asset register"),
    )


@login_required
def asset_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
    assets = filter_assets(assets_visible_to(request.user), request.GET)
    today = timezone.localdate()
    filename = f"assets-{today.year + BE_OFFSET}{today:%m%d}.{file_format}"
    response = HttpResponse(
        export_assets(assets, file_format), content_type=CONTENT_TYPES[file_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
