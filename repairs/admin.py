"""Admin for the repairs app: the asset register (with spreadsheet import/export) and the
service targets. Each model has its own @admin.register class."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from core.admin_exports import SpreadsheetAdminMixin
from core.admin_imports import BackgroundImportAdminMixin
from repairs.models import Asset, Priority, SlaTarget
from repairs.resources import AssetResource

# ASSETS
# ------------------------------------------------------------------------------


class AssetAdminForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = [
            "office",
            "school",
            "category",
            "status",
            "is_loanable",
            "asset_number",
            "serial_number",
            "brand",
            "model_name",
            "location",
            "acquired_on",
            "note",
        ]

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # ModelForm.clean returns cleaned_data
        school, office = cleaned.get("school"), cleaned.get("office")
        if school is not None and office is not None and school.office_id != office.pk:
            self.add_error(
                "school",
                # th: โรงเรียนต้องอยู่ในสังกัดของสำนักงานที่เลือก
                _("The school must belong to the chosen office."),
            )
        return cleaned


@admin.register(Asset)
class AssetAdmin(BackgroundImportAdminMixin, SpreadsheetAdminMixin, ImportExportModelAdmin):
    """The register; the export uses the Thai-headed `AssetResource`. Import leads to the
    portal's background import into the admin's own office (core.admin_imports)."""

    form = AssetAdminForm
    resource_classes = [AssetResource]
    import_page = "repairs:asset_import"
    list_display = (
        "asset_number",
        "category",
        "brand",
        "model_name",
        "serial_number",
        "school",
        "office",
        "status",
        "is_loanable",
    )
    list_display_links = ("asset_number", "category")
    list_filter = (
        "category",
        "status",
        ("school", admin.RelatedOnlyFieldListFilter),
        "office",
        "is_loanable",
    )
    search_fields = ("asset_number", "serial_number", "brand", "model_name")
    list_select_related = ("school", "office")
    autocomplete_fields = ("school",)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("office", "school", "category", "status", "is_loanable")}),
        (
            _("Identification"),  # th: ข้อมูลระบุตัวครุภัณฑ์
            {"fields": ("asset_number", "serial_number", "brand", "model_name")},
        ),
        (
            _("Where and since when"),  # th: สถานที่และวันที่ได้มา
            {"fields": ("location", "acquired_on", "note")},
        ),
    )


# SERVICE TARGETS
# ------------------------------------------------------------------------------

_PRIORITY_ORDER = Case(
    *(When(priority=code, then=Value(position)) for position, code in enumerate(Priority.values)),
    default=Value(len(Priority.values)),
    output_field=IntegerField(),
)


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    """One row per priority, edited in place on the list; shown from low to critical."""

    list_display = ("priority", "first_response_hours", "resolve_days")
    list_display_links = ("priority",)
    list_editable = ("first_response_hours", "resolve_days")
    ordering = (_PRIORITY_ORDER.asc(),)
