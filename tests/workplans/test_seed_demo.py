from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from workplans.models import Plan, SpecItem, Survey

pytestmark = pytest.mark.django_db


def test_demo_plans_are_created_once_and_one_is_public():
    call_command("load_catalogue", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_workplans", verbosity=0)
    call_command("seed_demo_workplans", verbosity=0)
    assert Plan.objects.count() == 2
    assert Survey.objects.filter(status=Survey.Status.OPEN).count() == 1
    assert SpecItem.objects.count() == 5
    approved = Plan.objects.get(status=Plan.Status.APPROVED)
    response = Client().get(reverse("workplans:public", args=[approved.public_slug]))
    assert response.status_code == 200
