"""Nothing happens twice, form by form: a double POST of each create form saves once and the
repeat shows the first result; forms sent by htmx are covered too (accounts.idempotency)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from django.urls import reverse

from processes.definitions import definition_import
from processes.models import Case
from repairs.models import TicketComment, WorkLog
from repairs.services import ticket_file
from tests.security import once_urls
from tests.workplans.factories import load_definitions
from workplans.models import Plan

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "processes"


def token() -> str:
    return secrets.token_hex(16)


def double_post(client, url, data, **headers):
    data = {**data, "form_token": token()}
    return client.post(url, data, **headers), client.post(url, data, **headers)


@pytest.fixture
def ticket(people, school):
    definition_import(json.loads((FIXTURES / "repair-ticket.json").read_text("utf-8")))
    return ticket_file(
        requester=people["school_user"],
        school=school,
        category="projector",
        symptom="เปิดไม่ติด",
        location="ห้อง ป.6",
        urgency="normal",
        contact_phone="081",
        serial_text="SN-0001",
    )


def assert_one_result(first, second, client):
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert "ส่งแบบฟอร์มนี้แล้ว" in client.get(second["Location"]).content.decode()


@pytest.mark.parametrize("role", ["school_user", "staff", "group_head"])
def test_a_double_submitted_ticket_comment_is_saved_once(client, people, ticket, role):
    client.force_login(people[role])
    url = reverse("repairs:comment", args=[ticket.reference])
    first, second = double_post(client, url, {"body": "ยังเปิดไม่ติดค่ะ"})
    assert_one_result(first, second, client)
    assert TicketComment.objects.filter(ticket=ticket, body="ยังเปิดไม่ติดค่ะ").count() == 1


def test_a_double_submitted_work_log_is_saved_once(client, people, ticket):
    client.force_login(people["staff"])
    url = reverse("repairs:work_log", args=[ticket.reference])
    data = {
        "worked_on": "03/12/2569",
        "minutes": "30",
        "action": "เปลี่ยนสาย",
        "parts": "",
        "parts_cost": "0",
    }
    first, second = double_post(client, url, data)
    assert first.status_code == 302, first.context["work_log_form"].errors
    assert_one_result(first, second, client)
    assert WorkLog.objects.filter(ticket=ticket).count() == 1


def test_a_double_submitted_plan_is_created_once(client, people, office):
    load_definitions("digital-tech-plan")
    client.force_login(people["staff"])
    data = {
        "kind": "digital_quality",
        "title": "แผนกดสองครั้ง",
        "fiscal_year_start": 2570,
        "fiscal_year_end": 2570,
    }
    first, second = double_post(client, reverse("workplans:new"), data)
    assert_one_result(first, second, client)
    assert Plan.objects.filter(title="แผนกดสองครั้ง").count() == 1


def test_a_double_submitted_case_start_starts_one_case(client, people, plan_definition):
    client.force_login(people["staff"])
    url = reverse("processes:start", args=[plan_definition.code])
    first, second = double_post(client, url, {"title": "เรื่องเดียว"})
    assert_one_result(first, second, client)
    assert Case.objects.filter(title="เรื่องเดียว").count() == 1


# Forms sent by htmx --------------------------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/tickets/R-1/"}


@pytest.fixture
def htmx_views(settings):
    settings.ROOT_URLCONF = "tests.security.once_urls"
    once_urls.CREATED.clear()
    return once_urls.CREATED


def test_an_htmx_form_sent_twice_saves_once_and_reloads_the_page(client, people, htmx_views):
    client.force_login(people["school_user"])
    first, second = double_post(client, "/comment/", {"body": "ขอบคุณค่ะ"}, **HTMX)
    assert first.status_code == 200 and "ขอบคุณค่ะ" in first.content.decode()
    assert second.status_code == 204
    assert second["HX-Redirect"] == "http://testserver/tickets/R-1/"
    assert htmx_views == ["ขอบคุณค่ะ"]


def test_an_htmx_repeat_is_never_sent_to_another_site(client, people, htmx_views):
    client.force_login(people["school_user"])
    headers = {**HTMX, "HTTP_HX_CURRENT_URL": "https://evil.example/phish"}
    _first, second = double_post(client, "/comment/", {"body": "x"}, **headers)
    assert second.status_code == 204 and second["HX-Redirect"] == "/"
    assert htmx_views == ["x"]


def test_an_htmx_preview_that_saves_nothing_keeps_its_token_free(client, people, htmx_views):
    """The process designer posts its form on every change to redraw its picture: the real
    submit that follows, with the same token, must still run."""
    client.force_login(people["staff"])
    form_token = token()
    for _ in range(2):
        response = client.post("/preview/", {"form_token": form_token}, **HTMX)
        assert response.status_code == 200 and "<svg>" in response.content.decode()
    created = client.post("/comment/", {"body": "บันทึกจริง", "form_token": form_token}, **HTMX)
    assert created.status_code == 200
    assert htmx_views == ["บันทึกจริง"]
