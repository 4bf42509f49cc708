"""Admin for equipment loans: the lendable items (kept by admins and the group) and a read-only
view of loans, which change only through the portal's workflow."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin

from core.admin_exports import SpreadsheetAdminMixin
from equipment_loans.models import Loan, LoanItem, LoanLine
from equipment_loans.resources import LoanItemResource, LoanResource
from equipment_loans.services import items_from_loanable_assets


class LoanItemAdminForm(forms.ModelForm):
    class Meta:
        model = LoanItem
        fields = [
            "office",
            "asset",
            "name",
            "category",
            "quantity",
            "units_in_repair",
            "status",
            "condition",
            "location",
            "accessories",
            "note",
        ]

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # ModelForm.clean returns cleaned_data
        asset, office = cleaned.get("asset"), cleaned.get("office")
        if asset is not None and office is not None and asset.office_id != office.pk:
            self.add_error("asset", _("The asset must belong to the chosen office."))
        if asset is not None and (cleaned.get("quantity") or 1) > 1:
            self.add_error("quantity", _("A registered asset is a single unit."))
        return cleaned


@admin.register(LoanItem)
class LoanItemAdmin(SpreadsheetAdminMixin, ExportMixin, admin.ModelAdmin):
    form = LoanItemAdminForm
    resource_classes = [LoanItemResource]
    list_display = ["name", "category", "quantity", "units_in_repair", "status", "condition"]
    list_filter = ["office", "category", "status"]
    search_fields = ["name", "asset__asset_number", "location"]
    autocomplete_fields = ["asset"]
    actions = ["add_from_assets"]

    @admin.action(description=_("Add the loanable assets of these items' offices"))
    def add_from_assets(self, request, queryset):
        created = sum(
            items_from_loanable_assets(office=office)
            for office in {item.office for item in queryset.select_related("office")}
        )
        messages.success(request, _("%(count)s items added.") % {"count": created})


class LoanLineInline(admin.TabularInline):
    model = LoanLine
    extra = 0
    can_delete = False
    fields = [
        "item",
        "quantity",
        "starts_on",
        "ends_on",
        "holds",
        "condition_out",
        "condition_back",
    ]
    # Plain field names only; the stubs type `fields` as possibly grouped.
    readonly_fields = fields  # type: ignore[assignment]


@admin.register(Loan)
class LoanAdmin(SpreadsheetAdminMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [LoanResource]
    list_display = ["reference", "kind", "requester", "school", "starts_on", "ends_on", "status"]
    list_filter = ["office", "kind", "status"]
    search_fields = ["reference", "requester__first_name", "requester__last_name"]
    inlines = [LoanLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
