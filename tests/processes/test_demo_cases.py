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
    # An appoint step's working group reads as people, so the demo's appointment order does too.
    from documents.orders import members_of

    groups = [members_of(case)[1] for case in Case.objects.all()]
    members = next(group for group in groups if group)
    assert [m["role"] for m in members] == ["ประธาน", "กรรมการ", "กรรมการและเลขานุการ"]
    assert all(m["name"].startswith("นา") and m["position"] for m in members)
