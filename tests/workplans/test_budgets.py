"""Budget lines of plans: planned, spent and remaining per line and fiscal year, overspending
shown (never hidden), amounts in Thai words on printed documents, and who may write."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.render_jobs import fetch_pdf
from tests.workplans.factories import fill_plan, make_plan
from workplans.budgets import (
    budget_line_delete,
    budget_line_save,
    budget_summary,
    spending_record,
)
from workplans.models import BudgetLine
from workplans.money import baht, baht_words

PDF = b"%PDF-1.4 receipt"


def receipt(name="receipt.pdf", content=PDF):
    return SimpleUploadedFile(name, content, "application/pdf")


@pytest.fixture
def plan(definitions, people):
    plan = make_plan(people["staff"])
    fill_plan(plan)
    return plan


@pytest.fixture
def line(plan, people):
    return budget_line_save(
        user=people["staff"],
        plan=plan,
        fiscal_year=2570,
        source="obec",
        item="ค่าอบรมครู DLTV",
        planned=Decimal("10000.00"),
        project=plan.projects.first(),
    )


def spend(people, line, amount, day=5):
    return spending_record(
        user=people["staff"],
        line=line,
        spent_on=datetime.date(2026, 12, day),
        amount=Decimal(amount),
        note="ค่าอาหารว่าง",
        evidence=receipt(),
    )


def test_baht_words_and_figures():
    assert baht_words(Decimal("25500.50")) == "สองหมื่นห้าพันห้าร้อยบาทห้าสิบสตางค์"
    assert baht_words(Decimal("1000000")) == "หนึ่งล้านบาทถ้วน"
    assert baht_words(Decimal("-250")) == "ลบสองร้อยห้าสิบบาทถ้วน"
    assert baht(Decimal("1234.5")) == "1,234.50"
    assert baht_words("x") == "" and baht(None) == ""


def test_overspending_is_recorded_and_shown_never_capped(people, plan, line):
    spend(people, line, "6000.00")
    spend(people, line, "5500.50", day=20)
    other = budget_line_save(
        user=people["group_head"],
        plan=plan,
        fiscal_year=2570,
        source="office",
        item="ค่าวัสดุ",
        planned=Decimal("2000"),
    )
    spend(people, other, "500")
    summary = budget_summary(plan, 2570)
    first = next(r for r in summary.lines if r.line == line)
    assert (first.planned, first.spent, first.remaining) == (
        Decimal("10000.00"),
        Decimal("11500.50"),
        Decimal("-1500.50"),
    )
    assert first.overspent and summary.overspent_lines == [first]
    assert (summary.planned, summary.spent, summary.remaining) == (
        Decimal("12000.00"),
        Decimal("12000.50"),
        Decimal("-0.50"),
    )
    assert budget_summary(plan, 2571).lines == []


def test_a_line_belongs_to_a_year_and_project_of_its_plan(people, plan, definitions):
    with pytest.raises(ValidationError):
        budget_line_save(
            user=people["staff"], plan=plan, fiscal_year=2580, source="obec", item="x", planned=1
        )
    other = make_plan(people["staff"], title="แผนอื่น")
    fill_plan(other)
    with pytest.raises(ValidationError):
        budget_line_save(
            user=people["staff"],
            plan=plan,
            fiscal_year=2570,
            source="obec",
            item="x",
            planned=1,
            project=other.projects.first(),
        )
    with pytest.raises(ValidationError):
        budget_line_save(
            user=people["staff"], plan=plan, fiscal_year=2570, source="obec", item="x", planned=-1
        )


def test_spending_is_positive_and_a_spent_line_stays(people, line):
    with pytest.raises(ValidationError):
        spend(people, line, "0")
    spend(people, line, "10")
    with pytest.raises(ValidationError):
        budget_line_delete(user=people["staff"], line=line)
    assert BudgetLine.objects.filter(pk=line.pk).exists()


@pytest.mark.parametrize("role", ["school_user", "director", "deputy_director"])
def test_only_staff_and_group_head_keep_the_budget(people, plan, line, role):
    with pytest.raises(PermissionDenied):
        budget_line_save(
            user=people[role], plan=plan, fiscal_year=2570, source="obec", item="x", planned=1
        )
    with pytest.raises(PermissionDenied):
        spend({"staff": people[role]}, line, "1")


ROLES = [
    "anonymous",
    "school_user",
    "other_school_user",
    "school_director",
    "staff",
    "group_head",
    "deputy_director",
    "director",
    "admin",
    "outsider",
]


def codes(everyone, method, url, data=None, files=None):
    out = ""
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(everyone[role])
        payload = dict(data or {})
        if files:
            payload.update({k: receipt() for k in files})
        status = getattr(client, method)(url, payload).status_code
        out += {200: "2", 302: "3", 400: "B", 403: "4", 404: "N"}.get(status, "?")
    return out


def test_budget_pages_by_role(everyone, plan, line, people):
    url = reverse("workplans:budget", args=[plan.pk, 2570])
    assert codes(everyone, "get", url) == "3NNN22222N"
    # The PDF: its progress page for those who read the budget (rendered in the background).
    assert codes(everyone, "get", reverse("workplans:budget_pdf", args=[plan.pk, 2570])) == (
        "3NNN33333N"
    )
    data = {
        "action": "spending",
        "line": line.pk,
        "spent_on": "05/12/2569",
        "amount": "100",
        "note": "ค่าเอกสาร",
    }
    # Staff and the group head record (302); the admin is a superuser but not of the group.
    assert codes(everyone, "post", url, data, files=["evidence"]) == "3NNN33444N"
    assert budget_summary(plan, 2570).spent == Decimal("200")
    spending = line.spendings.first()
    evidence = reverse("workplans:spending_evidence", args=[plan.pk, spending.pk])
    assert codes(everyone, "get", evidence) == "3NNN22222N"


def test_budget_page_and_pdf_show_overspend_and_words(everyone, plan, line, people):
    spend(people, line, "12500.25")
    client = Client()
    client.force_login(people["director"])
    page = client.get(reverse("workplans:budget", args=[plan.pk, 2570])).content.decode()
    assert "data-overspent" in page and "-2,500.25" in page
    assert "ลบสองพันห้าร้อยบาทยี่สิบห้าสตางค์" in page
    pdf = fetch_pdf(client, reverse("workplans:budget_pdf", args=[plan.pk, 2570]))
    assert pdf.content.startswith(b"%PDF") and pdf.job.filename == f"plan-{plan.pk}-budget-2570.pdf"


def test_wrong_evidence_keeps_the_form(everyone, plan, line, people):
    client = Client()
    client.force_login(people["staff"])
    url = reverse("workplans:budget", args=[plan.pk, 2570])
    response = client.post(
        url,
        {
            "action": "spending",
            "line": line.pk,
            "spent_on": "05/12/2569",
            "amount": "100",
            "note": "ค่าเอกสารพิเศษ",
            "evidence": receipt("r.pdf", b"MZ"),
        },
    )
    assert response.status_code == 400 and "ค่าเอกสารพิเศษ" in response.content.decode()
    assert not line.spendings.exists()


def test_yearly_report_section_lists_the_budget_lines(people, plan, line):
    from workplans.report_providers import plans_section

    spend(people, line, "10500")
    section = plans_section(plan.office, 2570)
    block = next(b for b in section.blocks if b.key == f"plan-{plan.pk}")
    table = next(t for t in block.tables if t.title.startswith("งบประมาณตามรายการ"))
    assert table.rows[0][4] == "-500.00 (เกินงบ)"
    assert table.note == "คงเหลือ ลบห้าร้อยบาทถ้วน"
