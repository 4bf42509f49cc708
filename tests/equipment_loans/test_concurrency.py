"""Two requests for the last free unit in the same instant: exactly one wins (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from equipment_loans.models import ItemCategory, Loan, LoanItem, LoanLine
from equipment_loans.services import Wanted, loan_request
from tests.equipment_loans.conftest import days


def request_together(requests):
    """Call loan_request for every (user, item, quantity) at the same moment."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, user, item, quantity):
        try:
            barrier.wait(timeout=10)
            loan_request(
                requester=user,
                kind=Loan.Kind.BORROW,
                school=user.school,
                wanted=[Wanted(item, quantity)],
                purpose="สอบ",
                starts_on=days(1),
                ends_on=days(2),
                pickup_place="ห้องกลุ่ม",
                return_place="ห้องกลุ่ม",
                contact_phone="081",
            )
            results[index] = "ok"
        except ValidationError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_requests_for_the_last_unit_exactly_one_wins(people, teacher_b, office, round_):
    tablets = LoanItem.objects.create(
        office=office, name="แท็บเล็ต", category=ItemCategory.TABLET, quantity=3
    )
    request_together([(people["staff"], tablets, 2)])  # two of three are already out
    results = request_together([(people["school_user"], tablets, 1), (teacher_b, tablets, 1)])
    assert results.count("ok") == 1, results
    (loser,) = [r for r in results if r != "ok"]
    assert isinstance(loser, ValidationError)
    held = sum(LoanLine.objects.filter(item=tablets, holds=True).values_list("quantity", flat=True))
    assert held == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_requests_for_one_projector_one_wins(people, teacher_b, office):
    projector = LoanItem.objects.create(
        office=office, name="โปรเจคเตอร์", category=ItemCategory.PROJECTOR
    )
    users = [people["school_user"], teacher_b, people["staff"], people["staff2"]]
    results = request_together([(user, projector, 1) for user in users])
    assert results.count("ok") == 1, results
    assert LoanLine.objects.filter(item=projector, holds=True).count() == 1
