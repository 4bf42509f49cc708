"""Nothing happens twice: every form carries a one-time token; a double submit shows the
first result instead of filing again (accounts.idempotency)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import FormSubmission
from processes.definitions import definition_import
from repairs.models import RepairTicket

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "processes" / "repair-ticket.json"


@pytest.fixture(autouse=True)
def repair_process(db):
    definition_import(json.loads(FIXTURE.read_text("utf-8")))


TICKET = {
    "category": "computer",
    "symptom": "เปิดไม่ติด",
    "location": "ห้องคอม",
    "urgency": "normal",
    "contact_phone": "0812345678",
    "asset_number_text": "7440-1",
}


def tokens(html: str) -> list[str]:
    return re.findall(r'name="form_token" value="([0-9a-f]{32})"', html)


def test_every_post_form_carries_its_own_token(client, people):
    client.force_login(people["school_user"])
    page = client.get(reverse("repairs:new")).content.decode()
    found = tokens(page)
    assert found and len(found) == page.count('name="csrfmiddlewaretoken"')
    assert len(set(found)) == len(found)
    again = tokens(client.get(reverse("repairs:new")).content.decode())
    assert not set(found) & set(again)


def test_a_double_submit_files_one_ticket_and_shows_it(client, people, school):
    client.force_login(people["school_user"])
    token = tokens(client.get(reverse("repairs:new")).content.decode())[-1]
    data = {**TICKET, "school": school.pk, "form_token": token}
    first = client.post(reverse("repairs:new"), data)
    second = client.post(reverse("repairs:new"), data)
    ticket = RepairTicket.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == ticket.get_absolute_url()
    shown = client.get(second["Location"]).content.decode()
    assert "ส่งแบบฟอร์มนี้แล้ว" in shown


def test_a_form_with_errors_frees_its_token_for_the_corrected_one(client, people, school):
    client.force_login(people["school_user"])
    token = tokens(client.get(reverse("repairs:new")).content.decode())[-1]
    wrong = client.post(reverse("repairs:new"), {**TICKET, "location": "", "form_token": token})
    assert wrong.status_code == 200 and not RepairTicket.objects.exists()
    right = client.post(
        reverse("repairs:new"), {**TICKET, "school": school.pk, "form_token": token}
    )
    assert right.status_code == 302 and RepairTicket.objects.count() == 1


def test_a_token_of_someone_else_does_not_reveal_their_result(client, people, school):
    client.force_login(people["school_user"])
    token = tokens(client.get(reverse("repairs:new")).content.decode())[-1]
    client.post(reverse("repairs:new"), {**TICKET, "school": school.pk, "form_token": token})
    client.force_login(people["school_director"])
    response = client.post(
        reverse("repairs:new"), {**TICKET, "school": school.pk, "form_token": token}
    )
    assert response.status_code == 400
    assert RepairTicket.objects.count() == 1
    assert FormSubmission.objects.get(token=token).user == people["school_user"]
