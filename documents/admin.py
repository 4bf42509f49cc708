"""Admin of official documents: settings are edited; registers and issued documents are read
only (numbers are taken and cancelled through the services, never edited in place)."""

from django.contrib import admin

from documents.models import IssuedDocument, OfficeDocumentSettings, RegisterEntry


@admin.register(OfficeDocumentSettings)
class OfficeDocumentSettingsAdmin(admin.ModelAdmin):
    list_display = ["office", "office_name", "letter_code", "group_suffix", "telephone"]
    autocomplete_fields = ["order_signer"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAdmin):
    list_display = ["display_number", "kind", "year", "date", "subject", "recipient", "status"]
    list_filter = ["kind", "year", "status", "office"]
    search_fields = ["subject", "sender", "recipient"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "status", "decided_at", "frozen_at", "signed", "attempts"]
    list_filter = ["kind", "status", "signed", "frozen_later"]
    search_fields = ["subject", "sha256", "token"]
