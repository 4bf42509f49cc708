"""A step's required attachments get their own file inputs in the task panel (only the cells of
table fields are laid out separately), so they can be uploaded from the case page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from processes.definitions import definition_import
from processes.services import case_start

pytestmark = pytest.mark.django_db

PROCESS = {
    "code": "needs-an-order",
    "title_th": "ต้องแนบคำสั่ง",
    "area": "plans",
    "steps": [
        {
            "key": "appoint",
            "name_th": "แต่งตั้งคณะทำงาน",
            "kind": "task",
            "responsible": "staff",
            "attachments": ["คำสั่งแต่งตั้ง/คณะทำงาน"],
        },
        {"key": "end", "name_th": "สิ้นสุด", "kind": "end"},
    ],
    "transitions": [{"from": "appoint", "outcome": "done", "to": "end"}],
}


def test_required_attachment_is_an_input_of_the_panel_and_can_be_sent(client, people):
    definition = definition_import(PROCESS).definition
    case = case_start(definition=definition, requester=people["staff"], title="ทดสอบ")
    client.force_login(people["staff"])
    page = client.get(case.get_absolute_url()).text
    assert 'type="file" name="attachment__คำสั่งแต่งตั้ง/คณะทำงาน"' in page
    task = case.tasks.get()
    upload = SimpleUploadedFile("order.pdf", b"%PDF-1.4", "application/pdf")
    response = client.post(
        reverse("processes:decide", args=[task.pk]),
        {"outcome": "done", "attachment__คำสั่งแต่งตั้ง/คณะทำงาน": upload},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.is_open
