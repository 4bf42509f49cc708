"""Reads of the log register: who sees and keeps it, and each source's check status."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import RoleCode, User
from accounts.selectors import authority_for
from log_register.models import LogCheck, LogSource, month_start

KEEPER_ROLES = (RoleCode.STAFF, RoleCode.GROUP_HEAD)


def can_keep(user: User, office_id: int | None) -> bool:
    """Staff and the group head keep the register (own role or by delegation)."""
    if not user.is_active or user.is_school_side or user.office_id != office_id:
        return False
    return any(authority_for(user, role) is not None for role in KEEPER_ROLES)


def sources_visible_to(user: User) -> QuerySet[LogSource]:
    """The office's people read their office's register; schools and others read none."""
    sources = LogSource.objects.select_related("responsible", "office")
    if user.is_superuser:
        return sources
    if user.is_school_side or not user.office_id:
        raise PermissionDenied
    return sources.filter(office_id=user.office_id)


def get_source_for_user(user: User, pk: int) -> LogSource:
    return get_object_or_404(sources_visible_to(user), pk=pk)


@dataclass
class SourceStatus:
    source: LogSource
    month: datetime.date
    due_on: datetime.date
    check: LogCheck | None
    last_check: LogCheck | None

    @property
    def state(self) -> str:
        """done, due (before or on the due day) or missed."""
        if self.check is not None:
            return "done"
        return "missed" if self._today > self.due_on else "due"

    _today: datetime.date = datetime.date.min

    @property
    def is_done(self) -> bool:
        return self.state == "done"

    @property
    def is_missed(self) -> bool:
        return self.state == "missed"


def register_status(sources, today: datetime.date) -> list[SourceStatus]:
    """This month's check of each source, and its latest check; two queries."""
    sources = list(sources)
    month = month_start(today)
    this_month = {c.source_id: c for c in LogCheck.objects.filter(source__in=sources, month=month)}
    latest: dict[int, LogCheck] = {}
    for check in LogCheck.objects.filter(source__in=sources).order_by("source_id", "-month"):
        latest.setdefault(check.source_id, check)
    rows = []
    for source in sources:
        row = SourceStatus(
            source=source,
            month=month,
            due_on=source.due_on(month),
            check=this_month.get(source.pk),
            last_check=latest.get(source.pk),
        )
        row._today = today
        rows.append(row)
    return rows
