"""UI tests: the page frame, login, per-role home pages, profile and translations.

The helpers below make people with the accounts services (one office, one school).
"""

from __future__ import annotations

import re

from accounts.models import Office, Role, RoleCode, School, User
from accounts.services import user_create

PASSWORD = "pass-1234-word"


def make_office() -> Office:
    return Office.objects.create(
        code="8001",
        name_th="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1",
        name_en="Test Primary Educational Service Area Office 1",
        short_name="สพป.ทดสอบ เขต 1",
        kind=Office.Kind.PRIMARY,
    )


def make_school(office: Office) -> School:
    return School.objects.create(
        office=office,
        obec_code="1080010001",
        smis_code="80010001",
        name_th="โรงเรียนบ้านทดสอบยูไอ",
        district="เมือง",
    )


def make_user(username: str, role: str, *, office: Office, school: School | None = None) -> User:
    return user_create(
        username=username,
        password=PASSWORD,
        office=office,
        school=school if role in (RoleCode.SCHOOL_USER, RoleCode.SCHOOL_DIRECTOR) else None,
        roles=[Role.objects.get(code=role)],
        title="นาย",
        first_name=f"ชื่อ{username}",
        last_name="ทดสอบ",
        is_superuser=role == RoleCode.ADMIN,
    )


def header_links(html: str) -> list[str]:
    """The href of every link in the page header (the navigation and the user menu)."""
    header = re.search(r"<header\b.*?</header>", html, re.S)
    assert header, "the page has no <header>"
    return re.findall(r'<a\b[^>]*\bhref="([^"#][^"]*|#[^"]+)"', header.group(0))


def nav_keys(html: str) -> list[str]:
    return re.findall(r'data-nav="([^"]+)"', html)
