"""Models of work processes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from processes.thaitime import format_thai_date


class CalendarDay(models.Model):
    """An admin-edited exception to the working calendar computed by `processes.thaitime`.

    The `holidays` package supplies the regular Thai public holidays; rows here add what it
    cannot know in advance (special days off announced by the cabinet, the Royal Ploughing
    Ceremony once its date is set) or turn a would-be day off into a working day.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Extra day off")  # th: วันหยุดเพิ่มเติม
        WORKING_DAY = "working_day", _("Working day")  # th: วันทำงาน

    date = models.DateField(_("date"), unique=True)  # th: วันที่
    kind = models.CharField(
        _("kind"),  # th: ประเภท
        max_length=20,
        choices=Kind.choices,
        default=Kind.HOLIDAY,
        # th: วันหยุดเพิ่มเติม: สำนักงานปิดทั้งที่ปกติเป็นวันทำงาน
        # วันทำงาน: สำนักงานเปิดทั้งที่ปกติเป็นวันหยุด
        help_text=_(
            "Extra day off: the office is closed although the day would be worked. "
            "Working day: the office is open although the day would be off."
        ),
    )
    name = models.CharField(_("name"), max_length=255)  # th: ชื่อวัน
    note = models.TextField(_("note"), blank=True)  # th: หมายเหตุ
    # Lets every process notice edits made in another process (see thaitime's cache).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)  # th: แก้ไขล่าสุด

    class Meta:
        verbose_name = _("calendar day")  # th: วันในปฏิทินราชการ
        verbose_name_plural = _("calendar days")  # th: วันในปฏิทินราชการ
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{format_thai_date(self.date)} {self.name}"
