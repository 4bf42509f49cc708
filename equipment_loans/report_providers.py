"""The loans' part of the yearly report and of the admins' export pack (see core/registry.py).

A loan belongs to the fiscal year in which it was requested, as a case does. Every figure is
one aggregate query over the office's loans of that year, whatever their number.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth, TruncDate
from django.utils import timezone

from accounts.models import Office, User
from core.charts import bar_chart_svg, horizontal_bar_svg
from core.fiscal import FISCAL_MONTHS, fiscal_year_range, month_label
from core.registry import ExportFile, Section, Table, register_export, register_section
from core.spreadsheets import export_in_thai
from core.thaitime import format_thai_date
from equipment_loans.models import Condition, Loan, LoanItem, LoanLine
from equipment_loans.resources import LoanItemResource, LoanResource

TOP_ITEMS = 10
# Enough late loans to follow up by name; the pack's loans.xlsx has every one.
LATE_LISTED = 30


def loans_of(office: Office, fiscal_year: int):
    begin, finish = fiscal_year_range(fiscal_year)
    return Loan.objects.filter(office=office, created_at__gte=begin, created_at__lt=finish)


def loans_section(office: Office, fiscal_year: int) -> Section | None:
    zone = timezone.get_default_timezone()
    today = timezone.localdate()
    status = Loan.Status
    loans = (
        loans_of(office, fiscal_year)
        .order_by()
        .annotate(returned_on=TruncDate("returned_at", tzinfo=zone))
    )
    late_return = Q(returned_on__gt=F("ends_on"))
    overdue = Q(status=status.ON_LOAN, ends_on__lt=today)
    totals = loans.aggregate(
        total=Count("pk"),
        handed_over=Count("pk", filter=Q(checked_out_at__isnull=False)),
        returned=Count("pk", filter=Q(status=status.RETURNED)),
        returned_late=Count("pk", filter=Q(status=status.RETURNED) & late_return),
        on_loan=Count("pk", filter=Q(status=status.ON_LOAN)),
        overdue=Count("pk", filter=overdue),
        rejected=Count("pk", filter=Q(status=status.REJECTED)),
        not_collected=Count("pk", filter=Q(status=status.NOT_COLLECTED)),
    )
    if not totals["total"]:
        return None

    lines = LoanLine.objects.filter(loan__in=loans.values("pk")).order_by()
    handed_lines = lines.filter(loan__checked_out_at__isnull=False)
    line_totals = lines.aggregate(
        units_out=Sum("quantity", filter=Q(loan__checked_out_at__isnull=False)),
        damaged=Count("pk", filter=Q(condition_back=Condition.DAMAGED)),
        missing=Count("pk", filter=Q(condition_back=Condition.MISSING)),
        tickets=Count("repair_ticket", distinct=True),
    )

    requested_by_month = dict(
        loans.annotate(month=ExtractMonth("created_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    handed_by_month = dict(
        loans.filter(checked_out_at__isnull=False)
        .annotate(month=ExtractMonth("checked_out_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    top_items = list(
        handed_lines.values("item__name", "item__category")
        .annotate(loans=Count("loan", distinct=True), units=Sum("quantity"))
        .order_by("-loans", "-units", "item__name")[:TOP_ITEMS]
    )
    late = list(
        loans.filter(late_return | overdue)
        .select_related("requester", "school")
        .order_by("ends_on", "pk")[:LATE_LISTED]
    )

    months = [month_label(m) for m in FISCAL_MONTHS]
    charts = [
        bar_chart_svg(
            months,
            [
                ("คำขอ", [requested_by_month.get(m, 0) for m in FISCAL_MONTHS]),
                ("ส่งมอบ", [handed_by_month.get(m, 0) for m in FISCAL_MONTHS]),
            ],
            title="การยืม-ใช้วัสดุอุปกรณ์รายเดือน",
            unit="ครั้ง",
            show_title=True,
        )
    ]
    if top_items:
        charts.append(
            horizontal_bar_svg(
                [(row["item__name"], row["loans"]) for row in top_items],
                title="วัสดุอุปกรณ์ที่ยืมมากที่สุด",
                unit="ครั้ง",
                show_title=True,
            )
        )
    category_choices = LoanItem._meta.get_field("category").choices
    assert category_choices is not None  # category is a choices field
    categories = dict(category_choices)
    return Section(
        key="loans",
        area="service",
        title="การยืม-คืนวัสดุอุปกรณ์",
        intro=(
            f"ในปีงบประมาณ พ.ศ. {fiscal_year} มีคำขอยืมและขอใช้วัสดุอุปกรณ์ {totals['total']:,} คำขอ"
            f" ส่งมอบแล้ว {totals['handed_over']:,} ครั้ง รวม {line_totals['units_out'] or 0:,} ชิ้น"
            f" รับคืนแล้ว {totals['returned']:,} ครั้ง (คืนช้ากว่ากำหนด {totals['returned_late']:,}"
            f" ครั้ง) ยังไม่คืน {totals['on_loan']:,} ครั้ง รับคืนชำรุด {line_totals['damaged']:,}"
            f" รายการ และสูญหาย {line_totals['missing']:,} รายการ"
        ),
        highlights=[
            f"วัสดุอุปกรณ์ที่ยืมมากที่สุด: {top_items[0]['item__name']} ({top_items[0]['loans']:,} ครั้ง)"
        ]
        if top_items
        else [],
        figures=[
            ("คำขอทั้งหมด", totals["total"]),
            ("ส่งมอบแล้ว (ครั้ง)", totals["handed_over"]),
            ("จำนวนชิ้นที่ยืมออก", line_totals["units_out"] or 0),
            ("คืนแล้ว", totals["returned"]),
            ("คืนช้ากว่ากำหนด", totals["returned_late"]),
            ("ยังไม่คืน", totals["on_loan"]),
            ("ค้างคืนเกินกำหนด", totals["overdue"]),
            ("ไม่อนุมัติ", totals["rejected"]),
            ("ไม่มารับ", totals["not_collected"]),
            (
                "รับคืนชำรุด / สูญหาย (รายการ)",
                f"{line_totals['damaged']} / {line_totals['missing']}",
            ),
            ("ใบแจ้งซ่อมที่เปิดจากการรับคืน", line_totals["tickets"]),
        ],
        tables=[
            Table(
                title="วัสดุอุปกรณ์ที่ยืมมากที่สุด",
                headers=["รายการ", "ประเภท", "ครั้ง", "ชิ้น"],
                rows=[
                    [
                        row["item__name"],
                        str(categories.get(row["item__category"], "")),
                        row["loans"],
                        row["units"],
                    ]
                    for row in top_items
                ],
            ),
            Table(
                title="คืนช้าหรือค้างคืนเกินกำหนด",
                headers=["เลขที่", "ผู้ยืม", "หน่วยงาน", "กำหนดคืน", "คืนเมื่อ"],
                rows=[
                    [
                        loan.reference,
                        loan.requester.display_name,
                        loan.school.name_th if loan.school else "สำนักงานเขต",
                        format_thai_date(loan.ends_on, "numeric"),
                        format_thai_date(loan.returned_on, "numeric")
                        if loan.returned_on
                        else "ยังไม่คืน",
                    ]
                    for loan in late
                ],
                note=f"แสดงไม่เกิน {LATE_LISTED} รายการ รายการทั้งหมดอยู่ในชุดส่งออกข้อมูล"
                if len(late) == LATE_LISTED
                else "",
            ),
        ],
        charts=charts,
    )


def loans_export(office: Office, fiscal_year: int, user: User) -> list[ExportFile]:
    loans = (
        loans_of(office, fiscal_year)
        .select_related("school", "requester", "handed_over_by", "received_by")
        .prefetch_related("lines__item")
        .order_by("created_at", "pk")
    )
    items = LoanItem.objects.filter(office=office).select_related("asset").order_by("name", "pk")
    return [
        ExportFile("loans.xlsx", export_in_thai(LoanResource(), loans), title="คำขอยืม-ใช้วัสดุอุปกรณ์"),
        ExportFile(
            "loan-items.xlsx", export_in_thai(LoanItemResource(), items), title="วัสดุอุปกรณ์ให้ยืม"
        ),
    ]


register_section("loans", loans_section, order=30)
register_export("loans", loans_export, order=30)
