"""The traffic-log retention register: the 90-day rule, monthly checks with evidence, the
daily pass (reminders, missed checks to the group head, idempotent), who may do what, and the
register in the data-security case's dossier and the yearly report."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import Office, Role, RoleCode
from accounts.services import user_create
from log_register.models import LogCheck, LogSource
from log_register.services import check_record, check_reminder_pass, source_save
from processes.models import Notification
from tests.factories import make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20
CATALOGUE = Path(__file__).resolve().parents[2] / "fixtures" / "processes"


def evidence(name="screen.png", content=PNG):
    return SimpleUploadedFile(name, content, "image/png")


@pytest.fixture
def source(people):
    return source_save(
        user=people["staff"],
        name="Firewall FortiGate สพป.",
        kind="firewall",
        kept_at="Syslog NAS ห้อง server",
        retention_days=90,
        responsible=people["staff2"],
        check_due_day=25,
    )


@pytest.fixture
def outsider(db):
    office = Office.objects.create(code="9998", name_th="สพป.อื่น", kind=Office.Kind.PRIMARY)
    return user_create(
        username="out", password="x", office=office, roles=[Role.objects.get(code="staff")]
    )


# --- the register --------------------------------------------------------------------------


def test_retention_below_90_days_is_refused_in_thai(people, source):
    with pytest.raises(ValidationError) as error:
        source_save(user=people["staff"], source=source, retention_days=89)
    assert "90" in error.value.message_dict["retention_days"][0]
    source.refresh_from_db()
    assert source.retention_days == 90
    with pytest.raises(IntegrityError), transaction.atomic():
        LogSource.objects.filter(pk=source.pk).update(retention_days=30)


def test_the_responsible_person_is_one_of_the_office(people, source, outsider):
    for person in (people["school_user"], outsider):
        with pytest.raises(ValidationError):
            source_save(user=people["staff"], source=source, responsible=person)


@pytest.mark.parametrize("role", ["school_user", "school_director", "director", "deputy_director"])
def test_only_staff_and_group_head_keep_the_register(people, role, source):
    with pytest.raises(PermissionDenied):
        source_save(
            user=people[role],
            name="x",
            kind="proxy",
            kept_at="x",
            retention_days=90,
            responsible=people["staff"],
        )
    with pytest.raises(PermissionDenied):
        check_record(
            user=people[role],
            source=source,
            month=datetime.date(2026, 12, 1),
            checked_on=datetime.date(2026, 12, 3),
            result="complete",
            evidence=evidence(),
        )


def test_one_check_a_month_and_problems_need_a_note(people, source):
    check = check_record(
        user=people["group_head"],
        source=source,
        month=datetime.date(2026, 12, 17),
        checked_on=datetime.date(2026, 12, 20),
        result="complete",
        oldest_log_on=datetime.date(2026, 9, 1),
        evidence=evidence(),
    )
    assert check.month == datetime.date(2026, 12, 1) and check.month_label == "ธ.ค. 2569"
    with pytest.raises(ValidationError) as error:
        check_record(
            user=people["staff"],
            source=source,
            month=datetime.date(2026, 12, 1),
            checked_on=datetime.date(2026, 12, 21),
            result="complete",
            evidence=evidence(),
        )
    assert "month" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        check_record(
            user=people["staff"],
            source=source,
            month=datetime.date(2027, 1, 1),
            checked_on=datetime.date(2027, 1, 21),
            result="gaps",
            evidence=evidence(),
        )
    assert "note" in error.value.message_dict


# --- the daily pass ------------------------------------------------------------------------


def _notices(kind):
    return list(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def test_daily_pass_reminds_before_due_and_reports_a_missed_check_once(people, source):
    LogSource.objects.filter(pk=source.pk).update(
        created_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    )
    assert check_reminder_pass(today=datetime.date(2026, 12, 21)) == {"reminded": 0, "missed": 1}
    # November was never checked: the group head (and the responsible person) hear of it.
    assert sorted(_notices("log_check_missed")) == ["head", "staff2"]
    assert check_reminder_pass(today=datetime.date(2026, 12, 22)) == {"reminded": 1, "missed": 0}
    assert _notices("log_check_due") == ["staff2"]
    before = Notification.objects.count()
    assert check_reminder_pass(today=datetime.date(2026, 12, 22)) == {"reminded": 0, "missed": 0}
    assert check_reminder_pass(today=datetime.date(2026, 12, 23)) == {"reminded": 0, "missed": 0}
    assert Notification.objects.count() == before
    assert check_reminder_pass(today=datetime.date(2026, 12, 26))["missed"] == 1
    assert (
        "Firewall FortiGate" in Notification.objects.filter(kind="log_check_missed").last().subject
    )


def test_a_recorded_check_silences_the_pass(people, source):
    LogSource.objects.filter(pk=source.pk).update(
        created_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    )
    for month in (datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)):
        check_record(
            user=people["staff"],
            source=source,
            month=month,
            checked_on=month + datetime.timedelta(days=20),
            result="complete",
            evidence=evidence(),
        )
    assert check_reminder_pass(today=datetime.date(2026, 12, 30)) == {"reminded": 0, "missed": 0}
    assert not Notification.objects.exists()


def test_a_source_added_after_the_due_day_is_not_missed_that_month(people, source):
    # Created "today" (after 25 Nov): November is not reported.
    counts = check_reminder_pass(today=datetime.date(2026, 12, 3))
    assert counts == {"reminded": 0, "missed": 0}


def test_an_inactive_source_is_not_reminded(people, source):
    source_save(user=people["staff"], source=source, is_active=False)
    assert check_reminder_pass(today=datetime.date(2026, 12, 24)) == {"reminded": 0, "missed": 0}


# --- pages by role -------------------------------------------------------------------------


ROLES = [
    "anonymous",
    "school_user",
    "school_director",
    "staff",
    "group_head",
    "deputy_director",
    "director",
    "admin",
    "outsider",
]


@pytest.fixture
def users(people, outsider, office):
    admin = make_user(RoleCode.ADMIN, office=office, username="admin9")
    return {**people, "admin": admin, "outsider": outsider}


def row(users, method, url, data=None):
    out = ""
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        response = getattr(client, method)(url, data or {})
        out += {200: "2", 302: "3", 400: "B", 403: "4", 404: "N"}.get(response.status_code, "?")
    return out


def test_pages_by_role(users, source):
    assert row(users, "get", reverse("log_register:index")) == "344222222"
    assert row(users, "get", reverse("log_register:new")) == "344224442"
    assert row(users, "get", reverse("log_register:edit", args=[source.pk])) == "34422444N"
    assert row(users, "get", reverse("log_register:source", args=[source.pk])) == "34422222N"
    # A check posted by every role: only staff and the group head record (the second is
    # refused as a duplicate month, with the form kept: 400).
    url = reverse("log_register:source", args=[source.pk])
    data = {"month": "01/12/2569", "checked_on": "03/12/2569", "result": "complete"}
    codes = ""
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        codes += str(client.post(url, {**data, "evidence": evidence()}).status_code)[0]
    assert codes == "344344444"
    check = LogCheck.objects.get()
    assert row(users, "get", reverse("log_register:evidence", args=[check.pk])) == "34422222N"


def test_new_source_form_refuses_89_days_and_keeps_the_input(users):
    client = Client()
    client.force_login(users["staff"])
    response = client.post(
        reverse("log_register:new"),
        {
            "name": "Proxy Squid",
            "kind": "proxy",
            "kept_at": "VM log01",
            "retention_days": "89",
            "responsible": users["staff"].pk,
            "check_due_day": "25",
            "is_active": "on",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "อย่างน้อย 90 วัน" in body and "Proxy Squid" in body and "VM log01" in body
    assert not LogSource.objects.exists()


def test_evidence_must_be_what_its_name_says(users, source):
    client = Client()
    client.force_login(users["staff"])
    url = reverse("log_register:source", args=[source.pk])
    data = {
        "month": "01/12/2569",
        "checked_on": "03/12/2569",
        "result": "complete",
        "evidence": evidence("fake.pdf", b"MZ\x90\x00"),
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "ไม่ใช่ไฟล์ PDF" in response.content.decode()
    assert not LogCheck.objects.exists()


def test_the_register_is_in_the_data_security_dossier_and_yearly_report(users, source, office):
    from core.registry import section_providers
    from processes.definitions import definition_import
    from processes.services import case_start
    from reports.selectors import build_dossier

    definition = definition_import(
        json.loads((CATALOGUE / "data-security.json").read_text("utf-8"))
    ).definition
    case = case_start(definition=definition, requester=users["staff"], title="ความปลอดภัยข้อมูล")
    section = next(s for s in build_dossier(case).sections if s.key == "log_register")
    assert section.tables[0].rows[0][0].startswith("Firewall FortiGate")
    assert section.tables[0].rows[0][2] == 90
    provider = dict(section_providers())["log_register"]
    yearly = provider(office, 2570)
    assert yearly.tables[0].rows[0][2] == 90
