"""The large-data generator: believable, consistent and reproducible from its seed."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from accounts.models import Office, User
from dmc_emis.models import Round, RoundSchool
from equipment_loans.models import Loan
from processes.models import Case, CaseEvent, ReferenceCounter, Task
from repairs.models import RepairTicket

pytestmark = pytest.mark.django_db


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_data", schools=6, cases=300, years=2, batch=120, stdout=out, **options)
    return out.getvalue()


def test_it_fills_an_office_with_consistent_work():
    summary = generate(seed=7)
    office = Office.objects.get(code="GEN1")
    assert office.schools.count() == 6
    assert User.objects.filter(office=office, school__isnull=False).count() == 12
    cases = Case.objects.filter(office=office)
    assert cases.count() == 300 and "300 cases" in summary
    assert cases.values("version__definition").distinct().count() > 10
    assert cases.values("fiscal_year").distinct().count() >= 2
    # Every case has its start; finished ones are closed and have no open task.
    assert CaseEvent.objects.filter(kind="started").count() == 300
    closed = cases.exclude(state=Case.State.RUNNING)
    assert not closed.filter(closed_at__isnull=True).exists()
    assert not Task.objects.filter(case__in=closed, status=Task.Status.OPEN).exists()
    running = cases.filter(state=Case.State.RUNNING).annotate(
        open=Count("tasks", filter=Q(tasks__status=Task.Status.OPEN))
    )
    assert all(case.open == 1 for case in running)
    # Domain rows follow their cases, and new cases continue the numbering.
    repair_cases = cases.filter(version__definition__code="repair-ticket")
    assert RepairTicket.objects.filter(office=office).count() == repair_cases.count() > 0
    assert Loan.objects.filter(office=office).count() > 0
    rounds = Round.objects.filter(office=office)
    assert rounds.count() >= 3
    assert RoundSchool.objects.filter(round__office=office).count() == 6 * rounds.count()
    assert not cases.filter(version__definition__code="dmc-round").exists()
    last = ReferenceCounter.objects.get(prefix="RP", fiscal_year=repair_cases.first().fiscal_year)
    assert last.last_number >= repair_cases.filter(fiscal_year=last.fiscal_year).count()


def test_the_same_seed_gives_the_same_data():
    def snapshot():
        return list(
            Case.objects.filter(office__code="GEN1")
            .order_by("reference")
            .values_list("reference", "title", "state", "school__obec_code")
        )

    generate(seed=11)
    first = snapshot()
    ReferenceCounter.objects.all().delete()
    generate(seed=11)  # replaces the office
    assert snapshot() == first
    assert Office.objects.filter(code="GEN1").count() == 1
