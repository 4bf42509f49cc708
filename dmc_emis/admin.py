from django.contrib import admin

from dmc_emis.models import (
    DataImport,
    Finding,
    NationalIdDisclosure,
    Round,
    RoundSchool,
    RoundTemplate,
)


@admin.register(RoundTemplate)
class RoundTemplateAdmin(admin.ModelAdmin):
    """The admin adjusts the national dates, reminders and responsible staff; next year's rounds
    follow them. A duty no manual dates keeps its date empty: the office sets it at opening."""

    list_display = [
        "title_th",
        "kind",
        "deadline_day",
        "deadline_month",
        "year_offset",
        "is_active",
    ]
    list_editable = ["is_active"]
    filter_horizontal = ["responsible_staff"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "office",
        "kind",
        "academic_year",
        "opens_on",
        "deadline_on",
        "opened_at",
    ]
    list_filter = ["kind", "academic_year", "office"]
    readonly_fields = ["opened_at", "opened_by", "ack_case"]
    filter_horizontal = ["responsible_staff"]
    search_fields = ["title"]


@admin.register(RoundSchool)
class RoundSchoolAdmin(admin.ModelAdmin):
    list_display = ["school", "round", "status", "open_findings", "last_activity_at"]
    list_filter = ["status", "round"]
    search_fields = ["school__name_th", "school__obec_code"]
    raw_id_fields = ["school", "case", "round"]
    # Status follows the case; changing it here would let the two disagree.
    readonly_fields = ["status", "case"]


@admin.register(DataImport)
class DataImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "round", "status", "rows_read", "findings_count", "created_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in DataImport._meta.fields]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["entry", "rule", "row_number", "status"]
    list_filter = ["rule", "status"]
    raw_id_fields = ["entry", "data_import"]


@admin.register(NationalIdDisclosure)
class NationalIdDisclosureAdmin(admin.ModelAdmin):
    """The PDPA audit: readable, never editable."""

    list_display = ["at", "user", "round", "rows", "reason"]
    readonly_fields = ["at", "user", "round", "rows", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
