"""Small holes closed: B.E. dates in the admin, formula-safe admin exports, attachments as
downloads, no-store on personal pages, no usable fallback secret key, no debug page in the
demo, tests that keep off the demo's broker and database."""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import tablib
from django.conf import settings
from django.contrib import admin
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export.mixins import BaseExportMixin

from accounts.middleware import AuthenticationMiddleware, SecurityHeadersMiddleware
from accounts.models import Delegation
from core.spreadsheets import SafeCSV, SafeXLSX
from tests.factories import get_role, make_user

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


# Buddhist-era dates in the admin -----------------------------------------------------------


@pytest.fixture
def admin_client(client, office):
    client.force_login(make_user("admin", office=office, is_superuser=True, username="root"))
    return client


def test_admin_lists_and_forms_show_buddhist_era_dates(admin_client, people):
    delegation = Delegation.objects.create(
        principal=people["director"],
        delegate=people["deputy_director"],
        role=get_role("director"),
        starts_on=datetime.date(2026, 12, 3),
        ends_on=datetime.date(2026, 12, 10),
        order_number="5/2569",
    )
    listing = admin_client.get(reverse("admin:accounts_delegation_changelist")).content.decode()
    assert "3 ธ.ค. 2569" in listing and "10 ธ.ค. 2569" in listing
    assert "Dec. 3, 2026" not in listing and "2026" not in listing.split("<tbody>")[1]
    form = admin_client.get(reverse("admin:accounts_delegation_change", args=[delegation.pk]))
    assert 'value="03/12/2569"' in form.content.decode()
    # A B.E. date typed in an admin form is read as B.E.
    response = admin_client.post(
        reverse("admin:accounts_delegation_change", args=[delegation.pk]),
        {
            "principal": people["director"].pk,
            "delegate": people["deputy_director"].pk,
            "role": get_role("director").pk,
            "kind": Delegation.Kind.ACTING,
            "starts_on": "03/12/2569",
            "ends_on": "20/12/2569",
            "order_number": "5/2569",
        },
    )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.ends_on == datetime.date(2026, 12, 20)


# Formula injection in every admin export --------------------------------------------------


def test_every_admin_export_goes_through_the_safe_formats():
    exporting = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, BaseExportMixin)
    ]
    assert exporting, "the admin has exports (schools, assets, loans)"
    for model_admin in exporting:
        for export_format in model_admin.get_export_formats():
            assert issubclass(export_format, SafeXLSX | SafeCSV), (model_admin, export_format)


def test_the_safe_formats_keep_formulas_as_text():
    dataset = tablib.Dataset(headers=["ชื่อ"])
    dataset.append(['=HYPERLINK("http://evil.example","คลิก")'])
    dataset.append(["+1+1"])
    csv_text = SafeCSV().export_data(dataset).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+1+1" in csv_text
    sheet = openpyxl.load_workbook(io.BytesIO(SafeXLSX().export_data(dataset))).active
    assert sheet["A2"].data_type == "s"


# Attachments, nosniff and no-store ----------------------------------------------------------


def test_attachments_are_downloads_with_nosniff_and_no_store(scenario, client_for):
    urls = [
        reverse("repairs:attachment", args=[scenario["ticket_file"].pk]),
        reverse("processes:attachment", args=[scenario["task_file"].pk]),
        reverse(
            "workplans:attachment",
            kwargs={"pk": scenario["plan"].pk, "attachment_pk": scenario["plan_file"].pk},
        ),
    ]
    staff = client_for("staff")
    for url in urls:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment"), url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]


def test_signed_in_pages_are_not_stored(client, people):
    client.force_login(people["school_user"])
    for name in ("portal:home", "repairs:index", "accounts:profile"):
        cache_control = client.get(reverse(name))["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control


def test_an_answer_made_without_the_session_is_not_read_for_the_user(client, people):
    """No-store follows whether the answer was made for the person: one that never read the
    session is the same for everyone, and asking would cost two queries on every request."""
    client.force_login(people["school_user"])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    def answer(view):
        request = RequestFactory().get("/")
        request.COOKIES[settings.SESSION_COOKIE_NAME] = cookie
        SessionMiddleware(view).process_request(request)
        AuthenticationMiddleware(view).process_request(request)
        with CaptureQueriesContext(connection) as queries:
            response = SecurityHeadersMiddleware(view)(request)
        return response, len(queries)

    same_for_all, queries = answer(lambda request: HttpResponse("ok"))
    assert "Cache-Control" not in same_for_all and queries == 0
    personal, _queries = answer(lambda request: HttpResponse(request.user.display_name))
    assert personal.content.decode() == people["school_user"].display_name
    assert "no-store" in personal["Cache-Control"] and "private" in personal["Cache-Control"]


# Secret key, demo without DEBUG, tests off the demo's files --------------------------------


def _settings_probe(**env_changes) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PORTAL_"))
    }
    env.update(env_changes)
    probe = "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_probe(DJANGO_SETTINGS_MODULE="config.settings")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_only_commands_that_read_the_code_run_without_keys():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"

    def manage(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "manage.py", *args]
        return subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )

    checked = manage("makemigrations", "--check", "--dry-run")
    assert checked.returncode == 0, checked.stderr
    for serving in (["migrate", "--plan"], ["showmigrations"]):
        refused = manage(*serving)
        assert refused.returncode != 0 and "DJANGO_SECRET_KEY is not set" in refused.stderr


def test_the_demo_starts_without_a_key_and_never_with_debug():
    result = _settings_probe(
        DJANGO_SETTINGS_MODULE="config.settings", PORTAL_DEMO="true", DJANGO_DEBUG="true"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"
    assert "export DJANGO_DEBUG=false" in (ROOT / "run.sh").read_text()


def test_tests_use_their_own_broker_folder_and_database():
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        demo_broker = str(settings.VAR_DIR / "celery-broker")
        assert not options["data_folder_in"].startswith(demo_broker)
        assert "test-celery-broker" in options["data_folder_in"]
    database = settings.DATABASES["default"]["NAME"]
    assert database != str(settings.VAR_DIR / "db.sqlite3")


# Bounded request bodies ---------------------------------------------------------------------


def test_a_body_above_the_limit_is_refused_in_thai_before_it_is_read(client, people, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    client.force_login(people["school_user"])
    response = client.generic(
        "POST",
        reverse("repairs:new"),
        data=b"x" * (1024 * 1024 + 1),
        content_type="application/octet-stream",
    )
    assert response.status_code == 413
    assert "1 MB" in response.content.decode()
    assert "ใหญ่เกิน" in response.content.decode()
    # A body under the limit reaches the view as usual.
    small = client.generic(
        "POST", reverse("repairs:new"), data=b"x=1", content_type="application/octet-stream"
    )
    assert small.status_code != 413
