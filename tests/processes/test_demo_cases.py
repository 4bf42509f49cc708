"""The demo gives every role something to look at, and running it twice adds nothing."""

import pytest
from django.core.management import call_command

from processes.models import Case, Task

pytestmark = pytest.mark.django_db


def test_demo_cases_are_created_once():
    call_command("load_catalogue", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_cases", verbosity=0)
    count = Case.objects.count()
    call_command("seed_demo_cases", verbosity=0)
    assert Case.objects.count() == count == 6
    waiting_roles = set(Task.objects.filter(status=Task.Status.OPEN).values_list("role", flat=True))
    assert {"director", "group_head", "staff"} <= waiting_roles
