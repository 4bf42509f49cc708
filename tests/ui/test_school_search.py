"""The school filter's suggestions (portal:school_search): who finds which schools, and junk.

The lists' school filters no longer carry every school of the office as an option; they ask
this endpoint as one types. It must answer only with schools the person may see.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Office, RoleCode, School
from tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = reverse("portal:school_search")


@pytest.fixture
def schools(office, school):
    """The office's own schools (the fixture's one plus two more) and another office's."""
    other_office = Office.objects.create(
        code="9002", name_th="สพป.ทดสอบ เขต 2", kind=Office.Kind.PRIMARY
    )
    return {
        "own": school,
        "near": School.objects.create(
            office=office, obec_code="1090010002", smis_code="90010002", name_th="โรงเรียนบ้านทดลอง"
        ),
        "far": School.objects.create(
            office=office, obec_code="1090010003", smis_code="90010003", name_th="โรงเรียนวัดป่า"
        ),
        "elsewhere": School.objects.create(
            office=other_office,
            obec_code="1090020001",
            smis_code="90020001",
            name_th="โรงเรียนบ้านทดสอบใต้",
        ),
    }


def found(client, user, q: str) -> set[str]:
    client.force_login(user)
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return {row["name"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ["staff", "group_head", "director"])
def test_office_people_find_their_office_schools_by_name(client, people, schools, role):
    # "บ้านทด" is in two of the office's schools and in one of another office's.
    assert found(client, people[role], "บ้านทด") == {"โรงเรียนบ้านทดสอบ", "โรงเรียนบ้านทดลอง"}


def test_a_code_finds_the_school_it_starts(client, people, schools):
    assert found(client, people["staff"], "1090010003") == {"โรงเรียนวัดป่า"}


def test_an_admin_of_the_office_finds_the_office_schools(client, office, schools):
    admin = make_user(RoleCode.ADMIN, office=office)
    assert found(client, admin, "โรงเรียน") == {
        "โรงเรียนบ้านทดสอบ",
        "โรงเรียนบ้านทดลอง",
        "โรงเรียนวัดป่า",
    }


def test_a_school_user_finds_only_their_own_school(client, people, schools):
    assert found(client, people["school_user"], "โรงเรียน") == {"โรงเรียนบ้านทดสอบ"}
    assert found(client, people["school_user"], "วัดป่า") == set()


def test_someone_of_no_office_finds_nothing(client, schools):
    outsider = make_user(RoleCode.STAFF)  # an office of their own, with no schools
    assert found(client, outsider, "โรงเรียน") == set()


def test_a_visitor_is_sent_to_sign_in(client, schools):
    response = client.get(URL, {"q": "โรงเรียน"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_suggestions_are_few_and_carry_id_name_and_code(client, people, office):
    for n in range(30):
        School.objects.create(
            office=office,
            obec_code=f"10900300{n:02d}",
            smis_code=f"900300{n:02d}",
            name_th=f"โรงเรียน {n}",
        )
    client.force_login(people["staff"])
    rows = client.get(URL, {"q": "โรงเรียน"}).json()["results"]
    assert len(rows) == 20
    first = School.objects.get(pk=rows[0]["id"])
    assert rows[0] == {"id": first.pk, "name": first.name_th, "code": first.obec_code}


@pytest.mark.parametrize(
    "q", ["", "   ", "%", "_", "' OR 1=1 --", "๑๒๓", "x" * 500, "<script>alert(1)</script>"]
)
def test_junk_finds_nothing_and_never_fails(client, people, schools, q):
    assert found(client, people["staff"], q) == set()


def test_the_ticket_list_shows_the_chosen_school_without_listing_them_all(client, people, schools):
    client.force_login(people["staff"])
    page = client.get(reverse("repairs:index"), {"school": schools["near"].pk}).content.decode()
    assert 'value="โรงเรียนบ้านทดลอง"' in page
    assert f'value="{schools["near"].pk}"' in page
    assert "โรงเรียนวัดป่า" not in page  # no option per school any more
    assert reverse("portal:school_search") in page


def test_a_typed_school_name_filters_the_ticket_list_and_stays_typed(client, people, schools):
    client.force_login(people["staff"])
    page = client.get(reverse("repairs:index"), {"school_name": "วัดป"}).content.decode()
    assert 'value="วัดป"' in page
