"""The school map: locations set by the office and confirmed by the school, markers coloured
by open repair tickets or a data round's status, the same schools as a list, and no tile
request unless a tile URL is configured."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Office, Role, RoleCode, School
from accounts.services import user_create
from school_map.models import SchoolLocation
from school_map.services import location_confirm, location_set
from tests.factories import make_user


@pytest.fixture
def other_school(office):
    return School.objects.create(
        office=office,
        obec_code="1090010002",
        smis_code="90010002",
        name_th="รร.บ้านเหนือ",
        district="เมือง",
    )


@pytest.fixture
def placed(people, school, other_school):
    location_set(
        user=people["staff"],
        school=school,
        latitude=Decimal("19.910001"),
        longitude=Decimal("99.840002"),
    )
    location_set(
        user=people["group_head"],
        school=other_school,
        latitude=Decimal("19.5"),
        longitude=Decimal("99.5"),
    )
    return school


def points(response):
    body = response.content.decode()
    start = body.index('<script id="map-points" type="application/json">') + len(
        '<script id="map-points" type="application/json">'
    )
    return json.loads(body[start : body.index("</script>", start)])


def test_office_sets_school_confirms_and_a_move_needs_confirming_again(people, school, placed):
    with pytest.raises(PermissionDenied):
        location_set(
            user=people["school_user"],
            school=school,
            latitude=Decimal("19"),
            longitude=Decimal("99"),
        )
    with pytest.raises(PermissionDenied):
        location_confirm(user=people["staff"], school=school)
    location_confirm(user=people["school_director"], school=school)
    assert SchoolLocation.objects.get(school=school).is_confirmed
    location_set(
        user=people["staff"],
        school=school,
        latitude=Decimal("19.910001"),
        longitude=Decimal("99.840002"),
    )
    assert SchoolLocation.objects.get(school=school).is_confirmed  # same place: still confirmed
    location_set(
        user=people["staff"], school=school, latitude=Decimal("19.92"), longitude=Decimal("99.84")
    )
    assert not SchoolLocation.objects.get(school=school).is_confirmed


def test_a_swapped_or_foreign_coordinate_is_refused(people, school):
    with pytest.raises(ValidationError):
        location_set(
            user=people["staff"],
            school=school,
            latitude=Decimal("99.84"),
            longitude=Decimal("19.91"),
        )
    assert not SchoolLocation.objects.exists()


def test_map_markers_come_from_the_database_coloured_by_open_tickets(
    people, school, placed, other_school
):
    from processes.definitions import definition_import
    from repairs.services import ticket_file

    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "processes"
    definition_import(json.loads((fixtures / "repair-ticket.json").read_text("utf-8")))
    for _n in range(3):
        ticket_file(
            requester=people["school_user"],
            school=school,
            category="projector",
            symptom="เปิดไม่ติด",
            location="ห้อง",
            urgency="normal",
            contact_phone="081",
            serial_text=f"SN-{_n}",
        )
    client = Client()
    client.force_login(people["staff"])
    response = client.get(reverse("school_map:index"))
    data = {p["code"]: p for p in points(response)}
    assert data[school.obec_code]["lat"] == pytest.approx(19.910001)
    assert data[school.obec_code]["colour"] == "#D55E00"  # 3 open tickets: red
    assert data[other_school.obec_code]["colour"] == "#009E73"
    body = response.content.decode()
    # The list carries the same schools for screen readers and phones.
    assert f'data-school="{school.obec_code}"' in body and "3 " in body
    # No tile server configured: the page names no outside address.
    assert 'data-tile-url=""' in body and "openstreetmap" not in body.split("<main")[1]


def test_map_coloured_by_a_rounds_status(people, school, placed, other_school, office):
    import json as _json

    from dmc_emis.models import Round, RoundSchool
    from dmc_emis.services import round_open
    from processes.definitions import definition_import

    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "processes"
    for code in ("dmc-round", "dmc-round-ack"):
        definition_import(_json.loads((fixtures / f"{code}.json").read_text("utf-8")))
    data_round = Round.objects.create(
        office=office,
        kind="dmc_term2",
        academic_year=2569,
        title="DMC 2/2569",
        opens_on=timezone.localdate() - datetime.timedelta(days=1),
        deadline_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    round_open(round_=data_round, user=people["staff"])
    RoundSchool.objects.filter(round=data_round, school=school).update(status="certified")
    client = Client()
    client.force_login(people["director"])
    response = client.get(reverse("school_map:index"), {"layer": "round", "round": data_round.pk})
    data = {p["code"]: p for p in points(response)}
    assert data[school.obec_code]["colour"] == "#009E73"
    assert data[other_school.obec_code]["colour"] == "#D55E00"  # not started


def test_map_coloured_by_a_simple_duty_round(people, school, placed, other_school, office):
    """A duty without an import (the school e-map) colours by its four stages."""
    from dmc_emis.models import Round, RoundSchool
    from dmc_emis.services import round_open
    from processes.definitions import definition_import

    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "processes"
    definition_import(json.loads((fixtures / "data-duty.json").read_text("utf-8")))
    duty = Round.objects.create(
        office=office, kind="school_emap", academic_year=2569, title="แผนที่โรงเรียน 2569"
    )
    round_open(
        round_=duty,
        user=people["staff"],
        deadline_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    RoundSchool.objects.filter(round=duty, school=school).update(status="checked")
    RoundSchool.objects.filter(round=duty, school=other_school).update(status="in_progress")
    client = Client()
    client.force_login(people["staff"])
    response = client.get(reverse("school_map:index"), {"layer": "round", "round": duty.pk})
    assert response.status_code == 200
    data = {p["code"]: p for p in points(response)}
    assert data[school.obec_code]["colour"] == "#009E73"
    assert data[school.obec_code]["status"] == "ตรวจแล้ว"
    assert data[other_school.obec_code]["colour"] == "#9A6700"  # in progress: amber
    assert "แผนที่โรงเรียน 2569" in response.content.decode()


def test_tiles_come_from_the_configured_url(settings, people, placed):
    settings.SCHOOL_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    client = Client()
    client.force_login(people["staff"])
    body = client.get(reverse("school_map:index")).content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in body


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
def users(people, office):
    other = Office.objects.create(code="9996", name_th="สพป.อื่น", kind=Office.Kind.PRIMARY)
    return {
        **people,
        "admin": make_user(RoleCode.ADMIN, office=office, username="adm2"),
        "outsider": user_create(
            username="out2", password="x", office=other, roles=[Role.objects.get(code="staff")]
        ),
    }


def row(users, method, url, data=None):
    out = ""
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        status = getattr(client, method)(url, data or {}).status_code
        out += {200: "2", 302: "3", 400: "B", 403: "4", 404: "N"}.get(status, "?")
    return out


def test_pages_by_role(users, school, other_school, placed):
    assert row(users, "get", reverse("school_map:index")) == "322222222"
    url = reverse("school_map:school", args=[school.pk])
    assert row(users, "get", url) == "32222222N"
    other = reverse("school_map:school", args=[other_school.pk])
    assert row(users, "get", other) == "3NN22222N"  # a school sees only its own
    moved = {"latitude": "19.95", "longitude": "99.85"}
    assert row(users, "post", url, moved) == "34433444N"
    confirm = {"action": "confirm"}
    # Anonymous goes to the login page; the school's people confirm; nobody else may.
    assert row(users, "post", url, confirm) == "33344444N"
    assert SchoolLocation.objects.get(school=school).is_confirmed


def test_school_users_see_only_their_school_on_the_map(users, school, other_school, placed):
    client = Client()
    client.force_login(users["school_user"])
    codes = [p["code"] for p in points(client.get(reverse("school_map:index")))]
    assert codes == [school.obec_code]
