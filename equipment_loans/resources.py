"""Spreadsheet exports of loans and loan items: Thai headers, the user's filters, text-safe."""

from __future__ import annotations

import datetime

import tablib
from django.db.models import QuerySet
from import_export import resources
from import_export.fields import Field
from import_export.widgets import IntegerWidget

from equipment_loans.models import Loan, LoanItem


class LoanResource(resources.ModelResource):
    reference = Field(attribute="reference", column_name="เลขที่คำขอ")
    kind = Field(column_name="ประเภทคำขอ")
    requested = Field(column_name="วันที่ขอ")
    borrower = Field(column_name="ผู้ขอ")
    school = Field(column_name="หน่วยงาน")
    items = Field(column_name="รายการ")
    purpose = Field(attribute="purpose", column_name="วัตถุประสงค์")
    project = Field(attribute="project", column_name="โครงการ/กิจกรรม")
    starts = Field(column_name="วันที่รับ")
    ends = Field(column_name="กำหนดคืน")
    status = Field(column_name="สถานะ")
    handed_over = Field(column_name="ส่งมอบเมื่อ")
    handed_over_by = Field(column_name="ผู้ส่งมอบ")
    returned = Field(column_name="รับคืนเมื่อ")
    received_by = Field(column_name="ผู้รับคืน")
    return_note = Field(attribute="return_note", column_name="หมายเหตุการรับคืน")

    class Meta:
        model = Loan
        fields = export_order = (
            "reference",
            "kind",
            "requested",
            "borrower",
            "school",
            "items",
            "purpose",
            "project",
            "starts",
            "ends",
            "status",
            "handed_over",
            "handed_over_by",
            "returned",
            "received_by",
            "return_note",
        )

    def dehydrate_kind(self, loan: Loan) -> str:
        return str(loan.get_kind_display())

    def dehydrate_requested(self, loan: Loan) -> datetime.datetime | None:
        return loan.created_at

    def dehydrate_borrower(self, loan: Loan) -> str:
        return loan.requester.display_name

    def dehydrate_school(self, loan: Loan) -> str:
        return loan.school.name_th if loan.school else "สำนักงานเขต"

    def dehydrate_items(self, loan: Loan) -> str:
        return ", ".join(f"{line.item.name} ({line.quantity})" for line in loan.lines.all())

    def dehydrate_starts(self, loan: Loan) -> datetime.date | None:
        return loan.starts_on

    def dehydrate_ends(self, loan: Loan) -> datetime.date | None:
        return loan.ends_on

    def dehydrate_status(self, loan: Loan) -> str:
        return str(loan.get_status_display())

    def dehydrate_handed_over(self, loan: Loan) -> datetime.datetime | None:
        return loan.checked_out_at

    def dehydrate_handed_over_by(self, loan: Loan) -> str:
        return loan.handed_over_by.display_name if loan.handed_over_by else ""

    def dehydrate_returned(self, loan: Loan) -> datetime.datetime | None:
        return loan.returned_at

    def dehydrate_received_by(self, loan: Loan) -> str:
        return loan.received_by.display_name if loan.received_by else ""


class LoanItemResource(resources.ModelResource):
    name = Field(attribute="name", column_name="รายการ")
    category = Field(column_name="ประเภท")
    asset_number = Field(column_name="เลขครุภัณฑ์")
    quantity = Field(attribute="quantity", column_name="จำนวน", widget=IntegerWidget())
    units_in_repair = Field(
        attribute="units_in_repair", column_name="ส่งซ่อม", widget=IntegerWidget()
    )
    status = Field(column_name="สถานะ")
    condition = Field(column_name="สภาพ")
    location = Field(attribute="location", column_name="สถานที่เก็บ")
    accessories = Field(attribute="accessories", column_name="อุปกรณ์ประกอบ")

    class Meta:
        model = LoanItem
        fields = export_order = (
            "name",
            "category",
            "asset_number",
            "quantity",
            "units_in_repair",
            "status",
            "condition",
            "location",
            "accessories",
        )

    def dehydrate_category(self, item: LoanItem) -> str:
        return str(item.get_category_display())

    def dehydrate_asset_number(self, item: LoanItem) -> str:
        return item.asset.asset_number if item.asset else ""

    def dehydrate_status(self, item: LoanItem) -> str:
        return str(item.get_status_display())

    def dehydrate_condition(self, item: LoanItem) -> str:
        return str(item.get_condition_display())


def loans_dataset(queryset: QuerySet[Loan]) -> tablib.Dataset:
    loans = queryset.select_related(
        "school", "requester", "handed_over_by", "received_by"
    ).prefetch_related("lines__item")
    return LoanResource().export(loans, force_native_type=True)


def items_dataset(queryset: QuerySet[LoanItem]) -> tablib.Dataset:
    return LoanItemResource().export(queryset.select_related("asset"), force_native_type=True)
