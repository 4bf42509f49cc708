"""The admin's last English words that no catalogue can reach, put into our words.

* django-celery-beat's schedule pages: a crontab's description comes from cron-descriptor
  (English only: "At 07:00 AM…"), the task field's label is a bare 'Task Name', and its
  admin shows both in list columns, filters and inlines. The admins below re-register the
  library's with our columns (`core.crontab_words`), and a crontab's text (used in select
  boxes, titles and breadcrumbs) becomes the same words plus its cron fields.
* Django's boolean icons carry alt="True"/"False" (screen readers say it): Yes/No instead.

Nothing here imports a project app; the admin imports this module as it imports every app's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from core.crontab_words import describe_crontab


def crontab_words(crontab: CrontabSchedule) -> str:
    return describe_crontab(
        minute=crontab.minute,
        hour=crontab.hour,
        day_of_month=crontab.day_of_month,
        month_of_year=crontab.month_of_year,
        day_of_week=crontab.day_of_week,
        timezone=str(crontab.timezone),
    )


def crontab_fields(crontab: CrontabSchedule) -> str:
    fields = (crontab.minute, crontab.hour, crontab.day_of_month)
    return " ".join(str(f) for f in (*fields, crontab.month_of_year, crontab.day_of_week))


def _crontab_text(self: CrontabSchedule) -> str:
    return f"{crontab_words(self)} · {crontab_fields(self)}"


CrontabSchedule.__str__ = _crontab_text


def _boolean_icon(value: bool | None) -> SafeString:
    name = {True: "yes", False: "no", None: "unknown"}[value]
    text = {True: gettext("Yes"), False: gettext("No"), None: gettext("Unknown")}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), text)


admin_list._boolean_icon = _boolean_icon  # type: ignore[attr-defined]


class TaskFilter(admin.AllValuesFieldListFilter):
    """The library's filter on `task`, titled in words (its field's label is a bare English
    'Task Name')."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = gettext("background task")


class PeriodicTaskInline(beat_admin.PeriodicTaskInline):
    fields = readonly_fields = ("name", "task_path", "enabled")

    @admin.display(description=_("background task"))
    def task_path(self, obj: PeriodicTask) -> str:
        return str(obj.task)


def _schedule_words(task: PeriodicTask) -> str:
    if task.crontab_id:
        return crontab_words(task.crontab)
    return str(task.scheduler or "")


admin.site.unregister(PeriodicTask)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_display = (
        "name",
        "enabled",
        "schedule_words",
        "start_time",
        "last_run_at",
        "one_off",
    )
    list_filter = ["enabled", "one_off", ("task", TaskFilter), "start_time", "last_run_at"]
    fieldsets = tuple(
        (
            title,
            {
                **options,
                "fields": tuple(
                    "schedule_words" if f == "crontab_translation" else f for f in options["fields"]
                ),
            },
        )
        for title, options in beat_admin.PeriodicTaskAdmin.fieldsets
    )
    readonly_fields = ("last_run_at", "schedule_words")
    change_form_template = "admin/core/periodictask_change_form.html"

    @admin.display(description=_("schedule in words"))
    def schedule_words(self, obj: PeriodicTask) -> str:
        return _schedule_words(obj)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # The library's view fills `readable_crontabs` with cron-descriptor's English.
        words = {crontab.pk: crontab_words(crontab) for crontab in CrontabSchedule.objects.all()}
        context = {**(extra_context or {}), "crontab_words": words}
        return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, context)


admin.site.unregister(CrontabSchedule)


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    inlines = [PeriodicTaskInline]
    list_display = ("words", "cron_fields")
    fields = (
        "words",
        "minute",
        "hour",
        "day_of_month",
        "month_of_year",
        "day_of_week",
        "timezone",
    )
    readonly_fields = ("words",)

    @admin.display(description=_("schedule in words"))
    def words(self, obj: CrontabSchedule) -> str:
        return crontab_words(obj) if obj.pk else ""

    @admin.display(description=_("cron fields (minute hour day month week day)"))
    def cron_fields(self, obj: CrontabSchedule) -> SafeString:
        return format_html('<code translate="no">{}</code>', crontab_fields(obj))


for _model, _library_admin in (
    (IntervalSchedule, beat_admin.IntervalScheduleAdmin),
    (SolarSchedule, beat_admin.SolarScheduleAdmin),
    (ClockedSchedule, beat_admin.ClockedScheduleAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(_model, type(_library_admin.__name__, (_library_admin,), {
        "inlines": [PeriodicTaskInline],
        "__module__": __name__,
    }))  # fmt: skip
