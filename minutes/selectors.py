"""Reads of the minutes: who sees and records a case's meetings, and people's follow-ups."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import RoleCode, User
from accounts.selectors import authority_for
from minutes.models import FollowUp, Meeting

RECORDER_ROLES = (RoleCode.STAFF, RoleCode.GROUP_HEAD)


def can_record(user: User, office_id: int | None) -> bool:
    """Staff and the group head record minutes (own role or by delegation)."""
    if not user.is_active or user.is_school_side or user.office_id != office_id:
        return False
    return any(authority_for(user, role) is not None for role in RECORDER_ROLES)


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Minutes are the office's internal papers: its people read them, schools do not."""
    meetings = Meeting.objects.select_related("case__version__definition", "step")
    if user.is_superuser:
        return meetings
    if user.is_school_side or not user.office_id:
        raise PermissionDenied
    return meetings.filter(office_id=user.office_id)


def get_meeting_for_user(user: User, pk: int) -> Meeting:
    return get_object_or_404(meetings_visible_to(user), pk=pk)


def get_meeting_to_record(user: User, pk: int) -> Meeting:
    meeting = get_meeting_for_user(user, pk)
    if not can_record(user, meeting.office_id):
        raise PermissionDenied
    return meeting


def follow_ups_of(user: User) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(assignee=user).select_related("item__meeting__case")
