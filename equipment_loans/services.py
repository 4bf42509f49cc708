"""Writes for equipment loans: request, revise, hand over, take back; each through the engine.

Booking rule: a request locks the rows of the items it asks for (in primary-key order, so two
requests never wait on each other in a circle), then counts the units already held on each day
of its span. The second of two simultaneous requests for the last unit waits for the first to
commit and then sees its line, so exactly one of them wins.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Office, RoleCode, School, User
from accounts.services import check_request_scope
from core import ports, thaitime
from equipment_loans.models import (
    REPAIR_CATEGORY,
    Condition,
    ItemCategory,
    Loan,
    LoanItem,
    LoanLine,
)
from processes.models import ProcessDefinition, Task
from processes.selectors import role_holders, task_authority
from processes.services import case_start, notify, task_complete

PROCESS_BY_KIND: dict[str, str] = {
    Loan.Kind.BORROW: "equipment-loan",
    Loan.Kind.USE: "equipment-use",
}
HANDOVER_STEPS = ("checkout", "handover")
RETURN_STEP = "return"
REVISE_STEP = "revise"


@dataclass(frozen=True)
class Wanted:
    """Units of one item asked for by a request."""

    item: LoanItem
    quantity: int


# ---------------------------------------------------------------------------------------------
# Availability
# ---------------------------------------------------------------------------------------------


def quantity_key(item_id: int) -> str:
    """The error key of the units asked for of one item; the request form names the item's
    number box the same, so an error lands on that box."""
    return f"qty_{item_id}"


def wanted_from_quantities(
    items: Iterable[LoanItem], quantities: Mapping[int, int | None]
) -> list[Wanted]:
    """The units asked for, from the number typed for each item (blank or 0: none).

    No item may be asked for beyond the units the office can lend at all (whatever the dates),
    and at least one must be asked for; the errors are keyed by `quantity_key`.
    """
    wanted: list[Wanted] = []
    errors: dict[str, str] = {}
    for item in items:
        quantity = quantities.get(item.pk) or 0
        if quantity > item.lendable_units:
            errors[quantity_key(item.pk)] = _("The office has only %(have)s.") % {
                "have": item.lendable_units
            }
        elif quantity:
            wanted.append(Wanted(item, quantity))
    if errors:
        raise ValidationError(errors)
    if not wanted:
        raise ValidationError(_("Type how many of at least one item you need."))
    return wanted


def _check_dates(starts_on: datetime.date, ends_on: datetime.date, *, today: datetime.date) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The return date is before the pick-up date.")})
    if starts_on < today:
        raise ValidationError({"starts_on": _("The pick-up date has already passed.")})
    horizon = today + datetime.timedelta(days=settings.LOAN_BOOKING_HORIZON_DAYS)
    if starts_on > horizon:
        raise ValidationError(
            {
                "starts_on": _("Bookings open at most %(days)s days ahead, until %(date)s.")
                % {
                    "days": settings.LOAN_BOOKING_HORIZON_DAYS,
                    "date": thaitime.format_thai_date(horizon),
                }
            }
        )
    longest = settings.LOAN_MAX_DAYS
    if (ends_on - starts_on).days + 1 > longest:
        raise ValidationError(
            {"ends_on": _("A loan may last at most %(days)s days.") % {"days": longest}}
        )


def _merge(wanted: Iterable[Wanted]) -> list[Wanted]:
    """One entry per item (two rows of the same item add up), in primary-key order."""
    totals: dict[int, Wanted] = {}
    for entry in wanted:
        if entry.quantity < 1:
            raise ValidationError({"lines": _("Each quantity must be at least 1.")})
        seen = totals.get(entry.item.pk)
        totals[entry.item.pk] = Wanted(entry.item, entry.quantity + (seen.quantity if seen else 0))
    if not totals:
        raise ValidationError({"lines": _("Choose at least one item.")})
    return [totals[pk] for pk in sorted(totals)]


def booked_by_day(
    items: Iterable[int],
    starts_on: datetime.date,
    ends_on: datetime.date,
    *,
    exclude_loan: Loan | None = None,
) -> dict[int, dict[datetime.date, int]]:
    """Units held per item per day within the span (days with nothing held are absent)."""
    lines = LoanLine.objects.filter(
        item_id__in=list(items), holds=True, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if exclude_loan is not None:
        lines = lines.exclude(loan=exclude_loan)
    booked: dict[int, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for item_id, first, last, quantity in lines.values_list(
        "item_id", "starts_on", "ends_on", "quantity"
    ):
        day = max(first, starts_on)
        while day <= min(last, ends_on):
            booked[item_id][day] += quantity
            day += datetime.timedelta(days=1)
    return booked


def _describe_days(days: Sequence[datetime.date]) -> str:
    """Runs of consecutive days as ranges: "3 ธ.ค. 2569 ถึง 5 ธ.ค. 2569, 8 ธ.ค. 2569"."""
    runs: list[tuple[datetime.date, datetime.date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    parts = []
    for first, last in runs:
        if first == last:
            parts.append(thaitime.format_thai_date(first))
        else:
            parts.append(
                _("%(first)s to %(last)s")
                % {
                    "first": thaitime.format_thai_date(first),
                    "last": thaitime.format_thai_date(last),
                }
            )
    return ", ".join(parts)


def _reserve(
    *,
    wanted: list[Wanted],
    office_id: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    exclude_loan: Loan | None = None,
) -> list[Wanted]:
    """Lock the items and refuse any day on which the units asked for are not free.

    Must run inside the caller's transaction; returns the locked (fresh) items.
    """
    locked = {
        item.pk: item
        for item in LoanItem.objects.select_for_update()
        .filter(pk__in=[w.item.pk for w in wanted])
        .order_by("pk")
    }
    booked = booked_by_day(locked, starts_on, ends_on, exclude_loan=exclude_loan)
    problems = []
    fresh = []
    for entry in wanted:
        item = locked.get(entry.item.pk)
        if item is None or item.office_id != office_id:
            raise ValidationError({"lines": _("An item you chose is not lent by this office.")})
        capacity = item.lendable_units
        if capacity == 0:
            problems.append(
                _("%(item)s cannot be lent now (%(status)s).")
                % {"item": item.name, "status": item.get_status_display()}
            )
            continue
        if entry.quantity > capacity:
            problems.append(
                _("%(item)s: you asked for %(asked)s but the office has only %(have)s.")
                % {"item": item.name, "asked": entry.quantity, "have": capacity}
            )
            continue
        clashes = [
            day
            for day, units in booked.get(item.pk, {}).items()
            if units + entry.quantity > capacity
        ]
        if clashes:
            if item.is_stock:
                free = capacity - max(booked[item.pk][day] for day in clashes)
                problems.append(
                    _("%(item)s: only %(free)s free on %(days)s.")
                    % {"item": item.name, "free": free, "days": _describe_days(clashes)}
                )
            else:
                problems.append(
                    _("%(item)s is already booked on %(days)s.")
                    % {"item": item.name, "days": _describe_days(clashes)}
                )
            continue
        fresh.append(Wanted(item, entry.quantity))
    if problems:
        raise ValidationError({"lines": problems})
    return fresh


def _write_lines(loan: Loan, wanted: list[Wanted]) -> None:
    LoanLine.objects.bulk_create(
        LoanLine(
            loan=loan,
            item=entry.item,
            quantity=entry.quantity,
            starts_on=loan.starts_on,
            ends_on=loan.ends_on,
        )
        for entry in wanted
    )


# ---------------------------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------------------------

ITEM_CATEGORY_OF_ASSET = {
    "computer": ItemCategory.NOTEBOOK,
    "projector": ItemCategory.PROJECTOR,
    "dltv": ItemCategory.DLTV,
    "software": ItemCategory.SOFTWARE,
}


def items_from_loanable_assets(*, office: Office) -> int:
    """A loan item for each of the office's own assets marked "can be lent" that has none yet."""
    assets = ports.use("repairs.loanable_assets")(office=office)
    created = LoanItem.objects.bulk_create(
        LoanItem(
            office=office,
            asset=asset,
            name=" ".join(p for p in (asset.brand, asset.model_name) if p)
            or str(asset.get_category_display()),
            category=ITEM_CATEGORY_OF_ASSET.get(asset.category, ItemCategory.OTHER),
            status=LoanItem.Status.IN_REPAIR if asset.in_repair else LoanItem.Status.AVAILABLE,
            location=asset.location,
        )
        for asset in assets
    )
    return len(created)


