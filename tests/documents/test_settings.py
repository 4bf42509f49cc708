"""Office document settings: edited in the portal by the office's administrator only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import RoleCode
from documents.models import OfficeDocumentSettings
from documents.selectors import settings_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db

GARUDA_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

VALUES = {
    "office_name": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1",
    "group_name": "กลุ่มส่งเสริมการศึกษาทางไกลฯ",
    "letter_code": "ศธ 04123",
    "group_suffix": "17",
    "telephone": "043 000 000",
    "addressee_title": "",
    "order_signer_position": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
}


def test_defaults_come_from_the_office_until_saved(office):
    current = settings_for(office)
    assert current.pk is None and current.office_name == office.name_th
    assert current.memo_addressee == f"ผู้อำนวยการ{office.name_th}"


@pytest.mark.parametrize(
    "role",
    ["school_user", "school_director", "staff", "group_head", "deputy_director", "director"],
)
def test_only_the_administrator_edits_them(client, office, people, role):
    client.force_login(people[role])
    assert client.get(reverse("documents:settings")).status_code == 403
    assert client.post(reverse("documents:settings"), VALUES).status_code == 403
    assert not OfficeDocumentSettings.objects.exists()


def test_administrator_saves_the_settings_and_a_garuda(client, office, people):
    admin = make_user(RoleCode.ADMIN, office=office, username="officeadmin")
    client.force_login(admin)
    assert client.get(reverse("documents:settings")).status_code == 200
    response = client.post(
        reverse("documents:settings"),
        {**VALUES, "garuda": SimpleUploadedFile("garuda.png", GARUDA_PNG, "image/png")},
    )
    assert response.status_code == 302
    saved = OfficeDocumentSettings.objects.get(office=office)
    assert saved.letter_prefix == "ศธ 04123.17"
    assert saved.garuda.name.endswith(".png")


def test_a_bad_letter_code_is_explained_and_nothing_is_lost(client, office, people):
    admin = make_user(RoleCode.ADMIN, office=office, username="officeadmin")
    client.force_login(admin)
    response = client.post(
        reverse("documents:settings"),
        {**VALUES, "letter_code": "04123", "garuda": SimpleUploadedFile("g.png", b"GIF89a")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ศธ 04123" in page  # the help of the error
    assert VALUES["group_name"] in page and "043 000 000" in page
    assert not OfficeDocumentSettings.objects.exists()
