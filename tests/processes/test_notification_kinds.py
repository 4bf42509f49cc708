"""The admin's outbox names each kind of notification in Thai, never by its code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from processes.models import Notification
from processes.notification_kinds import KIND_LABELS, kind_label
from processes.services import notify
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ["processes", "workplans", "repairs", "equipment_loans", "dmc_emis", "log_register"]
APPS += ["minutes", "reports", "trainings", "documents", "line_messaging", "accounts"]
CALL = re.compile(r"\b(?:notify|Notice)\(")
KIND = re.compile(r"\bkind=(f?\"[a-z_{}]+\"|[\w.]+)")


def kinds_queued_by_the_code() -> set[str]:
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text("utf-8")
            for call in CALL.finditer(text):
                kind = KIND.search(text, call.end(), call.end() + 1500)
                assert kind, f"{path}: a call without kind= nearby"
                found.add(kind[1])
    # kind=variable passes a kind through (bulk notices): the literal ones are what counts.
    found = {k.removeprefix("f").strip('"') for k in found if k.startswith(('f"', '"'))}
    found |= {"daily_digest"}  # written by the daily pass with get_or_create, not notify
    return {k.replace("{outcome}", o) for k in found for o in ("return", "reject")}


def test_every_kind_the_code_queues_has_a_thai_name():
    kinds = kinds_queued_by_the_code()
    assert len(kinds) > 15, kinds
    assert kinds <= set(KIND_LABELS), kinds - set(KIND_LABELS)
    for kind in KIND_LABELS:
        assert re.search(r"[\u0e00-\u0e7f]", kind_label(kind)), kind


@pytest.mark.django_db
def test_the_outbox_list_shows_kinds_by_name(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    notify(recipients=[root], kind="loan_due", subject="คืนโปรเจคเตอร์", dedupe="k1")
    notify(recipients=[root], kind="made_up_kind", subject="อื่น ๆ", dedupe="k2")
    client.force_login(root)
    html = client.get(reverse("admin:processes_notification_changelist")).content.decode()
    assert "ใกล้กำหนดคืนวัสดุอุปกรณ์" in html  # the column and the filter
    assert "การแจ้งเตือนอื่น (made_up_kind)" in html
    assert ">loan_due<" not in html
    filtered = client.get(reverse("admin:processes_notification_changelist") + "?kind=loan_due")
    assert list(filtered.context["cl"].queryset.values_list("kind", flat=True)) == ["loan_due"]
    page = client.get(
        reverse("admin:processes_notification_change", args=[Notification.objects.first().pk])
    )
    assert page.status_code == 200
