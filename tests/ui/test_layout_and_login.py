"""The page frame, the login page and the language switch."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import RoleCode
from tests.ui import PASSWORD, make_office, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return make_user("staff_ui", RoleCode.STAFF, office=make_office())


def test_login_page_is_thai_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.text
    assert '<html lang="th">' in html
    assert "เข้าสู่ระบบ" in html
    assert "ชื่อผู้ใช้" in html and "รหัสผ่าน" in html
    assert 'name="viewport"' in html
    # Vendored assets only: nothing is loaded from another host.
    assert "vendor/bootstrap/css/bootstrap.min.css" in html
    assert "django_htmx/htmx-2" in html
    assert "https://" not in html.split("<body", 1)[0]


def test_language_switch_to_english_and_back(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("accounts:login")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    html = client.get(reverse("accounts:login")).text
    assert '<html lang="en">' in html
    assert "Log in" in html and "เข้าสู่ระบบ" not in html

    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert '<html lang="th">' in client.get(reverse("accounts:login")).text


def test_language_switch_buttons_post_to_set_language(client, staff):
    client.force_login(staff)
    html = client.get(reverse("portal:home")).text
    assert f'id="language-form" action="{reverse("set_language")}" method="post"' in html
    assert 'form="language-form" name="language" value="en"' in html
    assert '<input type="hidden" name="next" value="/">' in html


def test_bad_login_keeps_the_username_and_explains_in_thai(client, staff):
    response = client.post(reverse("accounts:login"), {"username": "staff_ui", "password": "wrong"})
    assert response.status_code == 200
    html = response.text
    assert 'value="staff_ui"' in html
    assert "alert-danger" in html
    # Our catalogue's wording, not Django's own Thai ("กรุณาใส่ ... ที่ถูกต้อง").
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in html


def test_good_login_goes_home(client, staff):
    response = client.post(
        reverse("accounts:login"), {"username": "staff_ui", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_logged_in_user_is_sent_home_from_the_login_page(client, staff):
    client.force_login(staff)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302


def test_anonymous_home_redirects_to_login(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_logout_is_a_post(client, staff):
    client.force_login(staff)
    html = client.get(reverse("portal:home")).text
    assert f'id="logout-form" action="{reverse("accounts:logout")}" method="post"' in html
    assert 'form="logout-form"' in html
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("portal:home")).status_code == 302


def test_page_frame_carries_htmx_csrf_header_and_responsive_nav(client, staff):
    client.force_login(staff)
    html = client.get(reverse("portal:home")).text
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert 'class="navbar-toggler"' in html
    assert 'data-bs-target="#portal-menu"' in html


def test_the_pages_own_forms_come_before_any_header_form(client):
    """Journeys click the first form button on a page: the header must not hold one."""
    html = client.get(reverse("accounts:login")).text
    header = html.split("</header>", 1)[0]
    assert "<form" not in header


def test_demo_logins_are_listed_only_in_demo_mode(client, settings):
    settings.DEMO_MODE = False
    assert "demo1234" not in client.get(reverse("accounts:login")).text
    settings.DEMO_MODE = True
    html = client.get(reverse("accounts:login")).text
    pytest.importorskip("accounts.demo")
    for username in ("admin", "director", "grouphead", "staff1", "school1", "schooldir1"):
        assert f'data-demo-username="{username}"' in html
    assert "demo1234" in html


def test_error_pages_are_thai(client, staff):
    client.force_login(staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.text
    assert '<html lang="th">' in response.text


def test_500_page_renders_without_a_request_context():
    from django.template.loader import get_template

    html = get_template("500.html").render()
    assert "ระบบขัดข้อง" in html


def test_403_page_is_thai(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/x/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "คุณไม่มีสิทธิ์เข้าถึงหน้านี้" in response.content.decode()


def test_an_english_browser_still_gets_thai(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="th"' in response.text


def test_the_language_switch_is_what_turns_english_on(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="th")
    assert 'lang="en"' in response.text
