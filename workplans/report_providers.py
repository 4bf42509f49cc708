"""The plans' part of the yearly report and of the admins' export pack (see
core/registry.py).

The plans of a fiscal year are those whose years include it. Their figures come from
`workplans.selectors.plan_follow_up`, the same summary the plan's year-end page and PDF show,
so the report never disagrees with them; it costs a handful of queries per plan, and an office
runs a few plans a year, not hundreds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import Office, User
from core.charts import bar_chart_svg, format_number, horizontal_bar_svg
from core.registry import (
    ExportFile,
    Indicator,
    Section,
    Table,
    register_export,
    register_section,
)
from core.spreadsheets import export_in_thai
from core.thaitime import format_thai_date
from workplans.budgets import budget_summary
from workplans.models import KPI, Activity, Plan, SpecDraft

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations
from workplans.money import baht_words
from workplans.resources import (
    ActivityResource,
    KPIResource,
    PlanResource,
    activities_for_export,
    kpis_for_export,
    plans_for_export,
)
from workplans.selectors import plan_follow_up

HANDED_TO_PROCUREMENT = (SpecDraft.Status.HANDED_OFF, SpecDraft.Status.COMPLETED)


def plans_of(office: Office, fiscal_year: int):
    return Plan.objects.filter(
        office=office, fiscal_year_start__lte=fiscal_year, fiscal_year_end__gte=fiscal_year
    )


def _baht(value: Decimal) -> str:
    return f"{value:,.2f}"


def _percent_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{format_number(float(value))}%"


def _kpi_result_text(status) -> str:
    if status.latest is None:
        return "ยังไม่รายงาน"
    return f"{format_number(float(status.latest))} {status.kpi.unit}"


class _DraftTotal(TypedDict):
    total: Decimal


def _handed_drafts(
    office: Office, fiscal_year: int
) -> list[WithAnnotations[SpecDraft, _DraftTotal]]:
    money = DecimalField(max_digits=16, decimal_places=2)
    return list(
        SpecDraft.objects.filter(
            office=office, fiscal_year=fiscal_year, status__in=HANDED_TO_PROCUREMENT
        )
        .annotate(
            total=Coalesce(
                Sum(F("lines__unit_price") * F("lines__quantity"), output_field=money),
                Value(Decimal("0"), output_field=money),
            )
        )
        .order_by("handed_off_at", "pk")
    )


def _budget_tables(plan: Plan, fiscal_year: int) -> list[Table]:
    """Planned, spent and remaining per budget line; an overspent line says so."""
    budget = budget_summary(plan, fiscal_year)
    if not budget.lines:
        return []
    rows: list[list[object]] = [
        [
            row.line.item,
            row.line.get_source_display(),
            _baht(row.planned),
            _baht(row.spent),
            _baht(row.remaining) + (" (เกินงบ)" if row.overspent else ""),
        ]
        for row in budget.lines
    ]
    rows.append(["รวม", "", _baht(budget.planned), _baht(budget.spent), _baht(budget.remaining)])
    return [
        Table(
            title=f"งบประมาณตามรายการ ปีงบประมาณ {fiscal_year}",
            headers=["รายการ", "แหล่งงบประมาณ", "วางแผน (บาท)", "เบิกจ่าย (บาท)", "คงเหลือ (บาท)"],
            rows=rows,
            note=f"คงเหลือ {baht_words(budget.remaining)}",
        )
    ]


def plans_section(office: Office, fiscal_year: int) -> Section | None:
    plans = list(plans_of(office, fiscal_year).prefetch_related("kpis").order_by("kind", "pk"))
    drafts = _handed_drafts(office, fiscal_year)
    if not plans and not drafts:
        return None
    summary_rows = []
    blocks = []
    budget_chart = []
    planned_total = spent_total = Decimal("0")
    kpis_total = kpis_met = 0
    indicators: list[Indicator] = []
    for plan in plans:
        follow_up = plan_follow_up(plan, fiscal_year)
        indicators.extend(
            Indicator(
                name=status.kpi.name,
                target=f"{format_number(float(status.kpi.target))} {status.kpi.unit}",
                result=_kpi_result_text(status),
                achieved=None if status.latest is None else status.achieved,
                source=plan.title,
            )
            for status in follow_up.kpis
        )
        planned_total += follow_up.budget.total
        spent_total += follow_up.spent_total
        kpis_total += len(follow_up.kpis)
        kpis_met += follow_up.kpis_achieved
        summary_rows.append(
            [
                plan.title,
                str(plan.get_status_display()),
                _baht(follow_up.budget.total),
                _baht(follow_up.spent_total),
                _percent_text(follow_up.spent_percent),
                f"{follow_up.kpis_achieved} / {len(follow_up.kpis)}",
            ]
        )
        if follow_up.spent_percent is not None:
            budget_chart.append((plan.title, float(follow_up.spent_percent)))
        activity_counts = [
            f"{Activity.Status(status).label} {follow_up.status_counts.get(status, 0)}"
            for status in Activity.Status.values
            if follow_up.status_counts.get(status)
        ]
        charts = []
        if follow_up.kpis:
            charts.append(
                bar_chart_svg(
                    [f"{status.kpi.position}. {status.kpi.name}" for status in follow_up.kpis],
                    [
                        ("ค่าเป้าหมาย", [float(s.kpi.target) for s in follow_up.kpis]),
                        (
                            "ผลล่าสุด",
                            [
                                float(s.latest) if s.latest is not None else None
                                for s in follow_up.kpis
                            ],
                        ),
                    ],
                    title=f"ตัวชี้วัดเทียบค่าเป้าหมาย: {plan.title}",
                    show_title=True,
                )
            )
        blocks.append(
            Section(
                key=f"plan-{plan.pk}",
                title=plan.title,
                intro=f"{plan.get_kind_display()} ปีงบประมาณ {plan.years_label}",
                figures=[
                    ("สถานะ", str(plan.get_status_display())),
                    ("งบประมาณตามแผน (บาท)", _baht(follow_up.budget.total)),
                    ("ใช้จ่ายในปีงบประมาณ (บาท)", _baht(follow_up.spent_total)),
                    ("ร้อยละการใช้จ่าย", _percent_text(follow_up.spent_percent)),
                    ("กิจกรรม", " · ".join(activity_counts) or "—"),
                    (
                        "ตัวชี้วัดที่บรรลุเป้าหมาย",
                        f"{follow_up.kpis_achieved} จาก {len(follow_up.kpis)}",
                    ),
                ],
                tables=[
                    Table(
                        title="ตัวชี้วัดและค่าเป้าหมาย",
                        headers=["ตัวชี้วัด", "ค่าเป้าหมาย", "ผลล่าสุด", "ร้อยละของเป้าหมาย"],
                        rows=[
                            [
                                status.kpi.name,
                                f"{format_number(float(status.kpi.target))} {status.kpi.unit}",
                                _kpi_result_text(status),
                                _percent_text(status.percent_of_target),
                            ]
                            for status in follow_up.kpis
                        ],
                    ),
                    *_budget_tables(plan, fiscal_year),
                ],
                charts=charts,
            )
        )
    charts = []
    if budget_chart:
        charts.append(
            horizontal_bar_svg(
                budget_chart,
                title="ร้อยละการใช้จ่ายงบประมาณเทียบกับแผน",
                unit="%",
                show_title=True,
            )
        )
    spent_percent = (
        (spent_total * 100 / planned_total).quantize(Decimal("0.1")) if planned_total else None
    )
    return Section(
        key="workplans",
        area="plans",
        title="แผนงานและการติดตามผล",
        intro=(
            f"ในปีงบประมาณ พ.ศ. {fiscal_year} มีแผนที่ครอบคลุมปีนี้ {len(plans)} แผน"
            f" งบประมาณตามแผนรวม {_baht(planned_total)} บาท ใช้จ่ายในปี {_baht(spent_total)} บาท"
            f" (ร้อยละ {_percent_text(spent_percent).rstrip('%')}) ตัวชี้วัดบรรลุค่าเป้าหมาย"
            f" {kpis_met} จาก {kpis_total} ตัวชี้วัด (ผลที่รายงานล่าสุดในปี) และส่งร่างคุณลักษณะเฉพาะ"
            f"ให้งานพัสดุ {len(drafts)} เรื่อง"
        ),
        figures=[
            ("ตัวชี้วัดที่บรรลุเป้าหมาย", f"{kpis_met} จาก {kpis_total}"),
            ("ร้อยละการใช้จ่าย", _percent_text(spent_percent)),
            ("จำนวนแผน", len(plans)),
            ("งบประมาณตามแผน (บาท)", _baht(planned_total)),
            ("ใช้จ่ายในปีงบประมาณ (บาท)", _baht(spent_total)),
            ("ร่างคุณลักษณะเฉพาะที่ส่งงานพัสดุ", len(drafts)),
        ],
        tables=[
            Table(
                title="สรุปตามแผน",
                headers=["แผน", "สถานะ", "งบประมาณ", "ใช้จ่าย", "ร้อยละ", "ตัวชี้วัดที่บรรลุ"],
                rows=summary_rows,
            ),
            Table(
                title="ร่างคุณลักษณะเฉพาะที่ส่งงานพัสดุ",
                headers=["เรื่อง", "หน่วยงานที่ขอ", "ส่งเมื่อ", "หนังสือที่", "วงเงิน (บาท)"],
                rows=[
                    [
                        draft.title,
                        draft.requested_by_unit,
                        format_thai_date(draft.handed_off_at.date(), "numeric")
                        if draft.handed_off_at
                        else "—",
                        draft.handoff_letter_no or "—",
                        _baht(draft.total),
                    ]
                    for draft in drafts
                ],
            ),
        ],
        charts=charts,
        blocks=blocks,
        indicators=indicators,
        headline=2,
    )


def plans_export(office: Office, fiscal_year: int, user: User) -> list[ExportFile]:
    plans = plans_of(office, fiscal_year)
    activities = Activity.objects.filter(project__plan__in=plans).order_by(
        "project__plan", "project__position", "position", "pk"
    )
    kpis = KPI.objects.filter(plan__in=plans).order_by("plan", "position", "pk")
    return [
        ExportFile(
            "plans.xlsx",
            export_in_thai(PlanResource(), plans_for_export(plans.order_by("pk"))),
            title="แผน",
        ),
        ExportFile(
            "plan-activities.xlsx",
            export_in_thai(ActivityResource(), activities_for_export(activities, fiscal_year)),
            title="กิจกรรมตามแผน",
        ),
        ExportFile(
            "plan-kpis.xlsx",
            export_in_thai(KPIResource(), kpis_for_export(kpis, fiscal_year)),
            title="ตัวชี้วัดตามแผน",
        ),
    ]


register_section("workplans", plans_section, order=50)
register_export("workplans", plans_export, order=50)
