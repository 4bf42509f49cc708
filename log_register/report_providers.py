"""The register in the reports (reports/registry.py): in the dossier of every data-security
case (the process that owns identity and traffic logs), and in the yearly report (the
register and the monthly checks done and missed in the fiscal year)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Office
from core.registry import Section, Table, register_case_section, register_section
from core.thaitime import fiscal_year_bounds, format_thai_date
from log_register.models import LogCheck, LogSource

DATA_SECURITY = "data-security"


def _register_table(sources: list[LogSource]) -> Table:
    latest: dict[int, LogCheck] = {}
    for check in LogCheck.objects.filter(source__in=sources).order_by("source_id", "-month"):
        latest.setdefault(check.source_id, check)
    return Table(
        title="ทะเบียนการจัดเก็บข้อมูลจราจรทางคอมพิวเตอร์",
        headers=["แหล่งข้อมูล", "ที่จัดเก็บ", "เก็บ (วัน)", "ผู้รับผิดชอบ", "ตรวจล่าสุด"],
        rows=[
            [
                f"{s.name} ({s.get_kind_display()})",
                s.kept_at,
                s.retention_days,
                s.responsible.display_name,
                f"{format_thai_date(latest[s.pk].checked_on, 'short', language='th')} "
                f"{latest[s.pk].get_result_display()}"
                if s.pk in latest
                else "ยังไม่ตรวจ",
            ]
            for s in sources
        ],
        note="พ.ร.บ.ว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์ พ.ศ. 2550 มาตรา 26: "
        "เก็บรักษาข้อมูลจราจรทางคอมพิวเตอร์ไม่น้อยกว่า 90 วัน",
    )


def data_security_section(case) -> Section | None:
    if case.version.definition.code != DATA_SECURITY:
        return None
    sources = list(
        LogSource.objects.filter(office_id=case.office_id, is_active=True).select_related(
            "responsible"
        )
    )
    return Section(
        key="log_register",
        title="ทะเบียนการจัดเก็บข้อมูลจราจรทางคอมพิวเตอร์",
        figures=[("แหล่งข้อมูลที่จัดเก็บ", len(sources))],
        tables=[_register_table(sources)],
    )


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def log_register_section(office: Office, fiscal_year: int) -> Section | None:
    sources = list(LogSource.objects.filter(office=office).select_related("responsible"))
    if not sources:
        return None
    start, end = fiscal_year_bounds(fiscal_year)
    today = timezone.localdate()
    checks = {
        (c.source_id, c.month): c
        for c in LogCheck.objects.filter(source__in=sources, month__range=(start, end))
    }
    rows = []
    done_total = missed_total = 0
    for source in sources:
        due_months = [
            m
            for m in _months(start, min(end, today))
            if source.due_on(m) < today and source.due_on(m) >= source.created_at.date()
        ]
        done = sum(1 for m in due_months if (source.pk, m) in checks)
        problems = sum(
            1
            for m in due_months
            if (source.pk, m) in checks
            and checks[(source.pk, m)].result != LogCheck.Result.COMPLETE
        )
        missed = len(due_months) - done
        done_total += done
        missed_total += missed
        rows.append([source.name, source.retention_days, done, missed, problems])
    return Section(
        key="log_register",
        title="การจัดเก็บข้อมูลจราจรทางคอมพิวเตอร์",
        figures=[
            ("แหล่งข้อมูลในทะเบียน", len(sources)),
            ("การตรวจรายเดือนที่ทำแล้ว", done_total),
            ("การตรวจที่ขาด", missed_total),
        ],
        tables=[
            _register_table([s for s in sources if s.is_active]),
            Table(
                title="การตรวจรายเดือนในปีงบประมาณ",
                headers=["แหล่งข้อมูล", "เก็บ (วัน)", "ตรวจแล้ว", "ขาดการตรวจ", "พบปัญหา"],
                rows=rows,
            ),
        ],
    )


register_case_section("log_register", data_security_section, order=30)
register_section("log_register", log_register_section, order=70)
