from django.contrib import admin

from minutes.models import AgendaItem, Attendee, FollowUp, Meeting


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "held_on", "case", "office"]
    list_filter = ["office"]
    search_fields = ["title", "case__reference"]
    raw_id_fields = ["case", "step", "created_by"]
    inlines = [AttendeeInline, AgendaItemInline]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["action", "assignee", "due_on", "done_at"]
    raw_id_fields = ["item", "assignee", "created_by"]
