from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from processes.models import CalendarDay
from processes.thaitime import BE_OFFSET, ThaiDateField, ThaiDateInput, format_thai_date

# Fixed Thai weekday names: the admin column must not depend on the host's C locale.
_THAI_WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")


class BuddhistYearFilter(admin.SimpleListFilter):
    title = _("year (B.E.)")  # th: ปี พ.ศ.
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year + BE_OFFSET)) for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "thai_date", "weekday", "kind", "name")
    list_display_links = ("date", "thai_date")
    list_filter = ("kind", BuddhistYearFilter)
    search_fields = ("name", "note")
    date_hierarchy = "date"
    fields = ("date", "kind", "name", "note", "updated_at")
    readonly_fields = ("updated_at",)
    # The date is typed in B.E. like everywhere else in the portal (the admin's calendar
    # pop-up would insert A.D. dates, which the B.E. parser rejects).
    formfield_overrides = {models.DateField: {"form_class": ThaiDateField, "widget": ThaiDateInput}}

    @admin.display(description=_("date (B.E.)"), ordering="date")  # th: วันที่ (พ.ศ.)
    def thai_date(self, obj: CalendarDay) -> str:
        return format_thai_date(obj.date, "long")

    @admin.display(description=_("weekday"))  # th: วัน
    def weekday(self, obj: CalendarDay) -> str:
        return _THAI_WEEKDAYS[obj.date.weekday()]
