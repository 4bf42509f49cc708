"""Writes of the log register and its daily pass (reminders before a monthly check is due, a
missed check reported to the group head); the pass is idempotent through notification keys."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import RoleCode, User
from log_register.models import LogCheck, LogSource, month_start
from log_register.selectors import can_keep
from processes.models import Notification
from processes.services import notify

SOURCE_FIELDS = (
    "name",
    "kind",
    "kept_at",
    "retention_days",
    "responsible",
    "check_due_day",
    "is_active",
    "note",
)
REMIND_DAYS_BEFORE = 3


def _require_keeper(user: User, office_id: int | None) -> None:
    if not can_keep(user, office_id):
        raise PermissionDenied(_("Only the office's staff and group head keep the register."))


def _check_responsible(source: LogSource) -> None:
    person = source.responsible
    if person.office_id != source.office_id or person.is_school_side or not person.is_active:
        raise ValidationError(
            {"responsible": _("The responsible person must be one of the office's people.")}
        )


@transaction.atomic
def source_save(*, user: User, source: LogSource | None = None, **values: Any) -> LogSource:
    """Add or change a register row; retention below 90 days is refused (also by the DB)."""
    office_id = source.office_id if source else user.office_id
    _require_keeper(user, office_id)
    assert office_id is not None  # a keeper belongs to the office
    source = source or LogSource(office_id=office_id)
    for name in SOURCE_FIELDS:
        if name in values:
            setattr(source, name, values[name])
    source.full_clean()
    _check_responsible(source)
    source.save()
    return source


def check_record(
    *,
    user: User,
    source: LogSource,
    month: datetime.date,
    checked_on: datetime.date,
    result: str,
    evidence: UploadedFile,
    oldest_log_on: datetime.date | None = None,
    note: str = "",
) -> LogCheck:
    """One month's check, with its evidence (a screenshot or an export); once a month."""
    _require_keeper(user, source.office_id)
    month = month_start(month)
    if checked_on < month:
        raise ValidationError({"checked_on": _("The check date is before the month checked.")})
    if result != LogCheck.Result.COMPLETE and not note.strip():
        raise ValidationError({"note": _("Explain what was found.")})
    assert evidence.name is not None  # an uploaded file always has a name
    check = LogCheck(
        source=source,
        month=month,
        checked_on=checked_on,
        result=result,
        oldest_log_on=oldest_log_on,
        note=note.strip(),
        evidence=evidence,
        evidence_name=evidence.name[:255],
        checked_by=user,
    )
    check.full_clean(exclude=["evidence_name"], validate_constraints=False)
    try:
        with transaction.atomic():
            check.save()
    except IntegrityError:
        raise ValidationError(
            {"month": _("This month's check of this source is already recorded.")}
        ) from None
    return check


def _group_heads(office_id: int) -> list[User]:
    return list(
        User.objects.filter(office_id=office_id, roles__code=RoleCode.GROUP_HEAD, is_active=True)
    )


def check_reminder_pass(*, today: datetime.date) -> dict[str, int]:
    with translation.override("th"):
        return _reminder_pass(today)


def _reminder_pass(today: datetime.date) -> dict[str, int]:
    """Remind the responsible person from REMIND_DAYS_BEFORE days before a check is due, and
    report a check missed after its due day to the group head (and the responsible person).
    This month and last month are looked at, so a pass that did not run on some days still
    reports. Each notice has its own key: running twice sends nothing twice."""
    counts = {"reminded": 0, "missed": 0}
    months = [month_start(today), month_start(month_start(today) - datetime.timedelta(days=1))]
    sources = list(LogSource.objects.filter(is_active=True).select_related("responsible"))
    done = set(
        LogCheck.objects.filter(source__in=sources, month__in=months).values_list(
            "source_id", "month"
        )
    )
    heads: dict[int, list[User]] = {}
    for source in sources:
        for month in months:
            if (source.pk, month) in done or source.created_at.date() > source.due_on(month):
                continue
            due = source.due_on(month)
            missed = today > due
            if not missed and ((due - today).days > REMIND_DAYS_BEFORE or month != months[0]):
                continue
            kind = "missed" if missed else "due"
            dedupe = f"log-check-{kind}:{source.pk}:{month:%Y-%m}"
            if Notification.objects.filter(dedupe_key__startswith=f"{dedupe}:").exists():
                continue  # told already
            label = f"{month.month:02d}/{month.year + 543}"
            if missed:
                if source.office_id not in heads:
                    heads[source.office_id] = _group_heads(source.office_id)
                notify(
                    recipients=[*heads[source.office_id], source.responsible],
                    kind="log_check_missed",
                    subject=_("Missed log check: %(source)s, month %(month)s")
                    % {"source": source.name, "month": label},
                    body=_(
                        "The monthly check of the traffic log %(source)s for %(month)s was due "
                        "on %(due)s and has not been recorded. Responsible: %(person)s."
                    )
                    % {
                        "source": source.name,
                        "month": label,
                        "due": due.strftime("%d/%m/") + str(due.year + 543),
                        "person": source.responsible.display_name,
                    },
                    dedupe=dedupe,
                )
                counts["missed"] += 1
            else:
                notify(
                    recipients=[source.responsible],
                    kind="log_check_due",
                    subject=_("Log check due %(due)s: %(source)s")
                    % {"source": source.name, "due": due.strftime("%d/%m/") + str(due.year + 543)},
                    dedupe=dedupe,
                )
                counts["reminded"] += 1
    return counts
