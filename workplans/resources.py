"""Spreadsheets of plans for the yearly export pack: plans, their activities and their
indicators, with Thai headers and one fiscal year's follow-up figures.

The fiscal year's figures (money spent, the latest activity status and indicator result) are
annotated onto the querysets by `activities_for_export` / `kpis_for_export`, so a plan with
hundreds of activities is still one query per sheet.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from import_export import resources
from import_export.fields import Field

from workplans.models import KPI, Activity, ActivityProgress, KPIResult, Plan

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _PlanFigures(TypedDict):
    """What `plans_for_export` annotates."""

    planned_budget: Decimal


class _ActivityFigures(TypedDict):
    """What `activities_for_export` annotates."""

    year_spent: Decimal | None
    year_status: str | None


class _KPIFigures(TypedDict):
    """What `kpis_for_export` annotates."""

    year_result: Decimal | None


def _money(value: Decimal | None) -> float | str:
    return float(value) if value is not None else ""


class PlanResource(resources.ModelResource):
    title = Field(attribute="title", column_name="ชื่อแผน")
    kind = Field(column_name="ประเภทแผน")
    years = Field(column_name="ปีงบประมาณ")
    status = Field(column_name="สถานะ")
    reference = Field(column_name="เลขที่เรื่อง")
    approved = Field(column_name="อนุมัติเมื่อ")
    approved_by = Field(column_name="ผู้อนุมัติ")
    budget = Field(column_name="งบประมาณตามแผน (บาท)")

    class Meta:
        model = Plan
        fields = export_order = (
            "title",
            "kind",
            "years",
            "status",
            "reference",
            "approved",
            "approved_by",
            "budget",
        )

    def dehydrate_kind(self, plan: Plan) -> str:
        return str(plan.get_kind_display())

    def dehydrate_years(self, plan: Plan) -> str:
        return plan.years_label

    def dehydrate_status(self, plan: Plan) -> str:
        return str(plan.get_status_display())

    def dehydrate_reference(self, plan: Plan) -> str:
        return plan.case.reference if plan.case else ""

    def dehydrate_approved(self, plan: Plan) -> datetime.datetime | None:
        return plan.approved_at

    def dehydrate_approved_by(self, plan: Plan) -> str:
        return plan.approved_by.display_name if plan.approved_by else ""

    def dehydrate_budget(self, plan: WithAnnotations[Plan, _PlanFigures]) -> float | str:
        return _money(plan.planned_budget)


class ActivityResource(resources.ModelResource):
    plan = Field(column_name="แผน")
    project = Field(column_name="โครงการ")
    name = Field(attribute="name", column_name="กิจกรรม")
    owner = Field(attribute="owner", column_name="ผู้รับผิดชอบ")
    budget = Field(column_name="งบประมาณ (บาท)")
    starts = Field(column_name="เริ่ม")
    ends = Field(column_name="สิ้นสุด")
    status = Field(column_name="สถานะล่าสุดในปี")
    spent = Field(column_name="ใช้จ่ายในปี (บาท)")

    class Meta:
        model = Activity
        fields = export_order = (
            "plan",
            "project",
            "name",
            "owner",
            "budget",
            "starts",
            "ends",
            "status",
            "spent",
        )

    def dehydrate_plan(self, activity: Activity) -> str:
        return activity.project.plan.title

    def dehydrate_project(self, activity: Activity) -> str:
        return activity.project.name

    def dehydrate_budget(self, activity: Activity) -> float | str:
        return _money(activity.budget)

    def dehydrate_starts(self, activity: Activity) -> datetime.date | None:
        return activity.starts_on

    def dehydrate_ends(self, activity: Activity) -> datetime.date | None:
        return activity.ends_on

    def dehydrate_status(self, activity: WithAnnotations[Activity, _ActivityFigures]) -> str:
        return str(Activity.Status(activity.year_status or Activity.Status.NOT_STARTED).label)

    def dehydrate_spent(self, activity: WithAnnotations[Activity, _ActivityFigures]) -> float | str:
        return _money(activity.year_spent)


class KPIResource(resources.ModelResource):
    plan = Field(column_name="แผน")
    name = Field(attribute="name", column_name="ตัวชี้วัด")
    unit = Field(attribute="unit", column_name="หน่วย")
    target = Field(column_name="ค่าเป้าหมาย")
    result = Field(column_name="ผลล่าสุดในปี")
    met = Field(column_name="บรรลุเป้าหมาย")

    class Meta:
        model = KPI
        fields = export_order = ("plan", "name", "unit", "target", "result", "met")

    def dehydrate_plan(self, kpi: KPI) -> str:
        return kpi.plan.title

    def dehydrate_target(self, kpi: KPI) -> float:
        return float(kpi.target)

    def dehydrate_result(self, kpi: WithAnnotations[KPI, _KPIFigures]) -> float | str:
        return _money(kpi.year_result)

    def dehydrate_met(self, kpi: WithAnnotations[KPI, _KPIFigures]) -> str:
        if kpi.year_result is None:
            return "ยังไม่รายงาน"
        return "บรรลุ" if kpi.year_result >= kpi.target else "ไม่บรรลุ"


def plans_for_export(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))
    return plans.select_related("case", "approved_by").annotate(
        planned_budget=Coalesce(Sum("projects__activities__budget"), zero)
    )


def activities_for_export(activities: QuerySet[Activity], fiscal_year: int) -> QuerySet[Activity]:
    """With the fiscal year's money spent and latest reported status (as plan_follow_up)."""
    progress = ActivityProgress.objects.filter(activity=OuterRef("pk"), fiscal_year=fiscal_year)
    spent = progress.order_by().values("activity").annotate(total=Sum("spent")).values("total")[:1]
    return activities.select_related("project__plan").annotate(
        year_spent=Subquery(spent),
        year_status=Subquery(progress.order_by("-quarter").values("status")[:1]),
    )


def kpis_for_export(kpis: QuerySet[KPI], fiscal_year: int) -> QuerySet[KPI]:
    """With the fiscal year's latest result (the last quarter reported, as plan_follow_up)."""
    latest = KPIResult.objects.filter(kpi=OuterRef("pk"), fiscal_year=fiscal_year).order_by(
        "-quarter"
    )
    return kpis.select_related("plan").annotate(year_result=Subquery(latest.values("value")[:1]))
