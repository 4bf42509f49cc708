"""The asset register's pages: list, asset with its repair history, spreadsheet import, export.

Everyone logged in reads the assets `assets_visible_to` them (a school only its own); office
staff, group heads and admins import (see `can_manage_assets`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import schools_visible_to
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
from repairs.services_assets import IMPORT_FORMATS, asset_import_start

PER_PAGE = 50
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# Rows of errors shown on the page; the rest are counted.
MAX_ERRORS_SHOWN = 200

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class AssetImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet file (.xlsx or .csv)"),  # th: ไฟล์ตาราง (.xlsx หรือ .csv)
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only, do not store"),  # th: ตรวจสอบอย่างเดียว ยังไม่บันทึก
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_FORMATS:
            raise forms.ValidationError(
                # th: ใช้ได้เฉพาะไฟล์ .xlsx หรือ .csv
                _("Only .xlsx or .csv files can be imported.")
            )
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                # th: ไฟล์ใหญ่เกิน 5 MB กรุณาแบ่งเป็นหลายไฟล์
                _("The file is larger than 5 MB; split it into several files.")
            )
        return upload


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
    schools = (
        schools_visible_to(user).select_related(None).only("pk", "name_th")
        if not user.is_school_side
        else []
    )
    return render(
        request,
        "repairs/assets/asset_list.html",
        {
            "page": page,
            "filters": request.GET,
            "categories": Category.choices,
            "statuses": Asset.Status.choices,
            "schools": schools,
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
    form = AssetImportForm(request.POST or None, request.FILES or None)
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
    errors = asset_import.errors if isinstance(asset_import.errors, list) else []
    context = {
        "asset_import": asset_import,
        "errors": errors[:MAX_ERRORS_SHOWN],
        "errors_hidden": max(0, len(errors) - MAX_ERRORS_SHOWN),
    }
    if request.headers.get("HX-Request"):
        return render(request, "repairs/assets/asset_import_progress.html", context)
    return render(request, "repairs/assets/asset_import_status.html", context)


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
