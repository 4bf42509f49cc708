"""Writes of school locations: the office sets them, the school confirms its own."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleCode, School, User
from accounts.selectors import authority_for
from school_map.models import SchoolLocation


def can_set(user: User, school: School) -> bool:
    if not user.is_active or user.is_school_side or user.office_id != school.office_id:
        return False
    return any(authority_for(user, r) is not None for r in (RoleCode.STAFF, RoleCode.GROUP_HEAD))


@transaction.atomic
def location_set(
    *, user: User, school: School, latitude: Decimal, longitude: Decimal
) -> SchoolLocation:
    """The office places a school; a changed place waits for the school's confirmation again."""
    if not can_set(user, school):
        raise PermissionDenied(_("Only the office's staff and group head place schools."))
    location = SchoolLocation.objects.filter(school=school).first() or SchoolLocation(school=school)
    changed = (location.latitude, location.longitude) != (latitude, longitude)
    location.latitude, location.longitude, location.set_by = latitude, longitude, user
    if changed:
        location.confirmed_at = None
        location.confirmed_by = None
    location.full_clean()
    location.save()
    return location


@transaction.atomic
def location_confirm(*, user: User, school: School) -> SchoolLocation:
    """The school's own people confirm the place the office set."""
    if not user.is_school_side or user.school_id != school.pk:
        raise PermissionDenied(_("Only the school's own people confirm its location."))
    location = SchoolLocation.objects.select_for_update().get(school=school)
    if location.confirmed_at is None:
        location.confirmed_at = timezone.now()
        location.confirmed_by = user
        location.save(update_fields=["confirmed_at", "confirmed_by"])
    return location