# ---------------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------------


def _check_scope(*, requester: User, school: School | None) -> int:
    """The office the request belongs to (accounts.services.check_request_scope decides who may
    ask for whom)."""
    check_request_scope(requester=requester, school=school)
    if requester.is_school_side:
        assert school is not None  # check_request_scope refused a school-side request without one
        return school.office_id
    if requester.office_id is None:
        raise PermissionDenied(_("Your account belongs to no office."))
    return requester.office_id


def loan_request(
    *,
    requester: User,
    kind: str,
    school: School | None,
    wanted: Sequence[Wanted],
    purpose: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    pickup_place: str,
    return_place: str,
    contact_phone: str,
    project: str = "",
) -> Loan:
    """File a request to borrow or use equipment; the units are held from now on."""
    if kind not in PROCESS_BY_KIND:
        raise ValidationError({"kind": _("Choose borrow or use.")})
    office_id = _check_scope(requester=requester, school=school)
    _check_dates(starts_on, ends_on, today=timezone.localdate())
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say what the equipment is for.")})
    definition = ProcessDefinition.objects.filter(
        code=PROCESS_BY_KIND[kind], is_active=True
    ).first()
    if definition is None:
        raise ValidationError(_("The loan process is not set up; ask the administrator."))
    merged = _merge(wanted)
    with transaction.atomic():
        locked = _reserve(wanted=merged, office_id=office_id, starts_on=starts_on, ends_on=ends_on)
        case = case_start(
            definition=definition,
            requester=requester,
            title=", ".join(f"{w.item.name} ({w.quantity})" for w in locked)[:200],
            office=school.office if school else requester.office,
            school=school,
            data={"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
        )
        loan = Loan.objects.create(
            office_id=office_id,
            case=case,
            reference=case.reference,
            kind=kind,
            requester=requester,
            school=school,
            purpose=purpose[:5000],
            project=project.strip()[:255],
            starts_on=starts_on,
            ends_on=ends_on,
            pickup_place=pickup_place.strip()[:255],
            return_place=return_place.strip()[:255],
            contact_phone=contact_phone.strip()[:30],
        )
        case.subject = loan
        case.save(update_fields=["subject_type", "subject_id"])
        _write_lines(loan, locked)
    return loan


def _task_at(loan: Loan, keys: Iterable[str]) -> Task | None:
    return (
        loan.case.tasks.filter(status=Task.Status.OPEN, step__key__in=list(keys))
        .select_related("step")
        .first()
    )


def _task_for(loan: Loan, keys: Iterable[str], user: User, message: str) -> Task:
    task = _task_at(loan, keys)
    if task is None:
        raise ValidationError(message)
    if task_authority(task=task, user=user, case=loan.case) is None:
        raise PermissionDenied(_("This step is not yours to do."))
    return task


def loan_revise(
    *,
    loan: Loan,
    user: User,
    wanted: Sequence[Wanted],
    purpose: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    pickup_place: str,
    return_place: str,
    contact_phone: str,
    project: str = "",
) -> Loan:
    """The requester changes a returned request and sends it back to the group head."""
    task = _task_for(loan, [REVISE_STEP], user, _("This request is not waiting for a revision."))
    _check_dates(starts_on, ends_on, today=timezone.localdate())
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say what the equipment is for.")})
    merged = _merge(wanted)
    with transaction.atomic():
        locked = _reserve(
            wanted=merged,
            office_id=loan.office_id,
            starts_on=starts_on,
            ends_on=ends_on,
            exclude_loan=loan,
        )
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        loan.lines.all().delete()
        loan.purpose = purpose[:5000]
        loan.project = project.strip()[:255]
        loan.starts_on, loan.ends_on = starts_on, ends_on
        loan.pickup_place = pickup_place.strip()[:255]
        loan.return_place = return_place.strip()[:255]
        loan.contact_phone = contact_phone.strip()[:30]
        loan.save()
        _write_lines(loan, locked)
        task_complete(task=task, user=user, outcome="done", comment=_("Request revised."))
    loan.refresh_from_db()
    return loan


def _same_name(typed: str, user: User) -> bool:
    """The typed acknowledgement names the borrower (spacing and a leading title ignored)."""

    def squash(value: str) -> str:
        return re.sub(r"\s+", "", value or "").casefold()

    typed_key = squash(typed)
    full = squash(f"{user.first_name}{user.last_name}")
    return bool(full) and typed_key.endswith(full) and len(typed_key) - len(full) <= 20


def loan_check_out(
    *,
    loan: Loan,
    user: User,
    conditions: Mapping[int, str],
    accessories: str,
    acknowledgement: str,
) -> Loan:
    """Hand the equipment over: condition of each line, accessories, the borrower's typed name."""
    task = _task_for(loan, HANDOVER_STEPS, user, _("This request is not ready to be handed over."))
    if not _same_name(acknowledgement, loan.requester):
        raise ValidationError(
            {
                "acknowledgement": _(
                    "The borrower must type their own name (%(name)s) to acknowledge receipt."
                )
                % {"name": f"{loan.requester.first_name} {loan.requester.last_name}".strip()}
            }
        )
    lines = list(loan.lines.select_related("item"))
    for line in lines:
        if conditions.get(line.pk) not in (Condition.GOOD, Condition.FAIR, Condition.DAMAGED):
            raise ValidationError(
                {"lines": _("Record the condition of %(item)s.") % {"item": line.item.name}}
            )
    now = timezone.now()
    with transaction.atomic():
        for line in lines:
            line.condition_out = conditions[line.pk]
            line.save(update_fields=["condition_out"])
            if not line.item.is_stock:
                LoanItem.objects.filter(pk=line.item_id).update(status=LoanItem.Status.ON_LOAN)
        Loan.objects.filter(pk=loan.pk).update(
            handed_over_by=user,
            checked_out_at=now,
            accessories_out=accessories.strip()[:255],
            borrower_acknowledgement=acknowledgement.strip()[:200],
        )
        task_complete(task=task, user=user, outcome="handed_over")
    loan.refresh_from_db()
    return loan


def loan_not_collected(*, loan: Loan, user: User, comment: str) -> Loan:
    """The borrower never came: close the request and free its units."""
    task = _task_for(loan, HANDOVER_STEPS, user, _("This request is not waiting for pick-up."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why the booking is released.")})
    task_complete(task=task, user=user, outcome="not_collected", comment=comment)
    loan.refresh_from_db()
    return loan


def loan_check_in(
    *,
    loan: Loan,
    user: User,
    conditions: Mapping[int, str],
    missing_items: str = "",
    note: str = "",
) -> Loan:
    """Take the equipment back; a damaged or missing line opens a repair ticket for its item."""
    file_repair_ticket = ports.use("repairs.file_ticket")  # repairs is a sibling app
    task = _task_for(loan, [RETURN_STEP], user, _("This loan is not out."))
    lines = list(loan.lines.select_related("item", "item__asset"))
    for line in lines:
        if conditions.get(line.pk) not in Condition.values:
            raise ValidationError(
                {"lines": _("Record the condition of %(item)s.") % {"item": line.item.name}}
            )
    note = (note or "").strip()
    missing_items = (missing_items or "").strip()
    broken = [
        line for line in lines if conditions[line.pk] in (Condition.DAMAGED, Condition.MISSING)
    ]
    if broken and not note:
        raise ValidationError({"note": _("Describe the damage or what is missing.")})
    now = timezone.now()
    with transaction.atomic():
        for line in lines:
            line.condition_back = conditions[line.pk]
            line.holds = False
            fields = ["condition_back", "holds"]
            item = LoanItem.objects.select_for_update().get(pk=line.item_id)
            if line in broken:
                line.repair_ticket = file_repair_ticket(
                    requester=user,
                    school=None,
                    category=REPAIR_CATEGORY.get(item.category, "other"),
                    symptom=_("Returned %(condition)s from loan %(reference)s: %(note)s")
                    % {
                        "condition": Condition(conditions[line.pk]).label,
                        "reference": loan.reference,
                        "note": note,
                    },
                    location=item.location or loan.return_place,
                    urgency="normal",
                    contact_phone=user.phone or "-",
                    asset=item.asset if item.asset and item.asset.school_id is None else None,
                    asset_number_text="" if item.asset else item.name[:100],
                )
                fields.append("repair_ticket")
                _take_out_of_service(item, line.quantity)
            elif not item.is_stock:
                item.status = LoanItem.Status.AVAILABLE
                item.condition = conditions[line.pk]
                item.save(update_fields=["status", "condition"])
            line.save(update_fields=fields)
        Loan.objects.filter(pk=loan.pk).update(
            received_by=user,
            returned_at=now,
            missing_items=missing_items[:255],
            return_note=note[:5000],
        )
        task_complete(task=task, user=user, outcome="done", comment=note)
    loan.refresh_from_db()
    return loan


def _take_out_of_service(item: LoanItem, units: int) -> None:
    if item.is_stock:
        item.units_in_repair = min(item.quantity, item.units_in_repair + units)
        item.save(update_fields=["units_in_repair"])
    else:
        item.status = LoanItem.Status.IN_REPAIR
        item.condition = Condition.DAMAGED
        item.save(update_fields=["status", "condition"])


def repaired(*, line: LoanLine) -> None:
    """The repair of a returned line is closed: its units can be lent again."""
    with transaction.atomic():
        item = LoanItem.objects.select_for_update().get(pk=line.item_id)
        if item.is_stock:
            item.units_in_repair = max(0, item.units_in_repair - line.quantity)
            item.save(update_fields=["units_in_repair"])
        elif item.status == LoanItem.Status.IN_REPAIR:
            item.status = LoanItem.Status.AVAILABLE
            item.condition = Condition.GOOD
            item.save(update_fields=["status", "condition"])


# ---------------------------------------------------------------------------------------------
# Reminders (daily, Celery beat)
# ---------------------------------------------------------------------------------------------


def loan_reminder_pass(*, today: datetime.date) -> dict[str, int]:
    """Reminders before the return date and daily overdue notices, escalating to the director.

    Every notice carries a dedupe key naming the loan and the day, so the pass can run any number
    of times a day and each person still hears once.
    """
    counts = {"reminded": 0, "overdue": 0, "escalated": 0}
    out = Loan.objects.filter(status=Loan.Status.ON_LOAN).select_related("requester", "case")
    remind_until = thaitime.add_working_days(today, settings.LOAN_REMIND_WORKING_DAYS_BEFORE)
    for loan in out.filter(ends_on__gte=today, ends_on__lte=remind_until):
        notify(
            recipients=[loan.requester],
            case=loan.case,
            kind="loan_due",
            subject=_("%(reference)s: please return the equipment by %(date)s")
            % {"reference": loan.reference, "date": thaitime.format_thai_date(loan.ends_on)},
            dedupe=f"loan-due:{loan.pk}:{loan.ends_on.isoformat()}",
        )
        counts["reminded"] += 1
    if not thaitime.is_working_day(today):
        return counts
    for loan in out.filter(ends_on__lt=today):
        late = thaitime.working_days_between(loan.ends_on, today)
        heads = role_holders(role=RoleCode.GROUP_HEAD, case=loan.case, on=today)
        subject = _("%(reference)s is overdue: due %(date)s, %(days)s working days late") % {
            "reference": loan.reference,
            "date": thaitime.format_thai_date(loan.ends_on),
            "days": late,
        }
        notify(
            recipients=[loan.requester, *heads],
            case=loan.case,
            kind="loan_overdue",
            subject=subject,
            dedupe=f"loan-overdue:{loan.pk}:{today.isoformat()}",
        )
        counts["overdue"] += 1
        if late >= settings.LOAN_ESCALATE_AFTER_WORKING_DAYS:
            notify(
                recipients=role_holders(role=RoleCode.DIRECTOR, case=loan.case, on=today),
                case=loan.case,
                kind="loan_escalated",
                subject=subject,
                dedupe=f"loan-escalated:{loan.pk}:{loan.ends_on.isoformat()}",
            )
            counts["escalated"] += 1
    return counts
