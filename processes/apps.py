from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ProcessesConfig(AppConfig):
    name = "processes"
    verbose_name = _("Work processes")

    def ready(self) -> None:
        from core import thaitime
        from processes.models import CalendarDay

        thaitime.set_calendar_source(
            thaitime.CalendarSource(
                fingerprint=CalendarDay.fingerprint, days_of_year=CalendarDay.days_of_year
            )
        )
        # Edits to the calendar must reach the cached working-day sets at once.
        for signal in (post_save, post_delete):
            signal.connect(
                thaitime.calendar_day_changed,
                sender=CalendarDay,
                dispatch_uid=f"thaitime-calendar-day-{signal is post_save}",
            )
