from django.contrib import admin

from line_messaging.models import LineLink


@admin.register(LineLink)
class LineLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "delivery", "linked_at"]
    list_filter = ["delivery"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    readonly_fields = ["user", "line_user_id", "linked_at"]

    def has_add_permission(self, request) -> bool:
        return False  # links are made by the person, from LINE
