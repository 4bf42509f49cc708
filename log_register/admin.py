from django.contrib import admin

from log_register.models import LogCheck, LogSource


@admin.register(LogSource)
class LogSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "retention_days", "responsible", "is_active", "office"]
    list_filter = ["office", "kind", "is_active"]
    search_fields = ["name", "kept_at"]
    raw_id_fields = ["responsible"]


@admin.register(LogCheck)
class LogCheckAdmin(admin.ModelAdmin):
    """Checks are evidence: read here, recorded on the portal's page, never edited."""

    list_display = ["source", "month", "checked_on", "result", "checked_by"]
    list_filter = ["result", "source__office"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
