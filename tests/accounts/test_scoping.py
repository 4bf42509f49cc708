"""Who sees which schools, and the role/school rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db.models.fields.related import ForeignKey

from accounts.models import Office, User
from accounts.selectors import schools_visible_to
from accounts.services import user_create, validate_role_scope
from tests.factories import OfficeFactory, SchoolFactory, UserFactory, make_user, office_code

pytestmark = pytest.mark.django_db


# schools_visible_to ----------------------------------------------------------------------


def test_a_school_user_sees_only_their_own_school(school_a, school_b, foreign_school):
    user_a = make_user("school_user", school=school_a)
    user_b = make_user("school_user", school=school_b)
    assert list(schools_visible_to(user_a)) == [school_a]
    assert list(schools_visible_to(user_b)) == [school_b]


def test_a_school_director_sees_only_their_own_school(school_a, school_b):
    director = make_user("school_director", school=school_a)
    assert list(schools_visible_to(director)) == [school_a]


def test_office_staff_see_every_school_of_their_office_only(
    office, school_a, school_b, foreign_school
):
    for role in ("staff", "group_head", "deputy_director", "director", "admin"):
        user = make_user(role, office=office)
        assert set(schools_visible_to(user)) == {school_a, school_b}, role


def test_a_superuser_sees_every_school(office, school_a, foreign_school):
    root = make_user("admin", office=office, is_superuser=True)
    assert set(schools_visible_to(root)) == {school_a, foreign_school}


def test_a_user_without_office_sees_no_school(school_a):
    nobody = UserFactory(office=None, roles=["staff"])
    assert nobody.office is None
    assert not schools_visible_to(nobody).exists()


def test_a_school_side_user_whose_school_is_missing_sees_nothing(office, school_a):
    # Built past the rules on purpose: the selector must fail closed.
    orphan = UserFactory(office=office, roles=["school_user"])
    assert orphan.school is None
    assert not schools_visible_to(orphan).exists()


# validate_role_scope -------------------------------------------------------------------


@pytest.mark.parametrize("code", ["school_user", "school_director"])
def test_a_school_role_with_its_school_is_valid(roles, school_a, code):
    validate_role_scope(roles=[roles[code]], school=school_a)


def test_school_user_and_school_director_together_is_valid(roles, school_a):
    validate_role_scope(roles=[roles["school_user"], roles["school_director"]], school=school_a)


@pytest.mark.parametrize("code", ["school_user", "school_director"])
def test_a_school_role_needs_a_school(roles, code):
    with pytest.raises(ValidationError) as caught:
        validate_role_scope(roles=[roles[code]], school=None)
    assert "school" in caught.value.message_dict


@pytest.mark.parametrize("code", ["staff", "group_head", "deputy_director", "director", "admin"])
def test_an_office_role_has_no_school(roles, school_a, code):
    validate_role_scope(roles=[roles[code]], school=None)
    with pytest.raises(ValidationError) as caught:
        validate_role_scope(roles=[roles[code]], school=school_a)
    assert "school" in caught.value.message_dict


def test_no_role_and_no_school_is_valid():
    validate_role_scope(roles=[], school=None)


def test_a_school_without_any_role_is_refused(school_a):
    with pytest.raises(ValidationError) as caught:
        validate_role_scope(roles=[], school=school_a)
    assert "school" in caught.value.message_dict


def test_school_and_office_roles_do_not_mix(roles, school_a):
    with pytest.raises(ValidationError) as caught:
        validate_role_scope(roles=[roles["school_user"], roles["staff"]], school=school_a)
    assert "roles" in caught.value.message_dict


# the user's school ---------------------------------------------------------------------


def test_a_user_is_tied_to_at_most_one_school():
    field = User._meta.get_field("school")
    assert isinstance(field, ForeignKey)
    assert not field.many_to_many


def test_user_create_refuses_a_school_user_without_school(office, roles):
    with pytest.raises(ValidationError):
        user_create(username="t", password="x", office=office, roles=[roles["school_user"]])
    assert not User.objects.filter(username="t").exists()


def test_the_school_must_belong_to_the_users_office(office, foreign_school, roles):
    with pytest.raises(ValidationError) as caught:
        user_create(
            username="t",
            password="x",
            office=office,
            roles=[roles["school_user"]],
            school=foreign_school,
        )
    assert "school" in caught.value.message_dict
    assert not User.objects.filter(username="t").exists()


def test_a_school_user_gets_the_schools_office(school_a, roles):
    user = user_create(
        username="t", password="x", office=None, roles=[roles["school_user"]], school=school_a
    )
    assert user.office == school_a.office


def test_make_user_gives_a_school_role_a_school_in_the_office(office):
    teacher = make_user("school_user", office=office)
    assert teacher.school is not None
    assert teacher.school.office == office == teacher.office
    assert teacher.role_codes == {"school_user"}


def test_factories_build_consistent_rows(office):
    school = SchoolFactory(office=office)
    user = UserFactory(school=school, roles=["school_user"])
    assert user.office == office
    assert user.check_password("password")
    assert user.has_role("school_user")


# Offices the tests write by hand, by code: Office.objects.create(code="9009", …),
# OfficeFactory(code="1057", …) and the like, anywhere in the test tree.
HAND_WRITTEN_OFFICE = re.compile(
    r'\b(?:Office\.objects\.(?:create|get_or_create)|OfficeFactory)\(\s*code="([^"]+)"'
)


def test_a_factory_office_is_never_one_the_tests_fix_by_code(office, other_office):
    """OfficeFactory gets its office by code (get_or_create) and its sequence runs on across
    the session: with codes "9000", "9001", … a test's "outsider" built with it could be the
    engine fixtures' office "9001" or a test's own "9009", depending on the test order."""
    tests = Path(__file__).resolve().parents[1]
    fixed = {
        code
        for path in tests.rglob("*.py")
        for code in HAND_WRITTEN_OFFICE.findall(path.read_text("utf-8"))
    }
    assert {"9001", "9002", "9009", "9999", "8001", "1057"} <= fixed  # the scan finds them
    Office.objects.bulk_create(
        Office(code=code, name_th=code, kind=Office.Kind.PRIMARY)
        for code in fixed - {office.code, other_office.code}
    )
    assert not fixed & {office_code(n) for n in range(100_000)}
    made = [OfficeFactory() for _ in range(3)]
    assert not fixed & {made_office.code for made_office in made}
    assert Office.objects.count() == len(fixed) + len(made)
